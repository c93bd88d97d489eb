# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta
from unittest import SkipTest
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import AccessError, UserError
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, freeze_time, new_test_user, tagged

from odoo.addons.account_dunning.models.dunning_send import DunningSend
from odoo.addons.base.models.ir_cron import CompletionStatus

from .common import DunningCommon, load_french


class DunningCronCommon(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Worker = cls.env["dunning.followup.auto"].with_context(
            dunning_no_queue_job=True
        )
        cls.consulting = cls._create_customer("Consulting Company France")
        # both due 2026-04-27 (seed): level 1 due on 2026-05-02
        cls.invoice_tech = cls._create_invoice(
            cls.customer, 900.0, "2026-04-27", invoice_date="2026-03-28"
        )
        cls.invoice_consulting = cls._create_invoice(
            cls.consulting, 3000.0, "2026-04-27", invoice_date="2026-03-28"
        )

    def _cron_batches(self, **domain):
        return self.env["dunning.batch"].search(
            [("origin", "=", "cron"), ("company_id", "=", self.company.id)]
            + [(key, "=", value) for key, value in domain.items()]
        )

    def _run(self, day, progress=None):
        """One call of the cron on ``day`` (as the cron framework does)."""
        worker = self.Worker
        if progress:
            worker = worker.with_context(ir_cron_progress_id=progress.id)
        with freeze_time(day):
            return worker._cron_run()

    def _run_until_done(self, day, max_calls=50):
        calls = 0
        while True:
            calls += 1
            self.assertLess(calls, max_calls, "the automatic follow-up never ends")
            if not self._run(day):
                return calls

    def _receivable(self, invoice):
        return invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )

    def _new_progress(self):
        cron = self.env.ref("account_dunning.ir_cron_dunning_auto_follow_up").sudo()
        return (
            self.env["ir.cron.progress"]
            .sudo()
            .create({"cron_id": cron.id, "done": 0, "remaining": 0})
        )


