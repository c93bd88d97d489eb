# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Guards of the follow-up: companies, dates and history.

Every evaluation of a company's follow-up (wizards, batches, customer
screens) goes through the engine, which refuses a company the user may not
use and a date outside a sane window around today (see ``_evaluate``).

The follow-up history is append-only for users.

A batch and its lines record who reminded whom, when, of what and how: users
create draft batches (launch, manual follow-up, "Process follow-ups") and run
them through their actions; they never write the history fields themselves.
The code that executes a batch writes them as superuser (``sudo()``): the
guard lets ``env.su`` through, never a context key (contexts come from the
client).
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# Follow-up dates: a run at most a few days ahead (prepared for Monday), an
# evaluation up to ten years ahead; both back to ten years ("as of" a past
# date). With delays within ten years too, no date computation overflows.
MAX_DAYS_AHEAD = 7
MAX_DAYS_BACK = 3650

# fields of a batch that only the execution writes
BATCH_HISTORY_FIELDS = frozenset(
    {
        "auto_run_id",
        "code",
        "company_id",
        "date",
        "excluded_payment_method_line_ids",
        "level_id",
        "line_ids",
        "origin",
        "started_at",
        "state",
        "strategy_id",
        "user_id",
    }
)
# fields of a line that only the execution writes (all its stored fields)
LINE_HISTORY_FIELDS = frozenset(
    {
        "batch_id",
        "channels",
        "contact_id",
        "credit",
        "debit",
        "item_ids",
        "letter_attachment_id",
        "level_id",
        "mail_ids",
        "message_ids",
        "override_values",
        "partner_id",
        "reason",
        "state",
        "to_post",
    }
)
# what the execution records: a line is created pending (or skipped with its
# reason, when the customer is left out of the run), a batch draft
LINE_RESULT_FIELDS = frozenset(
    {
        "channels",
        "letter_attachment_id",
        "mail_ids",
        "message_ids",
        "to_post",
    }
)
LINE_CREATE_STATES = ("pending", "skipped")


def _chatter_field(fname):
    """Followers, messages and activities of the batch stay writable."""
    return fname.startswith(("message_", "activity_", "website_message"))


class DunningEngine(models.AbstractModel):
    _inherit = "dunning.engine"  # pylint: disable=consider-merging-classes-inherited  # the security guards are kept together by design

    @api.model
    def _check_date(self, date, days_ahead=MAX_DAYS_AHEAD):
        """Refuse a follow-up date outside ``[today - 10 years, today +
        days_ahead]`` with a clear message (never an ``OverflowError``
        later). A run records its date (7 days ahead at most); an evaluation
        only reads (up to 10 years ahead)."""
        date = fields.Date.to_date(date)
        if not date:
            return
        today = fields.Date.context_today(self)
        if not (
            today - timedelta(days=MAX_DAYS_BACK)
            <= date
            <= today + timedelta(days=days_ahead)
        ):
            raise UserError(
                self.env._(
                    "The follow-up date %(date)s is out of range: it must be between "
                    "%(first)s and %(last)s (at most %(days)s days ahead).",
                    date=fields.Date.to_string(date),
                    first=fields.Date.to_string(today - timedelta(days=MAX_DAYS_BACK)),
                    last=fields.Date.to_string(today + timedelta(days=days_ahead)),
                    days=days_ahead,
                )
            )

    @api.model
    def _check_values(self, vals, create=True):
        """The company and the date of the values of a screen that evaluates
        the follow-up (launch, manual follow-up), before anything is
        evaluated: on ``create``, the company defaults to the current one."""
        if create:
            self.env["res.company"]._dunning_check_allowed_vals(vals)
        elif vals.get("company_id"):
            self.env["res.company"].browse(vals["company_id"])._dunning_check_allowed()
        self._check_date(vals.get("date"))

    def _evaluate(self, date=None, partners=None, company=None, **kwargs):
        """Refuse, before any query, a company the user may not use and an
        out-of-range date."""
        (company or self.env.company)._dunning_check_allowed()
        self._check_date(date, days_ahead=MAX_DAYS_BACK)
        return super()._evaluate(
            date=date, partners=partners, company=company, **kwargs
        )


def _refuse_history(records, fnames):
    """Raise the refusal of changing ``fnames`` of ``records``."""
    raise AccessError(
        records.env._(
            "The follow-up history cannot be changed by hand (%(fields)s): "
            "batches and their lines are written by their execution only.",
            fields=", ".join(
                records._fields[fname]._description_string(records.env)
                for fname in sorted(fnames)
            ),
        )
    )


class DunningBatch(models.Model):
    _inherit = "dunning.batch"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self.env["res.company"]._dunning_check_allowed_vals(vals)
                if vals.get("state", "draft") != "draft":
                    _refuse_history(self, {"state"})
                if vals.get("user_id", self.env.uid) != self.env.uid:
                    _refuse_history(self, {"user_id"})
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            history = BATCH_HISTORY_FIELDS & set(vals)
            if history:
                _refuse_history(self, history)
            if any(batch.state != "draft" for batch in self):
                changed = {fname for fname in vals if not _chatter_field(fname)}
                if changed:
                    _refuse_history(self, changed)
        return super().write(vals)

    def _post_cancel_note(self):
        """Who cancelled the batch, in the company's language."""
        self.ensure_one()
        lang = self.company_id.partner_id.lang or self.env.lang
        self.message_post(
            body=self.with_context(lang=lang).env._(
                "Follow-up batch cancelled by %(user)s.", user=self.env.user.name
            ),
            subtype_xmlid="mail.mt_note",
        )

    @api.constrains("date")
    def _check_date(self):
        for batch in self:
            self.env["dunning.engine"]._check_date(batch.date)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if self.env.su:
            return
        done = self.filtered(lambda batch: batch.state == "done")
        if done:
            raise UserError(
                self.env._(
                    "The follow-up batch %(batches)s was executed: it is part of "
                    "the follow-up history and cannot be deleted.",
                    batches=", ".join(done.mapped("display_name")),
                )
            )


class DunningBatchLine(models.Model):
    _inherit = "dunning.batch.line"  # pylint: disable=consider-merging-classes-inherited  # the security guards are kept together by design

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            batches = self.env["dunning.batch"].browse(
                [vals["batch_id"] for vals in vals_list if vals.get("batch_id")]
            )
            if any(batch.state != "draft" for batch in batches):
                _refuse_history(batches, {"line_ids"})
            for vals in vals_list:
                result = {f for f, v in vals.items() if v and f in LINE_RESULT_FIELDS}
                if vals.get("state", "pending") not in LINE_CREATE_STATES:
                    result.add("state")
                if result:
                    _refuse_history(self, result)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            history = LINE_HISTORY_FIELDS & set(vals)
            if history:
                _refuse_history(self, history)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if self.env.su:
            return
        if any(line.batch_id.state == "done" for line in self):
            _refuse_history(self, {"batch_id"})

    @api.constrains("item_ids", "batch_id")
    def _check_items_company(self):
        """A line reminds journal items of its batch's company only."""
        for line in self:
            others = line.item_ids.filtered(
                lambda item, company=line.company_id: item.company_id != company
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "The follow-up line of %(partner)s holds journal items of "
                        "another company (%(items)s): a batch reminds the items of "
                        "its own company only.",
                        partner=line.partner_id.display_name,
                        items=", ".join(others.sudo().mapped("display_name")),
                    )
                )
