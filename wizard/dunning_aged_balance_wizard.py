# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import format_date


class DunningAgedBalanceWizard(models.TransientModel):
    """Asks the as-of date of the aged balance, then opens or prints it."""

    _name = "dunning.aged.balance.wizard"
    _description = "Aged Balance Launcher"

    date = fields.Date(
        string="As of",
        required=True,
        default=fields.Date.context_today,
        help="Items open on this date, including those paid later.",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
    )

    def _get_context(self):
        return {"dunning_aged_date": fields.Date.to_string(self.date)}

    def action_open(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.dunning_aged_balance_action"
        )
        action["context"] = {
            **self._get_context(),
            "search_default_group_partner": 1,
        }
        action["domain"] = [("company_id", "=", self.company_id.id)]
        action["display_name"] = self.env._(
            "Aged Balance at %(date)s", date=format_date(self.env, self.date)
        )
        return action

    def action_print(self):
        self.ensure_one()
        return self.env.ref(
            "account_dunning.action_report_dunning_aged_balance"
        ).report_action(self)

    def _get_report_data(self):
        self.ensure_one()
        return (
            self.env["dunning.aged.balance"]
            .with_company(self.company_id)
            ._get_report_data(self.date, [("company_id", "=", self.company_id.id)])
        )
