# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Access matrix: who may read, write, create, delete and execute what.

The matrix is data (``MODEL_MATRIX``, ``ACTION_MATRIX``): to cover a new
model or action, add a row; the tests check every role against every row.
"""

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import DunningCommon

ROLES = {
    # role: groups (xml ids)
    # billing roles have "Contact Creation", as Odoo's default user template
    "billing": ["account.group_account_invoice", "base.group_partner_manager"],
    "accountant": [
        "account.group_account_user",
        "base.group_partner_manager",
    ],
    "manager": ["account.group_account_manager", "base.group_partner_manager"],
    # a billing user without "Contact Creation" still sends reminders
    "billing_no_contact": ["account.group_account_invoice"],
    "auditor": ["account.group_account_readonly"],
    "salesman": ["sales_team.group_sale_salesman", "base.group_partner_manager"],
    "internal": ["base.group_user"],
    "portal": ["base.group_portal"],
}
ALL = set(ROLES)
INTERNAL = ALL - {"portal"}
BILLING = {"billing", "accountant", "manager", "billing_no_contact"}
CONFIG = {"manager"}

# model: {operation: roles allowed by the access rights (ir.model.access)}
MODEL_MATRIX = {
    "dunning.marker": {
        "read": INTERNAL,
        "write": CONFIG,
        "create": CONFIG,
        "unlink": CONFIG,
    },
    "dunning.strategy": {
        "read": INTERNAL,
        "write": CONFIG,
        "create": CONFIG,
        "unlink": CONFIG,
    },
    "dunning.level": {
        "read": INTERNAL,
        "write": CONFIG,
        "create": CONFIG,
        "unlink": CONFIG,
    },
    "dunning.batch": {
        "read": BILLING | {"auditor"},
        "write": BILLING,
        "create": BILLING,
        "unlink": CONFIG,
    },
    "dunning.batch.line": {
        "read": BILLING | {"auditor"},
        "write": BILLING,
        "create": BILLING,
        "unlink": CONFIG,
    },
    "dunning.launch.wizard": {
        "read": BILLING,
        "write": BILLING,
        "create": BILLING,
        "unlink": BILLING,
    },
    "dunning.launch.wizard.line": {
        "read": BILLING,
        "write": BILLING,
        "create": BILLING,
        "unlink": BILLING,
    },
}

# action: roles that may perform it (method ``_try_<action>`` below)
ACTION_MATRIX = {
    "configure_strategy": CONFIG,
    "launch": BILLING,
    "execute_batch": BILLING,
    "cancel_batch": BILLING,
    "delete_batch": CONFIG,
    "read_partner_status": INTERNAL,
    "open_partner_form": INTERNAL,
    "read_partner_statement": BILLING | {"auditor"},
    # core: changing a contact needs "Contact Creation"
    "change_partner_followup": BILLING - {"billing_no_contact"},
    "change_partner_trust": BILLING - {"billing_no_contact"},
}


@tagged("post_install", "-at_install")
class TestDunningAccess(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"dunning_{role}",
                groups=",".join(groups),
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
            )
            for role, groups in ROLES.items()
        }
        cls.invoice = cls._create_invoice(cls.customer, 900.0, "2026-04-27")

    def _draft_batch(self):
        selection = self._evaluate("2026-06-01").to_remind(self.level_1.id)
        return self.env["dunning.batch"]._create_from_selection(
            selection,
            {
                "strategy_id": self.strategy.id,
                "level_id": self.level_1.id,
                "date": "2026-06-01",
            },
        )

    # ------------------------------------------------------------------
    # Actions, each run as ``user``: must raise AccessError when refused
    # ------------------------------------------------------------------

    def _try_configure_strategy(self, user):
        strategy = (
            self.env["dunning.strategy"].with_user(user).create({"name": "Strict"})
        )
        strategy.level_ids = [
            Command.create(
                {
                    "name": "Call",
                    "delay": 3,
                    "create_activity": True,
                }
            )
        ]
        strategy.unlink()

    def _try_launch(self, user):
        batch = (
            self.env["dunning.launch.wizard"]
            .with_user(user)
            .create(
                {
                    "strategy_id": self.strategy.id,
                    "level_id": self.level_1.id,
                    "date": "2026-06-01",
                }
            )
            ._launch()
        )
        self.assertEqual(batch.sent_count, 1, batch.line_ids.reason)

    def _try_execute_batch(self, user):
        batch = self._draft_batch()
        batch.with_user(user).action_execute()
        self.assertEqual(batch.line_ids.state, "sent", batch.line_ids.reason)

    def _try_cancel_batch(self, user):
        batch = self._draft_batch()
        batch.with_user(user).action_cancel()
        self.assertEqual(batch.state, "cancel")

    def _try_delete_batch(self, user):
        batch = self._draft_batch()
        batch.with_user(user).unlink()

    def _try_read_partner_status(self, user):
        partner = self.customer.with_user(user).with_context(dunning_date="2026-06-01")
        self.assertEqual(partner.dunning_status, "in_need_of_action")
        self.assertEqual(partner.dunning_total_overdue, 900.0)

    def _try_open_partner_form(self, user):
        partner = self.customer.with_user(user)
        views = partner.get_views([(False, "form")])
        # the fields the web client reads: those of the arch shown to the user
        arch = etree.fromstring(views["views"]["form"]["arch"])
        fields_spec = {
            node.get("name"): {}
            for node in arch.iter("field")
            if node.get("name") in views["models"]["res.partner"]["fields"]
        }
        self.assertIn("dunning_status", fields_spec)
        partner.web_read(fields_spec)
        if user.has_group("base.group_partner_manager"):
            with Form(partner) as form:
                form.phone = "+33 1 23 45 67 89"

    def _try_read_partner_statement(self, user):
        partner = self.customer.with_user(user).with_context(dunning_date="2026-06-01")
        values = partner.web_read({"dunning_statement_line_ids": {}})[0]
        self.assertEqual(len(values["dunning_statement_line_ids"]), 1)

    def _try_change_partner_followup(self, user):
        self.customer.with_user(user).write(
            {"dunning_included": False, "dunning_next_date": "2026-07-01"}
        )

    def _try_change_partner_trust(self, user):
        self.customer.with_user(user).trust = "bad"

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------

    def test_model_access_rights(self):
        access = self.env["ir.model.access"]
        for model, operations in MODEL_MATRIX.items():
            for operation, allowed in operations.items():
                for role, user in self.users.items():
                    with self.subTest(model=model, operation=operation, role=role):
                        self.assertEqual(
                            access.with_user(user).check(
                                model, operation, raise_exception=False
                            ),
                            role in allowed,
                        )

    def test_actions(self):
        for action, allowed in ACTION_MATRIX.items():
            for role, user in self.users.items():
                with self.subTest(action=action, role=role):
                    with self.env.cr.savepoint(flush=False) as savepoint:
                        if role in allowed:
                            getattr(self, f"_try_{action}")(user)
                        else:
                            with self.assertRaises(AccessError):
                                getattr(self, f"_try_{action}")(user)
                        self.env.invalidate_all()
                        savepoint.rollback()

    def test_salesman_sees_warning_not_settings(self):
        """The follow-up sets a sales warning: the salesman reads it (and the
        status) on the contact form, without the follow-up page."""
        self.customer.dunning_sale_warning = "[2026-06-01] Payment overdue"
        salesman = self.users["salesman"]
        arch = self.customer.with_user(salesman).get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn("dunning_sale_warning_readonly", arch)
        self.assertNotIn('name="dunning_strategy_id"', arch)
        self.assertNotIn('name="dunning_statement_line_ids"', arch)
        values = self.customer.with_user(salesman).web_read(
            {"dunning_sale_warning": {}, "dunning_status": {}}
        )[0]
        self.assertEqual(values["dunning_sale_warning"], "[2026-06-01] Payment overdue")
        # billing users see the follow-up page instead of the banner
        arch = self.customer.with_user(self.users["billing"]).get_views(
            [(False, "form")]
        )["views"]["form"]["arch"]
        self.assertNotIn("dunning_sale_warning_readonly", arch)
        self.assertIn('name="dunning_strategy_id"', arch)

    def test_refused_partner_change_message(self):
        with self.assertRaisesRegex(AccessError, "Only billing users"):
            self.customer.with_user(self.users["salesman"]).dunning_included = False
        # nothing changed, other fields still editable
        self.assertTrue(self.customer.dunning_included)
        self.customer.with_user(self.users["salesman"]).phone = "0102030405"

    def test_used_configuration_cannot_be_deleted(self):
        """Deleting a level, strategy or marker that reminded customers is
        refused with a clear message (never an orphaned batch)."""
        batch = self._launch(self.level_1, "2026-06-01")
        self.assertEqual(batch.sent_count, 1)
        with self.assertRaisesRegex(
            UserError, "cannot be deleted. Archive its strategy"
        ):
            self.level_1.unlink()
        with self.assertRaisesRegex(UserError, "cannot be deleted. Archive it instead"):
            self.strategy.unlink()
        with self.assertRaisesRegex(UserError, "R1"):
            self.marker_r1.unlink()
        # archiving works and keeps the history
        self.strategy.active = False
        self.marker_r1.active = False
        self.assertEqual(batch.level_id, self.level_1)
        self.assertEqual(batch.strategy_id, self.strategy)
        # unused configuration is deleted normally
        self.level_3.marker_id = False
        self.level_3.unlink()
        unused = self.env["dunning.marker"].create({"code": "RX", "name": "Unused"})
        unused.unlink()
        self.assertFalse(unused.exists())
