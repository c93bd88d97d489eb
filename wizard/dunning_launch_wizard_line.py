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
    # The items as a list of ids: a run creates a line per customer due each
    # time the wizard opens (thousands), a relation table would cost a row and
    # a foreign-key lock per item. ``item_ids`` shows and edits them.
    item_ids_data = fields.Json(string="Journal Item IDs")
    item_ids = fields.Many2many(
        comodel_name="account.move.line",
        string="Journal Items",
        compute="_compute_item_ids",
        inverse="_inverse_item_ids",
    )
    item_count = fields.Integer(string="Number of Items", compute="_compute_item_count")
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    # Amounts in the company's currency, shown with it (monetary widget). Plain
    # floats: a Monetary field looks the currency up for each line. The wizard
    # gives the engine's debit; changing the items sets it again.
    debit = fields.Float(digits=0, readonly=True)
    credit = fields.Float(digits=0)
    balance = fields.Float(compute="_compute_balance", digits=0)

    @api.depends("partner_id.dunning_contact_id.email", "partner_id.email")
    def _compute_contact_id(self):
        for line in self:
            contact = (
                line.partner_id._get_dunning_recipient()
                if line.partner_id
                else line.partner_id
            )
            line.contact_id = contact
            line.email = contact.email
            line.phone = contact.mobile or contact.phone

    @api.depends("item_ids_data")
    def _compute_item_ids(self):
        for line in self:
            line.item_ids = self.env["account.move.line"].browse(
                line.item_ids_data or []
            )

    def _inverse_item_ids(self):
        owed = self.item_ids._dunning_amount_owed()
        for line in self:
            line.item_ids_data = line.item_ids.ids
            line.debit = sum(owed[item.id] for item in line.item_ids)

    @api.onchange("item_ids")
    def _onchange_item_ids(self):
        """Items removed in the form: the amounts follow before saving."""
        self._inverse_item_ids()

    @api.depends("item_ids_data")
    def _compute_item_count(self):
        for line in self:
            line.item_count = len(line.item_ids_data or [])

    @api.depends("debit", "credit")
    def _compute_balance(self):
        for line in self:
            line.balance = line.debit - line.credit
