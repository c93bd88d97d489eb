# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Concurrency, proven with two real database connections.

The test cursor of Odoo is one transaction that a second connection cannot
see: these tests create and COMMIT their data through their own connections,
in the main company but on a strategy and customers of their own (unique
names), so that leftovers never change another test. The test database is
dropped by the harness at the end.
"""

import uuid
from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged

from . import soak
from .common import DunningCommon

DATE = "2026-06-01"


@tagged("post_install", "-at_install")
class TestDunningConcurrency(TransactionCase):
    @contextmanager
    def _cursor(self):
        """A real, independent connection (the caller commits)."""
        cr = db_connect(self.env.cr.dbname).cursor()
        cr.execute("SET lock_timeout = '20s'")  # a lock wait fails the test
        try:
            yield cr
        finally:
            cr.rollback()
            cr.close()

    def _env(self, cr, uid):
        return api.Environment(
            cr, uid, {"allowed_company_ids": [self.company_id], "lang": "en_US"}
        )

    def setUp(self):
        super().setUp()
        tag = uuid.uuid4().hex[:8]
        with self._cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            self.company_id = company.id
            env = self._env(cr, SUPERUSER_ID)
            strategy = env["dunning.strategy"].create(
                {
                    "name": f"Concurrency {tag}",
                    "company_id": company.id,
                    "level_ids": [
                        Command.create(
                            {
                                "name": "Reminder",
                                "delay": 5,
                                "send_email": True,
                                "mail_template_id": env.ref(
                                    "account_dunning.mail_template_dunning_1"
                                ).id,
                            }
                        )
                    ],
                }
            )
            groups = env.ref("account.group_account_invoice") | env.ref(
                "base.group_partner_manager"
            )
            users = env["res.users"].create(
                [
                    {
                        "name": f"Billing {who} {tag}",
                        "login": f"dunning_{who}_{tag}",
                        "email": f"billing.{who}.{tag}@example.com",
                        "company_id": company.id,
                        "company_ids": [Command.set(company.ids)],
                        "groups_id": [Command.set(groups.ids)],
                    }
                    for who in ("a", "b")
                ]
            )
            customers = env["res.partner"].create(
                [
                    {
                        "name": f"{name} {tag}",
                        "is_company": True,
                        "email": f"{name.lower()}.{tag}@example.com",
                    }
                    for name in ("Alpha", "Beta")
                ]
            )
            customers.write(
                {"dunning_included": True, "dunning_strategy_id": strategy.id}
            )
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": customer.id,
                        "invoice_date": "2026-04-27",
                        "invoice_date_due": "2026-04-27",
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Goods",
                                    "quantity": 1,
                                    "price_unit": 1000.0,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                    for customer in customers
                ]
            )
            invoices.action_post()
            self.strategy_id = strategy.id
            self.level_id = strategy.level_ids.id
            self.user_a, self.user_b = users.ids
            self.customer_ids = customers.ids
            self.invoice_ids = invoices.ids
            cr.commit()  # pylint: disable=invalid-commit  # two-connection test: data seen by the workers' cursors

    def _launch(self, env):
        return (
            env["dunning.launch.wizard"]
            .create(
                {
                    "strategy_id": self.strategy_id,
                    "level_id": self.level_id,
                    "date": DATE,
                }
            )
            ._launch()
        )

    def _check_final_state(self, expected_mails):
        """In a new transaction: one email per reminded customer, nobody due."""
        with self._cursor() as cr:
            env = self._env(cr, SUPERUSER_ID)
            result = env["dunning.engine"]._evaluate(
                date=DATE,
                partners=env["res.partner"].browse(self.customer_ids),
                company=env["res.company"].browse(self.company_id),
            )
            self.assertFalse(result.to_remind(self.level_id))
            mails = env["mail.mail"].search(
                [("model", "=", "res.partner"), ("res_id", "in", self.customer_ids)]
            )
            self.assertEqual(sorted(mails.mapped("res_id")), sorted(expected_mails))
            return env["dunning.batch.line"].search_read(
                [("partner_id", "in", self.customer_ids)],
                ["batch_id", "partner_id", "state", "reason"],
            )

    def test_two_users_launch_the_same_level_at_once(self):
        with self._cursor() as cr_a, self._cursor() as cr_b:
            env_a = self._env(cr_a, self.user_a)
            env_b = self._env(cr_b, self.user_b)
            # A launches: both customers reminded, transaction still open
            batch_a = self._launch(env_a)
            self.assertEqual(batch_a.sent_count, 2)
            # B launches the same level meanwhile: B still sees both customers
            # due (A did not commit), but their items are locked by A
            batch_b = self._launch(env_b)
            self.assertEqual(batch_b.sent_count, 0)
            self.assertEqual(batch_b.skipped_count, 2)
            for line in batch_b.line_ids:
                self.assertIn("another follow-up", line.reason)
            self.assertFalse(batch_b.line_ids.mail_ids)
            cr_b.commit()
            cr_a.commit()
        lines = self._check_final_state(expected_mails=self.customer_ids)
        self.assertEqual(
            sorted((line["state"]) for line in lines),
            ["sent", "sent", "skipped", "skipped"],
        )

    def test_payment_registered_while_batch_executes(self):
        with self._cursor() as cr_a, self._cursor() as cr_b:
            env_a = self._env(cr_a, self.user_a)
            env_b = self._env(cr_b, self.user_b)
            # A prepares the batch (its transaction and snapshot start here)
            selection = (
                env_a["dunning.engine"]
                ._evaluate(
                    date=DATE,
                    partners=env_a["res.partner"].browse(self.customer_ids),
                )
                .to_remind(self.level_id)
            )
            self.assertEqual(sorted(selection), sorted(self.customer_ids))
            batch = env_a["dunning.batch"]._create_from_selection(
                selection,
                {
                    "strategy_id": self.strategy_id,
                    "level_id": self.level_id,
                    "date": DATE,
                },
            )
            # B registers the payment of Beta's invoice and commits
            beta_invoice = env_b["account.move"].browse(self.invoice_ids[1])
            env_b["account.payment.register"].with_context(
                active_model="account.move", active_ids=beta_invoice.ids
            ).create({"payment_date": "2026-05-30"})._create_payments()
            self.assertEqual(beta_invoice.payment_state, "paid")
            cr_b.commit()
            # A executes: Alpha reminded, Beta (paid meanwhile) skipped
            batch._execute()
            lines = {line.partner_id.id: line for line in batch.line_ids}
            alpha, beta = (lines[pid] for pid in self.customer_ids)
            self.assertEqual(alpha.state, "sent")
            self.assertEqual(beta.state, "skipped")
            self.assertIn("payment", beta.reason)
            self.assertFalse(beta.mail_ids)
            cr_a.commit()
        self._check_final_state(expected_mails=self.customer_ids[:1])

    def test_two_workers_share_a_background_batch(self):
        """Two executors (cron workers or jobs) on one batch running in the
        background: each takes a chunk the other has not locked, and every
        customer is reminded once."""
        with self._cursor() as cr:
            env = self._env(cr, SUPERUSER_ID)
            company = env["res.company"].browse(self.company_id)
            chunk_size = company.dunning_chunk_size
            company.dunning_chunk_size = 1
            cr.commit()  # pylint: disable=invalid-commit  # two-connection test: seen by the other cursors
        self.addCleanup(self._set_chunk_size, chunk_size)
        with self._cursor() as cr:
            with patch.object(type(self.env["ir.cron"]), "_trigger"):
                batch = self._launch(self._env(cr, self.user_a))
            self.assertEqual(batch.state, "running")
            batch_id = batch.id
            cr.commit()  # pylint: disable=invalid-commit  # two-connection test: the workers read the batch
        with self._cursor() as cr_1, self._cursor() as cr_2:
            worker_1 = self._env(cr_1, SUPERUSER_ID)["dunning.followup.auto"]
            worker_2 = self._env(cr_2, SUPERUSER_ID)["dunning.followup.auto"]
            context = {"dunning_no_queue_job": True}
            # worker 1 reminds the first customer, not committed yet
            self.assertEqual(worker_1.with_context(**context)._cron_run(DATE), 1)
            # worker 2 skips the locked line and takes the other one
            self.assertEqual(worker_2.with_context(**context)._cron_run(DATE), 1)
            cr_2.commit()
            cr_1.commit()
        with self._cursor() as cr:
            env = self._env(cr, SUPERUSER_ID)
            env["dunning.followup.auto"].with_context(**context)._cron_run(DATE)
            batch = env["dunning.batch"].browse(batch_id)
            self.assertEqual(batch.state, "done")
            self.assertEqual(batch.line_ids.mapped("state"), ["sent", "sent"])
            cr.commit()  # pylint: disable=invalid-commit  # two-connection test: final state, cleaned up after
        self._check_final_state(expected_mails=self.customer_ids)

    def _set_chunk_size(self, size):
        with self._cursor() as cr:
            self._env(cr, SUPERUSER_ID)["res.company"].browse(
                self.company_id
            ).dunning_chunk_size = size
            cr.commit()  # pylint: disable=invalid-commit  # two-connection test: restore the committed setting


@tagged("post_install", "-at_install")
class TestDunningSoak(DunningCommon):
    """The soak of ``make bench`` (tests/soak.py) on a small
    dataset: every level launched every day for 30 days reminds each item
    exactly once per level."""

    def test_soak_one_reminder_per_item_and_level(self):
        customers = [self.customer] + [
            self._create_customer(f"Soak {index}") for index in range(3)
        ]
        first_items = self.env["account.move.line"]
        for index, customer in enumerate(customers):
            invoice = self._create_invoice(customer, 100.0 * (index + 1), "2026-05-20")
            first_items |= invoice.line_ids.filtered("date_maturity")
            self._create_invoice(customer, 50.0, f"2026-06-{10 + index:02d}")
        paid = self._create_invoice(customers[-1], 70.0, "2026-05-25")
        self._pay(paid, date="2026-05-26")
        figures = soak.run_soak(self.env, days=30, start=date(2026, 6, 1))
        self.assertEqual(figures["duplicates"], 0)
        self.assertEqual(figures["failed"], 0)
        self.assertGreaterEqual(figures["sent"], 12)
        sent_lines = self.env["dunning.batch.line"].search([("state", "=", "sent")])
        self.assertEqual(len(sent_lines), figures["sent"])
        # the items overdue since 2026-05-20 escalated level after level, each
        # level once (never skipped, never repeated)
        self.assertIn(self.level_3, first_items.dunning_level_id)
        for item in first_items:
            delays = (
                sent_lines.filtered(lambda ln, i=item: i in ln.item_ids)
                .sorted("date")
                .mapped("level_id.delay")
            )
            self.assertEqual(delays, [5, 10, 20][: len(delays)], item.move_id.name)
            self.assertGreaterEqual(len(delays), 2)
        # the paid invoice was never reminded
        self.assertFalse(sent_lines.item_ids.filtered(lambda aml: aml.move_id == paid))
