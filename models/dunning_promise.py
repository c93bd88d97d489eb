# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import LazyTranslate, format_amount, format_date

_lt = LazyTranslate(__name__)


class DunningPromise(models.Model):
    """A customer's promise to pay an amount by a date.

    While it is open, the follow-up of the customer is paused until its date
    (the engine's ``promised`` reason). The daily check then decides:

    kept
        The customer paid at least the promised amount on the items that were
        overdue when the promise was made: their residual went down by the
        promised amount (within the currency's rounding). Checked every day,
        so a promise can be kept before its date.
    broken
        The date is passed and the rule above does not hold. The customer is
        back in need of action (its next reminder date is cleared) and an
        activity is scheduled for its follow-up responsible.
    """

    _name = "dunning.promise"
    _description = "Payment Promise"
    _inherit = ["dunning.mail.thread", "mail.activity.mixin"]
    _dunning_creation_message = _lt("Payment promise created")
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(string="Promised Amount", required=True, tracking=True)
    date = fields.Date(string="Promised Date", required=True, tracking=True)
    contact_id = fields.Many2one(
        comodel_name="res.partner",
        string="Contact",
        check_company=True,
        help="Who made the promise.",
    )
    note = fields.Text()
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Recorded By",
        readonly=True,
        default=lambda self: self.env.user,
    )
    state = fields.Selection(
        selection=[("open", "Open"), ("kept", "Kept"), ("broken", "Broken")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    move_line_ids = fields.Many2many(
        comodel_name="account.move.line",
        relation="dunning_promise_move_line_rel",
        column1="promise_id",
        column2="move_line_id",
        string="Overdue Items",
        readonly=True,
        help="Items overdue when the promise was made: the promise is kept "
        "when their residual went down by the promised amount.",
    )
    amount_overdue = fields.Monetary(
        string="Overdue when Promised",
        readonly=True,
        help="Residual of the overdue items when the promise was made.",
    )

    @api.constrains("amount")
    def _check_amount(self):
        for promise in self:
            if promise.currency_id.compare_amounts(promise.amount, 0.0) <= 0:
                raise ValidationError(
                    self.env._("The promised amount must be positive.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.env["res.company"]._dunning_check_allowed_vals(vals)
            partner = self.env["res.partner"].browse(vals.get("partner_id"))
            if partner and partner.commercial_partner_id != partner:
                vals["partner_id"] = partner.commercial_partner_id.id
        promises = super().create(vals_list)
        promises._snapshot_overdue_items()
        return promises

    def write(self, vals):
        if "company_id" in vals and any(
            promise.company_id.id != vals["company_id"] for promise in self
        ):
            # the promise pauses the follow-up of its company only
            raise UserError(
                self.env._(
                    "A payment promise cannot be moved to another company: "
                    "record a new promise in that company."
                )
            )
        return super().write(vals)

    def _compute_display_name(self):
        for promise in self:
            promise.display_name = self.env._(
                "%(partner)s: %(amount)s by %(date)s",
                partner=promise.partner_id.display_name,
                amount=format_amount(self.env, promise.amount, promise.currency_id),
                date=format_date(self.env, promise.date),
            )

    def _snapshot_overdue_items(self):
        for company, promises in self.grouped("company_id").items():
            result = self.env["dunning.engine"]._evaluate(
                partners=promises.partner_id,
                company=company,
                ignore_next_date=True,
            )
            for promise in promises:
                res = result.partners.get(promise.partner_id.id)
                items = [i for i in res.items if i.is_overdue] if res else []
                promise.write(
                    {
                        "move_line_ids": [Command.set([i.id for i in items])],
                        "amount_overdue": sum(i.residual for i in items),
                    }
                )

    def action_set_kept(self):
        self.write({"state": "kept"})
        return True

    def action_set_broken(self):
        self._break()
        return True

    def action_reopen(self):
        self.write({"state": "open"})
        return True

    # ------------------------------------------------------------------
    # Daily check
    # ------------------------------------------------------------------

    @api.model
    def _cron_check_promises(self):
        companies = (
            self.env["res.company"].search([])
            if self.env.su
            else self.env.user.company_ids
        )
        for company in companies:
            self.with_company(company)._check_promises(company)

    @api.model
    def _check_promises(self, company=None, date=None):
        """Mark the open promises of ``company`` kept or broken (see the
        class docstring). Returns ``(kept, broken)``."""
        company = company or self.env.company
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        promises = self.search(
            [("company_id", "=", company.id), ("state", "=", "open")]
        )
        if not promises:
            return self, self
        residuals = promises.move_line_ids._dunning_amount_owed()
        kept = broken = self.browse()
        for promise in promises:
            remaining = sum(
                residuals.get(line_id, 0.0) for line_id in promise.move_line_ids.ids
            )
            paid = promise.amount_overdue - remaining
            if promise.currency_id.compare_amounts(paid, promise.amount) >= 0:
                kept |= promise
            elif promise.date < date:
                broken |= promise
        kept.write({"state": "kept"})
        broken._break()
        return kept, broken

    def _break(self):
        """Mark broken: the customer is due again and its follow-up
        responsible gets an activity."""
        self.write({"state": "broken"})
        activity_type = self.env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False
        )
        for promise in self:
            partner = promise.partner_id.with_company(promise.company_id)
            partner.dunning_next_date = False
            user = partner.dunning_responsible_id or promise.user_id or self.env.user
            summary = self.env._(
                "Broken payment promise of %(amount)s",
                amount=format_amount(self.env, promise.amount, promise.currency_id),
            )
            partner.activity_schedule(
                activity_type_id=activity_type.id if activity_type else False,
                summary=summary,
                note=Markup("<p>%s</p>")
                % self.env._(
                    "The customer promised to pay %(amount)s by %(date)s and did "
                    "not: follow it up again.",
                    amount=format_amount(self.env, promise.amount, promise.currency_id),
                    date=format_date(self.env, promise.date),
                ),
                user_id=user.id,
                date_deadline=fields.Date.context_today(self),
            )
            promise.message_post(body=summary, subtype_xmlid="mail.mt_note")
