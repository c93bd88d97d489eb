# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from io import BytesIO

from pypdf import PdfReader

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, freeze_time, new_test_user, tagged

from .common import DunningCommon, load_french


@freeze_time("2026-06-01")
@tagged("post_install", "-at_install")
class TestDunningManual(DunningCommon):
    """Manual follow-up of one customer, payment promises, disputes and the
    bulk "Process follow-ups" action, as of 2026-06-01."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.dunning_responsible_id = cls.env.user
        cls.customer_contact.mobile = "+33612345678"
        # 35 and 12 days overdue (level 1 due on both), and one not due yet
        cls.invoice_a = cls._create_invoice(
            cls.customer, 900.0, "2026-04-27", invoice_date="2026-03-28"
        )
        cls.invoice_b = cls._create_invoice(
            cls.customer, 300.0, "2026-05-20", invoice_date="2026-04-20"
        )
        cls.invoice_c = cls._create_invoice(
            cls.customer, 500.0, "2026-06-20", invoice_date="2026-05-21"
        )
        cls.consulting = cls._create_customer("Consulting Company France")
        cls.invoice_consulting = cls._create_invoice(
            cls.consulting, 3000.0, "2026-04-27", invoice_date="2026-03-28"
        )

    def _receivable(self, invoice):
        return invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )

    def _open(self, partner):
        action = partner.action_dunning_manual()
        self.assertEqual(action["res_model"], "dunning.manual.wizard")
        return self.env["dunning.manual.wizard"].browse(action["res_id"])

    def _level_1_sends_sms(self):
        self.level_1.write(
            {
                "send_sms": True,
                "sms_template_id": self.env["sms.template"]
                .create(
                    {
                        "name": "Reminder",
                        "model_id": self.env.ref("base.model_res_partner").id,
                        "body": "Please pay {{ object.name }}",
                    }
                )
                .id,
            }
        )

    def _status(self, partner):
        self.env.invalidate_all()
        return partner.dunning_status

    # ------------------------------------------------------------------
    # Manual follow-up screen
    # ------------------------------------------------------------------

    def test_screen_shows_all_unpaid_invoices(self):
        wizard = self._open(self.customer)
        self.assertRecordValues(
            wizard.line_ids,
            [
                {
                    "move_id": self.invoice_a.id,
                    "days_overdue": 35,
                    "residual": 900.0,
                    "is_due": True,
                    "level_due_id": self.level_1.id,
                    "excluded": False,
                },
                {
                    "move_id": self.invoice_b.id,
                    "days_overdue": 12,
                    "residual": 300.0,
                    "is_due": True,
                    "level_due_id": self.level_1.id,
                    "excluded": False,
                },
                {
                    "move_id": self.invoice_c.id,
                    "days_overdue": -19,
                    "residual": 500.0,
                    "is_due": False,
                    "level_due_id": False,
                    "excluded": True,
                },
            ],
        )
        self.assertRecordValues(
            wizard,
            [
                {
                    "total_due": 1700.0,
                    "total_overdue": 1200.0,
                    "total_selected": 1200.0,
                    "level_id": self.level_1.id,
                    "recipient_id": self.customer_contact.id,
                    "dunning_status": "in_need_of_action",
                }
            ],
        )
        self.assertEqual(wizard.email_subject and bool(wizard.email_subject), True)
        self.assertIn(self.invoice_a.name, wizard.email_body)
        self.assertIn(self.invoice_b.name, wizard.email_body)
        # trust is editable from the screen
        with Form(wizard) as form:
            form.trust = "bad"
        self.assertEqual(self.customer.trust, "bad")

    def test_excluded_toggle_leaves_invoice_out_of_the_next_send(self):
        wizard = self._open(self.customer)
        with Form(wizard) as form:
            with form.line_ids.edit(1) as line:
                line.excluded = True
            # the preview follows the selection, and stays editable
            self.assertIn(self.invoice_a.name, form.email_body)
            self.assertNotIn(self.invoice_b.name, form.email_body)
            self.assertEqual(form.total_selected, 900.0)
            form.email_subject = "Unpaid invoice INV A"
        wizard.action_send_email()
        self.assertRecordValues(
            self._receivable(self.invoice_a) | self._receivable(self.invoice_b),
            [
                {
                    "dunning_level_id": self.level_1.id,
                    "dunning_date": fields.Date.to_date("2026-06-01"),
                },
                {"dunning_level_id": False, "dunning_date": False},
            ],
        )
        mail = self._mails(self.customer)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.subject, "Unpaid invoice INV A")
        self.assertIn(self.invoice_a.name, mail.body_html)
        self.assertNotIn(self.invoice_b.name, mail.body_html)
        batch = wizard.batch_ids
        self.assertRecordValues(
            batch,
            [{"origin": "manual", "state": "done", "sent_count": 1, "level_id": False}],
        )
        self.assertRecordValues(
            batch.line_ids, [{"state": "sent", "channels": "email", "debit": 900.0}]
        )
        # the invoice's chatter documents the reminder
        self.assertIn("Follow-up Delay 1", self.invoice_a.message_ids[0].body)
        # a second send from the same screen is refused: nothing twice
        with self.assertRaisesRegex(UserError, "already sent"):
            wizard.action_send_email()
        # the excluded invoice is still due: next manual follow-up offers it
        wizard = self._open(self.customer)
        self.assertEqual(wizard._get_selected_lines().move_id, self.invoice_b)

    def test_no_followup_toggle_is_permanent(self):
        wizard = self._open(self.customer)
        with Form(wizard) as form:
            with form.line_ids.edit(0) as line:
                line.no_followup = True
        self.assertTrue(self._receivable(self.invoice_a).dunning_excluded)
        wizard = self._open(self.customer)
        self.assertEqual(wizard._get_selected_lines().move_id, self.invoice_b)
        self.assertEqual(wizard.line_ids[0].reason, "Item flagged no follow-up")

    def test_send_sms_with_edited_text(self):
        self._level_1_sends_sms()
        wizard = self._open(self.customer)
        self.assertEqual(wizard.sms_body, "Please pay Technologies Aujourd'hui")
        with Form(wizard) as form:
            form.sms_body = "Please pay 1,200.00 by Friday"
        wizard.action_send_sms()
        sms = self.env["sms.sms"].search(
            [("partner_id", "=", self.customer_contact.id)]
        )
        # the edited text gets the short link to the customer's page, like
        # the level's SMS
        url = self.customer._dunning_portal_url(self.company, short=True)
        self.assertIn("/d/", url)
        self.assertEqual(sms.body, f"Please pay 1,200.00 by Friday {url}")
        self.assertEqual(sms.number, "+33612345678")
        self.assertEqual(wizard.batch_ids.line_ids.channels, "sms")
        self.assertFalse(self._mails(self.customer))

    def test_edited_sms_keeps_its_link_or_has_none_without_page(self):
        self._level_1_sends_sms()
        url = self.customer._dunning_portal_url(self.company, short=True)
        wizard = self._open(self.customer)
        wizard.sms_body = f"Pay here {url} before Friday"
        wizard.action_send_sms()
        self.assertEqual(
            self.env["sms.sms"]
            .search([("partner_id", "=", self.customer_contact.id)])
            .body,
            f"Pay here {url} before Friday",
        )
        # no follow-up page: no link
        self.company.dunning_portal_enabled = False
        self.consulting.mobile = "+33611111111"
        wizard = self._open(self.consulting)
        wizard.sms_body = "Please pay by Friday"
        wizard.action_send_sms()
        self.assertEqual(
            self.env["sms.sms"].search([("partner_id", "=", self.consulting.id)]).body,
            "Please pay by Friday",
        )

    def test_email_written_by_hand_when_level_has_no_template(self):
        self.level_1.write(
            {"send_email": False, "mail_template_id": False, "print_letter": True}
        )
        wizard = self._open(self.customer)
        self.assertFalse(wizard.email_body)
        with self.assertRaisesRegex(UserError, "Write the email first"):
            wizard.action_send_email()
        with Form(wizard) as form:
            form.email_subject = "Your account"
            form.email_body = "<p>Please pay what you owe.</p>"
        wizard.action_send_email()
        mail = self._mails(self.customer)
        self.assertEqual(mail.subject, "Your account")
        self.assertIn("Please pay what you owe.", mail.body_html)
        self.assertEqual(mail.recipient_ids, self.customer_contact)

    def test_print_letter(self):
        wizard = self._open(self.customer)
        action = wizard.action_print_letter()
        line = wizard.batch_ids.line_ids
        self.assertRecordValues(
            line, [{"state": "sent", "channels": "letter", "level_id": self.level_1.id}]
        )
        self.assertTrue(line.letter_attachment_id)
        # the screen is refreshed, and offers the letter to download
        self.assertEqual(action["res_id"], wizard.id)
        action = wizard.action_download_letter()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn(f"/web/content/{line.letter_attachment_id.id}", action["url"])
        self.assertFalse(self._mails(self.customer))
        # the chatter of the customer documents the reminder
        self.assertIn("by letter", self.customer.message_ids[0].body)

    def test_preview_letter_is_the_letter_of_the_customer(self):
        wizard = self._open(self.customer)
        # (tests render HTML unless forced: the user gets the PDF)
        preview = wizard.with_context(
            force_report_rendering=True
        ).action_preview_letter()
        self.assertEqual(preview["type"], "ir.actions.act_url")
        attachment_id = int(preview["url"].split("/web/content/")[1].split("?")[0])
        pdf = self.env["ir.attachment"].browse(attachment_id).raw
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
        self.assertIn("Technologies Aujourd", text)
        self.assertIn(self.invoice_a.name, text)
        self.assertIn(self.invoice_b.name, text)
        self.assertNotIn(self.invoice_c.name, text)
        # nothing recorded
        self.assertFalse(wizard.batch_ids)
        self.assertFalse(self._receivable(self.invoice_a).dunning_level_id)

    def test_send_several_channels_together_records_one_reminder(self):
        self._level_1_sends_sms()
        wizard = self._open(self.customer)
        # defaults from the level due
        self.assertRecordValues(
            wizard,
            [
                {
                    "send_email": True,
                    "print_letter": False,
                    "send_post": False,
                    "send_sms": True,
                }
            ],
        )
        with Form(wizard) as form:
            form.print_letter = True
        action = wizard.action_send()
        # the screen reopens, with the letter to download
        self.assertEqual(action["res_model"], "dunning.manual.wizard")
        self.assertEqual(action["res_id"], wizard.id)
        line = wizard.batch_ids.line_ids
        self.assertEqual(len(wizard.batch_ids), 1)
        self.assertRecordValues(
            line,
            [
                {
                    "state": "sent",
                    "channels": "email, letter, sms",
                    "level_id": self.level_1.id,
                }
            ],
        )
        self.assertEqual(wizard.letter_attachment_id, line.letter_attachment_id)
        self.assertIn(
            f"/web/content/{line.letter_attachment_id.id}",
            wizard.action_download_letter()["url"],
        )
        self.assertEqual(len(self._mails(self.customer)), 1)
        self.assertEqual(
            self.env["sms.sms"].search_count(
                [("partner_id", "=", self.customer_contact.id)]
            ),
            1,
        )
        with self.assertRaisesRegex(UserError, "already sent"):
            wizard.action_send()
        other = self._open(self.consulting)
        other.send_email = other.send_sms = False
        with self.assertRaisesRegex(UserError, "Tick at least one channel"):
            other.action_send()

    def test_french_customer_gets_french_file_and_channel_names(self):
        load_french(self.env)
        (self.customer | self.customer_contact).lang = "fr_FR"
        wizard = self._open(self.customer)
        with Form(wizard) as form:
            form.print_letter = True
        wizard.action_send()
        line = wizard.batch_ids.line_ids
        self.assertEqual(
            line.letter_attachment_id.name, "Relance-Technologies Aujourd'hui.pdf"
        )
        self.assertEqual(line.channels, "email, letter")
        self.assertEqual(line.channels_label, "email, letter")
        self.assertEqual(
            line.with_context(lang="fr_FR").channels_label, "e-mail, courrier"
        )

    def test_post_by_accountant_needs_no_iap_rights(self):
        if "snailmail.letter" not in self.env:
            self.skipTest("snailmail not installed")
        self.customer.write(
            {
                "street": "15 rue de la République",
                "zip": "69002",
                "city": "Lyon",
                "country_id": self.env.ref("base.fr").id,
            }
        )
        self.env["iap.account"].search([("service_name", "=", "snailmail")]).unlink()
        wizard = self._open(self.customer)
        with Form(wizard) as form:
            form.send_email = False
            form.send_post = True
        # no IAP account: a clear message, nothing recorded
        with self.assertRaisesRegex(UserError, "IAP account"):
            wizard.action_send()
        self.assertFalse(self._receivable(self.invoice_a).dunning_level_id)
        self.env["iap.account"].create(
            {
                "service_id": self.env["iap.service"]
                .search([("technical_name", "=", "snailmail")], limit=1)
                .id,
                "account_token": "dunning-test-token",
            }
        )
        # an accountant who may send reminders, without any IAP right
        billing = new_test_user(
            self.env,
            login="dunning_poster",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        wizard = self._open(self.customer.with_user(billing)).with_user(billing)
        with Form(wizard) as form:
            form.send_email = False
            form.send_post = True
        wizard.action_send()
        self.assertRecordValues(
            wizard.batch_ids.line_ids, [{"state": "sent", "channels": "post"}]
        )
        letter = (
            self.env["snailmail.letter"]
            .sudo()
            .search([("partner_id", "=", self.customer.id)])
        )
        self.assertRecordValues(letter, [{"state": "pending"}])

    def test_manual_reminder_of_an_already_reminded_customer(self):
        self._open(self.customer).action_send_email()
        wizard = self._open(self.customer)
        # reminded today: nothing due by the rules, the invoices start excluded
        self.assertEqual(wizard.line_ids.mapped("excluded"), [True, True, True])
        self.assertFalse(wizard.send_warning)
        with Form(wizard) as form:
            with form.line_ids.edit(0) as line:
                line.excluded = False
            # the last level sent is offered; another one may be chosen
            self.assertEqual(form.level_id, self.level_1)
            form.level_id = self.level_2
            self.assertTrue(form.print_letter)
        self.assertIn("spacing", wizard.send_warning)
        with self.assertRaisesRegex(UserError, "Send anyway"):
            wizard.action_send()
        self.assertEqual(len(self._mails(self.customer)), 1)
        wizard.confirm_send = True
        wizard.action_send()
        self.assertRecordValues(
            wizard.batch_ids.line_ids,
            [
                {
                    "state": "sent",
                    "level_id": self.level_2.id,
                    "channels": "email, letter",
                }
            ],
        )
        self.assertEqual(
            self._receivable(self.invoice_a).dunning_level_id, self.level_2
        )
        self.assertEqual(
            self._receivable(self.invoice_b).dunning_level_id, self.level_1
        )
        self.assertEqual(len(self._mails(self.customer)), 2)

    def test_not_yet_due_invoice_can_be_included(self):
        wizard = self._open(self.customer)
        with Form(wizard) as form:
            with form.line_ids.edit(2) as line:
                line.excluded = False
            self.assertEqual(form.total_selected, 1700.0)
        self.assertIn("not due yet", wizard.send_warning)
        wizard.confirm_send = True
        wizard.action_send()
        self.assertEqual(
            wizard.batch_ids.line_ids.item_ids,
            (self.invoice_a | self.invoice_b | self.invoice_c).line_ids.filtered(
                lambda ln: ln.account_id.account_type == "asset_receivable"
            ),
        )
        self.assertIn(self.invoice_c.name, self._mails(self.customer).body_html)

    def test_unreconciled_bank_receipt_means_check_payments_first(self):
        bank = self.company_data["default_journal_bank"]
        launch = self.env["dunning.launch.wizard"].create(
            {"strategy_id": self.strategy.id, "level_id": self.level_1.id}
        )
        # a bank journal never fed with statements is not watched
        self.assertFalse(launch.bank_statement_warning)
        self.env["account.bank.statement.line"].create(
            {
                "journal_id": bank.id,
                "date": "2026-05-30",
                "amount": 1200.0,
                "partner_id": self.customer.id,
                "payment_ref": "VIR TECHNOLOGIES AUJOURD HUI",
            }
        )
        res = self._evaluate("2026-06-01", self.customer).partners[self.customer.id]
        self.assertEqual((res.reason, res.credit), ("check_payments", 1200.0))
        self.assertTrue(self._open(self.customer).check_payments)
        launch = self.env["dunning.launch.wizard"].create(
            {"strategy_id": self.strategy.id, "level_id": self.level_1.id}
        )
        self.assertEqual(launch.line_ids.partner_id, self.consulting)
        # the last statement line is 2 days old: no warning (3 days allowed)
        self.assertFalse(launch.bank_statement_warning)
        self.company.dunning_statement_max_age = 1
        launch.invalidate_recordset(["bank_statement_warning"])
        self.assertIn(bank.display_name, launch.bank_statement_warning)

    def test_spacing_and_remind_later_are_told_apart(self):
        self._open(self.customer).action_send_email()
        # the next reminder date set by the reminder: the spacing of levels
        self.assertEqual(str(self.customer.dunning_next_date), "2026-06-06")
        res = self._evaluate("2026-06-03", self.customer).partners[self.customer.id]
        self.assertEqual(res.reason, "spacing")
        # a date chosen by the accountant: remind me later
        wizard = self._open(self.customer)
        wizard.next_date = "2026-06-20"
        wizard.action_remind_later()
        res = self._evaluate("2026-06-03", self.customer).partners[self.customer.id]
        self.assertEqual(res.reason, "remind_later")

    def test_launch_date_in_the_future_is_refused(self):
        with self.assertRaisesRegex(UserError, "in the future"):
            self.env["dunning.launch.wizard"].create(
                {
                    "strategy_id": self.strategy.id,
                    "level_id": self.level_1.id,
                    "date": "2026-06-02",
                }
            )

    def test_check_payments_first_customer(self):
        # a payment of 1,500 received but not applied covers the 1,200 overdue
        self._pay(self.invoice_c, amount=1500.0, date="2026-05-25")
        self._receivable(self.invoice_c).remove_move_reconcile()
        wizard = self._open(self.customer)
        self.assertTrue(wizard.check_payments)
        self.assertIn("check the payments", wizard.send_warning)
        # Done and Remind me later work, without reminding
        action = wizard.action_done()
        self.assertEqual(
            self.env["dunning.manual.wizard"].browse(action["res_id"]).partner_id,
            self.consulting,
        )
        self.assertFalse(self._receivable(self.invoice_a).dunning_level_id)
        wizard = self._open(self.customer)
        wizard.next_date = "2026-06-10"
        wizard.action_remind_later()
        self.assertEqual(str(self.customer.dunning_next_date), "2026-06-10")
        # sending needs an explicit confirmation
        wizard = self._open(self.customer)
        with self.assertRaisesRegex(UserError, "Send anyway"):
            wizard.action_send()
        wizard.confirm_send = True
        wizard.action_send()
        self.assertRecordValues(wizard.batch_ids.line_ids, [{"state": "sent"}])
        self.assertEqual(
            self._receivable(self.invoice_a).dunning_level_id, self.level_1
        )

    def test_done_records_and_opens_next_customer(self):
        wizard = self._open(self.customer)
        action = wizard.action_done()
        self.assertEqual(action["res_model"], "dunning.manual.wizard")
        next_wizard = self.env["dunning.manual.wizard"].browse(action["res_id"])
        self.assertEqual(next_wizard.partner_id, self.consulting)
        # the reminder was recorded without sending anything
        self.assertEqual(
            (
                self._receivable(self.invoice_a) | self._receivable(self.invoice_b)
            ).mapped("dunning_level_id"),
            self.level_1,
        )
        self.assertFalse(self._receivable(self.invoice_c).dunning_level_id)
        self.assertFalse(self._mails(self.customer))
        self.assertEqual(wizard.batch_ids.line_ids.channels, "manual")
        self.assertEqual(str(self.customer.dunning_next_date), "2026-06-06")
        self.assertEqual(self._status(self.customer), "with_overdue_invoices")
        # last customer: nothing left, the screen closes with a notification
        action = next_wizard.action_done()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(self._status(self.consulting), "with_overdue_invoices")

    def test_done_follows_the_selected_customers(self):
        other = self._create_customer("Bonjour Client")
        self._create_invoice(other, 100.0, "2026-05-01")
        wizard = self._open(
            self.customer.with_context(
                dunning_partner_ids=[self.customer.id, other.id, self.consulting.id]
            )
        )
        action = wizard.action_done()
        self.assertEqual(
            self.env["dunning.manual.wizard"].browse(action["res_id"]).partner_id, other
        )

    def test_remind_me_later(self):
        wizard = self._open(self.customer)
        with Form(wizard) as form:
            form.next_date = fields.Date.to_date("2026-06-15")
        action = wizard.action_remind_later()
        self.assertEqual(
            self.env["dunning.manual.wizard"].browse(action["res_id"]).partner_id,
            self.consulting,
        )
        self.assertEqual(str(self.customer.dunning_next_date), "2026-06-15")
        self.assertFalse(self._receivable(self.invoice_a).dunning_level_id)
        self.assertEqual(self._status(self.customer), "with_overdue_invoices")
        Partner = self.env["res.partner"]
        self.assertNotIn(
            self.customer,
            Partner.search([("dunning_status", "=", "in_need_of_action")]),
        )
        with freeze_time("2026-06-14"):
            self.assertEqual(self._status(self.customer), "with_overdue_invoices")
        with freeze_time("2026-06-15"):
            self.assertEqual(self._status(self.customer), "in_need_of_action")
            self.assertIn(
                self.customer,
                Partner.search([("dunning_status", "=", "in_need_of_action")]),
            )
        with Form(wizard) as form:
            form.next_date = fields.Date.to_date("2026-05-30")
        with self.assertRaisesRegex(UserError, "next reminder date after"):
            wizard.action_remind_later()

    # ------------------------------------------------------------------
    # Payment promises
    # ------------------------------------------------------------------

    def _promise(self, amount, date):
        action = self._open(self.customer).action_open_promise()
        with Form(
            self.env[action["res_model"]].with_context(**action["context"])
        ) as form:
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.amount, 1200.0)
            form.amount = amount
            form.date = fields.Date.to_date(date)
            form.note = "Promised on the phone"
        return form.record

    def test_promise_pauses_then_breaks(self):
        promise = self._promise(900.0, "2026-06-10")
        self.assertRecordValues(
            promise,
            [
                {
                    "state": "open",
                    "amount_overdue": 1200.0,
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                }
            ],
        )
        self.assertEqual(
            promise.move_line_ids,
            self._receivable(self.invoice_a) | self._receivable(self.invoice_b),
        )
        result = self._evaluate("2026-06-01", self.customer)
        self.assertEqual(result.partners[self.customer.id].reason, "promised")
        self.assertEqual(self._status(self.customer), "with_overdue_invoices")
        self.assertIn("Payment promised", self.customer.dunning_exclusion_reason)
        Partner = self.env["res.partner"]
        self.assertEqual(
            Partner.search(
                [("dunning_promised", "=", True), ("is_company", "=", True)]
            ),
            self.customer,
        )
        # the bulk action skips the customer with the reason
        batch = self.env["dunning.batch"].browse(
            self.customer.action_dunning_process()["res_id"]
        )
        self.assertIn("Payment promised", batch.line_ids.reason)
        # promised date reached: still paused; the day after, due again
        self.assertEqual(
            self._evaluate("2026-06-10", self.customer)
            .partners[self.customer.id]
            .reason,
            "promised",
        )
        with freeze_time("2026-06-10"):
            Promise = self.env["dunning.promise"]
            Promise._cron_check_promises()
            self.assertEqual(promise.state, "open")
        self._pay(self.invoice_b, date="2026-06-05")  # 300 < 900 promised
        with freeze_time("2026-06-11"):
            self.env["dunning.promise"]._cron_check_promises()
            self.assertEqual(promise.state, "broken")
            self.assertEqual(self._status(self.customer), "in_need_of_action")
            activity = self.customer.activity_ids
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.env.user)
            self.assertIn("Broken payment promise", activity.summary)
            self.assertFalse(Partner.search([("dunning_promised", "=", True)]))

    def test_promise_kept(self):
        promise = self._promise(900.0, "2026-06-10")
        self._pay(self.invoice_a, date="2026-06-08")
        with freeze_time("2026-06-09"):
            kept, broken = self.env["dunning.promise"]._check_promises(self.company)
        self.assertEqual(kept, promise)
        self.assertFalse(broken)
        self.assertEqual(promise.state, "kept")
        self.assertFalse(self.customer.activity_ids)

    def test_promise_cron_and_validation(self):
        cron = self.env.ref("account_dunning.ir_cron_dunning_check_promises")
        self.assertEqual(cron.code.strip(), "model._cron_check_promises()")
        with self.assertRaisesRegex(Exception, "must be positive"):
            self.env["dunning.promise"].create(
                {"partner_id": self.customer.id, "amount": 0.0, "date": "2026-06-10"}
            )
        # a promise made by a contact is the company's
        promise = self.env["dunning.promise"].create(
            {
                "partner_id": self.customer_contact.id,
                "amount": 10.0,
                "date": "2026-06-10",
            }
        )
        self.assertEqual(promise.partner_id, self.customer)

    # ------------------------------------------------------------------
    # Disputes
    # ------------------------------------------------------------------

    def test_dispute_from_manual_screen_and_invoice(self):
        wizard = self._open(self.customer)
        action = wizard.line_ids[0].action_dispute()
        with Form(
            self.env[action["res_model"]].with_context(**action["context"])
        ) as form:
            form.reason = "Wrong quantity delivered"
            form.date_until = fields.Date.to_date("2026-06-30")
        back = form.record.action_confirm()
        self.assertEqual(back["res_model"], "dunning.manual.wizard")
        reopened = self.env["dunning.manual.wizard"].browse(back["res_id"])
        self.assertRecordValues(
            self.invoice_a,
            [
                {
                    "dunning_dispute_reason": "Wrong quantity delivered",
                    "dunning_dispute_until": fields.Date.to_date("2026-06-30"),
                }
            ],
        )
        self.assertEqual(reopened.line_ids[0].reason, "Invoice disputed")
        self.assertEqual(reopened._get_selected_lines().move_id, self.invoice_b)
        self.assertEqual(
            self.env["res.partner"].search(
                [("dunning_disputed", "=", True), ("is_company", "=", True)]
            ),
            self.customer,
        )
        # from the invoice, and a dispute ending in the past is refused
        action = self.invoice_b.action_dunning_dispute()
        with Form(
            self.env[action["res_model"]].with_context(**action["context"])
        ) as form:
            form.reason = "Price"
            form.date_until = fields.Date.to_date("2026-05-01")
        with self.assertRaisesRegex(UserError, "in the past"):
            form.record.action_confirm()
        with Form(form.record) as form2:
            form2.date_until = fields.Date.to_date("2026-07-15")
        form.record.action_confirm()
        self.assertEqual(self._status(self.customer), "with_overdue_invoices")
        self.invoice_a.action_dunning_end_dispute()
        self.assertFalse(self.invoice_a.dunning_dispute_reason)
        self.assertEqual(self._status(self.customer), "in_need_of_action")

    # ------------------------------------------------------------------
    # Bulk "Process follow-ups"
    # ------------------------------------------------------------------

    def _bulk_customers(self):
        not_due = self._create_customer("Pas Encore")
        self._create_invoice(not_due, 400.0, "2026-06-20", invoice_date="2026-05-21")
        no_email = self._create_customer("Sans Courriel")
        no_email.email = False
        self._create_invoice(no_email, 250.0, "2026-05-01", invoice_date="2026-04-01")
        return not_due, no_email

    def test_bulk_process_followups(self):
        not_due, no_email = self._bulk_customers()
        action = (self.customer | not_due | no_email).action_dunning_process()
        self.assertEqual(action["res_model"], "dunning.batch")
        batch = self.env["dunning.batch"].browse(action["res_id"])
        self.assertRecordValues(
            batch,
            [
                {
                    "origin": "bulk",
                    "state": "done",
                    # the customers it lists, reminded or not
                    "partner_count": 3,
                    "sent_count": 1,
                    "skipped_count": 2,
                    "failed_count": 0,
                }
            ],
        )
        lines = {line.partner_id: line for line in batch.line_ids}
        self.assertEqual(lines[self.customer].state, "sent")
        self.assertEqual(lines[self.customer].channels, "email")
        self.assertEqual(lines[self.customer].level_id, self.level_1)
        self.assertEqual(lines[not_due].state, "skipped")
        self.assertEqual(lines[not_due].reason, "Skipped: nothing is overdue.")
        self.assertEqual(lines[no_email].state, "skipped")
        self.assertIn("has no email address", lines[no_email].reason)
        self.assertEqual(len(self._mails(self.customer)), 1)
        self.assertFalse(self._mails(no_email))
        self.assertFalse(self._receivable(self.invoice_c).dunning_level_id)
        self.assertEqual(
            self._receivable(self.invoice_a).dunning_level_id, self.level_1
        )
        # run again: the customer reminded today is not due any more
        batch = self.env["dunning.batch"].browse(
            self.customer.action_dunning_process()["res_id"]
        )
        self.assertEqual(batch.line_ids.state, "skipped")
        self.assertIn("Reminded lately", batch.line_ids.reason)
        self.assertRecordValues(
            batch,
            [
                {
                    "partner_count": 1,
                    "sent_count": 0,
                    "skipped_count": 1,
                    "item_count": len(batch.line_ids.item_ids),
                    "total_balance": batch.line_ids.balance,
                }
            ],
        )
        self.assertEqual(len(self._mails(self.customer)), 1)

    def test_server_action_is_bound_to_the_list(self):
        action = self.env.ref("account_dunning.res_partner_action_dunning_process")
        self.assertEqual(action.binding_model_id.model, "res.partner")
        self.assertEqual(action.binding_view_types, "list")
        self.assertIn(self.env.ref("account.group_account_invoice"), action.groups_id)
        batch = self.env["dunning.batch"].browse(
            action.with_context(
                active_model="res.partner",
                active_ids=self.customer.ids,
                active_id=self.customer.id,
            ).run()["res_id"]
        )
        self.assertEqual(batch.sent_count, 1)

    def test_access_billing_user_vs_salesman(self):
        billing = new_test_user(
            self.env,
            login="dunning_billing",
            groups="account.group_account_invoice,base.group_partner_manager",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        salesman = new_test_user(
            self.env,
            login="dunning_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        with self.assertRaises(AccessError):
            self.customer.with_user(salesman).action_dunning_process()
        with self.assertRaises(AccessError):
            self.customer.with_user(salesman).action_dunning_manual()
        with self.assertRaises(AccessError):
            self.env["dunning.promise"].with_user(salesman).create(
                {"partner_id": self.customer.id, "amount": 10.0, "date": "2026-06-10"}
            )
        action = self.customer.with_user(billing).action_dunning_process()
        batch = self.env["dunning.batch"].browse(action["res_id"])
        self.assertFalse(batch.line_ids.reason)
        self.assertRecordValues(
            batch, [{"sent_count": 1, "user_id": billing.id, "origin": "bulk"}]
        )
        wizard = self._open(self.consulting.with_user(billing))
        wizard.with_user(billing).action_send_email()
        self.assertEqual(
            self._receivable(self.invoice_consulting).dunning_level_id, self.level_1
        )
