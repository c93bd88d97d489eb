# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.tests import tagged

from .common import DunningCommon, stub_letters

DATE = "2026-06-01"
# queries per additional customer of a chunk (email with its letter)
MAX_QUERIES = 20


@tagged("post_install", "-at_install")
class TestDunningExecution(DunningCommon):
    """The lines of a chunk are executed together by ``dunning.send``: one
    lock, one evaluation, the content of each reminder built once, each email
    posted with ``message_post``, the records written in bulk."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env["res.partner"]
        for index in range(8):
            customer = cls._create_customer(f"Customer {index}")
            cls._create_invoice(customer, 100.0 + index, "2026-04-27")
            cls._create_invoice(customer, 50.0, "2026-05-10")
            cls.customers |= customer

    def _batch(self, partners):
        selection = self._evaluate(DATE, partners=partners).to_remind(self.level_1.id)
        self.assertEqual(set(selection), set(partners.ids))
        return self.env["dunning.batch"]._create_from_selection(
            selection,
            {
                "level_id": self.level_1.id,
                "strategy_id": self.strategy.id,
                "date": DATE,
            },
        )

    def _execute(self, batch):
        self.env.flush_all()
        start = self.env.cr.sql_log_count
        with stub_letters(self.env):
            batch._execute()
            self.env.flush_all()
        return self.env.cr.sql_log_count - start

    def test_queries_per_customer(self):
        """The queries of a chunk grow by a bounded number per customer: the
        lock, the evaluation, the rows, the records are per chunk; only the
        ``message_post`` of each email and the letter's attachment are per
        customer (one customer at a time took about 50 queries each)."""
        self._execute(self._batch(self.customers[:1]))  # warm the caches
        few = self._execute(self._batch(self.customers[1:3]))
        many = self._execute(self._batch(self.customers[3:]))
        per_customer = (many - few) / 3
        self.assertLess(per_customer, MAX_QUERIES, f"{few} queries for 2, {many} for 5")
        self.assertEqual(
            self.env["dunning.batch.line"]
            .search([("partner_id", "in", self.customers.ids)])
            .mapped("state"),
            ["sent"] * 8,
        )

    def test_same_emails_as_one_at_a_time(self):
        """Emails of customers executed together are those of customers
        executed alone: body (with its overdue table), subject, recipient,
        attachments, notification and chatter."""
        together = self.customers[:3]
        alone = self.customers[3]
        self._execute(self._batch(together))
        self._execute(self._batch(alone))
        for partner in together | alone:
            line = self.env["dunning.batch.line"].search(
                [("partner_id", "=", partner.id)]
            )
            mail = self._mails(partner)
            self.assertEqual(len(mail), 1)
            self.assertEqual(line.mail_ids, mail)
            self.assertEqual(mail.recipient_ids, partner)
            self.assertEqual(mail.subject, f"First reminder - {self.company.name}")
            self.assertEqual(mail.mail_message_id, line.message_ids)
            self.assertEqual(mail.mail_message_id.model, "res.partner")
            self.assertEqual(mail.mail_message_id.res_id, partner.id)
            self.assertEqual(mail.attachment_ids.name, f"Dunning-{partner.name}.pdf")
            self.assertEqual(line.letter_attachment_id, mail.attachment_ids)
            # the overdue table lists this customer's invoices, and only them
            invoices = self.env["account.move"].search(
                [("partner_id", "=", partner.id)]
            )
            for invoice in invoices:
                self.assertIn(invoice.name, mail.body_html)
            others = self.env["account.move"].search(
                [("partner_id", "in", (self.customers - partner).ids)]
            )
            for invoice in others:
                self.assertNotIn(f">{invoice.name}<", mail.body_html)
            self.assertRecordValues(
                mail.notification_ids,
                [
                    {
                        "res_partner_id": partner.id,
                        "notification_type": "email",
                        "notification_status": "ready",
                    }
                ],
            )
            self.assertEqual(line.email_state, "queued")
            self.assertIn("Customer reminded 1 time(s)", partner.dunning_comments)

    def test_message_post_extension_runs(self):
        """Reminder emails go through ``message_post``: its extensions (here
        ``_message_post_after_hook``) run for each of them."""
        partner_cls = type(self.env["res.partner"])
        original = partner_cls._message_post_after_hook
        posted = []

        def hook(partner, message, msg_values):
            posted.append((partner.id, message.subject))
            return original(partner, message, msg_values)

        with patch.object(partner_cls, "_message_post_after_hook", hook):
            self._execute(self._batch(self.customers[:3]))
        self.assertEqual(
            posted,
            [
                (partner.id, f"First reminder - {self.company.name}")
                for partner in self.customers[:3]
            ],
        )

    def test_followers_not_copied(self):
        """The reminder goes to the accounting contact only: the customer's
        followers get no copy."""
        follower = self.env["res.partner"].create(
            {"name": "Salesperson follower", "email": "follower@example.com"}
        )
        customer = self.customers[0]
        customer.message_subscribe(partner_ids=follower.ids)
        self._execute(self._batch(self.customers[:2]))
        mail = self._mails(customer)
        self.assertEqual(mail.recipient_ids, customer)
        self.assertFalse(
            self.env["mail.notification"].search([("res_partner_id", "=", follower.id)])
        )

    def test_test_mode(self):
        """In test mode every email goes to the test address, the customer's
        chatter gets a note, and no customer is notified."""
        self.company.write(
            {"dunning_test_mode": True, "dunning_test_email": "qa@example.com"}
        )
        self._execute(self._batch(self.customers[:3]))
        for partner in self.customers[:3]:
            mail = self._mails(partner)
            self.assertEqual(len(mail), 1)
            self.assertEqual(mail.email_to, "qa@example.com")
            self.assertFalse(mail.recipient_ids)
            self.assertTrue(mail.subject.startswith("[TEST] First reminder"))
            self.assertEqual(
                mail.mail_message_id.subtype_id, self.env.ref("mail.mt_note")
            )
            self.assertFalse(mail.mail_message_id.notification_ids)

    def test_one_template_error_executes_the_others(self):
        """A customer whose email cannot be rendered fails alone; the others
        of the chunk are reminded once."""
        broken = self.customers[1]
        original = type(self.env["res.partner"])._get_dunning_mail_lines

        def failing(partner):
            if partner == broken:
                raise ValueError("no table for this customer")
            return original(partner)

        with patch.object(
            type(self.env["res.partner"]), "_get_dunning_mail_lines", failing
        ):
            self._execute(self._batch(self.customers[:4]))
        lines = self.env["dunning.batch.line"].search(
            [("partner_id", "in", self.customers[:4].ids)]
        )
        self.assertEqual(
            {line.partner_id: line.state for line in lines},
            {
                self.customers[0]: "sent",
                broken: "failed",
                self.customers[2]: "sent",
                self.customers[3]: "sent",
            },
        )
        self.assertIn(
            "no table for this customer",
            lines.filtered(lambda line: line.partner_id == broken).reason,
        )
        self.assertFalse(self._mails(broken))
        self.assertFalse(broken.dunning_last_level_id)
        for partner in self.customers[:4] - broken:
            self.assertEqual(len(self._mails(partner)), 1)
