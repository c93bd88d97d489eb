# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class DunningLaunchWizardLine(models.TransientModel):
    """A customer of the run being prepared, with the items to remind."""

    _name = "dunning.launch.wizard.line"
    _description = "Launch Follow-up: Customer"

    wizard_id = fields.Many2one(
        comodel_name="dunning.launch.wizard", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", required=True
    )
    contact_id = fields.Many2one(
        comodel_name="res.partner",
        string="Accounting Contact",
        compute="_compute_contact_id",
    )
    email = fields.Char(compute="_compute_contact_id")
    phone = fields.Char(compute="_compute_contact_id")
    item_ids = fields.Many2many(
        comodel_name="account.move.line",
        relation="dunning_launch_wizard_line_move_line_rel",
        column1="line_id",
        column2="move_line_id",
        string="Journal Items",
    )
    item_count = fields.Integer(
        string="Number of Items", compute="_compute_amounts"
    )
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    debit = fields.Monetary(compute="_compute_amounts")
    credit = fields.Monetary()
    balance = fields.Monetary(compute="_compute_amounts")

    @api.depends("partner_id.dunning_contact_id.email", "partner_id.email")
    def _compute_contact_id(self):
        for line in self:
            contact = line.partner_id._get_dunning_recipient() if line.partner_id else line.partner_id
            line.contact_id = contact
            line.email = contact.email
            line.phone = contact.mobile or contact.phone

    @api.depends("item_ids", "credit")
    def _compute_amounts(self):
        for line in self:
            line.item_count = len(line.item_ids)
            line.debit = sum(line.item_ids.mapped("amount_residual"))
            line.balance = line.debit - line.credit
