# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from markupsafe import escape
from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

_logger = logging.getLogger(__name__)


class DunningSkip(Exception):
    """Raised to skip a customer with a reason shown on its batch line."""


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
        readonly=True, help="How the customer was reminded."
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
        string="To Post",
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
    email_failure = fields.Char(
        string="Email Failure", compute="_compute_email_state"
    )
    # Overrides of a manual follow-up (empty: the level's settings)
    forced_channels = fields.Char(
        readonly=True,
        help="Comma-separated actions executed instead of the level's: email, "
        "letter, post, sms, manual (record the reminder only).",
    )
    email_subject = fields.Char(readonly=True)
    email_body = fields.Html(readonly=True, sanitize_style=True)
    sms_body = fields.Text(string="SMS Text", readonly=True)

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

    # ------------------------------------------------------------------
    # Execution
    # ------------------------------------------------------------------

    def _execute(self):
        """Remind the customer of this line. Never raises: the outcome is
        written on the line."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                # always in the batch's company, whatever the user's active one
                self.with_company(self.batch_id.company_id)._execute_reminder()
        except DunningSkip as skip:
            self._set_outcome("skipped", str(skip))
        except SerializationFailure:
            self._set_outcome(
                "skipped",
                self.env._(
                    "Skipped: the customer's items changed while the follow-up "
                    "ran (e.g. a payment was registered); launch it again."
                ),
            )
        except LockNotAvailable:
            self._set_outcome(
                "skipped",
                self.env._(
                    "Skipped: another follow-up is reminding this customer at "
                    "the same time."
                ),
            )
        except Exception as error:  # noqa: BLE001 - isolate each customer
            _logger.info(
                "Follow-up of %s failed", self.partner_id.display_name, exc_info=True
            )
            message = error.args[0] if isinstance(error, UserError) else repr(error)
            self._set_outcome(
                "failed",
                self.env._("Failed: %(error)s", error=message),
            )

    def _set_outcome(self, state, reason):
        self.write({"state": state, "reason": reason})

    def _lock_items(self):
        """Lock the line's items against concurrent follow-ups (raises
        ``LockNotAvailable`` when another transaction holds them).

        ``NO KEY UPDATE``: excludes the other follow-ups (and writes on the
        items) but not the foreign-key checks of a batch being created
        meanwhile with the same items (the cron planning its day)."""
        self.env.cr.execute(
            SQL(
                "SELECT id FROM account_move_line WHERE id = ANY(%s) "
                "FOR NO KEY UPDATE NOWAIT",
                self.item_ids.ids,
            )
        )
        self.item_ids.invalidate_recordset(
            ["dunning_level_id", "dunning_date", "amount_residual", "reconciled"]
        )

    def _get_items_to_remind(self):
        """Re-read the items now: keep only those still due at this line's
        level. Returns ``(level, [DunningItem])`` or raises ``DunningSkip``."""
        batch = self.batch_id
        partner = self.partner_id
        if not partner.active:
            raise DunningSkip(self.env._("Skipped: the customer is archived."))
        result = self.env["dunning.engine"]._evaluate(
            date=batch.date,
            partners=partner,
            company=batch.company_id,
            excluded_payment_method_lines=batch.excluded_payment_method_line_ids,
            ignore_next_date=batch.origin == "manual",
        )
        res = result.partners.get(partner.id)
        if not res:
            raise DunningSkip(
                self.env._("Skipped: nothing is due any more (paid since).")
            )
        if res.status != "in_need_of_action":
            raise DunningSkip(
                self.env._(
                    "Skipped: %(reason)s.",
                    reason=result.reason_label(res.reason)
                    or self.env._("nothing is due any more (paid since)"),
                )
            )
        wanted = set(self.item_ids.ids)
        if batch.level_id:
            level = batch.level_id
            items = [i for i in res.items_due_at(level.id) if i.id in wanted]
        else:
            items = [i for i in res.due_items if i.id in wanted]
            level = self.env["dunning.level"].browse(
                max(
                    (i.due_level_id for i in items),
                    key=lambda level_id: result.levels.get(level_id, 0),
                    default=False,
                )
            )
        if not items:
            raise DunningSkip(
                self.env._(
                    "Skipped: the items of this run were paid or reminded since."
                )
            )
        return level, items, res

    def _execute_reminder(self):
        self._lock_items()
        level, items, res = self._get_items_to_remind()
        # Executing the line is the permission to remind the customer: the
        # partner's follow-up fields and chatter are written as superuser (the
        # user stays the author), so that billing users without "Contact
        # Creation" can send reminders.
        self.check_access("write")
        partner = self.partner_id.with_company(self.batch_id.company_id).sudo()
        recipient = partner._get_dunning_recipient()
        aml = self.env["account.move.line"].browse([item.id for item in items])
        self.write(
            {
                "level_id": level.id,
                "contact_id": recipient.id,
                "item_ids": [fields.Command.set(aml.ids)],
                "debit": sum(i.residual for i in items),
                "credit": res.credit,
            }
        )
        self._check_channels(level, recipient)
        todo = self._get_actions(level)
        channels = []
        attachments = self.env["ir.attachment"]
        if todo["print_letter"] or todo["send_post"] or todo["send_email"]:
            letter = self._render_letter(level, partner, recipient, items)
            self.letter_attachment_id = letter
            attachments |= letter
        if todo["send_email"]:
            self._send_email(level, partner, recipient, aml, attachments)
            channels.append("email")
        if todo["print_letter"]:
            channels.append("letter")
        if todo["send_post"]:
            self._send_post(partner)
            channels.append("post")
        if todo["send_sms"]:
            self._send_sms(level, partner, recipient)
            channels.append("sms")
        if todo["add_sale_warning"]:
            self._add_sale_warning(level, partner)
            channels.append("warning")
        if todo["create_activity"]:
            self._schedule_activity(level, partner, aml)
            channels.append("activity")
        if not channels:
            channels.append("manual")
        self._record_reminder(level, partner, items, channels, attachments)
        self.write({"state": "sent", "reason": False, "channels": ", ".join(channels)})

    def _get_actions(self, level):
        """Actions to execute: the level's, or the line's forced channels."""
        if not self.forced_channels:
            return {
                fname: level[fname]
                for fname in (
                    "send_email", "print_letter", "send_post", "send_sms",
                    "add_sale_warning", "create_activity",
                )
            }
        forced = {c.strip() for c in self.forced_channels.split(",")}
        return {
            "send_email": "email" in forced,
            "print_letter": "letter" in forced,
            "send_post": "post" in forced,
            "send_sms": "sms" in forced,
            "add_sale_warning": False,
            "create_activity": False,
        }

    def _check_channels(self, level, recipient):
        todo = self._get_actions(level)
        if todo["send_email"] and not self._get_email_to(recipient):
            raise DunningSkip(
                self.env._(
                    "Skipped: %(contact)s has no email address.",
                    contact=recipient.display_name,
                )
            )
        if todo["send_sms"] and not (recipient.mobile or recipient.phone):
            raise DunningSkip(
                self.env._(
                    "Skipped: %(contact)s has no mobile or phone number for the SMS.",
                    contact=recipient.display_name,
                )
            )

    def _get_email_to(self, recipient):
        company = self.batch_id.company_id
        if company.dunning_test_mode:
            return company.dunning_test_email
        return recipient.email_normalized or recipient.email

    def _render_letter(self, level, partner, recipient, items):
        lang = recipient.lang or partner.lang or self.env.lang
        report = self.env["ir.actions.report"].with_context(lang=lang)
        data = {
            "level_id": level.id,
            "date": fields.Date.to_string(self.batch_id.date),
            "item_ids": [item.id for item in items],
        }
        content, _type = report._render_qweb_pdf(
            "account_dunning.action_report_dunning_letter", partner.ids, data=data
        )
        return self.env["ir.attachment"].sudo().create(  # on the partner
            {
                "name": level.with_context(lang=lang)._render_letter_filename(partner),
                "raw": content,
                "res_model": "res.partner",
                "res_id": partner.id,
                "mimetype": "application/pdf",
            }
        )

    def _get_invoice_attachments(self, moves):
        attachments = self.env["ir.attachment"]
        for move in moves.filtered(lambda m: m.is_invoice(include_receipts=True)):
            if move.invoice_pdf_report_id:
                attachments |= move.invoice_pdf_report_id
                continue
            content, _type = self.env["ir.actions.report"]._render_qweb_pdf(
                "account.account_invoices", move.ids
            )
            attachments |= self.env["ir.attachment"].create(
                {
                    "name": move._get_invoice_report_filename(),
                    "raw": content,
                    "res_model": "account.move",
                    "res_id": move.id,
                    "mimetype": "application/pdf",
                }
            )
        return attachments

    def _send_email(self, level, partner, recipient, aml, attachments):
        template = level.mail_template_id
        values = template.with_context(
            dunning_date=fields.Date.to_string(self.batch_id.date),
            dunning_item_ids=aml.ids,
        )._generate_template(
            partner.ids, ("subject", "body_html", "email_from", "reply_to", "lang")
        )[partner.id] if template else {}  # no template: manual email (overrides)
        if self.email_subject:
            values["subject"] = self.email_subject
        if self.email_body:
            values["body_html"] = self.email_body
        if level.attach_invoices:
            invoice_pdfs = self._get_invoice_attachments(aml.move_id)
            attachments |= invoice_pdfs.sudo().copy({"res_model": "res.partner", "res_id": partner.id})
        company = self.batch_id.company_id
        post_values = {
            "body": values.get("body_html") or "",
            "subject": values.get("subject"),
            "attachment_ids": attachments.ids,
            "message_type": "comment",
        }
        if values.get("email_from"):
            post_values["email_from"] = values["email_from"]
        if values.get("reply_to"):
            post_values["reply_to"] = values["reply_to"]
        if company.dunning_test_mode:
            message = partner.message_post(subtype_xmlid="mail.mt_note", **post_values)
            mail = self.env["mail.mail"].sudo().create(
                {
                    "subject": self.env._(
                        "[TEST] %(subject)s", subject=values.get("subject") or ""
                    ),
                    "body_html": post_values["body"],
                    "email_to": company.dunning_test_email,
                    "email_from": values.get("email_from") or company.email,
                    "attachment_ids": [fields.Command.set(attachments.ids)],
                    "model": "res.partner",
                    "res_id": partner.id,
                    "mail_message_id": message.id,
                }
            )
        else:
            message = partner.with_context(
                mail_notify_force_send=False
            ).message_post(
                partner_ids=recipient.ids,
                subtype_xmlid="mail.mt_comment",
                email_layout_xmlid="mail.mail_notification_light",
                **post_values,
            )
            mail = self.env["mail.mail"].sudo().search(
                [("mail_message_id", "=", message.id)]
            )
        self.write(
            {
                "message_ids": [fields.Command.link(message.id)],
                "mail_ids": [fields.Command.link(m.id) for m in mail],
            }
        )

    def _send_post(self, partner):
        if "snailmail.letter" in self.env and self.letter_attachment_id:
            letter = self.env["snailmail.letter"].create(
                {
                    "partner_id": partner.id,
                    "model": "res.partner",
                    "res_id": partner.id,
                    "user_id": self.env.user.id,
                    "company_id": self.batch_id.company_id.id,
                    "attachment_id": self.letter_attachment_id.id,
                    "report_template": self.env.ref(
                        "account_dunning.action_report_dunning_letter"
                    ).id,
                }
            )
            letter._snailmail_print()
        else:
            self.to_post = True

    def _send_sms(self, level, partner, recipient):
        body = self.sms_body or level.sms_template_id._render_field(
            "body", partner.ids, compute_lang=True
        )[partner.id]
        number = recipient.mobile or recipient.phone
        message = partner._message_sms(
            body,
            partner_ids=recipient.ids,
            sms_pid_to_number={recipient.id: number},
            put_in_queue=True,
        )
        self.message_ids = [fields.Command.link(message.id)]

    def _add_sale_warning(self, level, partner):
        message = level.with_context(
            lang=partner.lang or self.env.lang
        ).sale_warning_message or self.env._(
            "Payment overdue by more than %(days)s days.", days=level.delay
        )
        stamped = f"[{fields.Date.to_string(self.batch_id.date)}] {message}"
        partner.dunning_sale_warning = stamped
        if "sale_warn" in partner._fields:
            partner.sudo().write({"sale_warn": "warning", "sale_warn_msg": stamped})

    def _get_activity_user(self, level, partner, aml):
        if level.activity_responsible == "user":
            return level.activity_user_id
        if level.activity_responsible == "salesperson":
            salesperson = aml.move_id.invoice_user_id[:1] or partner.user_id
            if salesperson:
                return salesperson
        return partner.dunning_responsible_id or self.batch_id.user_id or self.env.user

    def _schedule_activity(self, level, partner, aml):
        user = self._get_activity_user(level, partner, aml)
        activity_type = level.activity_type_id or self.env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False
        )
        partner.activity_schedule(
            activity_type_id=activity_type.id if activity_type else False,
            summary=level.activity_summary or level.name,
            note=level.activity_note or "",
            user_id=user.id,
            date_deadline=self.batch_id.date,
        )

    def _record_reminder(self, level, partner, items, channels, attachments):
        """Write the reminder on the items, the customer and the invoices.

        Each item gets the level it was due for (the batch's level when the
        batch executes one level), so that it escalates at its own pace.
        """
        batch = self.batch_id
        aml = self.env["account.move.line"].browse([item.id for item in items])
        by_level = {}
        for item in items:
            item_level = level if batch.level_id else self.env["dunning.level"].browse(
                item.due_level_id
            )
            by_level.setdefault(item_level, self.env["account.move.line"])
            by_level[item_level] |= aml.browse(item.id)
        for item_level, lines in by_level.items():
            # follow-up metadata only: no need to re-synchronise the invoice
            lines.with_context(
                skip_invoice_sync=True,
                skip_invoice_line_sync=True,
                check_move_validity=False,
            ).write(
                {
                    "dunning_level_id": item_level.id,
                    "dunning_date": batch.date,
                    "dunning_marker_id": item_level.marker_id.id,
                }
            )
        marker = level.marker_id
        current = partner.dunning_marker_id
        if marker.propagate and (not current or marker.sequence >= current.sequence):
            partner.dunning_marker_id = marker
        partner.dunning_last_level_id = level
        next_level = level._get_next_level()
        partner.dunning_next_date = (
            batch.date + timedelta(days=next_level.delay - level.delay)
            if next_level
            else False
        )
        count = self.search_count(
            [
                ("partner_id", "=", partner.id),
                ("state", "=", "sent"),
                ("company_id", "=", batch.company_id.id),
            ]
        ) + 1
        labels = dict(self._channel_labels())
        comment = self.env._(
            "%(date)s: Payment overdue (%(days)s days) - Customer reminded "
            "%(count)s time(s), %(level)s by %(channels)s",
            date=format_date(self.env, batch.date),
            days=level.delay,
            count=count,
            level=level.name,
            channels=", ".join(str(labels[c]) for c in channels),
        )
        partner.dunning_comments = (
            f"{partner.dunning_comments}\n{comment}"
            if partner.dunning_comments
            else comment
        )
        summary = self.env._(
            "Follow-up %(level)s (%(batch)s) by %(channels)s.",
            level=level.name,
            batch=batch.display_name,
            channels=", ".join(str(labels[c]) for c in channels),
        )
        if "email" not in channels:
            message = partner.message_post(
                body=escape(summary),
                attachment_ids=attachments.ids,
                subtype_xmlid="mail.mt_note",
            )
            self.message_ids = [fields.Command.link(message.id)]
        moves = aml.move_id
        bodies = {move.id: escape(summary) for move in moves}
        moves._message_log_batch(bodies=bodies)

    def _channel_labels(self):
        return [
            ("email", self.env._("email")),
            ("letter", self.env._("letter")),
            ("post", self.env._("post")),
            ("sms", self.env._("SMS")),
            ("warning", self.env._("sales warning")),
            ("activity", self.env._("activity")),
            ("manual", self.env._("manual follow-up")),
        ]
