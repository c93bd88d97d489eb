# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bad input and faults: a clear message, nothing lost, nothing sent twice."""

from unittest.mock import patch

from markupsafe import Markup

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.base.models.ir_mail_server import IrMailServer
from odoo.addons.base.tests.common import MockSmtplibCase

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningFaults(DunningCommon, MockSmtplibCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._create_invoice(cls.customer, 900.0, "2026-04-27")

    def _receivable(self, invoice):
        return invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )

    def _assert_nothing_due(self, level, date):
        self.assertFalse(self._evaluate(date).to_remind(level.id))
        with self.assertRaisesRegex(UserError, "No customer is due"):
            self._launch(level, date)

    # ------------------------------------------------------------------
    # Configuration
    # ------------------------------------------------------------------

    def test_strategy_without_levels(self):
        empty = self.env["dunning.strategy"].create({"name": "Empty"})
        with self.assertRaisesRegex(UserError, "Empty has no follow-up level"):
            self.env["dunning.launch.wizard"].create(
                {"strategy_id": empty.id, "date": "2026-06-01"}
            )
        # customers following it are simply never due
        self.customer.dunning_strategy_id = empty
        res = self._evaluate("2026-06-01").partners[self.customer.id]
        self.assertFalse(res.level_due_id)
        self.assertEqual(res.status, "with_overdue_invoices")

    def test_level_without_action_or_template(self):
        cases = [
            ({"send_email": False, "mail_template_id": False}, "does nothing"),
            ({"mail_template_id": False}, "choose its email template"),
            ({"send_sms": True}, "choose its SMS template"),
            (
                {"create_activity": True, "activity_responsible": "user"},
                "choose that user",
            ),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals):
                with self.assertRaisesRegex(ValidationError, message):
                    with self.env.cr.savepoint():
                        self.level_1.write(vals)
                self.env.invalidate_all()
                self.assertTrue(self.level_1.send_email)

    # ------------------------------------------------------------------
    # One customer fails, the others are reminded
    # ------------------------------------------------------------------

    def test_template_failing_for_one_customer(self):
        bad = self._create_customer("Bad Render")
        bad_invoice = self._create_invoice(bad, 300.0, "2026-04-27")
        template = self.template_1.copy(
            {
                "body_html": Markup(
                    '<p>Hello <t t-out="object.name"/>'
                    "<t t-out=\"1 / (0 if object.name == 'Bad Render' else 1)\"/></p>"
                )
            }
        )
        self.level_1.mail_template_id = template
        batch = self._launch(self.level_1, "2026-06-01")
        line_bad = batch.line_ids.filtered(lambda ln: ln.partner_id == bad)
        line_ok = batch.line_ids - line_bad
        self.assertRecordValues(
            batch, [{"state": "done", "sent_count": 1, "failed_count": 1}]
        )
        self.assertEqual(line_ok.state, "sent")
        self.assertEqual(line_bad.state, "failed")
        self.assertIn("Failed", line_bad.reason)
        # nothing of the failed customer was recorded (savepoint rolled back)
        self.assertFalse(line_bad.mail_ids)
        self.assertFalse(line_bad.letter_attachment_id)
        self.assertFalse(self._receivable(bad_invoice).dunning_level_id)
        self.assertFalse(bad.dunning_comments)
        self.assertEqual(self._receivable(self.invoice).dunning_level_id, self.level_1)
        # fixed template: the failed customer is due again, the other is not
        self.level_1.mail_template_id = self.template_1
        selection = self._evaluate("2026-06-01").to_remind(self.level_1.id)
        self.assertEqual(list(selection), [bad.id])

    def test_missing_email_and_phone(self):
        self.customer_contact.email = False
        self.customer.email = False
        with self.assertRaisesRegex(UserError, "no email address"):
            self._launch(self.level_1, "2026-06-01")
        # SMS level without a phone: skipped with the reason
        sms_template = self.env["sms.template"].create(
            {
                "name": "Dunning SMS",
                "model_id": self.env.ref("base.model_res_partner").id,
                "body": "Please pay",
            }
        )
        self.level_1.write(
            {"send_email": False, "send_sms": True, "sms_template_id": sms_template.id}
        )
        batch = self._launch(self.level_1, "2026-06-01")
        self.assertEqual(batch.line_ids.state, "skipped")
        self.assertIn("no mobile or phone", batch.line_ids.reason)
        self.assertFalse(self._receivable(self.invoice).dunning_level_id)

    def test_invalid_email_recorded_on_line(self):
        self.customer_contact.email = "not-an-email"
        batch = self._launch(self.level_1, "2026-06-01")
        line = batch.line_ids
        self.assertEqual(line.state, "sent")
        self.assertEqual(line.email_state, "queued")
        with self.mock_smtplib_connection():
            line.mail_ids.sudo().send(raise_exception=False)
        line.invalidate_recordset(["email_state", "email_failure"])
        self.assertEqual(line.email_state, "exception")
        self.assertIn("mail_email_invalid", line.email_failure)
        # reminded once: not due again at this level
        self._assert_nothing_due(self.level_1, "2026-06-01")

    def test_mail_server_down(self):
        batch = self._launch(self.level_1, "2026-06-01")
        line = batch.line_ids
        mails = line.mail_ids
        self.assertEqual(len(mails), 1)
        self.assertEqual(line.email_state, "queued")
        with patch.object(
            IrMailServer, "connect", side_effect=ConnectionRefusedError("SMTP down")
        ):
            mails.sudo().send(raise_exception=False)
        self.assertEqual(mails.state, "exception")
        line.invalidate_recordset(["email_state", "email_failure"])
        self.assertEqual(line.email_state, "exception")
        self.assertIn("SMTP down", line.email_failure)
        # nothing lost: the line stays reminded, the mail can be retried;
        # nothing sent twice: the customer is not due again
        self.assertEqual(line.state, "sent")
        self._assert_nothing_due(self.level_1, "2026-06-01")
        mails.sudo().mark_outgoing()
        with self.mock_smtplib_connection():
            mails.sudo().send(raise_exception=False)
        self.assertEqual(len(self.emails), 1)
        self.assertFalse(mails.exists(), "sent mails are deleted")
        line.invalidate_recordset(["email_state", "email_failure"])
        self.assertEqual(line.email_state, "sent")

    def test_bounce_recorded(self):
        batch = self._launch(self.level_1, "2026-06-01")
        line = batch.line_ids
        with self.mock_smtplib_connection():
            line.mail_ids.sudo().send(raise_exception=False)
        line.invalidate_recordset(["email_state", "email_failure"])
        self.assertEqual(line.email_state, "sent", line.email_failure)
        message = line.message_ids.filtered(lambda m: m.message_type == "comment")
        self.env["mail.thread"].sudo()._routing_handle_bounce(
            False,
            {
                "bounced_email": "contact@technologie.fr",
                "bounced_partner": self.customer_contact,
                "bounced_msg_ids": [message.message_id],
                "bounced_message": message,
                "body": "550 5.1.1 mailbox unavailable",
                "email_from": "mailer-daemon@example.com",
                "to": "bounce@example.com",
                "message_id": "<bounce-1@example.com>",
            },
        )
        line.invalidate_recordset(["email_state", "email_failure"])
        self.assertEqual(line.email_state, "bounce")
        self.assertIn("mailbox unavailable", line.email_failure)

    # ------------------------------------------------------------------
    # Archived customers and contacts
    # ------------------------------------------------------------------

    def test_archived_customer_skipped(self):
        selection = self._evaluate("2026-06-01").to_remind(self.level_1.id)
        batch = self.env["dunning.batch"]._create_from_selection(
            selection,
            {
                "level_id": self.level_1.id,
                "date": "2026-06-01",
                "strategy_id": self.strategy.id,
            },
        )
        self.customer.active = False
        batch._execute()
        self.assertEqual(batch.line_ids.state, "skipped")
        self.assertIn("archived", batch.line_ids.reason)
        self.assertFalse(batch.line_ids.mail_ids)
        self.assertFalse(self._receivable(self.invoice).dunning_level_id)

    def test_archived_contact_customer_reminded(self):
        self.customer_contact.active = False
        batch = self._launch(self.level_1, "2026-06-01")
        self.assertEqual(batch.line_ids.state, "sent")
        self.assertEqual(batch.line_ids.contact_id, self.customer)
        self.assertEqual(batch.line_ids.mail_ids.recipient_ids, self.customer)

    # ------------------------------------------------------------------
    # History of reminded invoices
    # ------------------------------------------------------------------

    def test_reset_to_draft_and_cancel_keep_history(self):
        batch = self._launch(self.level_1, "2026-06-01")
        item = self._receivable(self.invoice)
        messages = self.invoice.message_ids.filtered(
            lambda m: "Follow-up" in str(m.body)
        )
        self.assertTrue(messages)
        self.invoice.button_draft()
        self._assert_nothing_due(self.level_2, "2026-06-20")
        self.assertEqual(batch.line_ids.item_ids, item)
        self.assertEqual(batch.line_ids.state, "sent")
        self.assertLessEqual(messages, self.invoice.message_ids)
        # posted again: it continues from level 1, never reminded twice at 1
        self.invoice.action_post()
        self.assertEqual(self._receivable(self.invoice).dunning_level_id, self.level_1)
        self._assert_nothing_due(self.level_1, "2026-06-20")
        self.assertIn(
            self.customer.id, self._evaluate("2026-06-20").to_remind(self.level_2.id)
        )
        self.invoice.button_draft()
        self.invoice.button_cancel()
        self.assertEqual(self.invoice.state, "cancel")
        self.assertEqual(batch.line_ids.item_ids.move_id, self.invoice)
        self.assertLessEqual(messages, self.invoice.message_ids)
        self.assertFalse(self._evaluate("2026-06-20").to_remind())

    # ------------------------------------------------------------------
    # Foreign currency without a rate
    # ------------------------------------------------------------------

    def test_currency_without_rate(self):
        currency = self.env["res.currency"].create(
            {"name": "XDU", "symbol": "XD", "rounding": 0.01}
        )
        self.assertFalse(currency.rate_ids)
        customer = self._create_customer("No Rate Ltd")
        invoice = self._create_invoice(customer, 777.0, "2026-04-27", currency=currency)
        batch = self._launch(self.level_1, "2026-06-01")
        line = batch.line_ids.filtered(lambda ln: ln.partner_id == customer)
        self.assertEqual(line.state, "sent", line.reason)
        self.assertEqual(self._receivable(invoice).dunning_level_id, self.level_1)
        self.assertIn("777.00", str(line.mail_ids.body_html))

    # ------------------------------------------------------------------
    # Injection: customer names, comments and level texts are escaped
    # ------------------------------------------------------------------

    def test_malicious_text_escaped(self):
        script = "<script>alert(1)</script>"
        evil = self._create_customer(script, email="evil@example.com")
        evil.dunning_comments = '<img src=x onerror="alert(2)">'
        self.level_1.name = '<b onmouseover="alert(3)">Level</b>'
        evil_invoice = self._create_invoice(evil, 100.0, "2026-04-27")
        batch = self._launch(self.level_1, "2026-06-01")
        line = batch.line_ids.filtered(lambda ln: ln.partner_id == evil)
        self.assertEqual(line.state, "sent", line.reason)
        bodies = [str(line.mail_ids.body_html)]
        bodies += [str(m.body) for m in line.message_ids]
        bodies += [str(m.body) for m in evil_invoice.message_ids]
        bodies += [str(m.body) for m in batch.message_ids]
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "account_dunning.action_report_dunning_letter",
            evil.ids,
            data={
                "level_id": self.level_1.id,
                "date": "2026-06-01",
                "item_ids": self._receivable(evil_invoice).ids,
            },
        )
        bodies.append(html.decode())
        for body in bodies:
            self.assertNotIn("<script>", body)
            self.assertNotIn("<img src=x", body)
            self.assertNotIn("<b onmouseover", body)
        self.assertIn("&lt;script&gt;", bodies[0] + bodies[-1])

    def test_templates_use_safe_rendering(self):
        """The letter file name is a plain pattern: no code is evaluated."""
        with self.assertRaises(ValidationError):
            self.level_1.letter_filename = "{{ object.__class__ }}"
        self.level_1.letter_filename = "Relance-{{ object.name }}"
        self.assertEqual(
            self.level_1._render_letter_filename(self.customer),
            "Relance-Technologies Aujourd'hui.pdf",
        )
