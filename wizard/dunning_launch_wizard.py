# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


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
            if wizard.strategy_id and wizard.level_id and wizard.date:
                result = self.env["dunning.engine"]._evaluate(
                    date=wizard.date,
                    company=wizard.company_id,
                    strategy=wizard.strategy_id,
                    excluded_payment_method_lines=(
                        wizard.excluded_payment_method_line_ids
                    ),
                )
                selection = result.to_remind(wizard.level_id.id)
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
                    date=fields.Date.to_string(self.date),
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
