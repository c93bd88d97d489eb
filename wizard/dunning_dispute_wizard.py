# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class DunningDisputeWizard(models.TransientModel):
    """Put invoices in dispute: they are not reminded until the end date."""

    _name = "dunning.dispute.wizard"
    _description = "Dispute Invoices"

    move_ids = fields.Many2many(
        comodel_name="account.move",
        string="Invoices",
        required=True,
        domain="[('move_type', 'in', ('out_invoice', 'out_receipt')), "
        "('state', '=', 'posted')]",
    )
    reason = fields.Char(required=True)
    date_until = fields.Date(
        string="Disputed Until",
        required=True,
        help="The invoices are not reminded until this date (included).",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "move_ids" in fields_list and not values.get("move_ids"):
            if self.env.context.get("active_model") == "account.move":
                values["move_ids"] = [
                    Command.set(self.env.context.get("active_ids") or [])
                ]
        return values

    def action_confirm(self):
        self.ensure_one()
        if self.date_until < fields.Date.context_today(self):
            raise UserError(self.env._("The end of the dispute is in the past."))
        moves = self.move_ids
        if moves.filtered(lambda m: m.move_type not in ("out_invoice", "out_receipt")):
            raise UserError(self.env._("Only customer invoices can be disputed."))
        moves.write(
            {
                "dunning_dispute_reason": self.reason,
                "dunning_dispute_until": self.date_until,
            }
        )
        wizard_id = self.env.context.get("dunning_manual_wizard_id")
        if wizard_id:
            manual = self.env["dunning.manual.wizard"].browse(wizard_id).exists()
            if manual:
                return manual.partner_id.action_dunning_manual()
        return {"type": "ir.actions.act_window_close"}
