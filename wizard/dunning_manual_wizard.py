# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

CHANNEL_FIELDS = {
    "email": "send_email",
    "letter": "print_letter",
    "post": "send_post",
    "sms": "send_sms",
}


class DunningManualWizard(models.TransientModel):
    """Follow up one customer by hand: every unpaid invoice, the reminder to
    send (previewed and editable), then the next customer."""

    _name = "dunning.manual.wizard"
    _description = "Manual Follow-up"
    _check_company_auto = True

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        string="Follow-up Date",
        required=True,
        readonly=True,
        default=fields.Date.context_today,
    )
    trust = fields.Selection(related="partner_id.trust", readonly=False)
    dunning_status = fields.Selection(related="partner_id.dunning_status")
    exclusion_reason = fields.Char(
        string="Not Reminded Because", related="partner_id.dunning_exclusion_reason"
    )
    marker_id = fields.Many2one(related="partner_id.dunning_marker_id")
    responsible_id = fields.Many2one(
        related="partner_id.dunning_responsible_id", readonly=False
    )
    comments = fields.Text(related="partner_id.dunning_comments", readonly=False)
    recipient_id = fields.Many2one(
        comodel_name="res.partner",
        string="Recipient",
        compute="_compute_recipient_id",
    )
    email_to = fields.Char(related="recipient_id.email", string="Email Address")
    sms_number = fields.Char(compute="_compute_recipient_id", string="Mobile")
    line_ids = fields.One2many(
        comodel_name="dunning.manual.wizard.line",
        inverse_name="wizard_id",
        string="Unpaid Invoices",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )
    total_due = fields.Monetary(compute="_compute_totals")
    total_overdue = fields.Monetary(compute="_compute_totals")
    total_selected = fields.Monetary(string="Total Reminded", compute="_compute_totals")
    level_id = fields.Many2one(
        comodel_name="dunning.level",
        string="Level",
        compute="_compute_level_id",
        store=True,
        help="Highest level due among the invoices not excluded: its templates "
        "are used.",
    )
    email_subject = fields.Char(
        string="Subject", compute="_compute_previews", store=True, readonly=False
    )
    email_body = fields.Html(
        string="Email Body", compute="_compute_previews", store=True, readonly=False
    )
    sms_body = fields.Text(
        string="SMS Text", compute="_compute_previews", store=True, readonly=False
    )
    next_date = fields.Date(
        string="Next Reminder",
        default=lambda self: self._default_next_date(),
        help="Remind me later: the customer is not in need of action before "
        "this date.",
    )
    batch_ids = fields.Many2many(
        comodel_name="dunning.batch", string="Reminders Sent", readonly=True
    )
    reminded = fields.Boolean(compute="_compute_reminded")

    def _default_next_date(self):
        return fields.Date.context_today(self) + timedelta(days=7)

    @api.depends("partner_id")
    def _compute_recipient_id(self):
        for wizard in self:
            recipient = (
                wizard.partner_id._get_dunning_recipient()
                if wizard.partner_id
                else self.env["res.partner"]
            )
            wizard.recipient_id = recipient
            wizard.sms_number = recipient.mobile or recipient.phone

    @api.depends("partner_id", "date")
    def _compute_line_ids(self):
        for wizard in self:
            commands = [Command.clear()]
            if wizard.partner_id:
                result = self.env["dunning.engine"]._evaluate(
                    date=wizard.date,
                    partners=wizard.partner_id,
                    company=wizard.company_id,
                    ignore_next_date=True,
                )
                res = result.partners.get(wizard.partner_id.id)
                for item in res.items if res else []:
                    if item.is_credit:
                        continue
                    commands.append(
                        Command.create(
                            {
                                "move_line_id": item.id,
                                "days_overdue": item.days_overdue,
                                "residual": item.residual,
                                "level_due_id": item.due_level_id,
                                "is_due": item.is_due,
                                "reason": result.reason_label(item.reason),
                            }
                        )
                    )
            wizard.line_ids = commands

    @api.depends("line_ids.residual", "line_ids.excluded", "line_ids.days_overdue")
    def _compute_totals(self):
        for wizard in self:
            lines = wizard.line_ids
            wizard.total_due = sum(lines.mapped("residual"))
            wizard.total_overdue = sum(
                lines.filtered(lambda ln: ln.days_overdue > 0).mapped("residual")
            )
            wizard.total_selected = sum(wizard._get_selected_lines().mapped("residual"))

    @api.depends("line_ids.excluded", "line_ids.no_followup", "line_ids.level_due_id")
    def _compute_level_id(self):
        for wizard in self:
            levels = wizard._get_selected_lines().level_due_id
            wizard.level_id = levels.sorted("delay")[-1:]

    @api.depends("level_id", "line_ids.excluded", "line_ids.no_followup")
    def _compute_previews(self):
        for wizard in self:
            level = wizard.level_id
            partner = wizard.partner_id.with_company(wizard.company_id)
            subject = body = sms = False
            if level and partner:
                ctx = {
                    "dunning_date": fields.Date.to_string(wizard.date),
                    "dunning_item_ids": wizard._get_selected_lines().move_line_id.ids,
                }
                if level.mail_template_id:
                    values = level.mail_template_id.with_context(
                        **ctx
                    )._generate_template(partner.ids, ("subject", "body_html"))[
                        partner.id
                    ]
                    subject = values.get("subject")
                    body = values.get("body_html")
                if level.sms_template_id:
                    sms = level.sms_template_id.with_context(**ctx)._render_field(
                        "body", partner.ids, compute_lang=True
                    )[partner.id]
            wizard.email_subject = subject
            wizard.email_body = body
            wizard.sms_body = sms

    @api.depends("batch_ids")
    def _compute_reminded(self):
        for wizard in self:
            wizard.reminded = bool(wizard.batch_ids)

    def _get_selected_lines(self):
        return self.line_ids.filtered(
            lambda ln: ln.is_due and not ln.excluded and not ln.no_followup
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_send_email(self):
        return self._send_reminder("email")

    def action_print_letter(self):
        return self._send_reminder("letter")

    def action_send_post(self):
        return self._send_reminder("post")

    def action_send_sms(self):
        return self._send_reminder("sms")

    def action_preview_letter(self):
        """The letter as it would be printed now (nothing is recorded)."""
        self.ensure_one()
        return self.env.ref(
            "account_dunning.action_report_dunning_letter"
        ).report_action(
            self.partner_id,
            data={
                "level_id": self.level_id.id,
                "date": fields.Date.to_string(self.date),
                "item_ids": self._get_selected_lines().move_line_id.ids,
            },
            config=False,
        )

    def action_done(self):
        """Record the reminder (when none was sent from here), then open the
        next customer in need of action."""
        self.ensure_one()
        if not self.reminded and self._get_selected_lines():
            self._execute("manual")
        return self._action_next()

    def action_remind_later(self):
        self.ensure_one()
        if not self.next_date or self.next_date <= self.date:
            raise UserError(
                self.env._(
                    "Choose a next reminder date after %(date)s.", date=self.date
                )
            )
        self.partner_id.with_company(self.company_id).dunning_next_date = self.next_date
        return self._action_next()

    def action_open_promise(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Payment Promise"),
            "res_model": "dunning.promise",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_contact_id": self.recipient_id.id,
                "default_amount": self.total_overdue,
            },
        }

    def action_open_batches(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.dunning_batch_action"
        )
        action["domain"] = [("id", "in", self.batch_ids.ids)]
        return action

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _send_reminder(self, channel):
        self.ensure_one()
        if self.reminded:
            raise UserError(
                self.env._(
                    "The reminder of %(partner)s was already sent from this "
                    "screen: click Done to go to the next customer.",
                    partner=self.partner_id.display_name,
                )
            )
        if channel == "sms" and not self.sms_body:
            raise UserError(self.env._("Write the text of the SMS first."))
        if channel == "email" and not self.email_body:
            raise UserError(self.env._("Write the email first."))
        line = self._execute(channel)
        if channel in ("letter", "post") and line.letter_attachment_id:
            return {
                "type": "ir.actions.act_url",
                "url": f"/web/content/{line.letter_attachment_id.id}?download=true",
                "target": "download",
            }
        return self._action_reopen()

    def _execute(self, channels):
        """Remind the customer of the selected items through a batch of
        origin "manual": the same execution path as every follow-up."""
        self.ensure_one()
        lines = self._get_selected_lines()
        if not lines:
            raise UserError(
                self.env._(
                    "Nothing to remind to %(partner)s: no invoice is due, or all "
                    "are excluded.",
                    partner=self.partner_id.display_name,
                )
            )
        items = lines.move_line_id
        batch = self.env["dunning.batch"].create(
            {
                "company_id": self.company_id.id,
                "strategy_id": self.level_id.strategy_id.id,
                "date": self.date,
                "origin": "manual",
                "name": self.env._(
                    "Manual follow-up of %(partner)s",
                    partner=self.partner_id.display_name,
                ),
                "line_ids": [
                    Command.create(
                        {
                            "partner_id": self.partner_id.id,
                            "contact_id": self.recipient_id.id,
                            "item_ids": [Command.set(items.ids)],
                            "debit": sum(lines.mapped("residual")),
                            "forced_channels": channels,
                            "email_subject": self.email_subject
                            if "email" in channels
                            else False,
                            "email_body": self.email_body
                            if "email" in channels
                            else False,
                            "sms_body": self.sms_body if "sms" in channels else False,
                        }
                    )
                ],
            }
        )
        batch._execute()
        line = batch.line_ids
        if line.state != "sent":
            raise UserError(
                self.env._(
                    "%(partner)s was not reminded. %(reason)s",
                    partner=self.partner_id.display_name,
                    reason=line.reason or "",
                )
            )
        self.batch_ids = [Command.link(batch.id)]
        return line

    def _action_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Follow-up of %(partner)s", partner=self.partner_id.display_name
            ),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": self.env.context,
        }

    def _get_next_partner(self):
        """Next customer in need of action: among the customers the screen was
        opened from (context ``dunning_partner_ids``) when given, else any."""
        self.ensure_one()
        domain = [
            ("dunning_status", "=", "in_need_of_action"),
            ("id", "!=", self.partner_id.id),
            "|",
            ("is_company", "=", True),
            ("parent_id", "=", False),
        ]
        candidates = self.env.context.get("dunning_partner_ids")
        partners = (
            self.env["res.partner"]
            .with_company(self.company_id)
            .search(domain + ([("id", "in", candidates)] if candidates else []))
        )
        if candidates:
            order = {pid: index for index, pid in enumerate(candidates)}
            partners = partners.sorted(lambda p: order.get(p.id, 0))
        return partners[:1]

    def _action_next(self):
        partner = self._get_next_partner()
        if not partner:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": self.env._("No other customer is in need of action."),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return partner.with_context(self.env.context).action_dunning_manual()
