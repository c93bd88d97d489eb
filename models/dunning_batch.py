# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io
import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate, format_date

_lt = LazyTranslate(__name__)

_logger = logging.getLogger(__name__)


class DunningBatch(models.Model):
    """A run of the follow-up: the customers reminded together, with the
    result of each (Lot de relance)."""

    _name = "dunning.batch"
    _description = "Follow-up Batch"
    _inherit = ["dunning.mail.thread", "mail.activity.mixin"]
    _dunning_creation_message = _lt("Follow-up batch created")
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
    auto_run_id = fields.Many2one(
        comodel_name="dunning.auto.run",
        string="Automatic Follow-up Run",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("running", "In Progress"),
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
    # Live figures (not stored: two executors of one batch never write the
    # batch row, which would serialize them)
    sent_count = fields.Integer(
        string="Customers Reminded", compute="_compute_progress"
    )
    failed_count = fields.Integer(
        string="Customers Failed", compute="_compute_progress"
    )
    skipped_count = fields.Integer(
        string="Customers Skipped", compute="_compute_progress"
    )
    has_failures = fields.Boolean(compute="_compute_counts", store=True)
    total_debit = fields.Monetary(compute="_compute_counts", store=True)
    total_credit = fields.Monetary(compute="_compute_counts", store=True)
    total_balance = fields.Monetary(compute="_compute_counts", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    letter_count = fields.Integer(compute="_compute_letter_count")
    # Progress of a run in the background
    started_at = fields.Datetime(string="Started On", readonly=True, copy=False)
    line_count = fields.Integer(
        string="Customers of the Batch", compute="_compute_progress"
    )
    pending_count = fields.Integer(string="To Do", compute="_compute_progress")
    done_count = fields.Integer(string="Customers Done", compute="_compute_progress")
    progress = fields.Float(
        compute="_compute_progress",
        help="Customers done out of the customers of the batch (percent).",
    )
    progress_rate = fields.Float(
        string="Customers per Minute", compute="_compute_progress_rate", digits=(16, 1)
    )
    progress_end = fields.Datetime(
        string="Expected End", compute="_compute_progress_rate"
    )

    def _get_line_stats(self):
        """``{batch id: {line state: [count, items, debit, credit]}}`` from one
        grouped query (a batch can hold thousands of lines: never load them)."""
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
        return stats

    @api.depends("state", "line_ids")
    def _compute_counts(self):
        """Customers, items and totals of the batch: those it lists, whatever
        their result (reminded, skipped or failed are counted apart), stored
        when it is created and when its state changes."""
        stats = self._get_line_stats()
        for batch in self:
            by_state = stats[batch.id].values()
            batch.partner_count = sum(stat[0] for stat in by_state)
            batch.item_count = sum(stat[1] for stat in by_state)
            batch.total_debit = sum(stat[2] for stat in by_state)
            batch.total_credit = sum(stat[3] for stat in by_state)
            batch.total_balance = batch.total_debit - batch.total_credit
            batch.has_failures = bool(stats[batch.id]["failed"][0])

    @api.depends("line_ids.state")
    def _compute_progress(self):
        """Where the batch stands, live: customers reminded, skipped, failed,
        done out of the total."""
        stats = self._get_line_stats()
        for batch in self:
            by_state = stats[batch.id]
            batch.sent_count = by_state["sent"][0]
            batch.failed_count = by_state["failed"][0]
            batch.skipped_count = by_state["skipped"][0]
            total = sum(count for count, *_rest in by_state.values())
            batch.line_count = total
            batch.pending_count = by_state["pending"][0]
            batch.done_count = total - batch.pending_count
            batch.progress = 100.0 * batch.done_count / total if total else 0.0

    @api.depends("started_at", "line_ids.state")
    def _compute_progress_rate(self):
        """Rate of a background run and its expected end, from its start."""
        now = fields.Datetime.now()
        for batch in self:
            minutes = (
                (now - batch.started_at).total_seconds() / 60 if batch.started_at else 0
            )
            rate = batch.done_count / minutes if minutes > 0 else 0.0
            batch.progress_rate = rate
            batch.progress_end = (
                now + timedelta(minutes=batch.pending_count / rate)
                if rate and batch.state == "running"
                else False
            )

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
                vals["name"] = self.with_company(company)._default_name(
                    vals.get("date")
                )
        return super().create(vals_list)

    @api.model
    def _default_name(self, date=None):
        """Name of a batch, in its company's language."""
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        in_lang = self.with_context(lang=self._company_lang(self.env.company))
        return in_lang.env._(
            "Follow-up batch %(date)s", date=format_date(in_lang.env, date)
        )

    @api.model
    def _company_lang(self, company):
        """Language of what the module writes for ``company`` (batch names,
        comments, chatter), whoever runs it."""
        return company.partner_id.lang or self.env.lang or "en_US"

    def _compute_display_name(self):
        for batch in self:
            batch.display_name = (
                f"{batch.code} - {batch.name}"
                if batch.code not in (False, "/")
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
        # history: written as superuser by the users who may write batches,
        # with a note in the chatter (tracking can be disabled by the context)
        self.check_access("write")
        self.sudo().write({"state": "cancel"})
        for batch in self:
            batch._post_cancel_note()
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
                self.env._(
                    "The follow-up batch %(batch)s has no letter to print.",
                    batch=self.display_name,
                )
            )
        # read access to the batch is enough (auditors print too): the merged
        # PDF is stored on the batch as superuser
        attachment = self.sudo()._get_merged_letters(lines.sudo())
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
    def _create_from_selection(self, selection, values, skipped=None, overrides=None):
        """Create a draft batch with one line per customer: the only way
        batches are built (launch, manual follow-up, bulk, cron).

        :param selection: ``{partner_id: [item ids or DunningItem]}``, the
            items to remind of each (commercial) customer
        :param values: values of the batch (company, strategy, level, date,
            origin...)
        :param skipped: ``{partner_id: reason}``: customers recorded as
            skipped with the reason (their items in ``selection``, if any)
        :param overrides: ``{partner_id: {"channels": [...], "subject": ...,
            "body": ..., "sms": ..., "level_id": ..., "contact_id": ...}}``:
            the manual screen's choices, stored on the line and used instead
            of the level's (``level_id``: remind the items at that level,
            whatever the rules say)
        """
        skipped = skipped or {}
        overrides = overrides or {}
        self.check_access("create")
        company = self.env["res.company"].browse(
            values.get("company_id") or self.env.company.id
        )
        company._dunning_check_allowed()
        partner_ids = list(dict.fromkeys([*selection, *skipped]))
        partners = self.env["res.partner"].browse(partner_ids).with_company(company)
        credits = self.env["dunning.engine"]._fetch_credits(company, partner_ids)
        residuals = self._get_item_residuals(selection)
        in_lang = self.with_context(lang=self._company_lang(company))
        lines = []
        for partner in partners:
            item_ids = [getattr(i, "id", i) for i in selection.get(partner.id, ())]
            line = {
                "partner_id": partner.id,
                "contact_id": overrides.get(partner.id, {}).get("contact_id")
                or partner._get_dunning_recipient().id,
                "item_ids": [Command.set(item_ids)],
                # one rule: the residual of the items reminded, and the
                # customer's unapplied credit (the engine's)
                "debit": sum(r for i in item_ids if (r := residuals[i]) > 0),
                "credit": credits.get(partner.id, 0.0),
                "override_values": overrides.get(partner.id),
            }
            if partner.id in skipped:
                line["state"] = "skipped"
                line["reason"] = in_lang.env._(
                    "Skipped: %(reason)s.", reason=skipped[partner.id]
                )
            lines.append(Command.create(line))
        values = {"company_id": company.id, **values, "line_ids": lines}
        values.setdefault(
            "name", self.with_company(company)._default_name(values.get("date"))
        )
        return self.sudo().create(values).sudo(False)

    @api.model
    def _get_item_residuals(self, selection):
        """``{item id: amount still owed}`` of the items of a selection
        (engine items carry it; plain ids are read in one query)."""
        residuals, to_read = {}, []
        for items in selection.values():
            for item in items:
                if isinstance(item, int):
                    to_read.append(item)
                else:
                    residuals[item.id] = item.residual
        if to_read:
            residuals.update(
                self.env["account.move.line"].browse(to_read)._dunning_amount_owed()
            )
        return residuals

    def _execute(self, inline=False):
        """Execute the batch: inline when its pending lines fit in one chunk
        (the manual page's immediate answer), else in the background by the
        follow-up worker (cron, or queue_job jobs), chunk by chunk: this
        returns at once and the batch shows its progress.

        :param inline: execute every chunk now whatever the size (scripts,
            benchmarks; never from a web request)
        """
        self.ensure_one()
        self.check_access("write")  # executing a batch is writing its history
        size = max(self.company_id.dunning_chunk_size, 1)
        pending = self.env["dunning.batch.line"].search(
            [("batch_id", "=", self.id), ("state", "=", "pending")],
            limit=None if inline else size + 1,
        )
        if len(pending) > size and not inline:
            self._start_background()
            return
        self._execute_lines(pending)
        self._finalize()

    def _start_background(self):
        self.sudo().write({"state": "running", "started_at": fields.Datetime.now()})
        self.env["dunning.followup.auto"]._wake_up(self)

    def _execute_lines(self, lines):
        """Execute ``lines`` (pending lines of these batches) by chunks of the
        company's chunk size, each chunk together, as the batch's operator
        (whoever runs the worker) and in its company. The single execution
        path of every caller."""
        lines = lines.filtered(lambda line: line.state == "pending")
        for batch in lines.batch_id:
            batch_lines = lines.filtered(lambda line, b=batch: line.batch_id == b)
            sender = self.env["dunning.send"].with_company(batch.company_id)
            if batch.user_id and batch.user_id != self.env.user:
                sender = sender.with_user(batch.user_id)
            size = max(batch.company_id.dunning_chunk_size, 1)
            for start in range(0, len(batch_lines), size):
                chunk = batch_lines[start : start + size]
                sender._send(chunk.with_env(sender.env))

    def _finalize(self):
        """Mark the batches done, post their summary (in the company's
        language) and tell the operator of a background run."""
        for batch in self:
            batch.sudo().state = "done"
            lang = self._company_lang(batch.company_id)
            batch.with_context(lang=lang)._post_summary()
            # the operator of a scheduled run is the cron's user: nobody waits
            if batch.started_at and (
                batch.origin != "cron" or batch.auto_run_id.trigger == "manual"
            ):
                batch._notify_operator()

    def _post_summary(self):
        self.ensure_one()
        self.sudo().message_post(
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

    def _notify_operator(self):
        """A background run ended: an activity-free bus notification for the
        operator, in their language."""
        self.ensure_one()
        user = self.user_id
        if not user or not user.active or user._is_public():
            return
        in_lang = self.with_context(lang=user.lang or self.env.lang)
        self.env["bus.bus"]._sendone(
            user.partner_id,
            "simple_notification",
            {
                "type": "warning" if self.failed_count else "success",
                "title": in_lang.env._("Follow-up done"),
                "message": in_lang.env._(
                    "%(batch)s: %(sent)s reminded, %(skipped)s skipped, "
                    "%(failed)s failed.",
                    batch=self.display_name,
                    sent=self.sent_count,
                    skipped=self.skipped_count,
                    failed=self.failed_count,
                ),
                "sticky": True,
            },
        )

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
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            escape(self.env._("Customers due for this level but left alone:")),
            Markup("").join(items),
        )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    @api.model
    def _cron_auto_follow_up(self):
        """Former entry point of the scheduled action (databases whose cron
        still calls it): the worker is ``dunning.followup.auto``."""
        return self.env["dunning.followup.auto"]._cron_run()