@tagged("post_install", "-at_install")
class TestDunningCron(DunningCronCommon):
    def test_cron_wiring(self):
        cron = self.env.ref("account_dunning.ir_cron_dunning_auto_follow_up").sudo()
        self.assertRecordValues(
            cron,
            [
                {
                    "name": "Automatic follow-up",
                    "model_id": self.env.ref(
                        "account_dunning.model_dunning_followup_auto"
                    ).id,
                    "state": "code",
                    "interval_number": 1,
                    "interval_type": "days",
                    "active": True,
                    "user_id": self.env.ref("base.user_root").id,
                }
            ],
        )
        self.assertEqual(cron.code.strip(), "model._cron_run()")
        # the code really calls the business method
        with patch.object(
            type(self.env["dunning.followup.auto"]), "_cron_run", return_value=0
        ) as run:
            cron.ir_actions_server_id.run()
        run.assert_called_once_with()

    def test_auto_levels_only(self):
        self.level_1.auto_execute = True
        self.assertFalse(self._run_until_done("2026-05-01") > 1)
        self.assertFalse(self._cron_batches(), "nothing due before +5")
        self._run_until_done("2026-05-02")
        batch = self._cron_batches()
        self.assertRecordValues(
            batch,
            [
                {
                    "level_id": self.level_1.id,
                    "strategy_id": self.strategy.id,
                    "state": "done",
                    "sent_count": 2,
                    "partner_count": 2,
                    "total_balance": 3900.0,
                    "user_id": self.env.user.id,
                }
            ],
        )
        self.assertEqual(str(batch.date), "2026-05-02")
        self.assertEqual(batch.line_ids.partner_id, self.customer | self.consulting)
        self.assertEqual(
            self._receivable(self.invoice_tech).dunning_level_id, self.level_1
        )
        self.assertEqual(len(self._mails(self.customer)), 1)
        self.assertEqual(
            self._mails(self.customer).recipient_ids, self.customer_contact
        )
        # level 2 is due on 2026-05-07 but is not automatic: nothing happens
        self._run_until_done("2026-05-07")
        self.assertEqual(self._cron_batches(), batch)
        self.assertEqual(
            self._receivable(self.invoice_tech).dunning_level_id, self.level_1
        )
        self.assertEqual(len(self._mails(self.customer)), 1)

    def test_manual_and_paused_customers_left_alone(self):
        self.level_1.auto_execute = True
        manual = self._create_customer("Manual SARL", included=False)
        later = self._create_customer("Later SAS")
        later.dunning_next_date = "2026-05-20"
        inv_manual = self._create_invoice(manual, 100.0, "2026-04-27")
        inv_later = self._create_invoice(later, 200.0, "2026-04-27")
        self._run_until_done("2026-05-02")
        batch = self._cron_batches()
        self.assertEqual(batch.line_ids.partner_id, self.customer | self.consulting)
        for partner, invoice in ((manual, inv_manual), (later, inv_later)):
            self.assertFalse(self._mails(partner))
            self.assertFalse(self._receivable(invoice).dunning_level_id)
        note = batch.message_ids.filtered(lambda m: "left alone" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn(
            "not included in the follow-up process: 1 customer(s) " "(Manual SARL)",
            note.body,
        )
        self.assertIn(
            "Next reminder date is in the future: 1 customer(s) " "(Later SAS)",
            note.body,
        )

    def test_idempotent_same_day(self):
        self.level_1.auto_execute = True
        self._run_until_done("2026-05-02")
        self._run_until_done("2026-05-02")
        batch = self._cron_batches()
        self.assertEqual(len(batch), 1)
        self.assertEqual(batch.sent_count, 2)
        self.assertEqual(len(self._mails(self.customer)), 1)
        self.assertEqual(len(self._mails(self.consulting)), 1)

    def _create_many(self, count):
        partners = self.env["res.partner"]
        for index in range(count):
            partner = self._create_customer(f"Customer {index}")
            self._create_invoice(partner, 100.0 + index, "2026-04-27")
            partners |= partner
        return partners

    def test_resume_in_chunks(self):
        """Small chunks: each call does one chunk and reports its progress;
        a call cut by the time limit (rolled back) is redone by the next one,
        and everybody is reminded exactly once."""
        self.level_1.auto_execute = True
        self.company.dunning_chunk_size = 2
        others = self._create_many(3)  # 5 customers due with the seed ones
        everybody = self.customer | self.consulting | others
        progress = self._new_progress()
        self.assertEqual(self._run("2026-05-02", progress), 3)
        self.assertRecordValues(progress, [{"done": 2, "remaining": 3}])
        batch = self._cron_batches()
        self.assertEqual(batch.state, "running")
        self.assertEqual(batch.line_ids.mapped("state").count("sent"), 2)
        # the next call is cut by the time limit: its work is rolled back
        with self.assertRaises(TimeoutError), self.env.cr.savepoint():
            with patch.object(DunningSend, "_send", side_effect=TimeoutError):
                self._run("2026-05-02", progress)
        self.env.invalidate_all()
        self.assertEqual(batch.line_ids.mapped("state").count("pending"), 3)
        # the cron resumes where it stopped
        progress = self._new_progress()
        self.assertEqual(self._run("2026-05-02", progress), 1)
        self.assertRecordValues(progress, [{"done": 2, "remaining": 1}])
        progress = self._new_progress()
        self.assertEqual(self._run("2026-05-02", progress), 0)
        self.assertRecordValues(progress, [{"done": 1, "remaining": 0}])
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.sent_count, 5)
        for partner in everybody:
            self.assertEqual(len(self._mails(partner)), 1, partner.name)
        self.assertEqual(len(self._cron_batches()), 1)

    def test_crash_mid_chunk(self):
        """A crash in the middle of a chunk (emails queued, items written):
        nothing of the chunk is kept, the next run completes it, nobody is
        reminded twice."""
        self.level_1.auto_execute = True
        self.company.dunning_chunk_size = 3
        others = self._create_many(3)
        everybody = self.customer | self.consulting | others
        self._run("2026-05-02")  # first chunk of 3 done
        batch = self._cron_batches()
        self.assertEqual(batch.line_ids.mapped("state").count("sent"), 3)
        original = DunningSend._record_reminders
        calls = []

        def crash_after_recording(send, reminders):
            calls.append(len(reminders))
            original(send, reminders)
            raise MemoryError("worker killed")

        with self.assertRaises(MemoryError), self.env.cr.savepoint():
            with patch.object(DunningSend, "_record_reminders", crash_after_recording):
                self._run("2026-05-02")
        self.env.invalidate_all()
        self.assertEqual(calls, [2])
        # the chunk was rolled back with its emails
        self.assertEqual(batch.line_ids.mapped("state").count("pending"), 2)
        self.assertEqual(self._run_until_done("2026-05-02"), 1)
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.sent_count, 5)
        for partner in everybody:
            self.assertEqual(len(self._mails(partner)), 1, partner.name)

    def test_launched_batch_and_cron_same_level(self):
        """A user launches level 1 while the cron's batch is planned: each
        customer is reminded once (the cron's lines are skipped)."""
        self.level_1.auto_execute = True
        self.company.dunning_chunk_size = 1
        self._run("2026-05-02")  # plans, reminds the first customer
        cron_batch = self._cron_batches()
        first = cron_batch.line_ids.filtered(lambda ln: ln.state == "sent").partner_id
        self.assertEqual(len(first), 1)
        launched = self._launch(self.level_1, "2026-05-02")
        self.assertEqual(
            launched.line_ids.partner_id, (self.customer | self.consulting) - first
        )
        self.assertEqual(launched.sent_count, 1)
        self._run_until_done("2026-05-02")
        self.assertEqual(cron_batch.state, "done")
        self.assertEqual(cron_batch.skipped_count, 1)
        # re-evaluated at execution: already reminded by the launched batch
        self.assertEqual(
            cron_batch.line_ids.filtered(lambda ln: ln.state == "skipped").reason,
            "Skipped: Reminded lately: the next level is not due before the next "
            "reminder date.",
        )
        self.assertEqual(len(self._mails(self.customer)), 1)
        self.assertEqual(len(self._mails(self.consulting)), 1)

    def test_seed_scenario_day_by_day(self):
        """All levels automatic: the cron reminds R1 at +5, R2 at +10 and R3
        at +20 unattended."""
        (self.level_1 | self.level_2 | self.level_3).auto_execute = True
        day = date(2026, 4, 27)
        reminders = []
        while day <= date(2026, 5, 22):
            before = set(self._cron_batches().ids)
            self._run_until_done(day.isoformat())
            new = self._cron_batches().filtered(
                lambda b, before=before: b.id not in before
            )
            for batch in new:
                reminders.append((str(batch.date), batch.level_id, batch.sent_count))
            day += timedelta(days=1)
        self.assertEqual(
            reminders,
            [
                ("2026-05-02", self.level_1, 2),
                ("2026-05-07", self.level_2, 2),
                ("2026-05-17", self.level_3, 2),
            ],
        )
        self.assertEqual(self.customer.dunning_marker_id, self.marker_r3)
        self.assertEqual(
            self.consulting.dunning_sale_warning,
            "[05/17/2026] Payment overdue by 20 days",
        )
        self.assertEqual(len(self._mails(self.consulting)), 3)
        self.assertFalse(self._cron_batches().filtered(lambda b: b.state != "done"))


