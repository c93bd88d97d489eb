# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The scale-out path: with OCA queue_job installed (``make test`` installs it),
the automatic follow-up hands its customers to one job per chunk on the
``root.dunning`` channel, and each customer is reminded once, whoever runs the
jobs and however often.
"""

import threading
from datetime import timedelta

from psycopg2 import OperationalError

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, freeze_time, tagged
from odoo.tools import mute_logger

from odoo.addons.queue_job.controllers.main import RunJobController
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import DunningCommon

CHANNEL = "root.dunning"


@tagged("post_install", "-at_install")
class TestDunningQueueJob(DunningCommon):
    """Jobs trapped in the test transaction (queue_job's test helper)."""

    def test_one_job_per_chunk_each_customer_once(self):
        customers = self.customer | self._create_customer("Bonjour IT")
        customers |= self._create_customer("Consulting Company France")
        for customer in customers:
            self._create_invoice(customer, 900.0, "2026-04-27")
        self.level_1.auto_execute = True
        self.company.dunning_chunk_size = 2
        with freeze_time("2026-05-02"), trap_jobs() as trap:
            self.env["dunning.batch"]._cron_auto_follow_up()
            # 3 customers by chunks of 2
            trap.assert_jobs_count(2)
            self.assertEqual({job.channel for job in trap.enqueued_jobs}, {CHANNEL})
            batch = self.env["dunning.batch"].search(
                [("origin", "=", "cron"), ("company_id", "=", self.company.id)]
            )
            self.assertEqual(batch.line_ids.partner_id, customers)
            self.assertEqual(set(batch.line_ids.mapped("state")), {"pending"})
            trap.perform_enqueued_jobs()
            # a job delivered twice (retried after a lost acknowledgement)
            # reminds nobody again
            trap.perform_enqueued_jobs()
        self.assertEqual(batch.state, "done")
        self.assertEqual(set(batch.line_ids.mapped("state")), {"sent"})
        for customer in customers:
            self.assertEqual(len(self._mails(customer)), 1, customer.name)


@tagged("post_install", "-at_install")
class TestDunningQueueJobTwoRunners(TransactionCase):
    """Two job runners execute the chunks of one batch at the same time.

    Each runner works as queue_job's ``/queue_job/runjob`` does (lock the job,
    perform it in its own transaction, retry on a serialization failure), in
    its own thread and database connection. Real transactions cannot see the
    test's uncommitted data: the test commits its own records and removes them
    at the end.
    """

    CUSTOMERS = 6

    def _cursor(self):
        cr = db_connect(self.env.cr.dbname).cursor()
        cr.execute("SET lock_timeout = '20s'")
        # the test's registry, not Registry(dbname): under `odoo-bin --test-tags`
        # the main thread holds the registries' lock while the tests run
        cr.transaction = api.Transaction(self.registry)
        return cr

    def _env(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        return env(context={"allowed_company_ids": env.ref("base.main_company").ids})

    def _setup_committed_data(self):
        """Main company, a one-level automatic strategy, customers each with an
        overdue invoice; returns the ids to clean up."""
        with self._cursor() as cr:
            env = self._env(cr)
            company = env.ref("base.main_company")
            if not env["account.journal"].search(
                [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
            ):
                env["account.chart.template"].try_loading(
                    "generic_coa", company, install_demo=False
                )
            company.email = company.email or "accounting@example.com"
            created = {"chunk_size": company.dunning_chunk_size}
            company.dunning_chunk_size = 1
            strategy = env["dunning.strategy"].create(
                {
                    "name": "Two runners",
                    "company_id": company.id,
                    "level_ids": [
                        Command.create(
                            {
                                "name": "Reminder",
                                "delay": 5,
                                "send_email": True,
                                "auto_execute": True,
                                "mail_template_id": env.ref(
                                    "account_dunning.mail_template_dunning_1"
                                ).id,
                            }
                        )
                    ],
                }
            )
            partners = env["res.partner"].create(
                [
                    {
                        "name": f"Runner customer {index}",
                        "is_company": True,
                        "email": f"runner.{index}@example.com",
                    }
                    for index in range(self.CUSTOMERS)
                ]
            )
            for partner in partners:
                partner.dunning_included = True
                partner.dunning_strategy_id = strategy
            due = fields.Date.context_today(env["res.partner"]) - timedelta(days=6)
            invoices = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_date": due,
                        "invoice_date_due": due,
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Goods",
                                    "quantity": 1,
                                    "price_unit": 500.0,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                    for partner in partners
                ]
            )
            invoices.action_post()
            created.update(
                strategy=strategy.id, partners=partners.ids, invoices=invoices.ids
            )
            cr.commit()  # pylint: disable=invalid-commit
        return created

    def _run_jobs(self, uuids, barrier, errors):
        """One job runner: performs the jobs of ``uuids`` that the other runner
        did not take, as ``/queue_job/runjob`` does."""
        try:
            barrier.wait(timeout=60)
            for uuid in uuids:
                for _attempt in range(20):
                    if self._run_job(uuid) != "retry":
                        break
        except Exception as error:  # reported by the test's thread
            errors.append(error)

    def _run_job(self, uuid):
        with self._cursor() as cr:
            env = self._env(cr)
            # the runner's lock: a job taken by the other runner is left to it
            try:
                cr.execute(
                    "SELECT 1 FROM queue_job WHERE uuid = %s AND state = 'pending'"
                    " FOR UPDATE SKIP LOCKED",
                    (uuid,),
                )
            except OperationalError as error:
                if error.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY:
                    raise
                return "taken"  # changed since this transaction began
            if not cr.fetchone():
                return "taken"
            job = Job.load(env, uuid)
            try:
                RunJobController()._try_perform_job(env, job)
                return "done"
            except OperationalError as error:
                if error.pgcode not in PG_CONCURRENCY_ERRORS_TO_RETRY:
                    raise
                # queue_job puts the job back to pending and runs it again
                cr.rollback()
                job = Job.load(env, uuid)
                job.set_pending(reset_retry=False)
                job.store()
                cr.commit()  # pylint: disable=invalid-commit
                return "retry"

    def test_two_runners_same_batch(self):
        created = self._setup_committed_data()
        self.addCleanup(self._cleanup, created)
        with self._cursor() as cr:
            env = self._env(cr)
            # only the jobs of this run (other tests commit jobs of their own)
            last_job = env["queue.job"].search([], order="id desc", limit=1).id or 0
            env["dunning.batch"]._cron_auto_follow_up()
            cr.commit()  # pylint: disable=invalid-commit
            batch = env["dunning.batch"].search(
                [("line_ids.partner_id", "in", created["partners"])]
            )
            created["batches"] = batch.ids
            jobs = env["queue.job"].search(
                [
                    ("channel", "=", CHANNEL),
                    ("state", "=", "pending"),
                    ("id", ">", last_job),
                ]
            )
            created["jobs"] = jobs.ids
            self.assertEqual(len(batch), 1)
            self.assertEqual(len(jobs), self.CUSTOMERS, "one job per chunk of 1")
            self.assertEqual(set(jobs.mapped("channel")), {CHANNEL})
            uuids = jobs.mapped("uuid")
        # runner A takes the jobs in order, runner B from the end: they meet
        # in the middle of the batch
        barrier, errors = threading.Barrier(2), []
        runners = [
            threading.Thread(target=self._run_jobs, args=(order, barrier, errors))
            for order in (uuids, uuids[::-1])
        ]
        # serialization failures are expected: the runners retry them
        with mute_logger("odoo.sql_db"):
            for runner in runners:
                runner.start()
            for runner in runners:
                runner.join(timeout=300)
        self.assertFalse(errors, errors)
        self.assertFalse(any(runner.is_alive() for runner in runners))
        # two runners finishing together may each still see the other's
        # last chunk pending: the jobs then trigger the cron, which closes
        # the batch (its first step, here)
        with self._cursor() as cr:
            env = self._env(cr)
            env["dunning.followup.auto"]._finalize(env.company)
            cr.commit()  # pylint: disable=invalid-commit
        with self._cursor() as cr:
            env = self._env(cr)
            batch = env["dunning.batch"].browse(created["batches"])
            self.assertEqual(
                set(env["queue.job"].browse(created["jobs"]).mapped("state")), {"done"}
            )
            self.assertEqual(batch.state, "done")
            self.assertEqual(set(batch.line_ids.mapped("state")), {"sent"})
            self.assertEqual(batch.sent_count, self.CUSTOMERS)
            for partner_id in created["partners"]:
                mails = env["mail.mail"].search(
                    [("model", "=", "res.partner"), ("res_id", "=", partner_id)]
                )
                self.assertEqual(len(mails), 1, "reminded exactly once")

    def _cleanup(self, created):
        with self._cursor() as cr:
            env = self._env(cr)
            env["queue.job"].browse(created.get("jobs", [])).unlink()
            env["mail.mail"].search(
                [("model", "=", "res.partner"), ("res_id", "in", created["partners"])]
            ).unlink()
            env["dunning.batch"].browse(created.get("batches", [])).exists().unlink()
            # posted invoices keep their audit trail: cancel, do not delete
            invoices = env["account.move"].browse(created["invoices"])
            invoices.button_draft()
            invoices.button_cancel()
            env["res.partner"].browse(created["partners"]).active = False
            env["dunning.strategy"].browse(created["strategy"]).active = False
            env.ref("base.main_company").dunning_chunk_size = created["chunk_size"]
            cr.commit()  # pylint: disable=invalid-commit
