# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_level_id = fields.Many2one(
        comodel_name="dunning.level",
        string="Follow-up Level",
        compute="_compute_dunning_level_id",
        help="Highest follow-up level at which this invoice was reminded.",
    )
    dunning_date = fields.Date(
        string="Last Reminder", compute="_compute_dunning_level_id"
    )
    dunning_dispute_reason = fields.Char(
        string="Dispute Reason",
        copy=False,
        tracking=True,
        help="Why the customer disputes this invoice. The invoice is not "
        "reminded until the dispute end date.",
    )
    dunning_dispute_until = fields.Date(
        string="Disputed Until",
        copy=False,
        tracking=True,
        help="The invoice is not reminded until this date (included).",
    )

    @api.model
    def _dunning_paid_without_entry_sql(self):
        """SQL of the invoices that Odoo 18 payments without journal entry
        (``matched_payment_ids``) mark paid: ``(invoice_id, paid_date)``, the
        date of the last such payment. Their receivable items have no partial
        reconciliation: the follow-up reports count them paid from that date."""
        return SQL(
            """
            SELECT rel.invoice_id, MAX(pay.date) AS paid_date
              FROM account_move__account_payment rel
              JOIN account_payment pay ON pay.id = rel.payment_id
             WHERE pay.move_id IS NULL
               AND pay.state IN ('in_process', 'paid')
             GROUP BY rel.invoice_id
            """
        )

    @api.depends("line_ids.dunning_level_id", "line_ids.dunning_date")
    def _compute_dunning_level_id(self):
        for move in self:
            lines = move.line_ids.filtered("dunning_level_id")
            top = lines.sorted(lambda line: line.dunning_level_id.delay)[-1:]
            move.dunning_level_id = top.dunning_level_id
            dates = lines.mapped("dunning_date")
            move.dunning_date = max(dates) if dates else False

    @api.constrains("dunning_dispute_reason", "dunning_dispute_until")
    def _check_dunning_dispute(self):
        for move in self:
            if move.dunning_dispute_until and not move.dunning_dispute_reason:
                raise ValidationError(
                    self.env._(
                        "Give the reason of the dispute on %(move)s.",
                        move=move.display_name,
                    )
                )

    def action_dunning_dispute(self):
        """Open the dispute wizard on the invoices."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dispute"),
            "res_model": "dunning.dispute.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_move_ids": self.ids},
        }

    def action_dunning_end_dispute(self):
        self.write({"dunning_dispute_reason": False, "dunning_dispute_until": False})
        return True
