# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date, mute_logger

_logger = logging.getLogger(__name__)

# pending lines of the batches executed in the background
PENDING_WHERE = "l.state = 'pending' AND b.state = 'running' AND b.company_id = ANY(%s)"


class DunningFollowupAuto(models.AbstractModel):
    """The follow-up worker: plans the automatic batches of the day and
    executes the batches running in the background, one chunk per call,
    resumable (scheduled action "Automatic follow-up", or queue_job jobs).

    The state lives in the database: a batch to execute in the background is
    in state ``running`` with pending lines. Each call locks a chunk of
    pending lines (``SKIP LOCKED``: two workers never take the same line),
    executes it and reports its progress to the cron framework, which commits
    and calls again while lines remain. A call cut by the time limit or a
    crash is rolled back: its lines stay pending and the next call resumes
    them; lines executed are never executed again."""

    _name = "dunning.followup.auto"
    _description = "Follow-up Worker"

    @api.model
    def _cron_run(self, date=None):
        """One step of the worker for every company (or the user's).

        :return: the number of pending lines left
        """
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        if self.env.uid == SUPERUSER_ID and not self.env.su:
            self = self.sudo()  # noqa: PLW0642 - the cron works in every company
        companies = (
            self.env["res.company"].search([])
            if self.env.su
            else self.env.user.company_ids
        )
        self._finalize(companies)
        if not self._pending_count(companies):
            self._plan(companies, date)
        if self._use_queue_job():
            queued = self._enqueue(companies)
            self.env["ir.cron"].sudo()._notify_progress(done=queued, remaining=0)
            return 0
        lines = self._pick_pending(companies, self._chunk_size(companies))
        self.env["dunning.batch"]._execute_lines(lines)
        self._finalize(companies)
        remaining = self._pending_count(companies)
        self.env["ir.cron"].sudo()._notify_progress(
            done=len(lines), remaining=remaining
        )
        if remaining and not self.env.context.get("cron_id"):
            # started by hand or from code: the cron workers finish the job
            self._trigger_cron()
        return remaining

    @api.model
    def _wake_up(self, batches):
        """Start executing ``batches`` (state running) in the background."""
        if self._use_queue_job():
            self._enqueue(batches.company_id, batches)
        else:
            self._trigger_cron()

    @api.model
    def _trigger_cron(self):
        cron = self.env.ref(
            "account_dunning.ir_cron_dunning_auto_follow_up", raise_if_not_found=False
        )
        if cron:
            cron.sudo()._trigger()

    # ------------------------------------------------------------------
    # Planning the automatic batches of the day
    # ------------------------------------------------------------------

    @api.model
    def _plan(self, companies, date):
        """Plan the day's automatic follow-up of every company: the automatic
        levels not evaluated yet on ``date`` (one run per company, level and
        day), their batches running. Idempotent.

        :return: the runs recorded (``dunning.auto.run``)
        """
        if not self._lock_planning():
            return self.env["dunning.auto.run"]
        runs = self.env["dunning.auto.run"]
        for company in companies:
            runs |= self._in_company(company)._plan_company(company, date)
        return runs

    @api.model
    def _lock_planning(self):
        """One planner at a time (two cron workers, queue_job and cron, a
        user's "Run Now"...): False when another transaction plans."""
        self.env.cr.execute(
            "SELECT pg_try_advisory_xact_lock(hashtext('account_dunning_auto_plan'))"
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _in_company(self, company):
        """The worker in ``company`` and its language (what it writes)."""
        lang = self.env["dunning.batch"]._company_lang(company)
        return self.with_company(company).with_context(lang=lang)

    @api.model
    def _auto_levels(self, company):
        """The levels of ``company`` that run automatically, in order."""
        levels = self.env["dunning.level"].search(
            [
                ("company_id", "=", company.id),
                ("auto_execute", "=", True),
                ("strategy_id.active", "=", True),
            ]
        )
        return levels.sorted(lambda lv: (lv.strategy_id.sequence, lv.delay, lv.id))

    @api.model
    def _plan_levels(self, company, date):
        """The automatic levels of ``company`` not evaluated on ``date`` yet
        (no run and no automatic batch of that day)."""
        levels = self._auto_levels(company)
        if levels:
            domain = [("company_id", "=", company.id), ("date", "=", date)]
            levels -= self.env["dunning.auto.run"].search(domain).level_ids
            domain += [("origin", "=", "cron"), ("level_id", "in", levels.ids)]
            levels -= self.env["dunning.batch"].search(domain).level_id
        return levels

    @api.model
    def _plan_company(self, company, date, levels=None, trigger="cron"):
        """Evaluate ``levels`` (default: the automatic levels not evaluated
        on ``date``) and create a batch per level with customers to remind,
        recorded with what was found in a run (also when nobody is due).

        Scheduled runs create their batches running (the worker executes
        them); a "Run Now" creates them draft, its caller executes them.

        :return: the run (``dunning.auto.run``), empty without level
        """
        Run = self.env["dunning.auto.run"].sudo()
        levels = self._plan_levels(company, date) if levels is None else levels
        if not levels:
            return Run
        result = self.env["dunning.engine"]._evaluate(date=date, company=company)
        run = Run.create(
            {
                "company_id": company.id,
                "date": date,
                "trigger": trigger,
                "user_id": self.env.user.id,
                "level_ids": [Command.set(levels.ids)],
            }
        )
        summary, to_remind, left_alone_count = [], 0, 0
        for level in levels:
            selection = result.to_remind(level.id)
            left_alone = self._left_alone(result, level)
            left_count = sum(len(pids) for pids in left_alone.values())
            left_alone_count += left_count
            batch = self.env["dunning.batch"]
            if selection:
                batch = self._create_level_batch(level, date, selection, run, trigger)
                batch._post_left_alone(left_alone, result)
                to_remind += len(selection)
            else:
                _logger.info(
                    "Automatic follow-up %s, %s: nobody to remind, %s customer(s) "
                    "left alone",
                    company.name,
                    level.name,
                    left_count,
                )
            summary.append(
                self._level_summary(level, selection, left_alone, result, batch)
            )
        run.write(
            {
                "partner_count": to_remind,
                "left_alone_count": left_alone_count,
                "summary": "\n".join(summary),
            }
        )
        return run

    @api.model
    def _create_level_batch(self, level, date, selection, run, trigger):
        """The batch of ``level`` of a run: running for a scheduled run (the
        worker executes it), draft for a "Run Now" (its caller executes it)."""
        values = {
            "company_id": run.company_id.id,
            "strategy_id": level.strategy_id.id,
            "level_id": level.id,
            "date": date,
            "origin": "cron",
            "auto_run_id": run.id,
            "user_id": self.env.user.id,
            "name": self.env._(
                "Automatic follow-up %(level)s %(date)s",
                level=level.name,
                date=format_date(self.env, date),
            ),
        }
        if trigger == "cron":
            values.update(state="running", started_at=fields.Datetime.now())
        return self.env["dunning.batch"]._create_from_selection(selection, values)

    @api.model
    def _level_summary(self, level, selection, left_alone, result, batch):
        """One line of a run's summary, in the company's language: what
        ``level`` found."""
        if batch:
            text = self.env._(
                "%(level)s (%(strategy)s): %(count)s customer(s) to remind, batch "
                "%(batch)s.",
                level=level.name,
                strategy=level.strategy_id.name,
                count=len(selection),
                batch=batch.code,
            )
        else:
            text = self.env._(
                "%(level)s (%(strategy)s): nobody to remind.",
                level=level.name,
                strategy=level.strategy_id.name,
            )
        if left_alone:
            text += " " + self.env._(
                "Left alone: %(reasons)s.",
                reasons="; ".join(
                    f"{result.reason_label(reason)} ({len(pids)})"
                    for reason, pids in sorted(left_alone.items())
                ),
            )
        return text

    @api.model
    def _run_now(self):
        """Run the automatic follow-up of the current company now ("Run Now"):
        every automatic level is evaluated again as of today; the batches of
        at most one chunk are executed at once, larger ones in the background
        (the operator is notified when they end).

        :return: the run (``dunning.auto.run``)
        """
        company = self.env.company
        self.env["dunning.batch"].check_access("create")
        company._dunning_check_allowed()
        worker = self._in_company(company)
        levels = worker._auto_levels(company)
        if not levels:
            raise UserError(
                self.env._(
                    "No follow-up level of %(company)s runs automatically: switch "
                    'on "Execute Automatically" on the levels to run first.',
                    company=company.name,
                )
            )
        if not worker._lock_planning():
            raise UserError(
                self.env._(
                    "The automatic follow-up is being planned right now: try again "
                    "in a moment."
                )
            )
        run = worker._plan_company(
            company, fields.Date.context_today(self), levels=levels, trigger="manual"
        )
        for batch in run.batch_ids.with_env(self.env):
            batch._execute()
        return run.with_env(self.env)

    @api.model
    def _left_alone(self, result, level):
        """``{reason: [partner_id]}`` of the customers with items due at
        ``level`` that the follow-up leaves alone (manual follow-up, paused,
        next reminder later...)."""
        left_alone = {}
        for pid, res in result.partners.items():
            if res.status == "in_need_of_action" or not res.reason:
                continue
            if res.level_due_id == level.id:
                left_alone.setdefault(res.reason, []).append(pid)
        return left_alone

    # ------------------------------------------------------------------
    # Executing the pending lines
    # ------------------------------------------------------------------

    @api.model
    def _chunk_size(self, companies):
        return max(min(companies.mapped("dunning_chunk_size") or [100]), 1)

    @api.model
    def _pending_count(self, companies):
        self.env["dunning.batch.line"].flush_model(["state"])
        self.env["dunning.batch"].flush_model(["state"])
        rows = self.env.execute_query(
            SQL(
                """
            SELECT count(*)
              FROM dunning_batch_line l
              JOIN dunning_batch b ON b.id = l.batch_id
             WHERE %s
            """,
                SQL(PENDING_WHERE, companies.ids),
            )
        )
        return rows[0][0]

    @api.model
    def _lock_rows(self, query):
        """Rows of a ``FOR UPDATE ... SKIP LOCKED`` query, or none when a row
        was changed by another worker since this transaction started (a
        serialization failure): this step then leaves them to the next one,
        in a fresh transaction, instead of failing."""
        try:
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                return self.env.execute_query(query)
        except SerializationFailure:
            _logger.info("Follow-up worker: rows taken by another worker meanwhile")
            return []

    @api.model
    def _pick_pending(self, companies, limit, line_ids=None):
        """Lock and return up to ``limit`` pending lines (among ``line_ids``
        when given), oldest batch first; lines locked by another worker are
        skipped (``SKIP LOCKED``): the cron and the jobs share this helper."""
        self.env["dunning.batch.line"].flush_model(["state"])
        self.env["dunning.batch"].flush_model(["state"])
        rows = self._lock_rows(
            SQL(
                """
            SELECT l.id
              FROM dunning_batch_line l
              JOIN dunning_batch b ON b.id = l.batch_id
             WHERE %s %s
          ORDER BY l.batch_id, l.id
             LIMIT %s
               FOR UPDATE OF l SKIP LOCKED
            """,
                SQL(PENDING_WHERE, companies.ids),
                SQL("AND l.id = ANY(%s)", list(line_ids)) if line_ids else SQL(),
                limit,
            )
        )
        lines = self.env["dunning.batch.line"].browse([row[0] for row in rows])
        lines.invalidate_recordset(["state"])
        return lines.filtered(lambda line: line.state == "pending")

    @api.model
    def _finalize(self, companies):
        """Close the running batches that have no pending line left."""
        self.env["dunning.batch.line"].flush_model(["state"])
        self.env["dunning.batch"].flush_model(["state"])
        rows = self._lock_rows(
            SQL(
                """
            SELECT b.id
              FROM dunning_batch b
             WHERE b.state = 'running' AND b.company_id = ANY(%s)
               AND NOT EXISTS (
                    SELECT 1 FROM dunning_batch_line l
                     WHERE l.batch_id = b.id AND l.state = 'pending'
               )
               FOR UPDATE OF b SKIP LOCKED
            """,
                companies.ids,
            )
        )
        batches = self.env["dunning.batch"].browse([row[0] for row in rows])
        for batch in batches:
            batch.with_company(batch.company_id)._finalize()
        return batches

    # ------------------------------------------------------------------
    # queue_job (optional)
    # ------------------------------------------------------------------

    @api.model
    def _use_queue_job(self):
        """True when OCA queue_job is installed (and not disabled by the
        ``dunning_no_queue_job`` context key)."""
        if self.env.context.get("dunning_no_queue_job"):
            return False
        return "queue.job" in self.env and hasattr(self, "with_delay")

    @api.model
    def _queue_channel(self):
        """The ``root.dunning`` channel, created on first use (the module does
        not depend on queue_job)."""
        Channel = self.env["queue.job.channel"].sudo()
        root = self.env.ref("queue_job.channel_root", raise_if_not_found=False)
        channel = Channel.search([("complete_name", "=", "root.dunning")], limit=1)
        if not channel and root:
            channel = Channel.create({"name": "dunning", "parent_id": root.id})
        return "root.dunning" if channel else "root"

    @api.model
    def _enqueue(self, companies, batches=None):
        """One job per chunk of pending lines (of ``batches`` when given);
        returns the number of jobs."""
        channel = self._queue_channel()
        self.env["dunning.batch.line"].flush_model(["state"])
        self.env["dunning.batch"].flush_model(["state"])
        rows = self.env.execute_query(
            SQL(
                """
            SELECT b.company_id, l.id
              FROM dunning_batch_line l
              JOIN dunning_batch b ON b.id = l.batch_id
             WHERE %s %s
          ORDER BY b.company_id, l.batch_id, l.id
            """,
                SQL(PENDING_WHERE, companies.ids),
                SQL("AND b.id = ANY(%s)", batches.ids) if batches else SQL(),
            )
        )
        by_company = {}
        for company_id, line_id in rows:
            by_company.setdefault(company_id, []).append(line_id)
        jobs = 0
        for company_id, line_ids in by_company.items():
            company = self.env["res.company"].browse(company_id)
            size = max(company.dunning_chunk_size, 1)
            for start in range(0, len(line_ids), size):
                chunk = line_ids[start : start + size]
                self.sudo().with_company(company).with_delay(
                    channel=channel,
                    description=self.env._(
                        "Follow-up: %(count)s customer(s)", count=len(chunk)
                    ),
                    identity_key=f"account_dunning-{chunk[0]}-{chunk[-1]}-{len(chunk)}",
                )._job_execute_lines(chunk)
                jobs += 1
        return jobs

    @api.model
    def _job_execute_lines(self, line_ids):
        """queue_job: execute the still pending lines among ``line_ids`` (those
        locked by another worker are left to it)."""
        companies = self.env["res.company"].sudo().search([])
        lines = self._pick_pending(companies, len(line_ids), line_ids)
        self.env["dunning.batch"]._execute_lines(lines)
        finalized = self._finalize(lines.batch_id.company_id)
        if lines.batch_id - finalized:
            # jobs of the same batch still running, or just committed out of
            # this transaction's sight: the cron closes the batch once the
            # last of them is committed
            self._trigger_cron()
        return len(lines)
