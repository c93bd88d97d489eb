# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Attacks on the follow-up, each written as the attacker: a user of company
B, a salesman, a billing user... with the refusal or the result expected.

Company A (``cls.company``) and company B share the customer
``Technologies Aujourd'hui``, overdue in both. Every call goes through the
ORM with ``with_user``: the external API (JSON-RPC ``execute_kw``) goes
through the same access rights, record rules and overrides.
"""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.account_dunning.hooks import uninstall_hook

from .common import DunningCommon

BILLING = "account.group_account_invoice,base.group_partner_manager"
MANAGER = "account.group_account_manager,base.group_partner_manager"
SALESMAN = "sales_team.group_sale_salesman,base.group_partner_manager"
SECRET_PAYLOAD = (
    "{{ object.env['ir.config_parameter'].sudo().get_param('database.secret') }}"
)


@tagged("post_install", "-at_install")
class TestDunningSecurity(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Dunning Company B")["company"]
        cls.strategy_b = cls.env["dunning.strategy"].create(
            {
                "name": "Company B",
                "company_id": cls.company_b.id,
                "is_default": True,
                "level_ids": [
                    Command.create(
                        {"name": "B 1", "delay": 15, "create_activity": True}
                    )
                ],
            }
        )
        cls.customer.with_company(cls.company_b).dunning_included = True
        cls.invoice_a = cls._create_invoice(cls.customer, 900.0, "2026-04-27")
        cls.invoice_b = cls._create_invoice(
            cls.customer, 4444.0, "2026-04-27", company=cls.company_b
        )

        def user(login, groups, companies):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=companies[0].id,
                company_ids=[Command.set(companies.ids)],
            )

        cls.billing_a = user("sec_billing_a", BILLING, cls.company)
        cls.billing_a2 = user("sec_billing_a2", BILLING, cls.company)
        cls.auditor_a = user(
            "sec_auditor_a", "account.group_account_readonly", cls.company
        )
        cls.salesman_a = user("sec_salesman_a", SALESMAN, cls.company)
        cls.salesman_b = user("sec_salesman_b", SALESMAN, cls.company_b)
        cls.internal_a = user("sec_internal_a", "base.group_user", cls.company)
        cls.billing_b = user("sec_billing_b", BILLING, cls.company_b)
        cls.manager_b = user("sec_manager_b", MANAGER, cls.company_b)
        cls.manager_ab = user("sec_manager_ab", MANAGER, cls.company + cls.company_b)

    def _receivable(self, invoice):
        return invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )

    def _remind_a_with_letter(self):
        """A reminds the shared customer at its last level (email, letter and
        sales warning) as the billing user of A."""
        self.strategy.jump_to_highest = True
        batch = (
            self.env["dunning.launch.wizard"]
            .with_user(self.billing_a)
            .create(
                {
                    "strategy_id": self.strategy.id,
                    "level_id": self.level_3.id,
                    "date": "2026-06-01",
                }
            )
            ._launch()
        )
        self.assertEqual(batch.line_ids.state, "sent", batch.line_ids.reason)
        self.assertTrue(batch.line_ids.letter_attachment_id)
        self.assertTrue(batch.line_ids.mail_ids)
        return batch

    # ------------------------------------------------------------------
    # 1. Wizards belong to their user and company
    # ------------------------------------------------------------------

    def test_01_wizards_belong_to_their_user(self):
        manual = (
            self.env["dunning.manual.wizard"]
            .with_user(self.billing_a)
            .create({"partner_id": self.customer.id, "date": "2026-06-01"})
        )
        self.assertTrue(manual.line_ids)
        launch = (
            self.env["dunning.launch.wizard"]
            .with_user(self.billing_a)
            .create({"level_id": self.level_1.id, "date": "2026-06-01"})
        )
        self.assertTrue(launch.line_ids)
        dispute = (
            self.env["dunning.dispute.wizard"]
            .with_user(self.billing_a)
            .create(
                {
                    "move_ids": [Command.set(self.invoice_a.ids)],
                    "reason": "Broken screen",
                    "date_until": "2026-12-31",
                }
            )
        )
        aged = (
            self.env["dunning.aged.balance.wizard"].with_user(self.billing_a).create({})
        )
        wizards = [
            (manual, {"email_body": "<p>Pay to our NEW bank account</p>"}),
            (manual.line_ids[:1], {"excluded": True}),
            (launch, {"date": "2026-06-02"}),
            (launch.line_ids[:1], {"credit": 1.0}),
            (dispute, {"reason": "Pay to our NEW bank account"}),
            (aged, {"date": "2026-06-02"}),
        ]
        # the owner works on them
        for wizard, vals in wizards:
            wizard.with_user(self.billing_a).read(list(vals))
        # B's billing user, and another billing user of A, neither list,
        # read nor rewrite them
        for attacker in (self.billing_b, self.billing_a2):
            for wizard, vals in wizards:
                with self.subTest(attacker=attacker.login, model=wizard._name):
                    self.assertFalse(
                        wizard.with_user(attacker).search([("id", "=", wizard.id)])
                    )
                    with self.assertRaises(AccessError):
                        wizard.with_user(attacker).read(list(vals))
                    with self.assertRaises(AccessError):
                        wizard.with_user(attacker).write(vals)
        self.assertNotIn("NEW bank account", str(manual.email_body))
        self.assertEqual(dispute.reason, "Broken screen")

    # ------------------------------------------------------------------
    # 2. A wizard cannot be pointed at a company the user may not use
    # ------------------------------------------------------------------

    def test_02_wizard_company_must_be_allowed(self):
        env_b = self.env(user=self.billing_b)
        refused = "not allowed to work on the follow-up"
        with self.assertRaisesRegex(AccessError, refused):
            env_b["dunning.launch.wizard"].create(
                {
                    "company_id": self.company.id,
                    "strategy_id": self.strategy.id,
                    "level_id": self.level_1.id,
                    "date": "2026-06-01",
                }
            )
        with self.assertRaisesRegex(AccessError, refused):
            env_b["dunning.manual.wizard"].create(
                {
                    "company_id": self.company.id,
                    "partner_id": self.customer.id,
                    "date": "2026-06-01",
                }
            )
        # nor moved there afterwards
        manual = env_b["dunning.manual.wizard"].create(
            {"partner_id": self.customer.id, "date": "2026-06-01"}
        )
        self.assertEqual(manual.line_ids.move_line_id, self._receivable(self.invoice_b))
        with self.assertRaises(AccessError):
            manual.write({"company_id": self.company.id})
        # the engine itself refuses the company
        with self.assertRaises(AccessError):
            env_b["dunning.engine"]._evaluate(date="2026-06-01", company=self.company)

    # ------------------------------------------------------------------
    # 3. Records cannot be moved into another company
    # ------------------------------------------------------------------

    def test_03_records_stay_in_their_company(self):
        env_b = self.env(user=self.billing_b)
        promise = env_b["dunning.promise"].create(
            {"partner_id": self.customer.id, "amount": 10.0, "date": "2099-01-01"}
        )
        self.assertEqual(promise.company_id, self.company_b)
        with self.assertRaises(UserError):
            promise.write({"company_id": self.company.id})
        with self.assertRaises(AccessError):
            env_b["dunning.promise"].create(
                {
                    "partner_id": self.customer.id,
                    "amount": 10.0,
                    "date": "2099-01-01",
                    "company_id": self.company.id,
                }
            )
        self.assertFalse(self.customer.with_company(self.company).dunning_promised)
        # a batch of B and its line stay in B; a line cannot join A's batch
        batch_b = env_b["dunning.batch"].create({"date": "2026-06-01"})
        with self.assertRaises(AccessError):
            batch_b.write({"company_id": self.company.id})
        with self.assertRaises(AccessError):
            env_b["dunning.batch"].create(
                {"date": "2026-06-01", "company_id": self.company.id}
            )
        batch_a = self.env["dunning.batch"].create({"date": "2026-06-01"})
        line = self.env["dunning.batch.line"].create(
            {"batch_id": batch_b.id, "partner_id": self.customer.id}
        )
        with self.assertRaises(AccessError):
            line.with_user(self.billing_b).write({"batch_id": batch_a.id})
        # B's manager cannot make his strategy A's default
        strategy_b = self.strategy_b.with_user(self.manager_b)
        with self.assertRaises(AccessError):
            strategy_b.write({"company_id": self.company.id, "is_default": True})
        with self.assertRaises(AccessError):
            self.env["dunning.strategy"].with_user(self.manager_b).create(
                {"name": "Mine", "company_id": self.company.id, "is_default": True}
            )
        self.assertEqual(
            self.env["dunning.strategy"].search(
                [("company_id", "=", self.company.id), ("is_default", "=", True)]
            ),
            self.strategy,
        )
        # a manager of both companies cannot move a strategy with levels
        with self.assertRaisesRegex(UserError, "cannot be moved to another company"):
            self.strategy_b.with_user(self.manager_ab).write(
                {"company_id": self.company.id}
            )
        # nor a marker away from the levels using it
        self.marker_r1.company_id = self.company
        with self.assertRaises(ValidationError):
            self.marker_r1.company_id = self.company_b

    # ------------------------------------------------------------------
    # 4. The letter file name is not code
    # ------------------------------------------------------------------

    def test_04_letter_filename_is_not_code(self):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        manager = self.env.user  # accounting manager
        with (
            self.assertRaisesRegex(ValidationError, "plain pattern"),
            self.env.cr.savepoint(),
        ):
            self.level_2.with_user(manager).letter_filename = SECRET_PAYLOAD
        # a payload stored before (or by SQL) is never evaluated
        self.env.cr.execute(
            SQL(
                "UPDATE dunning_level SET letter_filename = %s WHERE id = %s",
                f"R-{SECRET_PAYLOAD}",
                self.level_2.id,
            )
        )
        self.level_2.invalidate_recordset(["letter_filename"])
        name = self.level_2._render_letter_filename(self.customer)
        self.assertNotIn(secret, name)
        self.assertTrue(name.startswith("R-{{ object.env"), name)
        # the placeholders give the customer's values
        self.customer.ref = "C042"
        self.level_2.letter_filename = "{marker}-{ref}-{customer}"
        self.assertEqual(
            self.level_2._render_letter_filename(self.customer),
            "R2-C042-Technologies Aujourd'hui.pdf",
        )

    # ------------------------------------------------------------------
    # 5. A company's sales warning stays in that company
    # ------------------------------------------------------------------

    def test_05_sale_warning_per_company(self):
        self._remind_a_with_letter()
        partner_a = self.customer.with_company(self.company)
        partner_b = self.customer.with_company(self.company_b)
        self.assertIn("Payment overdue by 20 days", partner_a.dunning_sale_warning)
        self.assertEqual(partner_a.dunning_sale_warning_level_id, self.level_3)
        self.assertFalse(partner_b.dunning_sale_warning)
        self.assertFalse(
            partner_b.with_user(self.billing_b).read(["dunning_sale_warning"])[0][
                "dunning_sale_warning"
            ]
        )
        self.assertEqual(self.customer.sale_warn, "no-message")
        self.assertFalse(self.customer.sale_warn_msg)
        # still overdue: kept; paid: cleared by the daily check
        Partner = self.env["res.partner"]
        self.assertFalse(Partner._dunning_clear_sale_warnings(self.company))
        self._pay(self.invoice_a, date="2026-06-02")
        Partner._cron_dunning_clear_sale_warnings()
        self.assertFalse(partner_a.dunning_sale_warning)
        self.assertFalse(partner_a.dunning_sale_warning_level_id)

    def _quotation_form(self, user, partner, popup=True):
        """A new quotation of ``user``'s company, the customer chosen in the
        form. Returns the form and the text of the partner onchange's popup
        (checks there is one if ``popup``, else that there is none)."""
        logger = "odoo.tests.form.onchange"
        if popup:
            expect_popup = self.assertLogs(logger, "WARNING")
        else:
            expect_popup = self.assertNoLogs(logger, "WARNING")
        with expect_popup as logs:
            form = Form(self.env["sale.order"].with_user(user))
            form.partner_id = partner
        return form, "\n".join(logs.output) if popup else ""

    def test_05_sale_warning_on_quotations_of_the_company(self):
        self._remind_a_with_letter()
        warning = self.customer.with_company(self.company).dunning_sale_warning
        self.assertIn("Payment overdue by 20 days", warning)
        # A's salesman: a popup when choosing the customer (or one of its
        # contacts) and a banner on the quotation
        for partner in (self.customer, self.customer_contact):
            form, popup = self._quotation_form(self.salesman_a, partner)
            self.assertIn("Follow-up warning for Technologies Aujourd'hui", popup)
            self.assertIn(warning, popup)
            self.assertEqual(form.dunning_sale_warning, warning)
        order_a = form.save()
        self.assertEqual(order_a.company_id, self.company)
        self.assertEqual(order_a.dunning_sale_warning, warning)
        # it only informs: the quotation is confirmed
        order_a.with_user(self.salesman_a).action_confirm()
        self.assertEqual(order_a.state, "sale")
        # B's salesman: nothing on B's quotation of the shared customer
        form, _popup = self._quotation_form(self.salesman_b, self.customer, False)
        self.assertFalse(form.dunning_sale_warning)
        order_b = form.save()
        self.assertEqual(order_b.company_id, self.company_b)
        self.assertFalse(order_b.dunning_sale_warning)
        # ... and cannot read A's, through A's order or the customer
        with self.assertRaises(AccessError):
            order_a.with_user(self.salesman_b).read(["dunning_sale_warning"])
        with self.assertRaises(AccessError):
            self.customer.with_user(self.salesman_b).with_company(self.company).read(
                ["dunning_sale_warning"]
            )
        # paid, then the daily check: A's quotations show nothing any more
        self._pay(self.invoice_a, date="2026-06-02")
        self.env["res.partner"]._cron_dunning_clear_sale_warnings()
        self.assertFalse(order_a.dunning_sale_warning)
        form, _popup = self._quotation_form(self.salesman_a, self.customer, False)
        self.assertFalse(form.dunning_sale_warning)

    def test_05_sale_warning_next_to_the_customer_sales_warning(self):
        """The customer's own sales warning (Odoo's ``sale_warn``) is kept
        as it is and shown with the follow-up's."""
        self.customer.write(
            {"sale_warn": "warning", "sale_warn_msg": "Ask for a deposit"}
        )
        self._remind_a_with_letter()
        warning = self.customer.with_company(self.company).dunning_sale_warning
        form, popup = self._quotation_form(self.salesman_a, self.customer)
        self.assertIn("Warning for Technologies Aujourd'hui", popup)
        self.assertIn("Ask for a deposit", popup)
        self.assertIn(f"Follow-up warning: {warning}", popup)
        self.assertEqual(form.dunning_sale_warning, warning)
        # a blocked customer stays blocked, with both messages
        self.customer.sale_warn = "block"
        order = (
            self.env["sale.order"]
            .with_user(self.salesman_a)
            .new({"partner_id": self.customer.id})
        )
        result = order._onchange_partner_id_warning()
        self.assertFalse(order.partner_id)
        self.assertIn("Ask for a deposit", result["warning"]["message"])
        self.assertIn(warning, result["warning"]["message"])
        self.assertRecordValues(
            self.customer,
            [{"sale_warn": "block", "sale_warn_msg": "Ask for a deposit"}],
        )

    # ------------------------------------------------------------------
    # 6. Letters and reminder emails: billing users of the company only
    # ------------------------------------------------------------------

    def test_06_reminders_seen_by_billing_users_of_the_company(self):
        batch = self._remind_a_with_letter().sudo()
        line = batch.line_ids
        letter = line.letter_attachment_id
        messages = line.message_ids
        email_attachments = line.mail_ids.attachment_ids
        self.assertEqual(email_attachments, letter)
        self.assertTrue(messages)
        self.assertEqual((letter.res_model, letter.res_id), (line._name, line.id))
        domain = [("model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        for reader in (self.billing_a, self.auditor_a):
            found = self.env["mail.message"].with_user(reader).search(domain)
            self.assertLessEqual(messages, found, reader.login)
            messages.with_user(reader).read(["body"])
            self.assertTrue(letter.with_user(reader).read(["datas"])[0]["datas"])
        for attacker in (self.salesman_a, self.internal_a, self.billing_b):
            with self.subTest(attacker=attacker.login):
                found = self.env["mail.message"].with_user(attacker).search(domain)
                self.assertFalse(messages & found)
                with self.assertRaises(AccessError):
                    messages.with_user(attacker).read(["body"])
                with self.assertRaises(AccessError):
                    letter.with_user(attacker).read(["datas"])
                self.assertFalse(
                    self.env["ir.attachment"]
                    .with_user(attacker)
                    .search([("id", "in", email_attachments.ids)])
                )
        # the customer's other messages stay visible to the salesman
        note = self.customer.message_post(body="Called the customer")
        self.assertIn(
            note, self.env["mail.message"].with_user(self.salesman_a).search(domain)
        )

    # ------------------------------------------------------------------
    # 7. The follow-up history is append-only
    # ------------------------------------------------------------------

    def test_07_history_is_append_only(self):
        batch = self._remind_a_with_letter().with_user(self.billing_a)
        line = batch.line_ids
        for vals in (
            {"state": "skipped"},
            {"debit": 0.0},
            {"reason": "nothing"},
            {"item_ids": [Command.clear()]},
            {"channels": "manual"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                line.write(vals)
        for vals in (
            {"state": "draft"},
            {"user_id": self.billing_a2.id},
            {"date": "2020-01-01"},
            {"name": "Renamed"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                batch.write(vals)
        self.assertRecordValues(line, [{"state": "sent", "debit": 900.0}])
        self.assertRecordValues(
            batch, [{"state": "done", "user_id": self.billing_a.id}]
        )
        # no forged line in a draft batch, no line added to a done one
        draft = (
            self.env["dunning.batch"]
            .with_user(self.billing_a)
            .create({"date": "2026-06-01"})
        )
        with self.assertRaises(AccessError):
            self.env["dunning.batch.line"].with_user(self.billing_a).create(
                {
                    "batch_id": draft.id,
                    "partner_id": self.customer.id,
                    "state": "sent",
                    "debit": 999999.0,
                }
            )
        with self.assertRaises(AccessError):
            self.env["dunning.batch.line"].with_user(self.billing_a).create(
                {"batch_id": batch.id, "partner_id": self.customer.id}
            )
        # a manager neither deletes an executed batch nor its lines
        with self.assertRaises(UserError):
            batch.with_user(self.env.user).unlink()
        with self.assertRaises(AccessError):
            line.with_user(self.env.user).unlink()
        # cancelling a draft batch leaves a trace in its chatter
        draft.action_cancel()
        self.assertEqual(draft.state, "cancel")
        note = draft.message_ids.filtered(lambda m: "cancelled by" in str(m.body))
        self.assertEqual(note.author_id, self.billing_a.partner_id)
        self.assertIn(self.billing_a.name, str(note.body))

    # ------------------------------------------------------------------
    # 8. Bounds on dates and delays
    # ------------------------------------------------------------------

    def test_08_dates_and_delays_are_bounded(self):
        Wizard = self.env["dunning.launch.wizard"].with_user(self.billing_a)
        for date in ("9999-12-31", "2066-01-01", "0001-01-01"):
            with (
                self.subTest(date=date),
                self.assertRaisesRegex(UserError, "out of range"),
            ):
                Wizard.create({"level_id": self.level_1.id, "date": date})
        with self.assertRaisesRegex(UserError, "out of range"):
            self.env["dunning.batch"].create({"date": "2066-01-01"})
        for delay in (1000000000, -4000):
            with (
                self.subTest(delay=delay),
                self.assertRaisesRegex(ValidationError, "between -3650 and 3650"),
                self.env.cr.savepoint(),
            ):
                self.level_3.delay = delay
        self.level_3.delay = 3650
        # the lower levels still remind
        batch = self._launch(self.level_1, "2026-06-01")
        self.assertEqual(batch.line_ids.state, "sent", batch.line_ids.reason)

    # ------------------------------------------------------------------
    # 9. Follow-up settings protected on create too; internal fields never
    # ------------------------------------------------------------------

    def test_09_partner_settings_protected_on_create(self):
        Partner = self.env["res.partner"].with_user(self.salesman_a)
        for vals in (
            {"trust": "bad"},
            {"dunning_included": True},
            {"dunning_next_date": "2099-01-01"},
            {"dunning_last_level_id": self.level_3.id},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaises(AccessError),
                self.env.cr.savepoint(),
            ):
                Partner.create({"name": "Forged", **vals})
        # nor through default_* context keys
        with self.assertRaises(AccessError):
            Partner.with_context(default_dunning_next_date="2099-01-01").create(
                {"name": "Forged"}
            )
        # a plain customer is created as usual
        self.assertTrue(Partner.create({"name": "Plain", "is_company": True}))
        # the history of a customer is not writable, even by billing users
        for user in (self.salesman_a, self.billing_a, self.env.user):
            for fname, value in (
                ("dunning_last_level_id", self.level_3.id),
                ("dunning_marker_id", self.marker_r3.id),
            ):
                with (
                    self.subTest(user=user.login, field=fname),
                    self.assertRaisesRegex(AccessError, "written by the reminders"),
                ):
                    self.customer.with_user(user).write({fname: value})
        # billing users still create customers with follow-up settings
        self.env["res.partner"].with_user(self.billing_a).create(
            {"name": "Billing", "trust": "bad", "dunning_included": True}
        )

    # ------------------------------------------------------------------
    # 10. Small leaks and dead ends
    # ------------------------------------------------------------------

    def test_10_small_leaks(self):
        partner = self.customer.with_context(dunning_date="2026-06-01")
        # the salesman does not get the ids of the statement
        with self.assertRaises(AccessError):
            partner.with_user(self.salesman_a).action_dunning_explain()
        action = partner.with_user(self.billing_a).action_dunning_explain()
        self.assertEqual(action["domain"][0][2], self._receivable(self.invoice_a).ids)
        # the read-only auditor prints the letters of a batch
        batch = self._remind_a_with_letter()
        action = batch.with_user(self.auditor_a).action_print_letters()
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        attachment = (
            self.env["ir.attachment"].with_user(self.auditor_a).browse(attachment_id)
        )
        self.assertEqual(attachment.res_model, "dunning.batch")
        self.assertTrue(attachment.raw)
        # a batch line holds journal items of its company only
        draft = self.env["dunning.batch"].create({"date": "2026-06-01"})
        with self.assertRaisesRegex(ValidationError, "another company"):
            self.env["dunning.batch.line"].create(
                {
                    "batch_id": draft.id,
                    "partner_id": self.customer.id,
                    "item_ids": [Command.set(self._receivable(self.invoice_b).ids)],
                }
            )

    # ------------------------------------------------------------------
    # 11. Uninstall leaves nothing that acts
    # ------------------------------------------------------------------

    def test_11_uninstall_cancels_unsent_reminders(self):
        batch = self._remind_a_with_letter()
        mails = batch.line_ids.mail_ids
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})
        mail_ids = mails.ids
        letter = batch.line_ids.letter_attachment_id
        # a warning that a former version wrote into Odoo's sale_warn
        other = self.env["res.partner"].create({"name": "Legacy warning"})
        other.with_company(self.company_b).sudo().dunning_sale_warning = "Stop B"
        other.sale_warn, other.sale_warn_msg = "warning", "Stop B"
        own = self.env["res.partner"].create(
            {"name": "Own warning", "sale_warn": "warning", "sale_warn_msg": "Mine"}
        )
        self.env.flush_all()
        uninstall_hook(self.env)
        self.env.invalidate_all()
        rows = self.env.execute_query(
            SQL("SELECT state FROM mail_mail WHERE id = ANY(%s)", mail_ids)
        )
        self.assertEqual({state for (state,) in rows}, {"cancel"})
        self.assertFalse(
            self.env["mail.mail"]
            .sudo()
            .search([("id", "in", mail_ids), ("state", "=", "outgoing")])
        )
        # the letter sent stays with the customer
        self.assertEqual(
            (letter.sudo().res_model, letter.sudo().res_id),
            ("res.partner", self.customer.id),
        )
        self.assertEqual((other.sale_warn, other.sale_warn_msg), ("no-message", False))
        self.assertEqual((own.sale_warn, own.sale_warn_msg), ("warning", "Mine"))
