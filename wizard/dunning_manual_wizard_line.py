# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class DunningManualWizardLine(models.TransientModel):
    """One unpaid invoice (receivable item) on the manual follow-up screen."""

    _name = "dunning.manual.wizard.line"
    _description = "Manual Follow-up Line"
    _order = "date_maturity, id"

    wizard_id = fields.Many2one(
        comodel_name="dunning.manual.wizard", required=True, ondelete="cascade"
    )
    move_line_id = fields.Many2one(
        comodel_name="account.move.line",
        string="Journal Item",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    move_id = fields.Many2one(related="move_line_id.move_id", string="Invoice")
    date = fields.Date(related="move_line_id.date")
    date_maturity = fields.Date(related="move_line_id.date_maturity", string="Due Date")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    residual = fields.Monetary(readonly=True)
    days_overdue = fields.Integer(readonly=True)
    level_id = fields.Many2one(related="move_line_id.dunning_level_id")
    dunning_date = fields.Date(related="move_line_id.dunning_date")
    marker_id = fields.Many2one(related="move_line_id.dunning_marker_id")
    level_due_id = fields.Many2one(
        comodel_name="dunning.level", string="Level Due", readonly=True
    )
    is_due = fields.Boolean(string="Due", readonly=True)
    reason = fields.Char(string="Not Reminded Because", readonly=True)
    excluded = fields.Boolean(
        help="Leave this invoice out of the reminder sent now (it stays due)."
    )
    no_followup = fields.Boolean(
        related="move_line_id.dunning_excluded",
        readonly=False,
        help="Never remind the customer of this invoice.",
    )
    dispute_reason = fields.Char(related="move_id.dunning_dispute_reason")
    dispute_until = fields.Date(related="move_id.dunning_dispute_until")

    def action_dispute(self):
        self.ensure_one()
        action = self.move_id.action_dunning_dispute()
        action["context"] = {
            **action.get("context", {}),
            "dunning_manual_wizard_id": self.wizard_id.id,
        }
        return action
