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

    Online payments: of the amount paid within 30 days, the part paid through
    payment transactions (the follow-up page, the invoice portal or a payment
    link), and the number of payments (customer payments and bank statement
    lines, not credit notes) within 30 days, online ones apart.
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
    amount_paid_online_30 = fields.Monetary(
        string="Paid Online within 30 days",
        readonly=True,
        help="Part of the amount paid within 30 days after the reminder that "
        "was paid online (payment transactions).",
    )
    online_share_30 = fields.Float(
        string="Paid Online 30 d (%)",
        readonly=True,
        digits=(16, 1),
        help="Share of the amount paid within 30 days after the reminder that "
        "was paid online.",
    )
    payment_count_30 = fields.Integer(
        string="Payments within 30 days",
        readonly=True,
        help="Payments (registered or on the bank statement, not credit notes) "
        "of the reminded items within 30 days after the reminder.",
    )
    online_payment_count_30 = fields.Integer(
        string="Online Payments within 30 days", readonly=True
    )

    @api.depends("channels")
    @api.depends_context("lang")
    def _compute_channels_label(self):
        line_model = self.env["dunning.batch.line"]
        for row in self:
            row.channels_label = line_model._get_channels_label(row.channels)

    @property
    def _table_query(self):
        paid_30 = SQL("LEAST(l.debit, COALESCE(paid.amount_30, 0))")
        return SQL(
            """
              WITH no_entry AS MATERIALIZED (%(no_entry)s)
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
                   %(paid_30)s AS amount_paid_30,
                   CASE WHEN l.debit > 0
                        THEN LEAST(l.debit, COALESCE(paid.amount_15, 0))
                             / l.debit * 100 ELSE 0 END AS recovery_rate_15,
                   CASE WHEN l.debit > 0
                        THEN %(paid_30)s / l.debit * 100 ELSE 0 END AS recovery_rate_30,
                   LEAST(%(paid_30)s, COALESCE(paid.online_30, 0))
                       AS amount_paid_online_30,
                   CASE WHEN %(paid_30)s > 0
                        THEN LEAST(%(paid_30)s, COALESCE(paid.online_30, 0))
                             / %(paid_30)s * 100 ELSE 0 END AS online_share_30,
                   COALESCE(paid.payment_count_30, 0) AS payment_count_30,
                   COALESCE(paid.online_count_30, 0) AS online_payment_count_30
              FROM dunning_batch_line l
              JOIN dunning_batch b ON b.id = l.batch_id
              JOIN res_company c ON c.id = l.company_id
              LEFT JOIN LATERAL (
                    SELECT SUM(pmt.amount) FILTER (
                               WHERE pmt.paid_date <= l.date + 15) AS amount_15,
                           SUM(pmt.amount) AS amount_30,
                           SUM(pmt.amount) FILTER (WHERE pmt.online) AS online_30,
                           COUNT(DISTINCT pmt.payment_key) AS payment_count_30,
                           COUNT(DISTINCT pmt.payment_key) FILTER (
                               WHERE pmt.online) AS online_count_30
                      FROM (
                            SELECT apr.amount,
                                   apr.max_date AS paid_date,
                                   -- credit notes are no payments
                                   CASE WHEN pay.id IS NOT NULL
                                          OR counterpart.statement_line_id IS NOT NULL
                                        THEN counterpart.id END AS payment_key,
                                   pay.payment_transaction_id IS NOT NULL AS online
                              FROM dunning_batch_line_move_line_rel rel
                              JOIN account_partial_reconcile apr
                                ON apr.debit_move_id = rel.move_line_id
                              JOIN account_move_line credit_line
                                ON credit_line.id = apr.credit_move_id
                              JOIN account_move counterpart
                                ON counterpart.id = credit_line.move_id
                              LEFT JOIN account_payment pay
                                ON pay.id = counterpart.origin_payment_id
                             WHERE rel.line_id = l.id
                             UNION ALL
                            -- Odoo 18: what payments without journal entry pay
                            -- (matched_payment_ids), not reconciled
                            SELECT no_entry.amount,
                                   no_entry.date,
                                   -no_entry.payment_id,
                                   pay.payment_transaction_id IS NOT NULL
                              FROM dunning_batch_line_move_line_rel rel
                              JOIN no_entry ON no_entry.line_id = rel.move_line_id
                              JOIN account_payment pay ON pay.id = no_entry.payment_id
                             WHERE rel.line_id = l.id
                      ) pmt
                     -- a payment made on the reminder day counts too
                     WHERE pmt.paid_date >= l.date
                       AND pmt.paid_date <= l.date + 30
                   ) paid ON TRUE
             WHERE l.state = 'sent'
            """,
            no_entry=self.env["account.move"]._dunning_paid_without_entry_sql(),
            paid_30=paid_30,
        )

    def _read_group_select(self, aggregate_spec, query):
        fname = aggregate_spec.split(":")[0]
        ratios = {
            "recovery_rate_15": ("amount_paid_15", "amount_reminded"),
            "recovery_rate_30": ("amount_paid_30", "amount_reminded"),
            "online_share_30": ("amount_paid_online_30", "amount_paid_30"),
        }
        if fname in ratios:
            part, whole = ratios[fname]
            return SQL(
                "COALESCE(SUM(%s) / NULLIF(SUM(%s), 0) * 100, 0)",
                SQL.identifier(self._table, part),
                SQL.identifier(self._table, whole),
            )
        return super()._read_group_select(aggregate_spec, query)