@tagged("post_install", "-at_install")
class TestDunningCronQueueJob(DunningCronCommon):
    def test_queue_job_one_job_per_chunk(self):
        if "queue.job" not in self.env:
            raise SkipTest(
                "queue_job is not installed in the test database "
                "(make test EXTRA_MODULES=queue_job)"
            )
        from odoo.addons.queue_job.tests.common import trap_jobs

        self.level_1.auto_execute = True
        self.company.dunning_chunk_size = 1
        with freeze_time("2026-05-02"), trap_jobs() as trap:
            remaining = self.env["dunning.followup.auto"]._cron_run()
            self.assertEqual(remaining, 0)
            trap.assert_jobs_count(2)
            for job in trap.enqueued_jobs:
                self.assertEqual(job.channel, "root.dunning")
            batch = self._cron_batches()
            self.assertEqual(set(batch.line_ids.mapped("state")), {"pending"})
            trap.perform_enqueued_jobs()
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.sent_count, 2)
        self.assertEqual(len(self._mails(self.customer)), 1)

    def test_launch_beyond_one_chunk_as_jobs(self):
        """A launched batch larger than one chunk becomes one job per chunk."""
        if "queue.job" not in self.env:
            raise SkipTest("queue_job is not installed in the test database")
        from odoo.addons.queue_job.tests.common import trap_jobs

        self.company.dunning_chunk_size = 1
        with trap_jobs() as trap:
            batch = self._launch(self.level_1, "2026-06-01")
            self.assertEqual(batch.state, "running")
            trap.assert_jobs_count(2)
            self.assertEqual(
                {job.channel for job in trap.enqueued_jobs}, {"root.dunning"}
            )
            trap.perform_enqueued_jobs()
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.sent_count, 2)
        self.assertEqual(len(self._mails(self.customer)), 1)
        self.assertEqual(len(self._mails(self.consulting)), 1)


