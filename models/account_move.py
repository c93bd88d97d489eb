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
    def _dunning_paid_without_entry_sql(self, where=None):
        """SQL of what Odoo 18 payments without journal entry pay (payment
        methods without outstanding account): they are only linked to the
        invoices (``matched_payment_ids``), which Odoo marks paid even when
        they pay a part, while the receivable items keep their residual.

        One row per open receivable item and such payment: ``(line_id,
        move_id, payment_id, date, amount)``, ``amount`` being the part of the
        payment (company currency) on the item: a payment of several invoices
        pays their items by due date, each at most its residual. The amount
        still owed on an item is its residual minus the sum of these amounts.

        :param where: optional ``SQL`` condition on receivable items (table
            ``aml``): only the payments of their invoices (which pay all their
            invoices' items, these ones and the others)
        """
        payments = SQL()
        if where:
            payments = SQL(
                """AND pay.id IN (
                       SELECT rel.payment_id
                         FROM account_move__account_payment rel
                         JOIN account_move_line aml ON aml.move_id = rel.invoice_id
                        WHERE %s)""",
                where,
            )
        return SQL(
            """
            SELECT alloc.line_id, alloc.move_id, alloc.payment_id, alloc.date,
                   LEAST(alloc.residual, alloc.pay_amount - alloc.before) AS amount
              FROM (
                    SELECT line.id AS line_id,
                           line.move_id,
                           pay.id AS payment_id,
                           pay.date,
                           line.amount_residual AS residual,
                           ABS(pay.amount_company_currency_signed) AS pay_amount,
                           COALESCE(SUM(line.amount_residual) OVER (
                               PARTITION BY pay.id
                               ORDER BY COALESCE(line.date_maturity, line.date), line.id
                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
                           ), 0) AS before
                      FROM account_payment pay
                      JOIN account_move__account_payment rel
                        ON rel.payment_id = pay.id
                      JOIN account_move_line line ON line.move_id = rel.invoice_id
                      JOIN account_account acc ON acc.id = line.account_id
                     WHERE pay.move_id IS NULL
                       AND pay.state IN ('in_process', 'paid')
                       AND pay.payment_type = 'inbound'
                       AND acc.account_type = 'asset_receivable'
                       AND line.parent_state = 'posted'
                       AND line.amount_residual > 0
                       %(payments)s
                   ) alloc
             WHERE alloc.pay_amount > alloc.before
            """,
            payments=payments,
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
