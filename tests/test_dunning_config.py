# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from .common import DunningCommon


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestDunningConfig(DunningCommon):
    """Configuration of the follow-up: levels, strategies, markers, company
    settings, default data and access rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="B")["company"]

    def _level_vals(self, **vals):
        """Values of a valid level of ``self.strategy`` (an email level)."""
        return {
            "name": "Delay 4",
            "strategy_id": self.strategy.id,
            "delay": 30,
            "send_email": True,
            "mail_template_id": self.template_3.id,
            **vals,
        }

    # ------------------------------------------------------------------
    # Level constraints
    # ------------------------------------------------------------------

    def test_level_requires_an_action(self):
        Level = self.env["dunning.level"]
        with (
            self.assertRaisesRegex(
                ValidationError,
                r"The follow-up level Idle does nothing: choose at least one action",
            ),
            self.cr.savepoint(),
        ):
            Level.create(
                {
                    "name": "Idle",
                    "strategy_id": self.strategy.id,
                    "delay": 30,
                    "print_letter": False,
                }
            )
        # removing the only action of an existing level is refused too
        with (
            self.assertRaisesRegex(ValidationError, r"Delay 2 does nothing"),
            self.cr.savepoint(),
        ):
            self.level_2.write({"send_email": False, "print_letter": False})
        # a single action is enough
        level = Level.create(
            {
                "name": "Letter only",
                "strategy_id": self.strategy.id,
                "delay": 30,
                "print_letter": True,
            }
        )
        self.assertIn(level, self.strategy.level_ids)

    def test_level_requires_an_action_without_action_fields(self):
        """A level created with none of the action fields in its values
        (only name, strategy and delay) must be refused as well (RPC,
        import, XML data)."""
        with (
            self.assertRaisesRegex(ValidationError, r"Bare does nothing"),
            self.cr.savepoint(),
        ):
            self.env["dunning.level"].create(
                {"name": "Bare", "strategy_id": self.strategy.id, "delay": 30}
            )

    def test_level_unique_delay_in_strategy(self):
        with (
            self.assertRaisesRegex(
                ValidationError,
                r"Two levels of the strategy Classic have the same delay \(5 days\)",
            ),
            self.cr.savepoint(),
        ):
            self.env["dunning.level"].create(self._level_vals(name="Other", delay=5))
        with (
            self.assertRaisesRegex(ValidationError, r"same delay \(10 days\)"),
            self.cr.savepoint(),
        ):
            self.level_3.delay = 10
        self.assertEqual(self.strategy.level_ids.mapped("delay"), [5, 10, 20])

    def test_level_unique_name_in_strategy(self):
        with (
            self.assertRaisesRegex(
                ValidationError,
                r"Two levels of the strategy Classic are named Delay 1: each level "
                r"needs its own name",
            ),
            self.cr.savepoint(),
        ):
            self.env["dunning.level"].create(self._level_vals(name="Delay 1"))
        with (
            self.assertRaisesRegex(ValidationError, r"are named Delay 1"),
            self.cr.savepoint(),
        ):
            self.level_2.name = "Delay 1"
        self.assertEqual(
            self.strategy.level_ids.mapped("name"), ["Delay 1", "Delay 2", "Delay 3"]
        )

    def test_level_same_delay_and_name_in_two_strategies(self):
        other = self.env["dunning.strategy"].create(
            {
                "name": "Other",
                "level_ids": [
                    Command.create(
                        {
                            "name": "Delay 1",
                            "delay": 5,
                            "send_email": True,
                            "mail_template_id": self.template_1.id,
                        }
                    )
                ],
            }
        )
        self.assertRecordValues(other.level_ids, [{"name": "Delay 1", "delay": 5}])
        self.assertEqual(len(self.strategy.level_ids), 3)

    def test_level_email_needs_template(self):
        with (
            self.assertRaisesRegex(
                ValidationError,
                r"The follow-up level Mail sends an email: choose its email template",
            ),
            self.cr.savepoint(),
        ):
            self.env["dunning.level"].create(
                self._level_vals(name="Mail", mail_template_id=False)
            )
        with (
            self.assertRaisesRegex(ValidationError, r"Delay 1 sends an email"),
            self.cr.savepoint(),
        ):
            self.level_1.mail_template_id = False

    def test_level_sms_needs_template(self):
        with (
            self.assertRaisesRegex(
                ValidationError,
                r"The follow-up level Text sends an SMS: choose its SMS template",
            ),
            self.cr.savepoint(),
        ):
            self.env["dunning.level"].create(
                self._level_vals(name="Text", send_email=False, send_sms=True)
            )
        sms_template = self.env["sms.template"].create(
            {
                "name": "Reminder SMS",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "body": "Please pay {{ object.name }}",
            }
        )
        level = self.env["dunning.level"].create(
            self._level_vals(
                name="Text",
                send_email=False,
                send_sms=True,
                sms_template_id=sms_template.id,
            )
        )
        self.assertEqual(level.sms_template_id, sms_template)

    def test_level_activity_for_user_needs_user(self):
        with (
            self.assertRaisesRegex(
                ValidationError,
                r"The follow-up level Call schedules an activity for a specific "
                r"user: choose that user",
            ),
            self.cr.savepoint(),
        ):
            self.env["dunning.level"].create(
                self._level_vals(
                    name="Call",
                    send_email=False,
                    create_activity=True,
                    activity_responsible="user",
                )
            )
        level = self.env["dunning.level"].create(
            self._level_vals(
                name="Call",
                send_email=False,
                create_activity=True,
                activity_responsible="user",
                activity_user_id=self.env.user.id,
            )
        )
        with (
            self.assertRaisesRegex(ValidationError, r"Call schedules an activity"),
            self.cr.savepoint(),
        ):
            level.activity_user_id = False
        # the follow-up responsible needs no user
        level.activity_responsible = "followup"
        level.activity_user_id = False
        self.assertFalse(level.activity_user_id)

    # ------------------------------------------------------------------
    # Defaults
    # ------------------------------------------------------------------

    def test_level_defaults(self):
        strategy = self.env["dunning.strategy"].create({"name": "Empty"})
        level = self.env["dunning.level"].create(
            {"name": "Letter", "strategy_id": strategy.id, "print_letter": True}
        )
        self.assertRecordValues(
            level,
            [
                {
                    "delay": 5,
                    "letter_filename": "Dunning-{customer}.pdf",
                    "activity_responsible": "followup",
                    "auto_execute": False,
                    "send_email": False,
                    "company_id": self.company.id,
                }
            ],
        )

    def test_strategy_defaults(self):
        strategy = self.env["dunning.strategy"].create({"name": "New"})
        self.assertEqual(self.env.company, self.company)
        self.assertRecordValues(
            strategy,
            [
                {
                    "company_id": self.company.id,
                    "active": True,
                    "is_default": False,
                    "jump_to_highest": False,
                    "level_count": 0,
                }
            ],
        )
        # the existing default strategy is untouched
        self.assertTrue(self.strategy.is_default)
        self.assertEqual(self.strategy.level_count, 3)

    def test_render_letter_filename(self):
        self.assertEqual(
            self.level_2._render_letter_filename(self.customer),
            "Dunning-Technologies Aujourd'hui.pdf",
        )
        partner = self._create_customer("Smith/Jones Ltd", email="sj@example.com")
        self.assertEqual(
            self.level_2._render_letter_filename(partner), "Dunning-Smith-Jones Ltd.pdf"
        )
        # a pattern without extension gets ".pdf"
        self.level_2.letter_filename = "Reminder {{ object.name }}"
        self.assertEqual(
            self.level_2._render_letter_filename(partner),
            "Reminder Smith-Jones Ltd.pdf",
        )

    # ------------------------------------------------------------------
    # Strategies and markers
    # ------------------------------------------------------------------

    def test_one_default_strategy_per_company(self):
        self.env.user.company_ids |= self.company_b
        Strategy = self.env["dunning.strategy"].with_context(
            allowed_company_ids=[self.company.id, self.company_b.id]
        )
        strategy_b = Strategy.create(
            {"name": "B default", "company_id": self.company_b.id, "is_default": True}
        )
        self.assertTrue(self.strategy.is_default)
        # creating a second default in company A unsets the first one
        second = Strategy.create(
            {"name": "Second", "company_id": self.company.id, "is_default": True}
        )
        self.assertFalse(self.strategy.is_default)
        self.assertTrue(second.is_default)
        self.assertTrue(strategy_b.is_default)
        self.assertEqual(Strategy._get_company_default(self.company), second)
        self.assertEqual(Strategy._get_company_default(self.company_b), strategy_b)
        # writing the flag on a third one moves it again
        third = Strategy.create({"name": "Third", "company_id": self.company.id})
        self.assertFalse(third.is_default)
        third.is_default = True
        self.assertRecordValues(
            self.strategy | second | third | strategy_b,
            [
                {"is_default": False},
                {"is_default": False},
                {"is_default": True},
                {"is_default": True},
            ],
        )
        self.assertEqual(
            Strategy.search_count(
                [("company_id", "=", self.company.id), ("is_default", "=", True)]
            ),
            1,
        )

    def test_marker_code_unique_per_company(self):
        Marker = self.env["dunning.marker"]
        with (
            self.assertRaises(ValidationError),
            self.cr.savepoint(),
            mute_logger("odoo.sql_db"),
        ):
            Marker.create({"code": "R1", "name": "Duplicate"})
            Marker.flush_model()
        # the same code in another company is fine
        self.env.user.company_ids |= self.company_b
        marker_b = Marker.create(
            {"code": "R1", "name": "First (B)", "company_id": self.company_b.id}
        )
        marker_b.flush_recordset()
        self.assertEqual(marker_b.display_name, "R1")
        self.assertEqual(
            Marker.search_count(
                [("code", "=", "R1"), ("company_id", "=", self.company.id)]
            ),
            1,
        )

    def test_marker_used_by_level_cannot_be_deleted(self):
        with (
            self.assertRaises(UserError),
            self.cr.savepoint(),
            mute_logger("odoo.sql_db"),
        ):
            self.marker_r1.unlink()
            self.env.flush_all()
        self.env.invalidate_all()
        self.assertTrue(self.marker_r1.exists())
        self.assertEqual(self.level_1.marker_id, self.marker_r1)
        # an unused marker can be deleted
        unused = self.env["dunning.marker"].create({"code": "R9", "name": "Unused"})
        unused.unlink()
        self.assertFalse(unused.exists())

    # ------------------------------------------------------------------
    # Company settings
    # ------------------------------------------------------------------

    def test_company_test_mode_requires_email(self):
        with (
            self.assertRaisesRegex(
                ValidationError,
                r"Follow-up test mode is on for .*: enter the internal address",
            ),
            self.cr.savepoint(),
        ):
            self.company.dunning_test_mode = True
        self.company.write(
            {"dunning_test_mode": True, "dunning_test_email": "test@example.com"}
        )
        self.assertTrue(self.company.dunning_test_mode)
        with (
            self.assertRaisesRegex(ValidationError, r"test mode is on"),
            self.cr.savepoint(),
        ):
            self.company.dunning_test_email = False

    def test_company_numbers(self):
        with (
            self.assertRaisesRegex(ValidationError, r"tolerance cannot be negative"),
            self.cr.savepoint(),
        ):
            self.company.dunning_tolerance = -1.0
        with (
            self.assertRaisesRegex(ValidationError, r"chunk size must be at least 1"),
            self.cr.savepoint(),
        ):
            self.company.dunning_chunk_size = 0
        self.assertEqual(self.company.dunning_chunk_size, 100)

    def test_settings_include_all_customers(self):
        self.env.user.company_ids |= self.company_b
        partner = self.env["res.partner"].create(
            {"name": "Never Set", "is_company": True, "email": "never@example.com"}
        )
        self._create_invoice(partner, 1000.0, "2026-05-01")
        self._create_invoice(partner, 700.0, "2026-05-01", company=self.company_b)
        res = self._evaluate("2026-06-01", partner).partners[partner.id]
        self.assertEqual(res.reason, "not_included")
        self.assertFalse(self.env["res.config.settings"].create({}).dunning_include_all)

        settings = self.env["res.config.settings"].create({"dunning_include_all": True})
        settings.execute()

        self.assertTrue(
            self.env["ir.default"]._get(
                "res.partner", "dunning_included", company_id=self.company.id
            )
        )
        self.assertTrue(self.env["res.config.settings"].create({}).dunning_include_all)
        self.assertTrue(partner.dunning_included)
        res = self._evaluate("2026-06-01", partner).partners[partner.id]
        self.assertNotEqual(res.reason, "not_included")
        self.assertEqual(res.status, "in_need_of_action")
        self.assertEqual(res.level_due_id, self.level_1.id)
        # an explicit "not included" still wins over the default
        excluded = self._create_customer("Excluded", included=False)
        self._create_invoice(excluded, 100.0, "2026-05-01")
        res = self._evaluate("2026-06-01", excluded).partners[excluded.id]
        self.assertEqual(res.reason, "not_included")
        # company B keeps its own setting
        res_b = (
            self.env["dunning.engine"]
            ._evaluate(date="2026-06-01", partners=partner, company=self.company_b)
            .partners[partner.id]
        )
        self.assertEqual(res_b.reason, "not_included")
        self.assertFalse(partner.with_company(self.company_b).dunning_included)
        self.assertFalse(
            self.env["res.config.settings"]
            .with_company(self.company_b)
            .create({})
            .dunning_include_all
        )

    # ------------------------------------------------------------------
    # Default data
    # ------------------------------------------------------------------

    def test_default_markers(self):
        markers = (
            self.env.ref("account_dunning.dunning_marker_r1")
            | self.env.ref("account_dunning.dunning_marker_r2")
            | self.env.ref("account_dunning.dunning_marker_r3")
        ).sudo()
        self.assertRecordValues(
            markers,
            [
                {"code": "R1", "propagate": True, "sequence": 10},
                {"code": "R2", "propagate": True, "sequence": 20},
                {"code": "R3", "propagate": True, "sequence": 30},
            ],
        )

    def test_default_strategy(self):
        strategy = self.env.ref("account_dunning.dunning_strategy_classic").sudo()
        self.assertTrue(strategy.is_default)
        self.assertEqual(strategy.company_id, self.env.ref("base.main_company"))
        levels = strategy._get_sorted_levels()
        self.assertRecordValues(
            levels,
            [
                {
                    "delay": 5,
                    "send_email": True,
                    "print_letter": False,
                    "add_sale_warning": False,
                    "mail_template_id": self.env.ref(
                        "account_dunning.mail_template_dunning_1"
                    ).id,
                    "marker_id": self.env.ref("account_dunning.dunning_marker_r1").id,
                },
                {
                    "delay": 10,
                    "send_email": True,
                    "print_letter": True,
                    "add_sale_warning": False,
                    "mail_template_id": self.env.ref(
                        "account_dunning.mail_template_dunning_2"
                    ).id,
                    "marker_id": self.env.ref("account_dunning.dunning_marker_r2").id,
                },
                {
                    "delay": 20,
                    "send_email": True,
                    "print_letter": True,
                    "add_sale_warning": True,
                    "mail_template_id": self.env.ref(
                        "account_dunning.mail_template_dunning_3"
                    ).id,
                    "marker_id": self.env.ref("account_dunning.dunning_marker_r3").id,
                },
            ],
        )
        self.assertTrue(levels[2].sale_warning_message)
        self.assertEqual(len(levels.mail_template_id), 3)
        self.assertEqual(set(levels.mail_template_id.mapped("model")), {"res.partner"})

    # ------------------------------------------------------------------
    # Access rights
    # ------------------------------------------------------------------

    def test_access_billing_user(self):
        billing = new_test_user(
            self.env,
            login="dunning_billing",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        strategy = self.strategy.with_user(billing)
        self.assertEqual(strategy.read(["name"])[0]["name"], "Classic")
        self.assertEqual(strategy.level_ids.mapped("delay"), [5, 10, 20])
        self.assertEqual(
            self.marker_r1.with_user(billing).read(["code"])[0]["code"], "R1"
        )
        self.assertIn(
            self.strategy, self.env["dunning.strategy"].with_user(billing).search([])
        )
        with self.assertRaises(AccessError):
            strategy.write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.env["dunning.strategy"].with_user(billing).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            strategy.unlink()
        with self.assertRaises(AccessError):
            self.level_1.with_user(billing).write({"delay": 3})
        with self.assertRaises(AccessError):
            self.env["dunning.level"].with_user(billing).create(
                self._level_vals(name="Mine")
            )
        with self.assertRaises(AccessError):
            self.level_1.with_user(billing).unlink()
        with self.assertRaises(AccessError):
            self.marker_r1.with_user(billing).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.env["dunning.marker"].with_user(billing).create(
                {"code": "R9", "name": "Mine"}
            )
        with self.assertRaises(AccessError):
            self.marker_r3.with_user(billing).unlink()
        self.assertEqual(self.strategy.name, "Classic")

    def test_access_accounting_manager(self):
        manager = new_test_user(
            self.env,
            login="dunning_manager",
            groups="account.group_account_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        strategy = (
            self.env["dunning.strategy"]
            .with_user(manager)
            .create(
                {
                    "name": "Manager's",
                    "level_ids": [
                        Command.create(
                            {
                                "name": "Soft",
                                "delay": 3,
                                "send_email": True,
                                "mail_template_id": self.template_1.id,
                            }
                        )
                    ],
                }
            )
        )
        marker = (
            self.env["dunning.marker"]
            .with_user(manager)
            .create({"code": "R9", "name": "Manager's"})
        )
        strategy.level_ids.marker_id = marker
        self.assertRecordValues(
            strategy, [{"company_id": self.company.id, "level_count": 1}]
        )
        strategy.write({"name": "Renamed"})
        strategy.unlink()
        self.assertFalse(strategy.exists())

    def test_access_portal_user(self):
        portal = new_test_user(
            self.env,
            login="dunning_portal",
            groups="base.group_portal",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.assertRaises(AccessError):
            self.strategy.with_user(portal).read(["name"])
        with self.assertRaises(AccessError):
            self.env["dunning.strategy"].with_user(portal).search([])
        with self.assertRaises(AccessError):
            self.level_1.with_user(portal).read(["delay"])

    def test_multi_company_isolation(self):
        user_b = new_test_user(
            self.env,
            login="dunning_user_b",
            groups="account.group_account_manager",
            company_id=self.company_b.id,
            company_ids=[Command.set(self.company_b.ids)],
        )
        strategy_b = (
            self.env["dunning.strategy"]
            .sudo()
            .create({"name": "B strategy", "company_id": self.company_b.id})
        )
        shared = self.env["dunning.marker"].create(
            {"code": "RS", "name": "Shared", "company_id": False}
        )
        Strategy = self.env["dunning.strategy"].with_user(user_b)
        self.assertEqual(Strategy.search([]), strategy_b)
        self.assertFalse(Strategy.search([("id", "=", self.strategy.id)]))
        self.assertFalse(
            self.env["dunning.level"]
            .with_user(user_b)
            .search([("id", "in", self.strategy.level_ids.ids)])
        )
        markers = self.env["dunning.marker"].with_user(user_b).search([])
        self.assertIn(shared, markers)
        self.assertFalse(markers & (self.marker_r1 | self.marker_r2 | self.marker_r3))
        with self.assertRaises(AccessError):
            Strategy.browse(self.strategy.id).read(["name"])
        with self.assertRaises(AccessError):
            self.env["dunning.level"].with_user(user_b).browse(self.level_1.id).read(
                ["delay"]
            )
