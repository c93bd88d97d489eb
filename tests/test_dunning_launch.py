# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, freeze_time, new_test_user, tagged

from .common import DunningCommon, stub_letters


class DunningLaunchCommon(DunningCommon):
    """The seed scenario: Bonjour IT reminds two customers whose invoices are
    35 days overdue, then escalates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.consulting = cls._create_customer("Consulting Company France")
        cls.consulting_contact = cls.env["res.partner"].create(
            {
                "name": "Madame Dupont",
                "parent_id": cls.consulting.id,
                "email": "contact@consulting-test.fr",
            }
        )
        cls.consulting.dunning_contact_id = cls.consulting_contact
        # both invoices due 2026-04-27: 35 days overdue on 2026-06-01
        cls.invoice_tech = cls._create_invoice(
            cls.customer, 900.0, "2026-04-27", invoice_date="2026-03-28"
        )
        cls.invoice_consulting = cls._create_invoice(
            cls.consulting, 3000.0, "2026-04-27", invoice_date="2026-03-28"
        )

    def _receivable(self, invoice):
        return invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )


@tagged("post_install", "-at_install")
class TestDunningLaunch(DunningLaunchCommon):
    def test_seed_scenario_end_to_end(self):
        # Launch wizard summary (seed: 2 customers, 2 items, 3,900 / 0 / 3,900)
        wizard_form = Form(self.env["dunning.launch.wizard"])
        wizard_form.strategy_id = self.strategy
        wizard_form.level_id = self.level_1
        wizard_form.date = "2026-06-01"
        wizard = wizard_form.save()
        self.assertRecordValues(
            wizard,
            [
                {
                    "partner_count": 2,
                    "item_count": 2,
                    "total_debit": 3900.0,
                    "total_credit": 0.0,
                    "total_balance": 3900.0,
                }
            ],
        )
        self.assertFalse(wizard.missing_email_line_ids)
        action = wizard.action_launch()
        batch = self.env["dunning.batch"].browse(action["res_id"])
        self.assertRecordValues(
            batch,
            [
                {
                    "state": "done",
                    "partner_count": 2,
                    "item_count": 2,
                    "total_balance": 3900.0,
                    "level_id": self.level_1.id,
                    "strategy_id": self.strategy.id,
                    "name": "Follow-up batch 06/01/2026",
                    "sent_count": 2,
                    "failed_count": 0,
                }
            ],
        )
        self.assertTrue(batch.code and batch.code != "/")
        line_tech = batch.line_ids.filtered(lambda ln: ln.partner_id == self.customer)
        self.assertRecordValues(
            line_tech,
            [
                {
                    "contact_id": self.customer_contact.id,
                    "email": "contact@technologie.fr",
                    "debit": 900.0,
                    "credit": 0.0,
                    "balance": 900.0,
                    "state": "sent",
                    "channels": "email",
                }
            ],
        )
        # items, markers, comments, next reminder
        for invoice in (self.invoice_tech, self.invoice_consulting):
            self.assertRecordValues(
                self._receivable(invoice),
                [
                    {
                        "dunning_level_id": self.level_1.id,
                        "dunning_marker_id": self.marker_r1.id,
                    }
                ],
            )
            self.assertEqual(str(self._receivable(invoice).dunning_date), "2026-06-01")
            self.assertEqual(invoice.dunning_level_id, self.level_1)
        self.assertEqual(self.customer.dunning_marker_id, self.marker_r1)
        self.assertEqual(self.customer.dunning_last_level_id, self.level_1)
        self.assertIn("Payment overdue (5 days)", self.customer.dunning_comments)
        self.assertIn("reminded 1 time(s)", self.customer.dunning_comments)
        self.assertEqual(str(self.customer.dunning_next_date), "2026-06-06")
        # two queued emails to the accounting contacts, letter attached
        for partner, contact in (
            (self.customer, self.customer_contact),
            (self.consulting, self.consulting_contact),
        ):
            mail = self._mails(partner)
            self.assertEqual(len(mail), 1)
            self.assertEqual(mail.state, "outgoing")
            self.assertEqual(mail.recipient_ids, contact)
            self.assertEqual(mail.subject, f"First reminder - {self.company.name}")
            self.assertEqual(
                mail.attachment_ids.mapped("name"), [f"Dunning-{partner.name}.pdf"]
            )
            self.assertIn("Unless we are mistaken", mail.body_html)
            # posted in the customer's chatter, one email notification for
            # the accounting contact, the table in the body
            message = mail.mail_message_id
            self.assertRecordValues(
                message,
                [
                    {
                        "model": "res.partner",
                        "res_id": partner.id,
                        "message_type": "comment",
                        "subtype_id": self.env.ref(
                            "account_dunning.mt_dunning_reminder"
                        ).id,
                        "partner_ids": contact.ids,
                        "attachment_ids": mail.attachment_ids.ids,
                    }
                ],
            )
            self.assertRecordValues(
                message.notification_ids,
                [
                    {
                        "res_partner_id": contact.id,
                        "notification_type": "email",
                        "notification_status": "ready",
                        "mail_mail_id": mail.id,
                    }
                ],
            )
            self.assertIn(">Amount Due</th>", mail.body_html)
            self.assertIn(">35</td>", mail.body_html)
            self.assertIn(partner.invoice_ids.name, message.body)
        # the email body lists the overdue invoice
        self.assertIn(self.invoice_tech.name, self._mails(self.customer).body_html)
        # chatter of the customer and of the invoice
        self.assertTrue(
            self.customer.message_ids.filtered(
                lambda m: m.subject and m.subject.startswith("First reminder")
            )
        )
        self.assertTrue(
            self.invoice_tech.message_ids.filtered(
                lambda m: "Follow-up Delay 1" in (m.body or "")
            )
        )

        # Technologies pays; five days later only Consulting gets level 2
        self._pay(self.invoice_tech, date="2026-06-03")
        batch_2 = self._launch(self.level_2, "2026-06-06")
        self.assertEqual(batch_2.line_ids.partner_id, self.consulting)
        self.assertRecordValues(
            batch_2, [{"partner_count": 1, "item_count": 1, "total_balance": 3000.0}]
        )
        self.assertEqual(self.consulting.dunning_marker_id, self.marker_r2)
        self.assertEqual(self.consulting.dunning_last_level_id, self.level_2)
        # the follow-up reports can be grouped by the last level sent
        groups = self.env["res.partner"]._read_group(
            [("id", "in", (self.customer | self.consulting).ids)],
            ["dunning_last_level_id"],
            ["__count"],
        )
        self.assertEqual(dict(groups), {self.level_1: 1, self.level_2: 1})
        self.assertEqual(batch_2.line_ids.channels, "email, letter")
        self.assertTrue(batch_2.line_ids.letter_attachment_id)

        # Level 3 ten days later: sales warning on the customer
        batch_3 = self._launch(self.level_3, "2026-06-16")
        self.assertEqual(batch_3.line_ids.state, "sent")
        self.assertEqual(
            self.consulting.dunning_sale_warning,
            "[06/16/2026] Payment overdue by 20 days",
        )
        # ... and on the quotations made for it, never in Odoo's own warning
        salesman = new_test_user(
            self.env,
            login="launch_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
        )
        quotation = (
            self.env["sale.order"]
            .with_user(salesman)
            .create({"partner_id": self.consulting_contact.id})
        )
        self.assertEqual(
            quotation.dunning_sale_warning, "[06/16/2026] Payment overdue by 20 days"
        )
        self.assertEqual(self.consulting.sale_warn, "no-message")
        self.assertEqual(self.consulting.dunning_marker_id, self.marker_r3)
        self.assertEqual(len(self._mails(self.consulting)), 3)

    def test_launch_blocked_by_missing_email(self):
        nomail = self._create_customer("No Mail SARL")
        nomail.email = False
        self._create_invoice(nomail, 100.0, "2026-04-27")
        wizard = self.env["dunning.launch.wizard"].create(
            {
                "strategy_id": self.strategy.id,
                "level_id": self.level_1.id,
                "date": "2026-06-01",
            }
        )
        self.assertEqual(wizard.missing_email_line_ids.partner_id, nomail)
        with self.assertRaisesRegex(UserError, "No Mail SARL"):
            wizard._launch()
        self.assertFalse(self.env["dunning.batch"].search([]))
        # removing the customer from this run unblocks the launch
        wizard.line_ids.filtered(lambda ln: ln.partner_id == nomail).unlink()
        batch = wizard._launch()
        self.assertEqual(batch.partner_count, 2)
        self.assertFalse(self._mails(nomail))

    def test_double_launch_reminds_nobody_twice(self):
        first = self.env["dunning.launch.wizard"].create(
            {
                "strategy_id": self.strategy.id,
                "level_id": self.level_1.id,
                "date": "2026-06-01",
            }
        )
        second = self.env["dunning.launch.wizard"].create(
            {
                "strategy_id": self.strategy.id,
                "level_id": self.level_1.id,
                "date": "2026-06-01",
            }
        )
        self.assertEqual(second.partner_count, 2)
        batch = first._launch()
        # the screen opened before the launch has nothing left to do: it says
        # so and creates no batch of skipped customers
        with self.assertRaisesRegex(UserError, "Nothing to do"):
            second._launch()
        self.assertEqual(self.env["dunning.batch"].search([]), batch)
        self.assertEqual(len(self._mails(self.customer)), 1)
        # a new wizard finds nobody due any more
        with self.assertRaisesRegex(UserError, "No customer is due"):
            self._launch(self.level_1, "2026-06-01")

    def _wizard(self, level, date):
        return self.env["dunning.launch.wizard"].create(
            {"strategy_id": level.strategy_id.id, "level_id": level.id, "date": date}
        )

    def test_nobody_due_explained(self):
        """A level with nobody due says why: an earlier level first, the days
        between two levels, customers paused or left out."""
        wizard = self._wizard(self.level_2, "2026-06-01")
        self.assertEqual(wizard.partner_count, 0)
        self.assertEqual(
            wizard.empty_explanation,
            "Nobody is due for Delay 2 on 06/01/2026:\n"
            "- 2 customer(s) must first be reminded at Delay 1 (levels are not "
            "skipped): launch Delay 1 first.",
        )
        with self.assertRaisesRegex(UserError, "launch Delay 1 first"):
            wizard._launch()
        self.assertFalse(self._wizard(self.level_1, "2026-06-01").empty_explanation)
        later = self._create_customer("Plus Tard SARL")
        later.dunning_next_date = "2026-05-20"
        manual = self._create_customer("Manuel SAS", included=False)
        for partner in later | manual:
            self._create_invoice(partner, 100.0, "2026-04-27")
        self._launch(self.level_1, "2026-05-04")
        self.assertEqual(
            self._wizard(self.level_2, "2026-05-07").empty_explanation,
            "Nobody is due for Delay 2 on 05/07/2026:\n"
            "- 2 customer(s) reminded less than 5 days ago (the days between the "
            "previous level and this one).\n"
            "- 1 customer(s): Next reminder date is in the future.\n"
            "- 1 customer(s): Customer not included in the follow-up process.",
        )
        self.assertEqual(
            self._wizard(self.level_3, "2026-05-07").empty_explanation,
            "Nobody is due for Delay 3 on 05/07/2026: no customer of this strategy "
            "has an invoice overdue by 20 days or more.",
        )

    def test_wizard_remove_one_item(self):
        """An item removed from a customer in the Detail tab: the amounts
        follow at once, and the run reminds only the items left."""
        second = self._create_invoice(
            self.customer, 250.0, "2026-04-27", invoice_date="2026-03-28"
        )
        wizard_form = Form(self.env["dunning.launch.wizard"])
        wizard_form.strategy_id = self.strategy
        wizard_form.level_id = self.level_1
        wizard_form.date = "2026-06-01"
        self.assertEqual(wizard_form.item_count, 3)
        self.assertEqual(wizard_form.total_debit, 4150.0)
        index = next(
            i
            for i in range(len(wizard_form.line_ids))
            if wizard_form.line_ids.edit(i).partner_id == self.customer
        )
        with wizard_form.line_ids.edit(index) as line:
            self.assertEqual(line.item_count, 2)
            self.assertEqual(line.debit, 1150.0)
            line.item_ids.remove(id=self._receivable(second).id)
            self.assertEqual(line.item_count, 1)
            self.assertEqual(line.debit, 900.0)
        self.assertEqual(wizard_form.item_count, 2)
        self.assertEqual(wizard_form.total_debit, 3900.0)
        # the Detail tab names an item by its invoice once (the view's context)
        item = self._receivable(second)
        self.assertEqual(
            item.with_context(dunning_item_label=True).display_name, second.name
        )
        self.assertIn(second.name, item.display_name)
        batch = wizard_form.save()._launch()
        line_tech = batch.line_ids.filtered(lambda ln: ln.partner_id == self.customer)
        self.assertEqual(line_tech.item_ids, self._receivable(self.invoice_tech))
        self.assertEqual(
            self._receivable(self.invoice_tech).dunning_level_id, self.level_1
        )
        self.assertFalse(self._receivable(second).dunning_level_id)

    def test_failure_isolation(self):
        """One customer's failing template never stops the batch: the lines
        executed together are rolled back and executed one by one."""
        original = type(self.env["dunning.send"])._render_email_values

        def failing(send, reminders):
            if any(rem.partner == self.customer for rem in reminders):
                raise UserError("Template error for this customer")  # pylint: disable=translation-required  # fake error of a test
            return original(send, reminders)

        with patch.object(
            type(self.env["dunning.send"]), "_render_email_values", failing
        ):
            batch = self._launch(self.level_1, "2026-06-01")
        line_tech = batch.line_ids.filtered(lambda ln: ln.partner_id == self.customer)
        line_cons = batch.line_ids - line_tech
        self.assertEqual(line_tech.state, "failed")
        self.assertIn("Template error for this customer", line_tech.reason)
        self.assertEqual(line_cons.state, "sent")
        self.assertTrue(batch.has_failures)
        # nothing of the failed customer was recorded
        self.assertFalse(self._receivable(self.invoice_tech).dunning_level_id)
        self.assertFalse(self.customer.dunning_marker_id)
        self.assertFalse(self._mails(self.customer))
        self.assertEqual(
            self._receivable(self.invoice_consulting).dunning_level_id, self.level_1
        )

    def test_paid_since_wizard_is_skipped(self):
        wizard = self.env["dunning.launch.wizard"].create(
            {
                "strategy_id": self.strategy.id,
                "level_id": self.level_1.id,
                "date": "2026-06-01",
            }
        )
        self.assertEqual(wizard.partner_count, 2)
        self._pay(self.invoice_tech, date="2026-05-31")
        batch = wizard._launch()
        line_tech = batch.line_ids.filtered(lambda ln: ln.partner_id == self.customer)
        self.assertEqual(line_tech.state, "skipped")
        self.assertIn("paid", line_tech.reason)
        self.assertFalse(self._mails(self.customer))
        # the batch counts what it lists: one reminded, one skipped
        self.assertRecordValues(
            batch, [{"partner_count": 2, "sent_count": 1, "skipped_count": 1}]
        )

    def test_test_mode_redirects_emails(self):
        self.company.write(
            {"dunning_test_mode": True, "dunning_test_email": "test@bonjour-it.fr"}
        )
        self._launch(self.level_1, "2026-06-01")
        mails = self._mails(self.customer)
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.email_to, "test@bonjour-it.fr")
        self.assertFalse(mails.recipient_ids)
        self.assertTrue(mails.subject.startswith("[TEST]"))

    def test_sms_and_activity(self):
        sms_template = self.env["sms.template"].create(
            {
                "name": "Reminder SMS",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "body": "Payment overdue, please pay {{ object.name }}",
            }
        )
        responsible = self.env.user
        self.level_1.write(
            {
                "send_sms": True,
                "sms_template_id": sms_template.id,
                "create_activity": True,
                "activity_summary": "Call the customer",
                "activity_responsible": "followup",
            }
        )
        self.customer.dunning_responsible_id = responsible
        self.customer_contact.mobile = "+33 6 12 34 56 78"
        batch = self._launch(self.level_1, "2026-06-01")
        line_tech = batch.line_ids.filtered(lambda ln: ln.partner_id == self.customer)
        line_cons = batch.line_ids - line_tech
        self.assertEqual(line_tech.state, "sent")
        self.assertEqual(line_tech.channels, "email, sms, activity")
        sms = self.env["sms.sms"].search(
            [("partner_id", "=", self.customer_contact.id)]
        )
        self.assertEqual(len(sms), 1)
        self.assertIn("Payment overdue, please pay", sms.body)
        activity = self.customer.activity_ids
        self.assertEqual(activity.summary, "Call the customer")
        self.assertEqual(activity.user_id, responsible)
        # no phone for Consulting: skipped with the reason
        self.assertEqual(line_cons.state, "skipped")
        self.assertIn("no mobile or phone", line_cons.reason)

    def test_levels_are_not_skipped(self):
        """35 days overdue but never reminded: level 2 is not due before
        level 1 was sent."""
        with self.assertRaisesRegex(UserError, "No customer is due"):
            self._launch(self.level_2, "2026-06-01")

    def test_several_late_invoices_one_reminder(self):
        """The guide's rule: a customer with several late invoices gets one
        reminder per run, at the level of its most overdue invoice, listing
        all its due invoices, each recorded at its own level; launching a
        lower level the same day reminds it no second time."""
        # Technologies on 2026-06-01: 900 due 2026-04-27, reminded at level 2
        # on 2026-05-07 (level 3 due), and 200 due 2026-05-25 (level 1 due)
        self._receivable(self.invoice_tech).with_context(
            skip_invoice_sync=True, check_move_validity=False
        ).write({"dunning_level_id": self.level_2.id, "dunning_date": "2026-05-07"})
        newer = self._create_invoice(self.customer, 200.0, "2026-05-25")
        self.assertNotIn(
            self.customer,
            self._launch(self.level_1, "2026-06-01").line_ids.partner_id,
            "level 1 is not the level of its most overdue invoice",
        )
        self.assertFalse(self._mails(self.customer))
        # level 1 set the consulting's invoice to level 1: its level 2 is not
        # due before 2026-06-06; only the Technologies are due for level 3
        batch = self._launch(self.level_3, "2026-06-01")
        line = batch.line_ids
        self.assertEqual(line.partner_id, self.customer)
        self.assertRecordValues(
            line, [{"state": "sent", "level_id": self.level_3.id, "debit": 1100.0}]
        )
        mail = self._mails(self.customer)
        self.assertEqual(len(mail), 1)
        self.assertTrue(mail.subject.startswith("Formal notice"))
        self.assertIn(self.invoice_tech.name, mail.body_html)
        self.assertIn(newer.name, mail.body_html)
        self.assertEqual(
            self._receivable(self.invoice_tech).dunning_level_id, self.level_3
        )
        self.assertEqual(self._receivable(newer).dunning_level_id, self.level_1)
        with self.assertRaisesRegex(UserError, "No customer is due"):
            self._launch(self.level_1, "2026-06-01")
        self.assertEqual(len(self._mails(self.customer)), 1)

    def test_letters_merged(self):
        self.level_1.print_letter = True
        batch = self._launch(self.level_1, "2026-06-01")
        self.assertEqual(batch.letter_count, 2)
        action = batch.action_print_letters()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "dunning.batch"), ("res_id", "=", batch.id)]
        )
        self.assertEqual(len(attachment), 1)
        self.assertTrue(attachment.raw)
        with self.assertRaisesRegex(UserError, "already reminded"):
            batch.action_cancel()

    def test_batch_lines_command(self):
        """Batches created from an engine selection keep their amounts."""
        result = self._evaluate("2026-06-01")
        batch = self.env["dunning.batch"]._create_from_selection(
            result.to_remind(self.level_1.id),
            {
                "level_id": self.level_1.id,
                "strategy_id": self.strategy.id,
                "date": "2026-06-01",
            },
        )
        self.assertEqual(batch.state, "draft")
        self.assertEqual(sorted(batch.line_ids.mapped("debit")), [900.0, 3000.0])
        batch.action_execute()
        self.assertEqual(batch.sent_count, 2)
        with self.assertRaisesRegex(UserError, "already executed"):
            batch.action_execute()
        self.assertEqual(
            self.env["dunning.batch.line"].search_count(
                [("partner_id", "=", self.customer.id), ("state", "=", "sent")]
            ),
            1,
        )


class WorkerKilled(BaseException):
    """A worker killed in the middle of a chunk (not an error of a customer:
    nothing catches it)."""


@tagged("post_install", "-at_install")
class TestDunningBackground(DunningLaunchCommon):
    """Batches larger than one chunk run in the background (the follow-up
    worker, chunk by chunk); one chunk or less runs inline."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.third = cls._create_customer("Third Customer SAS")
        cls.invoice_third = cls._create_invoice(
            cls.third, 500.0, "2026-04-27", invoice_date="2026-03-28"
        )
        cls.everybody = cls.customer | cls.consulting | cls.third

    def _all_mails(self):
        return self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "in", self.everybody.ids)]
        )

    def _worker_step(self):
        worker = self.env["dunning.followup.auto"].with_context(
            dunning_no_queue_job=True
        )
        with stub_letters(self.env):
            return worker._cron_run(date="2026-06-01")

    def _launch_in_background(self, chunk_size):
        self.company.dunning_chunk_size = chunk_size
        worker_cls = type(self.env["dunning.followup.auto"])
        with (
            patch.object(worker_cls, "_use_queue_job", return_value=False),
            patch.object(type(self.env["ir.cron"]), "_trigger") as trigger,
        ):
            batch = self._launch(self.level_1, "2026-06-01")
        trigger.assert_called_once()
        return batch

    def test_three_chunks_in_background(self):
        batch = self._launch_in_background(1)
        # the launch returned at once: nothing sent yet, progress at zero
        self.assertRecordValues(
            batch,
            [
                {
                    "state": "running",
                    "line_count": 3,
                    "done_count": 0,
                    "pending_count": 3,
                    "progress": 0.0,
                }
            ],
        )
        self.assertTrue(batch.started_at)
        self.assertFalse(self._all_mails())
        self.assertEqual(self._worker_step(), 2)
        self.assertRecordValues(
            batch,
            [
                {
                    "state": "running",
                    "done_count": 1,
                    "pending_count": 2,
                    "sent_count": 1,
                }
            ],
        )
        self.assertAlmostEqual(batch.progress, 100.0 / 3, places=2)
        # one customer in the first two minutes: two more minutes to go
        now = fields.Datetime.now()
        batch.sudo().started_at = now - timedelta(minutes=2)
        with freeze_time(now):
            batch.invalidate_recordset(["progress_rate", "progress_end"])
            self.assertAlmostEqual(batch.progress_rate, 0.5)
            self.assertEqual(batch.progress_end, now + timedelta(minutes=4))
        self.assertEqual(self._worker_step(), 1)
        bus_cls = type(self.env["bus.bus"])
        with patch.object(bus_cls, "_sendone", autospec=True) as sendone:
            self.assertEqual(self._worker_step(), 0)
        self.assertRecordValues(
            batch,
            [
                {
                    "state": "done",
                    "done_count": 3,
                    "pending_count": 0,
                    "sent_count": 3,
                    "progress": 100.0,
                    "progress_end": False,
                }
            ],
        )
        for partner in self.everybody:
            self.assertEqual(len(self._mails(partner)), 1, partner.name)
        self.assertIn("3 reminded, 0 skipped, 0 failed", batch.message_ids[:1].body)
        # the operator is told
        sendone.assert_called_once()
        _bus, target, notification_type, message = sendone.call_args.args
        self.assertEqual(target, self.env.user.partner_id)
        self.assertEqual(notification_type, "simple_notification")
        self.assertIn(batch.display_name, message["message"])
        self.assertIn("3 reminded", message["message"])

    def test_one_chunk_inline(self):
        """A batch of at most one chunk (here the launch of three customers
        with chunks of three, and a manual follow-up) is executed at once."""
        with patch.object(type(self.env["ir.cron"]), "_trigger") as trigger:
            self.company.dunning_chunk_size = 3
            batch = self._launch(self.level_1, "2026-06-01")
            self.assertRecordValues(batch, [{"state": "done", "sent_count": 3}])
            self.assertFalse(batch.started_at)
            self.company.dunning_chunk_size = 1
            manual = self.env["dunning.manual.wizard"].create(
                {"partner_id": self.customer.id, "date": "2026-06-20"}
            )
            manual.action_send_email()
        trigger.assert_not_called()
        self.assertEqual(manual.batch_ids.state, "done")
        self.assertEqual(manual.batch_ids.line_ids.state, "sent")
        self.assertEqual(len(self._mails(self.customer)), 2)

    def test_worker_killed_mid_chunk_resumes(self):
        """The worker dies in the middle of a chunk, after the emails were
        queued and the items recorded: the chunk is rolled back and the next
        call redoes it; each customer gets one email."""
        batch = self._launch_in_background(2)
        send_cls = type(self.env["dunning.send"])
        original = send_cls._record_reminders

        def killed(send, reminders):
            original(send, reminders)
            raise WorkerKilled()

        with self.assertRaises(WorkerKilled), self.env.cr.savepoint():
            with patch.object(send_cls, "_record_reminders", killed):
                self._worker_step()
        self.env.invalidate_all()
        self.assertEqual(batch.line_ids.mapped("state"), ["pending"] * 3)
        self.assertFalse(self._all_mails())
        self.assertEqual(self._worker_step(), 1)
        self.assertEqual(self._worker_step(), 0)
        self.assertRecordValues(batch, [{"state": "done", "sent_count": 3}])
        for partner in self.everybody:
            self.assertEqual(len(self._mails(partner)), 1, partner.name)

    def test_draft_batches_left_to_their_user(self):
        """The worker only executes batches started in the background."""
        result = self._evaluate("2026-06-01")
        draft = self.env["dunning.batch"]._create_from_selection(
            result.to_remind(self.level_1.id),
            {"level_id": self.level_1.id, "date": "2026-06-01"},
        )
        self.assertEqual(self._worker_step(), 0)
        self.assertEqual(draft.state, "draft")
        self.assertEqual(set(draft.line_ids.mapped("state")), {"pending"})
