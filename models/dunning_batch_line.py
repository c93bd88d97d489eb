# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .dunning_level import channels_text


class DunningBatchLine(models.Model):
    """One customer of a follow-up batch, and what was done for it."""

    _name = "dunning.batch.line"
    _description = "Follow-up Batch Line"
    _order = "batch_id, id"
    _check_company_auto = True

    batch_id = fields.Many2one(
        comodel_name="dunning.batch",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="batch_id.company_id", store=True)
    date = fields.Date(related="batch_id.date", store=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
    )
    contact_id = fields.Many2one(
        comodel_name="res.partner",
        string="Accounting Contact",
        ondelete="restrict",
    )
    email = fields.Char(related="contact_id.email", string="Contact Email")
    phone = fields.Char(related="contact_id.phone", string="Contact Phone")
    comments = fields.Text(
        string="Follow-up Comments",
        compute="_compute_comments",
    )
    level_id = fields.Many2one(
        comodel_name="dunning.level",
        string="Level",
        ondelete="restrict",
        readonly=True,
    )
    item_ids = fields.Many2many(
        comodel_name="account.move.line",
        relation="dunning_batch_line_move_line_rel",
        column1="line_id",
        column2="move_line_id",
        string="Journal Items",
    )
    item_count = fields.Integer(
        string="Number of Items", compute="_compute_item_count", store=True
    )
    currency_id = fields.Many2one(related="batch_id.currency_id")
    debit = fields.Monetary()
    credit = fields.Monetary()
    balance = fields.Monetary(compute="_compute_balance", store=True)
    state = fields.Selection(
        selection=[
            ("pending", "To Do"),
            ("sent", "Reminded"),
            ("skipped", "Skipped"),
            ("failed", "Failed"),
        ],
        string="Result",
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    reason = fields.Text(readonly=True)
    channels = fields.Char(
        string="Channel Codes",
        readonly=True,
        help="How the customer was reminded (email, letter, post, sms...).",
    )
    channels_label = fields.Char(
        string="Channels",
        compute="_compute_channels_label",
        help="How the customer was reminded.",
    )
    message_ids = fields.Many2many(
        comodel_name="mail.message",
        relation="dunning_batch_line_message_rel",
        string="Messages",
        readonly=True,
    )
    mail_ids = fields.Many2many(
        comodel_name="mail.mail",
        relation="dunning_batch_line_mail_rel",
        string="Emails",
        readonly=True,
    )
    letter_attachment_id = fields.Many2one(
        comodel_name="ir.attachment", string="Letter", readonly=True
    )
    to_post = fields.Boolean(
        readonly=True,
        help="The letter must be posted by hand.",
    )
    email_state = fields.Selection(
        selection=[
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("exception", "Delivery Failed"),
            ("bounce", "Bounced"),
            ("cancel", "Cancelled"),
        ],
        string="Email Status",
        compute="_compute_email_state",
        help="Delivery of the reminder email, from the outgoing emails and their "
        "notifications: queued until the mail server accepted it.",
    )
    email_failure = fields.Char(compute="_compute_email_state")
    # What the manual follow-up screen asked for instead of the level's
    # settings: {"channels": [...], "subject": ..., "body": ..., "sms": ...}
    override_values = fields.Json(string="Manual Choices", readonly=True)

    @api.depends("partner_id")
    @api.depends_context("company")
    def _compute_comments(self):
        for line in self:
            line.comments = line.partner_id.with_company(
                line.company_id
            ).dunning_comments

    @api.depends("mail_ids.state", "message_ids")
    def _compute_email_state(self):
        """Worst delivery state of the line's emails: the mail.mail while it
        exists (it is deleted once sent), else the email notifications of the
        reminder message (bounces are recorded there)."""
        for line in self:
            states, failures = [], []
            for mail in line.sudo().mail_ids:
                states.append(
                    {"outgoing": "queued", "received": "sent"}.get(
                        mail.state, mail.state
                    )
                )
                if mail.failure_reason:
                    failures.append(mail.failure_reason)
            notifications = line.sudo().message_ids.notification_ids.filtered(
                lambda notif: notif.notification_type == "email"
            )
            for notif in notifications:
                states.append(
                    {
                        "ready": "queued",
                        "process": "queued",
                        "pending": "queued",
                        "canceled": "cancel",
                    }.get(notif.notification_status, notif.notification_status)
                )
                if notif.failure_reason or notif.failure_type:
                    failures.append(notif.failure_reason or notif.failure_type)
            order = ["bounce", "exception", "queued", "cancel", "sent"]
            line.email_state = next((s for s in order if s in states), False)
            line.email_failure = "; ".join(dict.fromkeys(failures)) or False

    @api.depends("item_ids")
    def _compute_item_count(self):
        for line in self:
            line.item_count = len(line.item_ids)

    @api.depends("debit", "credit")
    def _compute_balance(self):
        for line in self:
            line.balance = line.debit - line.credit

    @api.depends("channels")
    @api.depends_context("lang")
    def _compute_channels_label(self):
        for line in self:
            line.channels_label = self._get_channels_label(line.channels)

    @api.model
    def _get_channels_label(self, channels):
        """``channels`` (stored keys, e.g. "email, letter") in the user's
        language."""
        return channels_text(channels or "", self.env.lang)

    def _get_attachment_values(self):
        """Where the files of a reminder (letter, copies of the invoices) are
        stored: on the line, so that only the users who may read the line
        (billing users and auditors of its company) download them."""
        self.ensure_one()
        return {"res_model": self._name, "res_id": self.id}

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    def action_view_items(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_move_line_action_dunning_explain"
        )
        action["domain"] = [("id", "in", self.item_ids.ids)]
        return action
