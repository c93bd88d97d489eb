# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from dataclasses import dataclass
from datetime import timedelta

from markupsafe import escape
from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, clean_context, format_date

_logger = logging.getLogger(__name__)


class DunningSkip(Exception):
    """Raised to skip a customer with a reason shown on its batch line."""


@dataclass
class DunningReminder:
    """What a batch line does for its customer, once its items are checked."""

    line: models.Model  # dunning.batch.line
    level: models.Model  # dunning.level
    items: list  # [DunningItem] being reminded
    result: object  # DunningPartnerResult of the customer
    partner: models.Model  # customer (superuser, batch's company)
    recipient: models.Model  # accounting contact
    actions: dict  # {"send_email": bool, ...}
    attachments: models.Model  # ir.attachment of the messages
    messages: models.Model  # mail.message posted on the customer
    mails: models.Model  # mail.mail queued
    channels: tuple = ()

    @property
    def aml(self):
        return self.line.env["account.move.line"].browse(
            [item.id for item in self.items]
        )


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
        """Remind the customers of these pending lines. Never raises for one
        customer: the outcome is written on each line.

        The lines of a batch are executed together: one engine evaluation,
        the email template rendered once per language, the messages, emails,
        notifications and journal item updates created in bulk. Should
        anything go wrong (a template error, a locked item...), everything
        done for these lines is rolled back and they are executed one by
        one, each in its own savepoint, so that one customer's failure never
        stops the others and shows on its own line."""
        lines = self.filtered(lambda line: line.state == "pending")
        batches = lines.batch_id
        if len(batches) > 1:
            for batch in batches:
                lines.filtered(lambda line, b=batch: line.batch_id == b)._execute()
            return
        # always in the batch's company, whatever the user's active one
        lines = lines.with_company(batches.company_id)
        if len(lines) > 1:
            try:
                with self.env.cr.savepoint():
                    lines._execute_reminders()
                return
            except MemoryError:
                raise
            except Exception:  # noqa: BLE001 - retried one customer at a time
                _logger.info(
                    "Follow-up of %s customers together failed: one at a time",
                    len(lines),
                    exc_info=True,
                )
        for line in lines:
            line._execute_one()

    def _execute_one(self):
        """Remind the customer of this line alone, in a savepoint."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self._execute_reminders()
        except MemoryError:
            raise
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
        """Lock the lines' items against concurrent follow-ups (raises
        ``LockNotAvailable`` when another transaction holds one of them).

        ``NO KEY UPDATE``: excludes the other follow-ups (and writes on the
        items) but not the foreign-key checks of a batch being created
        meanwhile with the same items (the cron planning its day)."""
        items = self.item_ids
        self.env.cr.execute(
            SQL(
                "SELECT id FROM account_move_line WHERE id = ANY(%s) "
                "FOR NO KEY UPDATE NOWAIT",
                items.ids,
            )
        )
        items.invalidate_recordset(
            ["dunning_level_id", "dunning_date", "amount_residual", "reconciled"]
        )

    def _get_items_to_remind(self, result):
        """Keep the line's items still due at its level in ``result`` (the
        engine's evaluation made after locking them). Returns ``(level,
        [DunningItem], partner result)`` or raises ``DunningSkip``."""
        batch = self.batch_id
        partner = self.partner_id
        if not partner.active:
            raise DunningSkip(self.env._("Skipped: the customer is archived."))
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

    def _prepare_reminders(self):
        """Lock the items, evaluate the customers once, and return what to do
        for each line: ``[DunningReminder]``. Lines with nothing to do are
        marked skipped with the reason."""
        batch = self.batch_id
        self._lock_items()
        self.partner_id.fetch(["active", "commercial_partner_id"])
        result = self.env["dunning.engine"]._evaluate(
            date=batch.date,
            partners=self.partner_id.filtered("active"),
            company=batch.company_id,
            excluded_payment_method_lines=batch.excluded_payment_method_line_ids,
            ignore_next_date=batch.origin == "manual",
        )
        reminders = []
        for line in self:
            try:
                level, items, res = line._get_items_to_remind(result)
                # Executing the line is the permission to remind the customer:
                # the partner's follow-up fields and chatter are written as
                # superuser (the user stays the author), so that billing users
                # without "Contact Creation" can send reminders.
                partner = line.partner_id.with_company(batch.company_id).sudo()
                recipient = partner._get_dunning_recipient()
                line._check_channels(level, recipient)
            except DunningSkip as skip:
                line._set_outcome("skipped", str(skip))
                continue
            reminders.append(
                DunningReminder(
                    line=line,
                    level=level,
                    items=items,
                    result=res,
                    partner=partner,
                    recipient=recipient,
                    actions=line._get_actions(level),
                    attachments=self.env["ir.attachment"],
                    messages=self.env["mail.message"],
                    mails=self.env["mail.mail"],
                )
            )
        return reminders

    def _execute_reminders(self):
        """Remind the customers of these lines (of one batch), together."""
        self.batch_id.ensure_one()
        reminders = self._prepare_reminders()
        if not reminders:
            return
        self.check_access("write")
        for rem in reminders:
            todo = rem.actions
            if todo["print_letter"] or todo["send_post"] or todo["send_email"]:
                letter = rem.line._render_letter(
                    rem.level, rem.partner, rem.recipient, rem.items
                )
                rem.line.letter_attachment_id = letter
                rem.attachments |= letter
        emails = [rem for rem in reminders if rem.actions["send_email"]]
        if emails:
            self._send_emails(emails)
        for rem in reminders:
            rem.line._execute_other_actions(rem)
        self._record_reminders(reminders)
        for rem in reminders:
            rem.line.write(
                {
                    "state": "sent",
                    "reason": False,
                    "channels": ", ".join(rem.channels),
                    "level_id": rem.level.id,
                    "contact_id": rem.recipient.id,
                    "item_ids": [fields.Command.set([item.id for item in rem.items])],
                    "debit": sum(item.residual for item in rem.items),
                    "credit": rem.result.credit,
                }
            )
        # the messages and emails of all the lines in one query per relation
        for fname, attribute in (("message_ids", "messages"), ("mail_ids", "mails")):
            self._fields[fname].write_batch(
                [
                    (rem.line, [fields.Command.link(rid) for rid in records.ids])
                    for rem in reminders
                    if (records := getattr(rem, attribute))
                ]
            )

    def _execute_other_actions(self, rem):
        """The actions of the reminder other than the email, and the channels
        used, in the order of the level's form."""
        todo = rem.actions
        channels = ["email"] if todo["send_email"] else []
        if todo["print_letter"]:
            channels.append("letter")
        if todo["send_post"]:
            self._send_post(rem.partner)
            channels.append("post")
        if todo["send_sms"]:
            self._send_sms(rem.level, rem.partner, rem.recipient)
            channels.append("sms")
        if todo["add_sale_warning"]:
            self._add_sale_warning(rem.level, rem.partner)
            channels.append("warning")
        if todo["create_activity"]:
            self._schedule_activity(rem.level, rem.partner, rem.aml)
            channels.append("activity")
        rem.channels = channels or ["manual"]

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

    def _render_email_values(self, reminders):
        """Subject, body, sender and language of each reminder email,
        ``{line id: values}``: each template is rendered once for all the
        customers (grouped by language), with the items being reminded."""
        batch = self.batch_id
        by_template = {}
        for rem in reminders:
            by_template.setdefault(rem.level.mail_template_id, []).append(rem)
        # the overdue tables of all the emails, in one query
        self.env["account.move.line"].browse(
            [item.id for rem in reminders for item in rem.items]
        ).fetch(["move_id", "move_name", "currency_id", "amount_currency", "balance"])
        values = {}
        for template, rems in by_template.items():
            rendered = {}
            if template:  # no template: manual email (overrides)
                rendered = template.with_context(
                    dunning_date=fields.Date.to_string(batch.date),
                    dunning_mail_items={rem.partner.id: rem.items for rem in rems},
                )._generate_template(
                    [rem.partner.id for rem in rems],
                    ("subject", "body_html", "email_from", "reply_to", "lang"),
                )
            for rem in rems:
                vals = dict(rendered.get(rem.partner.id, {}))
                if rem.line.email_subject:
                    vals["subject"] = rem.line.email_subject
                if rem.line.email_body:
                    vals["body_html"] = rem.line.email_body
                values[rem.line.id] = vals
        return values

    def _send_emails(self, reminders):
        """Queue the reminder emails of ``reminders`` (lines of one batch).

        Each email is what ``message_post`` makes of it, done for all the
        customers at once: a message in the customer's chatter addressed to
        its accounting contact, the email in the light notification layout,
        and its email notification (delivery failures and bounces show on the
        line). The customer's followers are not copied. In test mode the
        message is a note and the email goes to the test address only."""
        values = self._render_email_values(reminders)
        for rem in reminders:
            if rem.level.attach_invoices:
                invoice_pdfs = self._get_invoice_attachments(rem.aml.move_id)
                rem.attachments |= invoice_pdfs.sudo().copy(
                    {"res_model": "res.partner", "res_id": rem.partner.id}
                )
        messages, message_values = self._create_email_messages(reminders, values)
        mails = self._create_email_mails(reminders, messages, message_values, values)
        for rem, message in zip(reminders, messages, strict=True):
            rem.messages |= message
            rem.mails |= mails[rem.line.id]

    def _create_email_messages(self, reminders, values):
        """The chatter messages of the reminder emails, created together.
        Returns the messages and the values they were created with."""
        company = self.batch_id.company_id
        test_mode = company.dunning_test_mode
        partners = reminders[0].partner.browse([rem.partner.id for rem in reminders])
        author = self.env.user.partner_id
        alias_domains = partners._mail_get_alias_domains(default_company=company)
        companies = partners._mail_get_companies(default=company)
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "mail.mt_note" if test_mode else "mail.mt_comment"
        )
        reply_to_by_sender = {}
        values_list = []
        for rem in reminders:
            vals = values[rem.line.id]
            email_from = vals.get("email_from") or author.email_formatted
            reply_to = vals.get("reply_to")
            if not reply_to:
                if email_from not in reply_to_by_sender:
                    reply_to_by_sender[email_from] = partners._notify_get_reply_to(
                        default=email_from
                    )
                reply_to = reply_to_by_sender[email_from][rem.partner.id]
            values_list.append(
                {
                    "author_id": author.id,
                    "email_from": email_from,
                    "model": "res.partner",
                    "res_id": rem.partner.id,
                    "record_name": rem.partner.display_name,
                    "record_alias_domain_id": alias_domains[rem.partner.id].id,
                    "record_company_id": companies[rem.partner.id].id,
                    "body": escape(vals.get("body_html") or ""),
                    "subject": vals.get("subject") or False,
                    "message_type": "comment",
                    "subtype_id": subtype_id,
                    "partner_ids": [] if test_mode else rem.recipient.ids,
                    "attachment_ids": [fields.Command.set(rem.attachments.ids)],
                    "reply_to": reply_to,
                    "email_add_signature": True,
                    "email_layout_xmlid": "mail.mail_notification_light",
                    "tracking_value_ids": [],  # none: spares a search per email
                }
            )
        messages = self._create_messages_sanitized_once(partners, values_list)
        # the author follows the customers, to receive their answers
        if not self.env.context.get("mail_create_nosubscribe") and self.env.user.active:
            partners._message_subscribe(partner_ids=author.ids)
        return messages, values_list

    def _create_messages_sanitized_once(self, partners, values_list):
        """``partners._message_create(values_list)``, the bodies sanitized once.

        The ORM sanitizes an HTML field twice when it creates a record (for the
        column and for the cache): for the large bodies of reminder emails that
        is a third of the cost of the message. The bodies are sanitized here
        the way the field does it, the messages created without them, and the
        bodies stored in one query. Bodies with inline images (``data:``) go
        through the ORM, which turns the images into attachments."""
        Message = self.env["mail.message"].sudo()
        body_field = Message._fields["body"]
        bodies = {}
        for index, values in enumerate(values_list):
            body = values.get("body")
            if body and "data:" not in body:
                values["body"] = body_field.convert_to_column(body, Message)
                bodies[index] = values["body"]
        messages = partners._message_create(
            [
                dict(values, body="") if index in bodies else values
                for index, values in enumerate(values_list)
            ]
        )
        if bodies:
            self.env.cr.execute(
                SQL(
                    "UPDATE mail_message SET body = v.body FROM (VALUES %s) "
                    "AS v(id, body) WHERE mail_message.id = v.id",
                    SQL(", ").join(
                        SQL("(%s, %s)", messages[index].id, body)
                        for index, body in bodies.items()
                    ),
                )
            )
            messages.invalidate_recordset(["body"])
        return messages

    def _create_email_mails(self, reminders, messages, message_values, values):
        """The outgoing emails (and their notifications) of the messages,
        created together: ``{line id: mail.mail}``."""
        company = self.batch_id.company_id
        Mail = self.env["mail.mail"].sudo().with_context(
            clean_context(self.env.context)
        )
        todo = []  # (reminder, mail values)
        for rem, message, msg_vals in zip(
            reminders, messages, message_values, strict=True
        ):
            vals = values[rem.line.id]
            if company.dunning_test_mode:
                todo.append(
                    (
                        rem,
                        {
                            "subject": self.env._(
                                "[TEST] %(subject)s", subject=vals.get("subject") or ""
                            ),
                            "body_html": msg_vals["body"],
                            "email_to": company.dunning_test_email,
                            "email_from": msg_vals["email_from"] or company.email,
                            "attachment_ids": [
                                fields.Command.set(rem.attachments.ids)
                            ],
                            "model": "res.partner",
                            "res_id": rem.partner.id,
                            "mail_message_id": message.id,
                        },
                    )
                )
                continue
            partner = rem.partner
            base_values = partner._notify_by_email_get_base_mail_values(
                message, additional_values={"auto_delete": True}
            )
            recipient = rem.recipient
            recipients_data = [
                {
                    "active": True,
                    "id": recipient.id,
                    "is_follower": False,
                    "groups": [],
                    "lang": recipient.lang,
                    "notif": "email",
                    "share": True,
                    "type": "customer",
                    "ushare": False,
                }
            ]
            for _lang, render_values, group in (
                partner._notify_get_classified_recipients_iterator(
                    message,
                    recipients_data,
                    msg_vals=msg_vals,
                    force_email_company=company,
                    force_email_lang=vals.get("lang"),
                )
            ):
                body = partner._notify_by_email_render_layout(
                    message, group, msg_vals=msg_vals, render_values=render_values
                )
                todo.append(
                    (
                        rem,
                        partner._notify_by_email_get_final_mail_values(
                            group.pop("recipients"),
                            base_values,
                            additional_values={"body_html": body},
                        ),
                    )
                )
        created = Mail.create([mail_values for _rem, mail_values in todo])
        mails = {rem.line.id: Mail.browse() for rem in reminders}
        notifications = []
        for (rem, _mail_values), mail in zip(todo, created, strict=True):
            mails[rem.line.id] |= mail
            if company.dunning_test_mode:
                continue
            notifications += [
                {
                    "author_id": mail.author_id.id,
                    "is_read": True,
                    "mail_mail_id": mail.id,
                    "mail_message_id": mail.mail_message_id.id,
                    "notification_status": "ready",
                    "notification_type": "email",
                    "res_partner_id": partner.id,
                }
                for partner in mail.recipient_ids
            ]
        if notifications:
            self.env["mail.notification"].sudo().with_context(
                clean_context(self.env.context)
            ).create(notifications)
        return mails

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

    def _record_reminders(self, reminders):
        """Write the reminders on the items, the customers and the invoices.

        Each item gets the level it was due for (the batch's level when the
        batch executes one level), so that it escalates at its own pace.
        """
        batch = self.batch_id
        items_by_level = {}
        for rem in reminders:
            for item in rem.items:
                level_id = rem.level.id if batch.level_id else item.due_level_id
                items_by_level.setdefault(level_id, []).append(item.id)
        for level_id, item_ids in items_by_level.items():
            level = self.env["dunning.level"].browse(level_id)
            # follow-up metadata only: no need to re-synchronise the invoices
            self.env["account.move.line"].browse(item_ids).with_context(
                skip_invoice_sync=True,
                skip_invoice_line_sync=True,
                check_move_validity=False,
            ).write(
                {
                    "dunning_level_id": level.id,
                    "dunning_date": batch.date,
                    "dunning_marker_id": level.marker_id.id,
                }
            )
        reminded_before = {
            partner.id: count
            for partner, count in self._read_group(
                [
                    ("partner_id", "in", [rem.partner.id for rem in reminders]),
                    ("state", "=", "sent"),
                    ("company_id", "=", batch.company_id.id),
                ],
                ["partner_id"],
                ["__count"],
            )
        }
        labels = dict(self._channel_labels())
        date = format_date(self.env, batch.date)
        move_bodies = {}
        for rem in reminders:
            level, partner = rem.level, rem.partner
            channels = ", ".join(str(labels[c]) for c in rem.channels)
            partner_values = {"dunning_last_level_id": level.id}
            marker = level.marker_id
            current = partner.dunning_marker_id
            if marker.propagate and (not current or marker.sequence >= current.sequence):
                partner_values["dunning_marker_id"] = marker.id
            next_level = level._get_next_level()
            partner_values["dunning_next_date"] = (
                batch.date + timedelta(days=next_level.delay - level.delay)
                if next_level
                else False
            )
            comment = self.env._(
                "%(date)s: Payment overdue (%(days)s days) - Customer reminded "
                "%(count)s time(s), %(level)s by %(channels)s",
                date=date,
                days=level.delay,
                count=reminded_before.get(rem.partner.id, 0) + 1,
                level=level.name,
                channels=channels,
            )
            partner_values["dunning_comments"] = (
                f"{partner.dunning_comments}\n{comment}"
                if partner.dunning_comments
                else comment
            )
            partner.write(partner_values)
            summary = escape(
                self.env._(
                    "Follow-up %(level)s (%(batch)s) by %(channels)s.",
                    level=level.name,
                    batch=batch.display_name,
                    channels=channels,
                )
            )
            if "email" not in rem.channels:
                message = partner.message_post(
                    body=summary,
                    attachment_ids=rem.attachments.ids,
                    subtype_xmlid="mail.mt_note",
                )
                rem.messages |= message
            for move in rem.aml.move_id:
                move_bodies[move.id] = summary
        moves = self.env["account.move"].browse(list(move_bodies))
        moves._message_log_batch(bodies=move_bodies)

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
