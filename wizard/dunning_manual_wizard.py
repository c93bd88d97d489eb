# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

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
    strategy_id = fields.Many2one(
        comodel_name="dunning.strategy", compute="_compute_strategy_id"
    )
    level_id = fields.Many2one(
        comodel_name="dunning.level",
        string="Level",
        compute="_compute_level_id",
        store=True,
        readonly=False,
        domain="[('strategy_id', '=', strategy_id)]",
        help="Level of the reminder: by default the highest level due among the "
        "invoices not excluded (else the last level sent). Choose another one "
        "to re-send a level or to send another.",
    )
    send_email = fields.Boolean(
        string="Email", compute="_compute_channels", store=True, readonly=False
    )
    print_letter = fields.Boolean(
        string="Letter", compute="_compute_channels", store=True, readonly=False
    )
    send_post = fields.Boolean(
        string="Post", compute="_compute_channels", store=True, readonly=False
    )
    send_sms = fields.Boolean(
        string="SMS", compute="_compute_channels", store=True, readonly=False
    )
    partner_reason = fields.Char(compute="_compute_partner_reason", store=True)
    check_payments = fields.Boolean(
        compute="_compute_warnings",
        help="Unapplied payments, credit notes or bank statement lines not yet "
        "reconciled cover the overdue amount.",
    )
    send_warning = fields.Text(compute="_compute_warnings")
    confirm_send = fields.Boolean(
        string="Send anyway",
        help="Tick to confirm the reminder despite the warning above.",
    )
    letter_attachment_id = fields.Many2one(
        comodel_name="ir.attachment", string="Letter Sent", readonly=True
    )
    email_subject = fields.Char(
        string="Subject", compute="_compute_previews", store=True, readonly=False
    )
    email_body = fields.Html(compute="_compute_previews", store=True, readonly=False)
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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # before anything is evaluated for that company and date
            self.env["dunning.engine"]._check_values(vals)
        return super().create(vals_list)

    def write(self, vals):
        self.env["dunning.engine"]._check_values(vals, create=False)
        return super().write(vals)

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
                                "excluded": not item.is_due,
                                "reason": result.reason_label(item.reason),
                            }
                        )
                    )
            wizard.line_ids = commands

    @api.depends("partner_id", "date")
    def _compute_partner_reason(self):
        """Why the rules leave the customer out (e.g. check payments first)."""
        for wizard in self:
            reason = False
            if wizard.partner_id:
                res = (
                    self.env["dunning.engine"]
                    ._evaluate(
                        date=wizard.date,
                        partners=wizard.partner_id,
                        company=wizard.company_id,
                        ignore_next_date=True,
                    )
                    .partners.get(wizard.partner_id.id)
                )
                reason = res.reason if res else False
            wizard.partner_reason = reason

    @api.depends("line_ids.residual", "line_ids.excluded", "line_ids.days_overdue")
    def _compute_totals(self):
        for wizard in self:
            lines = wizard.line_ids
            wizard.total_due = sum(lines.mapped("residual"))
            wizard.total_overdue = sum(
                lines.filtered(lambda ln: ln.days_overdue > 0).mapped("residual")
            )
            wizard.total_selected = sum(wizard._get_selected_lines().mapped("residual"))

    @api.depends("partner_id", "company_id")
    def _compute_strategy_id(self):
        for wizard in self:
            wizard.strategy_id = wizard.partner_id.with_company(
                wizard.company_id
            ).dunning_strategy_id or self.env["dunning.strategy"]._get_company_default(
                wizard.company_id
            )

    @api.depends("line_ids.excluded", "line_ids.no_followup", "line_ids.level_due_id")
    def _compute_level_id(self):
        for wizard in self:
            selected = wizard._get_selected_lines()
            levels = selected.level_due_id
            if not levels and selected:
                # nothing due by the rules (reminded lately, not yet due): the
                # last level sent on these invoices, else the first one
                levels = (
                    selected.level_id or (wizard.strategy_id._get_sorted_levels()[:1])
                )
            wizard.level_id = levels.sorted("delay")[-1:]

    @api.depends("level_id")
    def _compute_channels(self):
        for wizard in self:
            level = wizard.level_id
            wizard.send_email = level.send_email
            wizard.print_letter = level.print_letter
            wizard.send_post = level.send_post
            wizard.send_sms = level.send_sms

    @api.depends("partner_reason", "date", "line_ids.excluded", "line_ids.no_followup")
    def _compute_warnings(self):
        for wizard in self:
            warnings = []
            partner = wizard.partner_id.with_company(wizard.company_id)
            check = wizard.partner_reason == "check_payments"
            if check:
                warnings.append(
                    self.env._(
                        "Unapplied payments, credit notes or bank statement lines "
                        "not yet reconciled cover the overdue amount: check the "
                        "payments of this customer first."
                    )
                )
            selected = wizard._get_selected_lines()
            if (
                selected
                and partner.dunning_next_date
                and partner.dunning_next_date > wizard.date
            ):
                warnings.append(
                    self.env._(
                        "The next reminder of this customer is planned on %(date)s.",
                        date=format_date(self.env, partner.dunning_next_date),
                    )
                )
            early = selected.filtered(lambda ln: not ln.is_due)
            for line in early:
                if line.days_overdue <= 0:
                    warnings.append(
                        self.env._(
                            "%(invoice)s is not due yet (due on %(date)s).",
                            invoice=line.move_id.name,
                            date=format_date(self.env, line.date_maturity),
                        )
                    )
                elif line.dunning_date:
                    warnings.append(
                        self.env._(
                            "%(invoice)s was reminded on %(date)s (%(level)s): the "
                            "spacing between two levels is not reached yet.",
                            invoice=line.move_id.name,
                            date=format_date(self.env, line.dunning_date),
                            level=line.level_id.name,
                        )
                    )
                else:
                    warnings.append(
                        self.env._(
                            "%(invoice)s is not due for a reminder yet (%(days)s "
                            "days overdue).",
                            invoice=line.move_id.name,
                            days=line.days_overdue,
                        )
                    )
            wizard.check_payments = check
            wizard.send_warning = "\n".join(warnings) or False

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
        """The invoices of the reminder: those not excluded (the invoices not
        due by the rules start excluded; the user may include them)."""
        return self.line_ids.filtered(
            lambda ln: not ln.excluded and not ln.no_followup and not ln.reason
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_send(self):
        """Send the reminder through the channels ticked, together, and
        record it once."""
        self.ensure_one()
        channels = [channel for channel, fname in CHANNEL_FIELDS.items() if self[fname]]
        if not channels:
            raise UserError(
                self.env._("Tick at least one channel: email, letter, post or SMS.")
            )
        return self._send_reminder(channels)

    def action_send_email(self):
        return self._send_reminder(["email"])

    def action_print_letter(self):
        return self._send_reminder(["letter"])

    def action_send_post(self):
        return self._send_reminder(["post"])

    def action_send_sms(self):
        return self._send_reminder(["sms"])

    def action_preview_letter(self):
        """The letter as it would be sent now (nothing is recorded), rendered
        on the server: the same PDF with or without wkhtmltopdf."""
        self.ensure_one()
        lines = self._get_selected_lines()
        if not lines or not self.level_id:
            raise UserError(
                self.env._(
                    "Choose a level and at least one invoice to preview the letter."
                )
            )
        report = self.env.ref("account_dunning.action_report_dunning_letter")
        pdf, __ = (
            self.env["ir.actions.report"]
            .with_company(self.company_id)
            ._render_qweb_pdf(
                report.report_name,
                self.partner_id.ids,
                data={
                    "level_id": self.level_id.id,
                    "date": fields.Date.to_string(self.date),
                    "item_ids": lines.move_line_id.ids,
                },
            )
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._(
                    "Preview-%(partner)s.pdf", partner=self.partner_id.display_name
                ),
                "raw": pdf,
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}",
            "target": "new",
        }

    def action_download_letter(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.letter_attachment_id.id}?download=true",
            "target": "download",
        }

    def action_done(self):
        """Record the reminder (when none was sent from here and the customer
        is due by the rules), then open the next customer in need of action."""
        self.ensure_one()
        if not self.reminded and not self.send_warning and self._get_selected_lines():
            self._execute(["manual"])
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

    def _send_reminder(self, channels):
        self.ensure_one()
        if self.reminded:
            raise UserError(
                self.env._(
                    "The reminder of %(partner)s was already sent from this "
                    "screen: click Done to go to the next customer.",
                    partner=self.partner_id.display_name,
                )
            )
        if "sms" in channels and not self.sms_body:
            raise UserError(self.env._("Write the text of the SMS first."))
        if "email" in channels and not self.email_body:
            raise UserError(self.env._("Write the email first."))
        if self.send_warning and not self.confirm_send:
            raise UserError(
                self.env._(
                    '%(warning)s\nTick "Send anyway" to remind %(partner)s all '
                    "the same.",
                    warning=self.send_warning,
                    partner=self.partner_id.display_name,
                )
            )
        line = self._execute(channels)
        self.letter_attachment_id = line.letter_attachment_id
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
        # the user chose the level, the invoices (confirmed when early), the
        # channels and the texts: the line executes them instead of the level's
        overrides = {
            "channels": list(channels),
            "level_id": self.level_id.id,
            "contact_id": self.recipient_id.id,
        }
        if "email" in channels:
            overrides.update(subject=self.email_subject, body=self.email_body)
        if "sms" in channels:
            overrides["sms"] = self.sms_body
        Batch = self.env["dunning.batch"]
        in_lang = self.with_context(lang=Batch._company_lang(self.company_id))
        batch = Batch._create_from_selection(
            {self.partner_id.id: lines.move_line_id.ids},
            {
                "company_id": self.company_id.id,
                "strategy_id": self.level_id.strategy_id.id,
                "date": self.date,
                "origin": "manual",
                "name": in_lang.env._(
                    "Manual follow-up of %(partner)s",
                    partner=self.partner_id.display_name,
                ),
            },
            overrides={self.partner_id.id: overrides},
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
        return partner.with_env(self.env).action_dunning_manual()
