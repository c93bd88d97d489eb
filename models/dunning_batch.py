# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io
import logging

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

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
        for batch in self:
            lines = batch.line_ids
            done = lines.filtered(lambda line: line.state == "sent")
            batch.partner_count = len(done) if batch.state == "done" else len(lines)
            counted = done if batch.state == "done" else lines
            batch.item_count = sum(counted.mapped("item_count"))
            batch.sent_count = len(done)
            batch.failed_count = len(lines.filtered(lambda ln: ln.state == "failed"))
            batch.skipped_count = len(
                lines.filtered(lambda ln: ln.state == "skipped")
            )
            batch.has_failures = bool(batch.failed_count)
            batch.total_debit = sum(counted.mapped("debit"))
            batch.total_credit = sum(counted.mapped("credit"))
            batch.total_balance = batch.total_debit - batch.total_credit

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
        for line in self.line_ids.filtered(lambda line: line.state == "pending"):
            line._execute()
        self.state = "done"
        self._post_summary()

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
