# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io
import logging
from collections import defaultdict

from markupsafe import Markup, escape

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

_logger = logging.getLogger(__name__)


class DunningBatch(models.Model):
    """A run of the follow-up: the customers reminded together, with the
    result of each (Lot de relance)."""

    _name = "dunning.batch"
    _description = "Follow-up Batch"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    code = fields.Char(readonly=True, copy=False, default="/", index="trigram")
    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    strategy_id = fields.Many2one(
        comodel_name="dunning.strategy",
        string="Strategy",
        ondelete="restrict",
        readonly=True,
        check_company=True,
    )
    level_id = fields.Many2one(
        comodel_name="dunning.level",
        string="Level",
        ondelete="restrict",
        readonly=True,
        check_company=True,
        help="Level executed; empty when each customer was reminded at its own "
        "level due (manual or bulk follow-up).",
    )
    date = fields.Date(
        string="Follow-up Date",
        required=True,
        readonly=True,
        default=fields.Date.context_today,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Operator",
        readonly=True,
        default=lambda self: self.env.user,
    )
    origin = fields.Selection(
        selection=[
            ("launch", "Launched"),
            ("manual", "Manual follow-up"),
            ("bulk", "Process follow-ups"),
            ("cron", "Automatic follow-up"),
        ],
        default="launch",
        required=True,
        readonly=True,
    )
    excluded_payment_method_line_ids = fields.Many2many(
        comodel_name="account.payment.method.line",
        string="Excluded Payment Methods",
        readonly=True,
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many(
        comodel_name="dunning.batch.line",
        inverse_name="batch_id",
        string="Customers",
        readonly=True,
    )
    partner_count = fields.Integer(
        string="Number of Customers", compute="_compute_counts", store=True
    )
    item_count = fields.Integer(
        string="Journal Items", compute="_compute_counts", store=True
    )
    sent_count = fields.Integer(string="Sent", compute="_compute_counts", store=True)
    failed_count = fields.Integer(
        string="Failed", compute="_compute_counts", store=True
    )
    skipped_count = fields.Integer(
        string="Skipped", compute="_compute_counts", store=True
    )
    has_failures = fields.Boolean(compute="_compute_counts", store=True)
    total_debit = fields.Monetary(compute="_compute_counts", store=True)
    total_credit = fields.Monetary(compute="_compute_counts", store=True)
    total_balance = fields.Monetary(compute="_compute_counts", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    letter_count = fields.Integer(compute="_compute_letter_count")

    @api.depends(
        "state",
        "line_ids.state",
        "line_ids.item_count",
        "line_ids.debit",
        "line_ids.credit",
    )
    def _compute_counts(self):
        """Counts and totals from one grouped query on the lines (a batch of
        the cron can hold thousands of lines: never load them all)."""
        stats = defaultdict(lambda: defaultdict(lambda: [0, 0, 0.0, 0.0]))
        batches = self.filtered("id")
        if batches:
            for batch, state, count, items, debit, credit in self.env[
                "dunning.batch.line"
            ]._read_group(
                [("batch_id", "in", batches.ids)],
                ["batch_id", "state"],
                ["__count", "item_count:sum", "debit:sum", "credit:sum"],
            ):
                stats[batch.id][state] = [count, items, debit, credit]
        for batch in self:
            by_state = stats[batch.id]
            counted = (
                ["sent"] if batch.state == "done"
                else ["pending", "sent", "skipped", "failed"]
            )
            batch.partner_count = sum(by_state[st][0] for st in counted)
            batch.item_count = sum(by_state[st][1] for st in counted)
            batch.total_debit = sum(by_state[st][2] for st in counted)
            batch.total_credit = sum(by_state[st][3] for st in counted)
            batch.total_balance = batch.total_debit - batch.total_credit
            batch.sent_count = by_state["sent"][0]
            batch.failed_count = by_state["failed"][0]
            batch.skipped_count = by_state["skipped"][0]
            batch.has_failures = bool(batch.failed_count)

    def _compute_letter_count(self):
        for batch in self:
            batch.letter_count = len(batch.line_ids.letter_attachment_id)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            company = self.env["res.company"].browse(
                vals.get("company_id") or self.env.company.id
            )
            if vals.get("code", "/") == "/":
                vals["code"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code("dunning.batch")
                    or "/"
                )
            if not vals.get("name"):
                vals["name"] = self._default_name(vals.get("date"))
        return super().create(vals_list)

    @api.model
    def _default_name(self, date=None):
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        return self.env._("Follow-up batch %(date)s", date=fields.Date.to_string(date))

    def _compute_display_name(self):
        for batch in self:
            batch.display_name = (
                f"{batch.code} - {batch.name}" if batch.code not in (False, "/")
                else batch.name
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_execute(self):
        for batch in self:
            if batch.state != "draft":
                raise UserError(
                    self.env._(
                        "The follow-up batch %(batch)s was already executed.",
                        batch=batch.display_name,
                    )
                )
            batch._execute()
        return True

    def action_cancel(self):
        for batch in self:
            if batch.line_ids.filtered(lambda line: line.state == "sent"):
                raise UserError(
                    self.env._(
                        "The follow-up batch %(batch)s already reminded customers: "
                        "it cannot be cancelled.",
                        batch=batch.display_name,
                    )
                )
        self.write({"state": "cancel"})
        return True

    def action_view_items(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_move_line_action_dunning_explain"
        )
        action["domain"] = [("id", "in", self.line_ids.item_ids.ids)]
        action["context"] = {"dunning_date": fields.Date.to_string(self.date)}
        return action

    def action_print_letters(self):
        """All the letters of the batch in one PDF, to print in one go."""
        self.ensure_one()
        lines = self.line_ids.filtered(
            lambda line: line.state == "sent" and line.letter_attachment_id
        )
        if not lines:
            raise UserError(
                self.env._("The follow-up batch %(batch)s has no letter to print.",
                           batch=self.display_name)
            )
        attachment = self._get_merged_letters(lines)
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _get_merged_letters(self, lines):
        contents = [line.letter_attachment_id.raw for line in lines]
        pdfs = [
            (line, content)
            for line, content in zip(lines, contents, strict=True)
            if content and content.startswith(b"%PDF")
        ]
        data = self._merge_letter_pdfs(pdfs) if pdfs else b"".join(contents)
        filename = self.env._(
            "Letters-%(code)s.pdf", code=(self.code or "").replace("/", "-")
        )
        existing = self.env["ir.attachment"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("name", "=", filename),
            ]
        )
        existing.unlink()
        return self.env["ir.attachment"].create(
            {
                "name": filename,
                "raw": data,
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            }
        )

    def _merge_letter_pdfs(self, pdfs):
        """One PDF of the letters ``[(line, pdf bytes)]``, with a bookmark per
        customer (pypdf; Odoo's merge when pypdf is missing)."""
        try:
            from pypdf import PdfReader, PdfWriter  # noqa: PLC0415
        except ImportError:
            from odoo.tools.pdf import merge_pdf  # noqa: PLC0415

            return merge_pdf([content for _line, content in pdfs])
        writer = PdfWriter()
        for line, content in pdfs:
            writer.append(
                PdfReader(io.BytesIO(content)),
                outline_item=line.partner_id.display_name,
            )
        writer.add_metadata(
            {"/Title": self.display_name, "/Producer": "Odoo - account_dunning"}
        )
        stream = io.BytesIO()
        writer.write(stream)
        return stream.getvalue()

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    @api.model
    def _create_from_selection(self, selection, values):
        """Create a draft batch with one line per customer.

        :param selection: ``{partner_id: [DunningItem, ...]}`` from the engine
        :param values: values of the batch (strategy, level, date, origin...)
        """
        partners = self.env["res.partner"].browse(list(selection))
        line_commands = []
        for partner in partners:
            items = selection[partner.id]
            recipient = partner._get_dunning_recipient()
            line_commands.append(
                Command.create(
                    {
                        "partner_id": partner.id,
                        "contact_id": recipient.id,
                        "item_ids": [Command.set([item.id for item in items])],
                        "debit": sum(i.residual for i in items if i.residual > 0),
                        "credit": -sum(i.residual for i in items if i.residual < 0),
                    }
                )
            )
        return self.create({**values, "line_ids": line_commands})

    def _execute(self):
        """Execute every pending line; one customer's failure never stops the
        others."""
        self.ensure_one()
        self._execute_lines(
            self.line_ids.filtered(lambda line: line.state == "pending")
        )
        self._finalize()

    def _execute_lines(self, lines):
        """Execute ``lines`` (pending lines of these batches) by chunks of the
        company's chunk size, each chunk together. The single execution path
        of every caller."""
        lines = lines.filtered(lambda line: line.state == "pending")
        for batch in lines.batch_id:
            batch_lines = lines.filtered(lambda line, b=batch: line.batch_id == b)
            size = max(batch.company_id.dunning_chunk_size, 1)
            for start in range(0, len(batch_lines), size):
                batch_lines[start : start + size]._execute()

    def _finalize(self):
        """Mark the batches done and post their summary."""
        for batch in self:
            batch.state = "done"
            batch._post_summary()

    def _post_summary(self):
        self.ensure_one()
        self.message_post(
            body=self.env._(
                "Follow-up executed on %(date)s: %(sent)s reminded, %(skipped)s "
                "skipped, %(failed)s failed.",
                date=format_date(self.env, self.date),
                sent=self.sent_count,
                skipped=self.skipped_count,
                failed=self.failed_count,
            ),
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------------
    # Automatic follow-up (daily cron), chunked and resumable
    # ------------------------------------------------------------------

    @api.model
    def _cron_auto_follow_up(self):
        """Scheduled action "Automatic follow-up"."""
        return self._run_auto_follow_up()

    @api.model
    def _run_auto_follow_up(self, date=None):
        """One step of the automatic follow-up of every company.

        The state lives in the database: each day, every level marked
        "execute automatically" gets one draft batch (origin ``cron``) holding
        a pending line per customer due. Each call executes one chunk of
        pending lines (``company.dunning_chunk_size``) and reports its progress
        to the cron framework, which commits and calls again while some lines
        remain. A call cut by the time limit or a crash is rolled back: its
        lines stay pending and the next call resumes them; lines already
        executed are never executed again.

        With OCA ``queue_job`` installed, the pending lines are handed to one
        job per chunk on the ``root.dunning`` channel instead.

        :return: the number of pending lines left
        """
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        if self.env.uid == SUPERUSER_ID and not self.env.su:
            # the cron's technical user works in every company
            self = self.sudo()  # noqa: PLW0642
        companies = (
            self.env["res.company"].search([])
            if self.env.su
            else self.env.user.company_ids
        )
        self._auto_finalize(companies)
        if not self._auto_pending_count(companies):
            self._auto_plan(companies, date)
        if self._dunning_use_queue_job():
            queued = self._auto_enqueue(companies)
            self.env["ir.cron"].sudo()._notify_progress(done=queued, remaining=0)
            return 0
        done = self._auto_execute_chunk(companies)
        self._auto_finalize(companies)
        remaining = self._auto_pending_count(companies)
        self.env["ir.cron"].sudo()._notify_progress(done=done, remaining=remaining)
        if remaining and not self.env.context.get("cron_id"):
            # started by hand ("Run manually") or from code: let the cron
            # workers finish the job in the background
            cron = self.env.ref(
                "account_dunning.ir_cron_dunning_auto_follow_up",
                raise_if_not_found=False,
            )
            if cron:
                cron.sudo()._trigger()
        return remaining

    @api.model
    def _auto_plan(self, companies, date):
        """Create the day's draft batch of every automatic level that has none
        (one per company, level and day). Idempotent."""
        # one planner at a time (two cron workers, queue_job and cron...)
        self.env.cr.execute(
            "SELECT pg_try_advisory_xact_lock(hashtext('account_dunning_auto_plan'))"
        )
        if not self.env.cr.fetchone()[0]:
            return self.browse()
        batches = self.browse()
        for company in companies:
            batches |= self.with_company(company)._auto_plan_company(company, date)
        return batches

    @api.model
    def _auto_plan_company(self, company, date):
        levels = self.env["dunning.level"].search(
            [
                ("company_id", "=", company.id),
                ("auto_execute", "=", True),
                ("strategy_id.active", "=", True),
            ]
        )
        if not levels:
            return self.browse()
        existing = self.search(
            [
                ("company_id", "=", company.id),
                ("origin", "=", "cron"),
                ("date", "=", date),
                ("level_id", "in", levels.ids),
            ]
        )
        levels -= existing.level_id
        if not levels:
            return self.browse()
        result = self.env["dunning.engine"]._evaluate(date=date, company=company)
        batches = self.browse()
        for level in levels.sorted(lambda lv: (lv.strategy_id.sequence, lv.delay)):
            selection = result.to_remind(level.id)
            left_alone = self._auto_left_alone(result, level)
            if not selection:
                if left_alone:
                    _logger.info(
                        "Automatic follow-up %s, %s: nobody to remind, %s customer(s) "
                        "left alone",
                        company.name, level.name, len(left_alone),
                    )
                continue
            batch = self._create_from_selection(
                selection,
                {
                    "company_id": company.id,
                    "strategy_id": level.strategy_id.id,
                    "level_id": level.id,
                    "date": date,
                    "origin": "cron",
                    "user_id": self.env.user.id,
                    "name": self.env._(
                        "Automatic follow-up %(level)s %(date)s",
                        level=level.name,
                        date=fields.Date.to_string(date),
                    ),
                },
            )
            batch._post_left_alone(left_alone, result)
            batches |= batch
        return batches

    @api.model
    def _auto_left_alone(self, result, level):
        """``{reason: [partner_id]}`` of the customers with items due at
        ``level`` that the follow-up leaves alone (manual follow-up, paused,
        next reminder later...)."""
        left_alone = {}
        for pid, res in result.partners.items():
            if res.status == "in_need_of_action" or not res.reason:
                continue
            if res.items_due_at(level.id):
                left_alone.setdefault(res.reason, []).append(pid)
        return left_alone

    def _post_left_alone(self, left_alone, result, max_names=20):
        """Chatter note: who was left alone and why (bounded list of names)."""
        self.ensure_one()
        if not left_alone:
            return
        items = []
        for reason, partner_ids in sorted(left_alone.items()):
            partners = self.env["res.partner"].browse(partner_ids[:max_names])
            names = ", ".join(partners.mapped("display_name"))
            if len(partner_ids) > max_names:
                names += self.env._(
                    " and %(count)s more", count=len(partner_ids) - max_names
                )
            items.append(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(reason)s: %(count)s customer(s) (%(names)s)",
                    reason=result.reason_label(reason),
                    count=len(partner_ids),
                    names=names,
                )
            )
        body = (
            Markup("<p>%s</p><ul>%s</ul>")
            % (
                escape(self.env._("Customers due for this level but left alone:")),
                Markup("").join(items),
            )
        )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    @api.model
    def _auto_pending_domain_sql(self, companies):
        return SQL(
            """
                 l.state = 'pending'
             AND b.state = 'draft'
             AND b.origin = 'cron'
             AND b.company_id = ANY(%s)
            """,
            companies.ids,
        )

    @api.model
    def _auto_pending_count(self, companies):
        self.env["dunning.batch.line"].flush_model(["state"])
        self.flush_model(["state"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT count(*)
                  FROM dunning_batch_line l
                  JOIN dunning_batch b ON b.id = l.batch_id
                 WHERE %s
                """,
                self._auto_pending_domain_sql(companies),
            )
        )
        return rows[0][0]

    @api.model
    def _auto_pick_lines(self, companies, limit):
        """Lock and return up to ``limit`` pending lines of one company; lines
        locked by another worker are skipped (``SKIP LOCKED``)."""
        self.env["dunning.batch.line"].flush_model(["state"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT l.id
                  FROM dunning_batch_line l
                  JOIN dunning_batch b ON b.id = l.batch_id
                 WHERE %s
                   AND b.company_id = (
                        SELECT b2.company_id
                          FROM dunning_batch_line l2
                          JOIN dunning_batch b2 ON b2.id = l2.batch_id
                         WHERE l2.state = 'pending' AND b2.state = 'draft'
                           AND b2.origin = 'cron' AND b2.company_id = ANY(%s)
                      ORDER BY b2.id LIMIT 1
                   )
              ORDER BY l.batch_id, l.id
                 LIMIT %s
                   FOR UPDATE OF l SKIP LOCKED
                """,
                self._auto_pending_domain_sql(companies),
                companies.ids,
                limit,
            )
        )
        lines = self.env["dunning.batch.line"].browse([row[0] for row in rows])
        lines.invalidate_recordset(["state"])
        return lines.filtered(lambda line: line.state == "pending")

    @api.model
    def _auto_chunk_size(self, companies):
        return max(min(companies.mapped("dunning_chunk_size") or [100]), 1)

    @api.model
    def _auto_execute_chunk(self, companies):
        """Execute one chunk of pending lines; returns how many."""
        lines = self._auto_pick_lines(companies, self._auto_chunk_size(companies))
        lines.batch_id._execute_lines(lines)
        return len(lines)

    @api.model
    def _auto_finalize(self, companies):
        """Close the draft automatic batches that have no pending line left."""
        self.env["dunning.batch.line"].flush_model(["state"])
        self.flush_model(["state"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT b.id
                  FROM dunning_batch b
                 WHERE b.state = 'draft' AND b.origin = 'cron'
                   AND b.company_id = ANY(%s)
                   AND NOT EXISTS (
                        SELECT 1 FROM dunning_batch_line l
                         WHERE l.batch_id = b.id AND l.state = 'pending'
                   )
                   FOR UPDATE OF b SKIP LOCKED
                """,
                companies.ids,
            )
        )
        batches = self.browse([row[0] for row in rows])
        for batch in batches:
            batch.with_company(batch.company_id)._finalize()
        return batches

    # queue_job (optional) ---------------------------------------------

    @api.model
    def _dunning_use_queue_job(self):
        """True when OCA queue_job is installed (and not disabled by the
        ``dunning_no_queue_job`` context key)."""
        if self.env.context.get("dunning_no_queue_job"):
            return False
        return "queue.job" in self.env and hasattr(self, "with_delay")

    @api.model
    def _dunning_queue_channel(self):
        """The ``root.dunning`` channel, created on first use (the module does
        not depend on queue_job)."""
        Channel = self.env["queue.job.channel"].sudo()
        root = self.env.ref("queue_job.channel_root", raise_if_not_found=False)
        channel = Channel.search([("complete_name", "=", "root.dunning")], limit=1)
        if not channel and root:
            channel = Channel.create({"name": "dunning", "parent_id": root.id})
        return "root.dunning" if channel else "root"

    @api.model
    def _auto_enqueue(self, companies):
        """One job per chunk of pending lines; returns the number of jobs."""
        channel = self._dunning_queue_channel()
        self.env["dunning.batch.line"].flush_model(["state"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT b.company_id, l.id
                  FROM dunning_batch_line l
                  JOIN dunning_batch b ON b.id = l.batch_id
                 WHERE %s
              ORDER BY b.company_id, l.batch_id, l.id
                """,
                self._auto_pending_domain_sql(companies),
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
                self.with_company(company).with_delay(
                    channel=channel,
                    description=self.env._(
                        "Automatic follow-up: %(count)s customer(s)", count=len(chunk)
                    ),
                    identity_key=f"account_dunning-{chunk[0]}-{chunk[-1]}-{len(chunk)}",
                )._job_execute_lines(chunk)
                jobs += 1
        return jobs

    @api.model
    def _job_execute_lines(self, line_ids):
        """queue_job: execute the still pending lines among ``line_ids`` (those
        locked by another worker are left to it)."""
        self.env["dunning.batch.line"].flush_model(["state"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id FROM dunning_batch_line
                 WHERE id = ANY(%s) AND state = 'pending'
              ORDER BY id
                   FOR UPDATE SKIP LOCKED
                """,
                list(line_ids),
            )
        )
        lines = self.env["dunning.batch.line"].browse([row[0] for row in rows])
        lines.invalidate_recordset(["state"])
        lines.batch_id._execute_lines(lines)
        self._auto_finalize(lines.batch_id.company_id)
        return len(lines)
