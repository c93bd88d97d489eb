# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    dunning_level_id = fields.Many2one(
        comodel_name="dunning.level",
        string="Follow-up Level",
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="Last follow-up level at which this item was reminded.",
    )
    dunning_date = fields.Date(
        string="Last Follow-up",
        copy=False,
        help="Date of the last reminder of this item.",
    )
    dunning_marker_id = fields.Many2one(
        comodel_name="dunning.marker",
        string="Follow-up Marker",
        copy=False,
        ondelete="restrict",
    )
    dunning_excluded = fields.Boolean(
        string="No Follow-up",
        copy=False,
        help="Never remind the customer of this item.",
    )
    dunning_payment_method_line_id = fields.Many2one(
        related="move_id.preferred_payment_method_line_id",
        string="Payment Method",
    )
    # The engine's verdict, as of today or the context's ``dunning_date``
    dunning_days_overdue = fields.Integer(
        string="Days Overdue", compute="_compute_dunning_verdict"
    )
    dunning_level_due_id = fields.Many2one(
        comodel_name="dunning.level",
        string="Level Due",
        compute="_compute_dunning_verdict",
    )
    dunning_exclusion_reason = fields.Char(
        string="Not Reminded Because", compute="_compute_dunning_verdict"
    )
    dunning_is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_dunning_verdict"
    )
    dunning_litigation = fields.Boolean(
        string="Litigation", compute="_compute_dunning_verdict"
    )

    @api.depends("move_id", "ref", "product_id")
    @api.depends_context("dunning_item_label")
    def _compute_display_name(self):
        """With ``dunning_item_label`` in the context (the follow-up's lists of
        items), an item is named by its entry only: a receivable line repeats
        the invoice number in its label ("FAC/2026/00010 FAC/2026/00010")."""
        if not self.env.context.get("dunning_item_label"):
            return super()._compute_display_name()
        for line in self:
            line.display_name = line.move_id.name or line.name or ""

    def _dunning_amount_owed(self):
        """``{item id: amount still owed}`` of the items (company currency):
        their residual minus what Odoo 18 payments without journal entry pay
        on them (one query; see
        ``account.move._dunning_paid_without_entry_sql``)."""
        self.env["account.payment"].flush_model()
        self.flush_recordset(
            ["amount_residual", "parent_state", "account_id", "date_maturity"]
        )
        rows = self.env.execute_query(
            SQL(
                "SELECT line_id, SUM(amount) FROM (%s) paid GROUP BY line_id",
                self.env["account.move"]._dunning_paid_without_entry_sql(
                    SQL("aml.id = ANY(%s)", self.ids)
                ),
            )
        )
        paid = dict(rows)
        return {line.id: line.amount_residual - paid.get(line.id, 0.0) for line in self}

    @api.depends_context("company", "dunning_date")
    def _compute_dunning_verdict(self):
        result = self.env["dunning.engine"]._evaluate(
            date=self.env.context.get("dunning_date"),
            partners=self.partner_id.commercial_partner_id,
            ignore_next_date=True,
        )
        items = {
            item.id: item for res in result.partners.values() for item in res.items
        }
        for line in self:
            item = items.get(line.id)
            line.dunning_litigation = line.move_id.payment_state == "blocked"
            if not item:
                line.dunning_days_overdue = 0
                line.dunning_level_due_id = False
                line.dunning_exclusion_reason = False
                line.dunning_is_overdue = False
                continue
            line.dunning_days_overdue = item.days_overdue
            line.dunning_level_due_id = item.due_level_id
            line.dunning_exclusion_reason = result.reason_label(item.reason)
            line.dunning_is_overdue = item.is_overdue
