# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class DunningRecoveryReport(models.Model):
    """Recovery rate of the reminders, per level, strategy and month.

    One row per customer reminded (sent ``dunning.batch.line``): the amount
    reminded is the line's debit (residual of its items at reminder time);
    the amount recovered within N days is the sum of the reconciliations of
    those items dated on or after the reminder date and at most N days after it
    (capped at the amount reminded). The rates are ratios of sums, so they
    stay right in any grouping.
    """

    _name = "dunning.recovery.report"
    _description = "Follow-up Recovery Rate"
    _auto = False
    _order = "date desc, id desc"

    batch_line_id = fields.Many2one(
        comodel_name="dunning.batch.line", string="Reminder", readonly=True
    )
    batch_id = fields.Many2one(comodel_name="dunning.batch", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    strategy_id = fields.Many2one(
        comodel_name="dunning.strategy", string="Strategy", readonly=True
    )
    level_id = fields.Many2one(
        comodel_name="dunning.level", string="Level", readonly=True
    )
    date = fields.Date(string="Reminder Date", readonly=True)
    channels = fields.Char(string="Channel Codes", readonly=True)
    channels_label = fields.Char(string="Channels", compute="_compute_channels_label")
    amount_reminded = fields.Monetary(readonly=True)
    amount_paid_15 = fields.Monetary(string="Paid within 15 days", readonly=True)
    amount_paid_30 = fields.Monetary(string="Paid within 30 days", readonly=True)
    recovery_rate_15 = fields.Float(
        string="Recovery Rate 15 d (%)", readonly=True, digits=(16, 1)
    )
    recovery_rate_30 = fields.Float(
        string="Recovery Rate 30 d (%)", readonly=True, digits=(16, 1)
    )

    @api.depends("channels")
    @api.depends_context("lang")
    def _compute_channels_label(self):
        line_model = self.env["dunning.batch.line"]
        for row in self:
            row.channels_label = line_model._get_channels_label(row.channels)

    @property
    def _table_query(self):
        return SQL(
            """
              WITH no_entry AS MATERIALIZED (%s)
            SELECT l.id,
                   l.id AS batch_line_id,
                   l.batch_id,
                   l.company_id,
                   c.currency_id,
                   l.partner_id,
                   b.strategy_id,
                   l.level_id,
                   l.date,
                   l.channels,
                   l.debit AS amount_reminded,
                   LEAST(l.debit, COALESCE(paid.amount_15, 0)) AS amount_paid_15,
                   LEAST(l.debit, COALESCE(paid.amount_30, 0)) AS amount_paid_30,
                   CASE WHEN l.debit > 0
                        THEN LEAST(l.debit, COALESCE(paid.amount_15, 0))
                             / l.debit * 100 ELSE 0 END AS recovery_rate_15,
                   CASE WHEN l.debit > 0
                        THEN LEAST(l.debit, COALESCE(paid.amount_30, 0))
                             / l.debit * 100 ELSE 0 END AS recovery_rate_30
              FROM dunning_batch_line l
              JOIN dunning_batch b ON b.id = l.batch_id
              JOIN res_company c ON c.id = l.company_id
              LEFT JOIN LATERAL (
                    SELECT SUM(pmt.amount) FILTER (
                               WHERE pmt.paid_date <= l.date + 15) AS amount_15,
                           SUM(pmt.amount) AS amount_30
                      FROM (
                            SELECT apr.amount, apr.max_date AS paid_date
                              FROM dunning_batch_line_move_line_rel rel
                              JOIN account_partial_reconcile apr
                                ON apr.debit_move_id = rel.move_line_id
                             WHERE rel.line_id = l.id
                             UNION ALL
                            -- Odoo 18: a payment without journal entry marks the
                            -- whole invoice paid (matched_payment_ids)
                            SELECT aml.balance, no_entry.paid_date
                              FROM dunning_batch_line_move_line_rel rel
                              JOIN account_move_line aml ON aml.id = rel.move_line_id
                              JOIN no_entry ON no_entry.invoice_id = aml.move_id
                             WHERE rel.line_id = l.id
                      ) pmt
                     -- a payment made on the reminder day counts too
                     WHERE pmt.paid_date >= l.date
                       AND pmt.paid_date <= l.date + 30
                   ) paid ON TRUE
             WHERE l.state = 'sent'
            """,
            self.env["account.move"]._dunning_paid_without_entry_sql(),
        )

    def _read_group_select(self, aggregate_spec, query):
        fname = aggregate_spec.split(":")[0]
        if fname in ("recovery_rate_15", "recovery_rate_30"):
            paid = "amount_paid_15" if fname == "recovery_rate_15" else "amount_paid_30"
            return SQL(
                "COALESCE(SUM(%s) / NULLIF(SUM(%s), 0) * 100, 0)",
                SQL.identifier(self._table, paid),
                SQL.identifier(self._table, "amount_reminded"),
            )
        return super()._read_group_select(aggregate_spec, query)
