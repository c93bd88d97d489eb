# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import Counter

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate, format_date

_lt = LazyTranslate(__name__)

# Why a customer with items overdue by a level's delay is not due at that
# level (the launch screen explains an empty level with them)
NOBODY_DUE_CAUSES = {
    "earlier": _lt(
        "%(count)s customer(s) must first be reminded at %(level)s (levels are "
        "not skipped): launch %(level)s first."
    ),
    "spacing": _lt(
        "%(count)s customer(s) reminded less than %(days)s days ago (the days "
        "between the previous level and this one)."
    ),
    "higher": _lt(
        "%(count)s customer(s) due at a higher level: a customer gets one "
        "reminder, at the level of its most overdue invoice."
    ),
    "done": _lt(
        "%(count)s customer(s) already reminded at this level or a higher one."
    ),
    "reason": _lt("%(count)s customer(s): %(reason)s."),
    "other": _lt(
        "%(count)s customer(s) not due for another reason: click Explain on the "
        "customer."
    ),
}


class DunningLaunchWizard(models.TransientModel):
    """Launch the follow-up of one level: who, how much, then a batch."""

    _name = "dunning.launch.wizard"
    _description = "Launch Follow-up"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    strategy_id = fields.Many2one(
        comodel_name="dunning.strategy",
        string="Strategy",
        required=True,
        check_company=True,
        default=lambda self: self._default_strategy_id(),
    )
    level_id = fields.Many2one(
        comodel_name="dunning.level",
        string="Level",
        required=True,
        check_company=True,
        domain="[('strategy_id', '=', strategy_id)]",
        compute="_compute_level_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    date = fields.Date(
        string="Follow-up Date",
        required=True,
        default=fields.Date.context_today,
    )
    excluded_payment_method_line_ids = fields.Many2many(
        comodel_name="account.payment.method.line",
        string="Payment Methods to Exclude",
        domain="[('payment_type', '=', 'inbound'), ('company_id', '=', company_id)]",
    )
    line_ids = fields.One2many(
        comodel_name="dunning.launch.wizard.line",
        inverse_name="wizard_id",
        string="Customers",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )
    empty_explanation = fields.Text(
        string="Why Nobody Is Due",
        compute="_compute_line_ids",
        store=True,
        help="Why no customer is due at this level (earlier level first, "
        "spacing, paused...).",
    )
    level_send_email = fields.Boolean(related="level_id.send_email")
    missing_email_line_ids = fields.One2many(
        comodel_name="dunning.launch.wizard.line",
        string="Customers without Email Address",
        compute="_compute_missing_email_line_ids",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_count = fields.Integer(
        string="Number of Customers", compute="_compute_summary"
    )
    item_count = fields.Integer(
        string="Number of Journal Items", compute="_compute_summary"
    )
    total_debit = fields.Monetary(compute="_compute_summary")
    total_credit = fields.Monetary(compute="_compute_summary")
    total_balance = fields.Monetary(compute="_compute_summary")

    bank_statement_warning = fields.Text(
        compute="_compute_bank_statement_warning",
        help="Bank journals whose last statement is older than the follow-up "
        "settings allow: a customer may have paid since.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # before anything is evaluated for that company and date
            self.env["dunning.engine"]._check_values(vals)
            strategy = (
                self.env["dunning.strategy"].browse(vals.get("strategy_id"))
                or self._default_strategy_id()
            )
            if strategy and not vals.get("level_id") and not strategy.level_ids:
                raise UserError(
                    self.env._(
                        "The follow-up strategy %(strategy)s has no follow-up level: "
                        "add levels to it before launching the follow-up.",
                        strategy=strategy.display_name,
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        self.env["dunning.engine"]._check_values(vals, create=False)
        return super().write(vals)

    def _default_strategy_id(self):
        return self.env["dunning.strategy"]._get_company_default(self.env.company)

    @api.depends("strategy_id")
    def _compute_level_id(self):
        for wizard in self:
            if wizard.level_id.strategy_id != wizard.strategy_id:
                wizard.level_id = wizard.strategy_id._get_sorted_levels()[:1]

    @api.depends("strategy_id", "level_id", "date", "excluded_payment_method_line_ids")
    def _compute_line_ids(self):
        for wizard in self:
            commands = [Command.clear()]
            wizard.empty_explanation = False
            if wizard.strategy_id and wizard.level_id and wizard.date:
                result = wizard._evaluate()
                selection = result.to_remind(wizard.level_id.id)
                if not selection:
                    wizard.empty_explanation = wizard._explain_nobody_due(result)
                partners = self.env["res.partner"].browse(list(selection))
                for partner in partners:
                    items = selection[partner.id]
                    commands.append(
                        Command.create(
                            {
                                "partner_id": partner.id,
                                "item_ids_data": [item.id for item in items],
                                "debit": sum(item.residual for item in items),
                                "credit": result.partners[partner.id].credit,
                            }
                        )
                    )
            wizard.line_ids = commands

    def _evaluate(self, partners=None):
        """The engine's evaluation of the screen's strategy and date."""
        self.ensure_one()
        return self.env["dunning.engine"]._evaluate(
            date=self.date,
            partners=partners,
            company=self.company_id,
            strategy=self.strategy_id,
            excluded_payment_method_lines=self.excluded_payment_method_line_ids,
        )

    def _explain_nobody_due(self, result):
        """Why nobody is due at the screen's level, counted by cause over the
        customers of the strategy with an item overdue by the level's delay
        at least (from the evaluation in memory: no query per customer)."""
        self.ensure_one()
        level = self.level_id
        delays = result.levels
        previous = self.strategy_id._get_sorted_levels().filtered(
            lambda lv: lv.delay < level.delay
        )[-1:]
        causes = Counter()
        for res in result.partners.values():
            reached = [
                item
                for item in res.items
                if not item.is_credit and item.days_overdue >= level.delay
            ]
            if reached:
                causes[self._nobody_due_cause(res, reached, delays, previous)] += 1
        date = format_date(self.env, self.date)
        if not causes:
            return self.env._(
                "Nobody is due for %(level)s on %(date)s: no customer of this "
                "strategy has an invoice overdue by %(days)s days or more.",
                level=level.name,
                date=date,
                days=level.delay,
            )
        lines = [
            self.env._(
                "Nobody is due for %(level)s on %(date)s:", level=level.name, date=date
            )
        ]
        lang = self.env.lang or "en_US"
        for (cause, detail), count in sorted(causes.items(), key=lambda kv: -kv[1]):
            if cause == "reason":
                detail = result.reason_label(detail)
            elif cause == "earlier":
                detail = self.env["dunning.level"].browse(detail).name
            text = NOBODY_DUE_CAUSES[cause]._translate(lang) % {
                "count": count,
                "level": detail,
                "days": detail,
                "reason": detail,
            }
            lines.append("- " + text)
        return "\n".join(lines)

    def _nobody_due_cause(self, res, reached, delays, previous):
        """``(cause, detail)`` of a customer not due at the screen's level
        although its items reached the level's delay (a key of
        ``NOBODY_DUE_CAUSES``, and the level id, days or reason it shows)."""
        level = self.level_id
        if res.reason == "spacing" and previous:
            return "spacing", level.delay - previous.delay
        if res.reason:
            return "reason", res.reason
        if res.level_due_id and delays.get(res.level_due_id, 0) < level.delay:
            return "earlier", res.level_due_id
        if res.level_due_id:
            return "higher", None
        if any(
            item.level_id and delays.get(item.level_id, 0) >= level.delay
            for item in reached
        ):
            return "done", None
        if previous and any(item.level_id and item.last_date for item in reached):
            return "spacing", level.delay - previous.delay
        reason = next((item.reason for item in reached if item.reason), None)
        return ("reason", reason) if reason else ("other", None)

    @api.depends("line_ids.email", "level_id.send_email")
    def _compute_missing_email_line_ids(self):
        for wizard in self:
            if wizard.level_id.send_email and not wizard.company_id.dunning_test_mode:
                wizard.missing_email_line_ids = wizard.line_ids.filtered(
                    lambda line: not line.email
                )
            else:
                wizard.missing_email_line_ids = False

    @api.depends("line_ids.item_count", "line_ids.debit", "line_ids.credit")
    def _compute_summary(self):
        for wizard in self:
            lines = wizard.line_ids
            wizard.partner_count = len(lines)
            wizard.item_count = sum(lines.mapped("item_count"))
            wizard.total_debit = sum(lines.mapped("debit"))
            wizard.total_credit = sum(lines.mapped("credit"))
            wizard.total_balance = wizard.total_debit - wizard.total_credit

    @api.constrains("date")
    def _check_date_not_in_future(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.date > today:
                raise UserError(
                    self.env._(
                        "The follow-up date %(date)s is in the future: reminders "
                        "are sent now, as of today or an earlier date.",
                        date=format_date(self.env, wizard.date),
                    )
                )

    @api.depends("company_id", "date")
    def _compute_bank_statement_warning(self):
        for wizard in self:
            wizard.bank_statement_warning = (
                wizard.company_id._dunning_bank_statement_warning(wizard.date)
                if wizard.company_id and wizard.date
                else False
            )

    def action_launch(self):
        """Create the batch of this run, execute it and open it."""
        self.ensure_one()
        batch = self._launch()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.dunning_batch_action"
        )
        action.update(
            {"res_id": batch.id, "view_mode": "form", "views": [(False, "form")]}
        )
        return action

    def _launch(self):
        self.ensure_one()
        lines = self.line_ids.filtered("item_ids_data")
        if not lines:
            raise UserError(
                self.env._(
                    "No customer is due for the level %(level)s on %(date)s.",
                    level=self.level_id.name,
                    date=format_date(self.env, self.date),
                )
                + ("\n" + self.empty_explanation if self.empty_explanation else "")
            )
        # opened before another launch (or the cron) reminded them: say so
        # rather than create a batch of skipped customers
        due = self._evaluate(partners=lines.partner_id).to_remind(self.level_id.id)
        if not any(line.partner_id.id in due for line in lines):
            raise UserError(
                self.env._(
                    "Nothing to do: since this screen was opened, its customers "
                    "were reminded, have paid or were paused, and none is due for "
                    "%(level)s any more. Close it and launch the follow-up again "
                    "to see who is due now.",
                    level=self.level_id.name,
                )
            )
        missing = self.missing_email_line_ids & lines
        if missing:
            raise UserError(
                self.env._(
                    "The level %(level)s sends an email, but these customers have no "
                    "email address: %(partners)s.\nEnter their address (or their "
                    "accounting contact's) or remove them from this run.",
                    level=self.level_id.name,
                    partners=", ".join(missing.partner_id.mapped("display_name")),
                )
            )
        batch = self.env["dunning.batch"]._create_from_selection(
            {line.partner_id.id: line.item_ids_data for line in lines},
            {
                "company_id": self.company_id.id,
                "strategy_id": self.strategy_id.id,
                "level_id": self.level_id.id,
                "date": self.date,
                "origin": "launch",
                "excluded_payment_method_line_ids": [
                    Command.set(self.excluded_payment_method_line_ids.ids)
                ],
            },
        )
        batch._execute()
        return batch
