# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The sending service: what a follow-up batch does for its customers.

``dunning.send._send(lines)`` reminds the customers of pending batch lines
(of one batch), the way ``account.move.send`` sends invoices apart from the
moves:

PREPARE
    lock the items, evaluate the customers once, and build each reminder's
    content once (items, level, rows of the overdue table, letter values);
CHANNELS
    the letter, the email (``message_post``), the post, the SMS, the sales
    warning and the activity, as the level (or the manual screen) asks;
RECORD
    the level on the items, the customer's follow-up fields and comments, a
    note on the invoices, the outcome on the lines.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from markupsafe import Markup, escape
from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from .dunning_level import CHANNELS, MANUAL_CHANNEL, channels_text

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
    channels: list  # channel keys to execute (CHANNELS order)
    lang: str  # language of what the customer reads
    content: dict = field(default_factory=dict)  # rows, letter values...
    attachments: models.Model = None  # ir.attachment of the messages
    messages: models.Model = None  # mail.message posted on the customer

    @property
    def aml(self):
        return self.line.env["account.move.line"].browse(
            [item.id for item in self.items]
        )

    @property
    def overrides(self):
        return self.line.override_values or {}


class DunningSend(models.AbstractModel):
    _name = "dunning.send"
    _description = "Follow-up Sending"

    @api.model
    def _send(self, lines):
        """Remind the customers of these pending lines (of one batch). Never
        raises for one customer: the outcome is written on each line.

        The lines are reminded together (one lock, one evaluation, bulk
        writes); should anything go wrong, their work is rolled back and they
        are reminded one by one, each in its own savepoint, so that one
        customer's failure shows on its own line and stops nobody else."""
        lines = lines.filtered(lambda line: line.state == "pending")
        if not lines:
            return
        batch = lines.batch_id
        batch.ensure_one()
        # what is written for the company (reasons, comments, notes) is in its
        # language; what the customer reads, in the customer's
        self = self.with_context(lang=batch._company_lang(batch.company_id))  # noqa: PLW0642
        lines = lines.with_env(self.env).with_company(batch.company_id)
        if len(lines) > 1:
            try:
                with self.env.cr.savepoint():
                    self._send_reminders(lines)
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
            self._send_one(line)

    def _send_one(self, line):
        """Remind the customer of ``line`` alone, in a savepoint."""
        try:
            with self.env.cr.savepoint():
                self._send_reminders(line)
        except MemoryError:
            raise
        except SerializationFailure:
            self._set_outcome(
                line,
                "skipped",
                self.env._(
                    "Skipped: the customer's items changed while the follow-up "
                    "ran (e.g. a payment was registered); launch it again."
                ),
            )
        except LockNotAvailable:
            self._set_outcome(
                line,
                "skipped",
                self.env._(
                    "Skipped: another follow-up is reminding this customer at "
                    "the same time."
                ),
            )
        except Exception as error:  # noqa: BLE001 - isolate each customer
            _logger.info(
                "Follow-up of %s failed", line.partner_id.display_name, exc_info=True
            )
            message = error.args[0] if isinstance(error, UserError) else repr(error)
            self._set_outcome(
                line, "failed", self.env._("Failed: %(error)s", error=message)
            )

    def _set_outcome(self, lines, state, reason):
        lines.sudo().write({"state": state, "reason": reason})

    def _send_reminders(self, lines):
        """Prepare, execute the channels and record the reminders of
        ``lines`` (one batch), together."""
        reminders = self._prepare_reminders(lines)
        if not reminders:
            return
        lines.check_access("write")
        self._attach_letters(reminders)
        self._send_emails([rem for rem in reminders if "email" in rem.channels])
        for rem in reminders:
            self._execute_other_channels(rem)
        self._record_reminders(reminders)
        self._write_lines(reminders)

    # ------------------------------------------------------------------
    # PREPARE
    # ------------------------------------------------------------------

    def _lock_items(self, lines):
        """Lock the lines' items against concurrent follow-ups (raises
        ``LockNotAvailable`` when another transaction holds one of them).

        ``NO KEY UPDATE``: excludes the other follow-ups (and writes on the
        items) but not the foreign-key checks of a batch being created
        meanwhile with the same items (the cron planning its day)."""
        items = lines.item_ids
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

    def _evaluate(self, lines):
        """The engine's evaluation of the lines' customers, after locking
        their items: once per chunk."""
        batch = lines.batch_id
        self._lock_items(lines)
        lines.partner_id.fetch(["active", "commercial_partner_id"])
        return self.env["dunning.engine"]._evaluate(
            date=batch.date,
            partners=lines.partner_id.filtered("active"),
            company=batch.company_id,
            excluded_payment_method_lines=batch.excluded_payment_method_line_ids,
            ignore_next_date=batch.origin == "manual",
        )

    def _get_items_to_remind(self, line, result):
        """The line's items still due in ``result``: ``(level, [DunningItem],
        partner result)``; raises ``DunningSkip`` when there is none."""
        if not line.partner_id.active:
            raise DunningSkip(self.env._("Skipped: the customer is archived."))
        res = result.partners.get(line.partner_id.id)
        if not res:
            raise DunningSkip(
                self.env._("Skipped: nothing is due any more (paid since).")
            )
        forced_level = (line.override_values or {}).get("level_id")
        if forced_level:
            return self._get_forced_items(line, res, forced_level)
        if res.status != "in_need_of_action":
            raise DunningSkip(
                self.env._(
                    "Skipped: %(reason)s.",
                    reason=result.reason_label(res.reason)
                    or self.env._("nothing is due any more (paid since)"),
                )
            )
        wanted = set(line.item_ids.ids)
        items = [i for i in res.due_items if i.id in wanted]
        batch_level = line.batch_id.level_id
        if not items:
            raise DunningSkip(
                self.env._(
                    "Skipped: the items of this run were paid or reminded since."
                )
            )
        level = batch_level or self.env["dunning.level"].browse(result.level_due(items))
        return level, items, res

    def _get_forced_items(self, line, res, level_id):
        """Manual reminder at the level chosen (and confirmed) by the user:
        the line's items still open (paid ones drop out), whether the rules
        say they are due or not, each recorded at that level."""
        wanted = set(line.item_ids.ids)
        items = [i for i in res.items if i.id in wanted and not i.is_credit]
        if not items:
            raise DunningSkip(
                self.env._("Skipped: the items of this run were paid since.")
            )
        for item in items:
            item.due_level_id = level_id
        return self.env["dunning.level"].browse(level_id), items, res

    def _prepare_reminders(self, lines):
        """What to do for each line: ``[DunningReminder]``, each with its
        content built once. Lines with nothing to do are marked skipped."""
        result = self._evaluate(lines)
        company = lines.batch_id.company_id
        reminders = []
        for line in lines:
            try:
                level, items, res = self._get_items_to_remind(line, result)
                # Executing the line is the permission to remind the customer:
                # the partner's follow-up fields and chatter are written as
                # superuser (the user stays the author), so that billing users
                # without "Contact Creation" can send reminders.
                partner = line.partner_id.with_company(company).sudo()
                recipient = partner._get_dunning_recipient()
                channels = self._get_channels(line, level)
                self._check_channels(line, channels, recipient)
            except DunningSkip as skip:
                self._set_outcome(line, "skipped", str(skip))
                continue
            reminders.append(
                DunningReminder(
                    line=line,
                    level=level,
                    items=items,
                    result=res,
                    partner=partner,
                    recipient=recipient,
                    channels=channels,
                    lang=recipient.lang
                    or partner.lang
                    or company.partner_id.lang
                    or self.env.lang,
                    attachments=self.env["ir.attachment"],
                    messages=self.env["mail.message"],
                )
            )
        self._prepare_contents(reminders)
        return reminders

    def _prepare_contents(self, reminders):
        """The content of each reminder, built once and handed to the email,
        the letter and the SMS: rows of the overdue table (in the customer's
        language), totals per currency, letter values."""
        self.env["account.move.line"].browse(
            [item.id for rem in reminders for item in rem.items]
        ).fetch(["move_id", "move_name", "currency_id", "amount_currency", "balance"])
        letter_model = self.env["report.account_dunning.report_dunning_letter"]
        for rem in reminders:
            partner = rem.partner.with_context(lang=rem.lang)
            rem.content = {
                "items": rem.items,
                "level": rem.level,
                "rows": partner._get_dunning_lines_values(rem.items),
                "totals": rem.result.totals_by_currency,
            }
            if self._needs_letter(rem):
                rem.content["letter"] = letter_model.with_context(
                    lang=rem.lang
                )._get_letter_values(
                    rem.partner,
                    rem.level,
                    rem.line.batch_id.date,
                    rem.line.batch_id.company_id,
                    rem.items,
                    [item for item in rem.result.items if item.is_credit],
                    batch_line=rem.line,
                )

    # ------------------------------------------------------------------
    # CHANNELS
    # ------------------------------------------------------------------

    def _get_channels(self, line, level):
        """Channels to execute: the manual screen's choice, else the level's."""
        overrides = line.override_values or {}
        if "channels" in overrides:
            known = {key for key, _fname, _label in CHANNELS}
            return [key for key in overrides["channels"] if key in known]
        return level._get_channels()

    def _check_channels(self, line, channels, recipient):
        if "email" in channels and not self._get_email_to(line, recipient):
            raise DunningSkip(
                self.env._(
                    "Skipped: %(contact)s has no email address.",
                    contact=recipient.display_name,
                )
            )
        if "sms" in channels and not (recipient.mobile or recipient.phone):
            raise DunningSkip(
                self.env._(
                    "Skipped: %(contact)s has no mobile or phone number for the SMS.",
                    contact=recipient.display_name,
                )
            )

    def _get_email_to(self, line, recipient):
        company = line.batch_id.company_id
        if company.dunning_test_mode:
            return company.dunning_test_email
        return recipient.email_normalized or recipient.email

    def _needs_letter(self, rem):
        """Every email attaches the letter; letters and post print it."""
        return bool({"email", "letter", "post"} & set(rem.channels))

    def _attach_letters(self, reminders):
        """Render the letters of the reminders (one render for the chunk) and
        attach each to its reminder's line."""
        todo = [rem for rem in reminders if self._needs_letter(rem)]
        if not todo:
            return
        pdfs = self._render_letters(todo)
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": rem.level.with_context(
                            lang=rem.lang
                        )._render_letter_filename(rem.partner),
                        "raw": pdf,
                        "mimetype": "application/pdf",
                        **rem.line._get_attachment_values(),
                    }
                    for rem, pdf in zip(todo, pdfs, strict=True)
                ]
            )
        )
        for rem, attachment in zip(todo, attachments, strict=True):
            rem.line.sudo().letter_attachment_id = attachment
            rem.attachments |= attachment

    def _render_letters(self, reminders):
        """PDF bytes of the reminders' letters, in their order: one rendering
        for the chunk (``ir.actions.report._dunning_render_letters``)."""
        return self.env["ir.actions.report"]._dunning_render_letters(
            [rem.content["letter"] for rem in reminders]
        )

    def _get_invoice_attachments(self, rem):
        """PDFs of the reminded invoices, copied on the reminder's line."""
        attachments = self.env["ir.attachment"]
        moves = rem.aml.move_id.filtered(lambda m: m.is_invoice(include_receipts=True))
        for move in moves:
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
        return attachments.sudo().copy(rem.line._get_attachment_values())

    def _render_email_values(self, reminders):
        """Subject, body, sender and language of each reminder email,
        ``{line id: values}``: each template rendered for all its customers,
        the content of the reminders in the context; the manual screen's
        subject and body win."""
        by_template = {}
        for rem in reminders:
            by_template.setdefault(rem.level.mail_template_id, []).append(rem)
        values = {}
        for template, rems in by_template.items():
            rendered = {}
            if template:  # no template: manual email (overrides)
                rendered = template.with_context(
                    dunning_reminders={rem.partner.id: rem.content for rem in rems},
                )._generate_template(
                    [rem.partner.id for rem in rems],
                    ("subject", "body_html", "email_from", "reply_to", "lang"),
                )
            for rem in rems:
                vals = dict(rendered.get(rem.partner.id, {}))
                if rem.overrides.get("subject"):
                    vals["subject"] = rem.overrides["subject"]
                if rem.overrides.get("body"):
                    vals["body_html"] = Markup(rem.overrides["body"])
                values[rem.line.id] = vals
        return values

    def _send_emails(self, reminders):
        """Post each reminder email on its customer with ``message_post``:
        addressed to the accounting contact (the customer's followers are not
        copied: the subtype is one they do not follow by default), in the
        light layout, the letter attached. In test mode the message is a note
        and the email goes to the test address only."""
        if not reminders:
            return
        values = self._render_email_values(reminders)
        for rem in reminders:
            if rem.level.attach_invoices:
                rem.attachments |= self._get_invoice_attachments(rem)
            rem.messages |= self._post_email(rem, values[rem.line.id])

    def _post_email(self, rem, vals):
        company = rem.line.batch_id.company_id
        test_mode = company.dunning_test_mode
        post_values = {
            "body": vals.get("body_html") or "",
            "subject": vals.get("subject") or False,
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_note"
            if test_mode
            else "account_dunning.mt_dunning_reminder",
            "partner_ids": [] if test_mode else rem.recipient.ids,
            "attachment_ids": rem.attachments.ids,
            "email_from": vals.get("email_from") or self.env.user.email_formatted,
            "email_layout_xmlid": "mail.mail_notification_light",
            "force_email_company": company,
            "force_email_lang": vals.get("lang") or rem.lang,
            "mail_auto_delete": True,
            "force_send": False,  # queued: sent once the chunk is committed
        }
        if vals.get("reply_to"):
            post_values["reply_to"] = vals["reply_to"]
        message = rem.partner.message_post(**post_values)
        if test_mode:
            self._send_test_email(rem, message, vals)
        return message

    def _send_test_email(self, rem, message, vals):
        """Test mode: the email of the note goes to the test address."""
        company = rem.line.batch_id.company_id
        self.env["mail.mail"].sudo().create(
            {
                "subject": self.env._(
                    "[TEST] %(subject)s", subject=vals.get("subject") or ""
                ),
                "body_html": message.body,
                "email_to": company.dunning_test_email,
                "email_from": message.email_from or company.email,
                "attachment_ids": [Command.set(rem.attachments.ids)],
                "model": "res.partner",
                "res_id": rem.partner.id,
                "mail_message_id": message.id,
            }
        )

    def _execute_other_channels(self, rem):
        """The channels of the reminder other than the email and the letter."""
        if "post" in rem.channels:
            self._send_post(rem)
        if "sms" in rem.channels:
            self._send_sms(rem)
        if "warning" in rem.channels:
            self._add_sale_warning(rem)
        if "activity" in rem.channels:
            self._schedule_activity(rem)

    def _send_post(self, rem):
        line = rem.line
        if "snailmail.letter" in self.env and line.letter_attachment_id:
            # Sending reminders is the permission to post them: the letter and
            # its IAP account are handled as superuser (accountants may not
            # read IAP accounts); the snailmail cron posts the letter.
            company = line.batch_id.company_id
            self._check_post_account(company)
            letter = (
                self.env["snailmail.letter"]
                .sudo()
                .create(
                    {
                        "partner_id": rem.partner.id,
                        "model": "res.partner",
                        "res_id": rem.partner.id,
                        "user_id": self.env.user.id,
                        "company_id": company.id,
                        "attachment_id": line.letter_attachment_id.id,
                        "report_template": self.env.ref(
                            "account_dunning.action_report_dunning_letter"
                        ).id,
                    }
                )
            )
            letter._snailmail_print(immediate=False)
            if letter.state == "error":
                raise UserError(
                    self.env._(
                        "The letter to %(partner)s cannot be posted: the postal "
                        "address is incomplete (street, city, zip code, country).",
                        partner=rem.partner.display_name,
                    )
                )
        else:
            line.sudo().to_post = True

    def _check_post_account(self, company):
        """A clear message when no IAP account can post letters."""
        account = (
            self.env["iap.account"]
            .sudo()
            .search(
                [
                    ("service_name", "=", "snailmail"),
                    ("account_token", "!=", False),
                    "|",
                    ("company_ids", "in", company.ids),
                    ("company_ids", "=", False),
                ],
                limit=1,
            )
        )
        if not account:
            raise UserError(
                self.env._(
                    "Postal mail needs an IAP account with Snailmail credits "
                    "(Settings > Technical > IAP Accounts, or buy credits on "
                    "iap.odoo.com). Print the letter and post it yourself, or "
                    "ask your administrator."
                )
            )

    def _send_sms(self, rem):
        partner, recipient = rem.partner, rem.recipient
        if rem.overrides.get("sms"):
            # the text of the manual page: the link the level's template gives
            body = partner._dunning_sms_with_link(
                rem.overrides["sms"], rem.line.company_id
            )
        else:
            body = rem.level.sms_template_id.with_context(
                dunning_reminders={partner.id: rem.content}
            )._render_field("body", partner.ids, compute_lang=True)[partner.id]
        message = partner._message_sms(
            body,
            partner_ids=recipient.ids,
            sms_pid_to_number={recipient.id: recipient.mobile or recipient.phone},
            put_in_queue=True,
        )
        rem.messages |= message
        # Odoo turns the text into HTML and back, which writes every link
        # twice ("<url> [1] ... [1] <url>"): the queued SMS keeps the text
        self.env["sms.sms"].sudo().search(
            [("mail_message_id", "=", message.id), ("state", "=", "outgoing")]
        ).body = body

    def _add_sale_warning(self, rem):
        rem.partner.with_context(lang=rem.lang)._dunning_set_sale_warning(
            rem.level, rem.line.batch_id.date
        )

    def _get_activity_user(self, rem):
        level, partner = rem.level, rem.partner
        if level.activity_responsible == "user":
            return level.activity_user_id
        if level.activity_responsible == "salesperson":
            salesperson = rem.aml.move_id.invoice_user_id[:1] or partner.user_id
            if salesperson:
                return salesperson
        return (
            partner.dunning_responsible_id or rem.line.batch_id.user_id or self.env.user
        )

    def _schedule_activity(self, rem):
        level = rem.level
        activity_type = level.activity_type_id or self.env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False
        )
        rem.partner.activity_schedule(
            activity_type_id=activity_type.id if activity_type else False,
            summary=level.activity_summary or level.name,
            note=level.activity_note or "",
            user_id=self._get_activity_user(rem).id,
            date_deadline=rem.line.batch_id.date,
        )

    # ------------------------------------------------------------------
    # RECORD
    # ------------------------------------------------------------------

    def _record_reminders(self, reminders):
        """Write the reminders on the items, the customers and the
        invoices."""
        self._record_items(reminders)
        reminded_before = self._reminded_before(reminders)
        move_bodies = {}
        for rem in reminders:
            summary = self._record_partner(rem, reminded_before)
            for move in rem.aml.move_id:
                move_bodies[move.id] = summary
        moves = self.env["account.move"].browse(list(move_bodies))
        moves._message_log_batch(bodies=move_bodies)

    def _record_items(self, reminders):
        """Each item reminded gets the level it was due for (the reminder is
        at the level of the customer's most overdue item), so that it
        escalates at its own pace."""
        batch = reminders[0].line.batch_id
        items_by_level = {}
        for rem in reminders:
            for item in rem.items:
                items_by_level.setdefault(item.due_level_id, []).append(item.id)
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

    def _reminded_before(self, reminders):
        """``{partner id: reminders sent before}`` in the batch's company."""
        return {
            partner.id: count
            for partner, count in self.env["dunning.batch.line"]._read_group(
                [
                    ("partner_id", "in", [rem.partner.id for rem in reminders]),
                    ("state", "=", "sent"),
                    ("company_id", "=", reminders[0].line.batch_id.company_id.id),
                ],
                ["partner_id"],
                ["__count"],
            )
        }

    def _record_partner(self, rem, reminded_before):
        """The customer's follow-up fields, comment and chatter note (in the
        context's language: the company's, see ``_send``). Returns the summary
        for the invoices."""
        partner, batch = rem.partner, rem.line.batch_id
        channels = channels_text(rem.channels or [MANUAL_CHANNEL[0]], self.env.lang)
        values = self._get_partner_values(rem)
        level = rem.level.with_context(lang=self.env.lang)
        comment = self.env._(
            "%(date)s: Payment overdue (%(days)s days) - Customer reminded "
            "%(count)s time(s), %(level)s by %(channels)s",
            date=format_date(self.env, batch.date),
            days=level.delay,
            count=reminded_before.get(partner.id, 0) + 1,
            level=level.name,
            channels=channels,
        )
        values["dunning_comments"] = (
            f"{partner.dunning_comments}\n{comment}"
            if partner.dunning_comments
            else comment
        )
        partner.write(values)
        summary = escape(
            self.env._(
                "Follow-up %(level)s (%(batch)s) by %(channels)s.",
                level=level.name,
                batch=batch.display_name,
                channels=channels,
            )
        )
        if "email" not in rem.channels:
            rem.messages |= partner.message_post(
                body=summary,
                attachment_ids=rem.attachments.ids,
                subtype_xmlid="mail.mt_note",
            )
        return summary

    def _get_partner_values(self, rem):
        """The customer's follow-up fields after the reminder: last level,
        marker, next reminder date."""
        level, partner = rem.level, rem.partner
        values = {"dunning_last_level_id": level.id}
        marker, current = level.marker_id, partner.dunning_marker_id
        if marker.propagate and (not current or marker.sequence >= current.sequence):
            values["dunning_marker_id"] = marker.id
        next_level = level._get_next_level()
        values["dunning_next_date"] = (
            rem.line.batch_id.date + timedelta(days=next_level.delay - level.delay)
            if next_level
            else False
        )
        return values

    def _write_lines(self, reminders):
        """The outcome on the lines; their messages and emails linked in one
        query per relation."""
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    (
                        "mail_message_id",
                        "in",
                        [mid for rem in reminders for mid in rem.messages.ids],
                    ),
                ]
            )
        )
        mails_by_message = {}
        for mail in mails:
            mails_by_message.setdefault(mail.mail_message_id.id, []).append(mail.id)
        for rem in reminders:
            rem.line.sudo().write(
                {
                    "state": "sent",
                    "reason": False,
                    "channels": ", ".join(rem.channels or [MANUAL_CHANNEL[0]]),
                    "level_id": rem.level.id,
                    "contact_id": rem.recipient.id,
                    "item_ids": [Command.set([item.id for item in rem.items])],
                    "debit": sum(
                        item.residual for item in rem.items if item.residual > 0
                    ),
                    "credit": rem.result.credit,
                }
            )
        line_model = self.env["dunning.batch.line"].sudo()
        line_model._fields["message_ids"].write_batch(
            [
                (rem.line.sudo(), [Command.link(mid) for mid in rem.messages.ids])
                for rem in reminders
                if rem.messages
            ]
        )
        line_model._fields["mail_ids"].write_batch(
            [
                (
                    rem.line.sudo(),
                    [
                        Command.link(mail_id)
                        for mid in rem.messages.ids
                        for mail_id in mails_by_message.get(mid, ())
                    ],
                )
                for rem in reminders
                if any(mid in mails_by_message for mid in rem.messages.ids)
            ]
        )