@tagged("post_install", "-at_install")
class TestDunningCronTwoCursors(TransactionCase):
    """The cron and a launched batch in two real transactions.

    Test cursors share one transaction, and a real second connection cannot
    see uncommitted test data: this test commits its own data (main company,
    its default strategy) through real cursors and removes it at the end.
    """

    def _env(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        return env(context={"allowed_company_ids": env.ref("base.main_company").ids})

    def _cursor(self):
        cr = db_connect(self.env.cr.dbname).cursor()
        cr.execute("SET lock_timeout = '10s'")
        return cr

    def test_cron_and_launch_in_two_transactions(self):
        created = {}
        with self._cursor() as cr:
            env = self._env(cr)
            company = env.ref("base.main_company")
            strategy = env["dunning.strategy"]._get_company_default(company)
            if not strategy or not env["account.journal"].search(
                [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
            ):
                self.skipTest("the main company has no default strategy or journal")
            level = strategy._get_sorted_levels()[:1]
            if level.send_email:
                company.email = company.email or "accounting@example.com"
            partner = env["res.partner"].create(
                {
                    "name": "Two Cursors SA",
                    "is_company": True,
                    "email": "two.cursors@example.com",
                }
            )
            partner.dunning_included = True
            invoice = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": "2026-04-01",
                    "invoice_date_due": "2026-04-01",
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
            )
            invoice.action_post()
            auto_before = level.auto_execute
            level.auto_execute = True
            created = {
                "partner": partner.id,
                "invoice": invoice.id,
                "level": level.id,
                "auto": auto_before,
            }
            day = date(2026, 4, 1) + timedelta(days=level.delay)
            cr.commit()  # pylint: disable=invalid-commit  # two-connection test: seen by the other cursors
        self.addCleanup(self._cleanup, created)
        cr_user = self._cursor()
        cr_cron = self._cursor()
        try:
            # the user launches the level: its line locks the items and
            # reminds the customer, not committed yet
            env_user = self._env(cr_user)
            result = env_user["dunning.engine"]._evaluate(
                date=day, partners=env_user["res.partner"].browse(created["partner"])
            )
            launched = env_user["dunning.batch"]._create_from_selection(
                result.to_remind(created["level"]),
                {"level_id": created["level"], "date": day, "origin": "launch"},
            )
            launched._execute()
            self.assertEqual(launched.line_ids.state, "sent")
            env_user.flush_all()
            # meanwhile the cron runs in its own transaction
            env_cron = self._env(cr_cron)
            env_cron["dunning.followup.auto"].with_context(
                dunning_no_queue_job=True
            )._cron_run(date=day)
            cron_batch = env_cron["dunning.batch"].search(
                [
                    ("origin", "=", "cron"),
                    ("date", "=", day),
                    ("level_id", "=", created["level"]),
                ]
            )
            line = cron_batch.line_ids.filtered(
                lambda ln: ln.partner_id.id == created["partner"]
            )
            self.assertEqual(line.state, "skipped")
            self.assertIn("at the same time", line.reason)
            created["cron_batch"] = cron_batch.id
            env_cron.flush_all()
            cr_cron.commit()
            cr_user.commit()
            created["launched"] = launched.id
        finally:
            cr_user.close()
            cr_cron.close()
        with self._cursor() as cr:
            env = self._env(cr)
            mails = env["mail.mail"].search(
                [("model", "=", "res.partner"), ("res_id", "=", created["partner"])]
            )
            self.assertEqual(len(mails), 1, "reminded exactly once")

    def _cleanup(self, created):
        with self._cursor() as cr:
            env = self._env(cr)
            batches = (
                env["dunning.batch"]
                .browse(
                    [
                        created[key]
                        for key in ("launched", "cron_batch")
                        if key in created
                    ]
                )
                .exists()
            )
            partner = env["res.partner"].browse(created["partner"])
            env["mail.mail"].search(
                [("model", "=", "res.partner"), ("res_id", "=", partner.id)]
            ).unlink()
            runs = batches.auto_run_id
            batches.unlink()
            runs.unlink()
            # posted invoices keep their audit trail: cancel, do not delete
            invoice = env["account.move"].browse(created["invoice"])
            invoice.button_draft()
            invoice.button_cancel()
            env["dunning.level"].browse(created["level"]).auto_execute = created["auto"]
            partner.active = False
            cr.commit()  # pylint: disable=invalid-commit  # two-connection test: undo the committed data


@tagged("post_install", "-at_install")
class TestDunningCronLanguage(DunningCronCommon):
    """What the follow-up writes for a French company is French, whoever
    runs it (here the cron as an English-speaking user)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        cls.company.partner_id.lang = "fr_FR"

    def test_cron_writes_in_the_company_language(self):
        self.Worker = self.Worker.with_context(lang="en_US")
        self.level_1.auto_execute = True
        self._run_until_done("2026-05-02")
        batch = self._cron_batches()
        self.assertEqual(
            batch.name, "Lancement automatique des relances Delay 1 02/05/2026"
        )
        self.assertIn(
            "02/05/2026 : Dépassement de l'échéance", self.customer.dunning_comments
        )
        self.assertIn("Relance exécutée le 02/05/2026", batch.message_ids[:1].body)
        self.assertIn(
            "Relance Delay 1",
            self.invoice_tech.message_ids[:1].body,
        )

    def test_sale_warning_in_the_company_language(self):
        """The sales warning is read by the company's salesmen: company
        language and date format, whoever runs the reminder."""
        self.level_3.with_context(
            lang="fr_FR"
        ).sale_warning_message = "Retard de paiement de plus de 20 jours"
        self.consulting.with_context(lang="en_US")._dunning_set_sale_warning(
            self.level_3, date(2026, 5, 17)
        )
        self.assertEqual(
            self.consulting.dunning_sale_warning,
            "[17/05/2026] Retard de paiement de plus de 20 jours",
        )


@tagged("post_install", "-at_install")
class TestDunningAutoRuns(DunningCronCommon):
    """Every run of the automatic follow-up is recorded, also when nobody is
    due; accounting managers see them, switch levels on and "Run Now" from
    Invoicing > Follow-up > Automatic Follow-up; the scheduled action may run
    as an accounting manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="vidal.auto",
            name="Madame Vidal",
            groups="base.group_user,account.group_account_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.cron = cls.env.ref("account_dunning.ir_cron_dunning_auto_follow_up")

    def _runs(self):
        return self.env["dunning.auto.run"].search(
            [("company_id", "=", self.company.id)]
        )

    def test_run_recorded_when_nobody_due(self):
        self.level_1.auto_execute = True
        later = self._create_customer("Later SAS")
        later.dunning_next_date = "2026-05-20"
        self._create_invoice(later, 200.0, "2026-04-27")
        self._run_until_done("2026-05-01")
        run = self._runs()
        self.assertRecordValues(
            run,
            [
                {
                    "date": date(2026, 5, 1),
                    "trigger": "cron",
                    "state": "nothing",
                    "partner_count": 0,
                    "sent_count": 0,
                    "left_alone_count": 0,
                    "level_ids": self.level_1.ids,
                    "batch_ids": [],
                }
            ],
        )
        self.assertEqual(run.summary, "Delay 1 (Classic): nobody to remind.")
        # the cron is called again the same day (a background launch...): the
        # day's run is not repeated
        self._run_until_done("2026-05-01")
        self.assertEqual(self._runs(), run)
        self._run_until_done("2026-05-02")
        run = self._runs()[0]
        batch = self._cron_batches()
        self.assertRecordValues(
            run,
            [
                {
                    "date": date(2026, 5, 2),
                    "state": "done",
                    "partner_count": 2,
                    "sent_count": 2,
                    "left_alone_count": 1,
                    "batch_ids": batch.ids,
                }
            ],
        )
        self.assertEqual(
            run.summary,
            f"Delay 1 (Classic): 2 customer(s) to remind, batch {batch.code}. Left "
            "alone: Next reminder date is in the future (1).",
        )
        self.assertEqual(len(self._runs()), 2)

    def test_run_now_with_feedback(self):
        page = self.env["dunning.auto.page"].with_user(self.manager).create({})
        self.assertEqual(
            page.level_line_ids.level_id, self.level_1 | self.level_2 | self.level_3
        )
        with self.assertRaisesRegex(UserError, "runs automatically"):
            page.action_run_now()
        # the switch on the page is the level's
        page.write(
            {
                "level_line_ids": [
                    Command.update(
                        page.level_line_ids.filtered(
                            lambda ln: ln.level_id == self.level_1
                        ).id,
                        {"auto_execute": True},
                    )
                ]
            }
        )
        self.assertTrue(self.level_1.auto_execute)
        self.assertFalse(self.level_2.auto_execute)
        with freeze_time("2026-05-02"):
            action = page.action_run_now()
        batch = self._cron_batches()
        self.assertRecordValues(
            batch,
            [
                {
                    "state": "done",
                    "sent_count": 2,
                    "user_id": self.manager.id,
                    "level_id": self.level_1.id,
                }
            ],
        )
        self.assertEqual(batch.auto_run_id.trigger, "manual")
        self.assertEqual(batch.auto_run_id.user_id, self.manager)
        params = action["params"]
        self.assertEqual(params["type"], "success")
        self.assertEqual(
            params["message"],
            "2 customer(s) reminded, 0 skipped, 0 failed. Batches: %s",
        )
        self.assertEqual(
            params["links"],
            [
                {
                    "label": batch.code,
                    "url": "/odoo/action-account_dunning.dunning_batch_action/"
                    f"{batch.id}",
                }
            ],
        )
        self.assertEqual(params["next"]["tag"], "soft_reload")
        self.assertEqual(len(self._mails(self.customer)), 1)
        # again: nobody is due any more, and the run says so
        with freeze_time("2026-05-02"):
            action = page.action_run_now()
        self.assertEqual(
            action["params"]["message"],
            "Nobody to remind today at the automatic levels (Delay 1).",
        )
        self.assertEqual(self._cron_batches(), batch)
        page.invalidate_recordset()
        self.assertEqual(len(page.run_ids), 2)
        self.assertEqual(page.run_ids[0].state, "nothing")
        self.assertEqual(len(self._mails(self.customer)), 1)
        # the scheduled run of the day does not repeat the levels run by hand
        self._run_until_done("2026-05-02")
        self.assertEqual(len(self._runs()), 2)

    def test_run_now_in_background(self):
        """A run larger than one chunk returns at once; the worker finishes it
        and the manager is told when it ends."""
        self.level_1.auto_execute = True
        self.company.dunning_chunk_size = 1
        page = self.env["dunning.auto.page"].with_user(self.manager).create({})
        with freeze_time("2026-05-02"):
            action = page.action_run_now()
        batch = self._cron_batches()
        self.assertEqual(batch.state, "running")
        self.assertIn("runs in the background", action["params"]["message"])
        self.assertFalse(self._mails(self.customer))
        self._run_until_done("2026-05-02")
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.sent_count, 2)
        # the bus notification of the manager, sent when the transaction commits
        sent = [
            values
            for values in self.env.cr.precommit.data.get("bus.bus.values", [])
            if "Follow-up done" in values["message"]
        ]
        self.assertEqual(len(sent), 1)
        self.assertIn(
            f'"res.partner",{self.manager.partner_id.id}]',
            sent[0]["channel"].replace(" ", ""),
        )

    def test_page_for_accounting_managers(self):
        """Madame Vidal (accounting manager, no Settings) reaches the page
        from the menu and sees the scheduled action, read for display."""
        self.assertFalse(self.manager.has_group("base.group_system"))
        menu = self.env.ref("account_dunning.dunning_auto_page_menu")
        self.assertIn(
            menu.id, self.env["ir.ui.menu"].with_user(self.manager)._visible_menu_ids()
        )
        billing = new_test_user(
            self.env, login="billing.auto", groups="account.group_account_invoice"
        )
        self.assertNotIn(
            menu.id, self.env["ir.ui.menu"].with_user(billing)._visible_menu_ids()
        )
        action = (
            self.env.ref("account_dunning.dunning_auto_page_action")
            .with_user(self.manager)
            .run()
        )
        page = (
            self.env["dunning.auto.page"]
            .with_user(self.manager)
            .browse(action["res_id"])
        )
        cron = self.cron.sudo()
        self.assertRecordValues(
            page,
            [
                {
                    "cron_active": True,
                    "cron_user_id": cron.user_id.id,
                    "cron_nextcall": cron.nextcall,
                    "cron_warning": False,
                }
            ],
        )
        with self.assertRaises(AccessError):
            self.env["dunning.auto.page"].with_user(billing).create({})
        # a responsible user without access to the company: said on the page
        other = new_test_user(
            self.env,
            login="other.manager",
            groups="base.group_user,account.group_account_manager",
            company_id=self.setup_other_company(name="Other Auto")["company"].id,
        )
        cron.user_id = other
        page.invalidate_recordset()
        self.assertIn("has no access to", page.cron_warning)

    def test_runs_per_company(self):
        company_b = self.setup_other_company(name="Auto Company B")["company"]
        Run = self.env["dunning.auto.run"].sudo()
        run_a = Run.create(
            {"company_id": self.company.id, "date": "2026-05-02", "trigger": "cron"}
        )
        run_b = Run.create(
            {"company_id": company_b.id, "date": "2026-05-02", "trigger": "cron"}
        )
        runs = self.env["dunning.auto.run"].with_user(self.manager).search([])
        self.assertIn(run_a, runs)
        self.assertNotIn(run_b, runs)
        with self.assertRaises(AccessError):
            run_b.with_user(self.manager).read(["summary"])
        with self.assertRaises(AccessError):
            run_a.with_user(self.manager).write({"summary": "forged"})
        page = self.env["dunning.auto.page"].with_user(self.manager).create({})
        self.assertEqual(page.run_ids, run_a)

    def test_scheduler_runs_as_accounting_manager(self):
        """The guide makes the accountant the scheduled action's user: Odoo's
        scheduler then records its progress and runs its code in her name
        (not a Settings administrator), and the batches are hers."""
        self.assertFalse(self.manager.has_group("base.group_system"))
        self.level_1.auto_execute = True
        cron = self.cron.sudo()
        cron.write({"user_id": self.manager.id, "nextcall": "2000-01-01 00:00:00"})
        self.env.flush_all()
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)
        IrCron = type(self.env["ir.cron"])
        job = IrCron._acquire_one_job(self.cr, cron.id)
        with (
            freeze_time("2026-05-02"),
            patch.object(
                type(self.env["dunning.followup.auto"]),
                "_use_queue_job",
                return_value=False,
            ),
        ):
            status = IrCron._run_job(job)
        self.env.invalidate_all()
        self.assertEqual(status, CompletionStatus.FULLY_DONE)
        batch = self._cron_batches()
        self.assertRecordValues(
            batch,
            [{"state": "done", "sent_count": 2, "user_id": self.manager.id}],
        )
        self.assertRecordValues(
            self._runs(), [{"trigger": "cron", "user_id": self.manager.id}]
        )
        self.assertEqual(len(self._mails(self.customer)), 1)
        progress = (
            self.env["ir.cron.progress"]
            .sudo()
            .search([("cron_id", "=", cron.id)], order="id desc", limit=1)
        )
        self.assertRecordValues(progress, [{"done": 2, "remaining": 0}])
        # she reaches this scheduled action's progress only
        other_cron = self.env.ref("base.autovacuum_job").sudo()
        other = self.env["ir.cron.progress"].sudo().create({"cron_id": other_cron.id})
        visible = self.env["ir.cron.progress"].with_user(self.manager).search([])
        self.assertIn(progress, visible)
        self.assertNotIn(other, visible)
