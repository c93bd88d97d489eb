# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

AGE_BUCKETS = [
    ("not_due", "Not due"),
    ("1_30", "1-30"),
    ("31_60", "31-60"),
    ("61_90", "61-90"),
    ("91_120", "91-120"),
    ("over_120", "Over 120"),
]


class DunningAgedBalance(models.Model):
    """Aged balance (balance âgée) of customer receivables as of a date.

    One row per receivable journal item open on the as-of date (context key
    ``dunning_aged_date``, default today): its residual on that date in
    company currency is the balance minus the partial reconciliations whose
    ``max_date`` is on or before that date, so an item paid after the date
    counts as open. The residual is put in the bucket of its days overdue
    (as-of date - due date): not due (<= 0), 1-30, 31-60, 61-90, 91-120,
    over 120.
    """

    _name = "dunning.aged.balance"
    _description = "Aged Balance"
    _auto = False
    _order = "partner_id, date_maturity, id"
    _rec_name = "move_name"

    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    currency_id = fields.Many2one(
        comodel_name="res.currency", string="Currency", readonly=True
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    move_line_id = fields.Many2one(
        comodel_name="account.move.line", string="Journal Item", readonly=True
    )
    move_id = fields.Many2one(
        comodel_name="account.move", string="Journal Entry", readonly=True
    )
    move_name = fields.Char(string="Number", readonly=True)
    account_id = fields.Many2one(comodel_name="account.account", readonly=True)
    date = fields.Date(readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(
        readonly=True,
        aggregator="max",
        help="Days after the due date on the as-of date. On a customer's line: "
        "the most days overdue of their items (the oldest), not a sum.",
    )
    age_bucket = fields.Selection(selection=AGE_BUCKETS, string="Age", readonly=True)
    dunning_level_id = fields.Many2one(
        comodel_name="dunning.level", string="Follow-up Level", readonly=True
    )
    dunning_marker_id = fields.Many2one(
        comodel_name="dunning.marker", string="Customer Marker", readonly=True
    )
    trust = fields.Selection(
        selection=[
            ("good", "Good Debtor"),
            ("normal", "Normal Debtor"),
            ("bad", "Bad Debtor"),
        ],
        readonly=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Salesperson", readonly=True
    )
    country_id = fields.Many2one(comodel_name="res.country", readonly=True)
    amount_original = fields.Monetary(string="Original Amount", readonly=True)
    amount_not_due = fields.Monetary(string="Not due", readonly=True)
    amount_1_30 = fields.Monetary(string="1-30", readonly=True)
    amount_31_60 = fields.Monetary(string="31-60", readonly=True)
    amount_61_90 = fields.Monetary(string="61-90", readonly=True)
    amount_91_120 = fields.Monetary(string="91-120", readonly=True)
    amount_over_120 = fields.Monetary(string="Over 120", readonly=True)
    amount_residual = fields.Monetary(string="Total", readonly=True)

    @api.model
    def _get_as_of_date(self):
        return fields.Date.to_date(
            self.env.context.get("dunning_aged_date")
        ) or fields.Date.context_today(self)

    @property
    def _table_query(self):
        return self._aged_balance_query(self._get_as_of_date())

    @api.model
    def _aged_balance_query(self, date):
        company_ids = self.env.companies.ids or [self.env.company.id]
        paid_without_entry = self.env["account.move"]._dunning_paid_without_entry_sql(
            SQL("aml.company_id = ANY(%s)", company_ids)
        )
        bucket = SQL(
            """
            CASE WHEN o.days_overdue <= 0 THEN 'not_due'
                 WHEN o.days_overdue <= 30 THEN '1_30'
                 WHEN o.days_overdue <= 60 THEN '31_60'
                 WHEN o.days_overdue <= 90 THEN '61_90'
                 WHEN o.days_overdue <= 120 THEN '91_120'
                 ELSE 'over_120' END
            """
        )

        def in_bucket(low, high=None):
            cond = (
                SQL("o.days_overdue <= 0")
                if low is None
                else SQL("o.days_overdue >= %s", low)
                if high is None
                else SQL("o.days_overdue BETWEEN %s AND %s", low, high)
            )
            return SQL("CASE WHEN %s THEN o.residual ELSE 0 END", cond)

        return SQL(
            """
            WITH paid_debit AS (
                SELECT paid.line_id, SUM(paid.amount) AS amount
                  FROM (
                        SELECT apr.debit_move_id AS line_id, apr.amount
                          FROM account_partial_reconcile apr
                         WHERE apr.max_date <= %(date)s
                           AND apr.company_id = ANY(%(company_ids)s)
                         UNION ALL
                        -- Odoo 18: what payments without journal entry pay
                        -- (matched_payment_ids), not reconciled
                        SELECT no_entry.line_id, no_entry.amount
                          FROM (%(paid_without_entry)s) no_entry
                         WHERE no_entry.date <= %(date)s
                  ) paid
                 GROUP BY paid.line_id
            ), paid_credit AS (
                SELECT apr.credit_move_id AS line_id, SUM(apr.amount) AS amount
                  FROM account_partial_reconcile apr
                 WHERE apr.max_date <= %(date)s
                   AND apr.company_id = ANY(%(company_ids)s)
                 GROUP BY apr.credit_move_id
            ), open_items AS (
                SELECT aml.id,
                       aml.company_id,
                       COALESCE(p.commercial_partner_id, aml.partner_id) AS partner_id,
                       aml.move_id,
                       aml.move_name,
                       aml.account_id,
                       aml.date,
                       COALESCE(aml.date_maturity, aml.date) AS date_maturity,
                       %(date)s::date - COALESCE(aml.date_maturity, aml.date)
                           AS days_overdue,
                       aml.dunning_level_id,
                       aml.balance,
                       aml.balance
                           - LEAST(COALESCE(pd.amount, 0), GREATEST(aml.balance, 0))
                           + COALESCE(pc.amount, 0) AS residual
                  FROM account_move_line aml
                  JOIN account_account acc ON acc.id = aml.account_id
                  LEFT JOIN res_partner p ON p.id = aml.partner_id
                  LEFT JOIN paid_debit pd ON pd.line_id = aml.id
                  LEFT JOIN paid_credit pc ON pc.line_id = aml.id
                 WHERE acc.account_type = 'asset_receivable'
                   AND aml.parent_state = 'posted'
                   AND aml.date <= %(date)s
                   AND aml.company_id = ANY(%(company_ids)s)
            )
            SELECT o.id,
                   o.id AS move_line_id,
                   o.company_id,
                   c.currency_id,
                   o.partner_id,
                   o.move_id,
                   o.move_name,
                   o.account_id,
                   o.date,
                   o.date_maturity,
                   o.days_overdue,
                   %(bucket)s AS age_bucket,
                   o.dunning_level_id,
                   (cp.dunning_marker_id ->> o.company_id::text)::int
                       AS dunning_marker_id,
                   COALESCE(cp.trust ->> o.company_id::text, 'normal') AS trust,
                   cp.user_id,
                   cp.country_id,
                   o.balance AS amount_original,
                   %(not_due)s AS amount_not_due,
                   %(b1)s AS amount_1_30,
                   %(b31)s AS amount_31_60,
                   %(b61)s AS amount_61_90,
                   %(b91)s AS amount_91_120,
                   %(b121)s AS amount_over_120,
                   o.residual AS amount_residual
              FROM open_items o
              JOIN res_company c ON c.id = o.company_id
              LEFT JOIN res_partner cp ON cp.id = o.partner_id
             WHERE o.residual != 0
            """,
            date=date,
            company_ids=company_ids,
            paid_without_entry=paid_without_entry,
            bucket=bucket,
            not_due=in_bucket(None),
            b1=in_bucket(1, 30),
            b31=in_bucket(31, 60),
            b61=in_bucket(61, 90),
            b91=in_bucket(91, 120),
            b121=in_bucket(121),
        )

    def action_open_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }

    @api.model
    def _get_report_data(self, date, domain=None):
        """Per-customer totals for the PDF: one grouped query."""
        model = self.with_context(dunning_aged_date=fields.Date.to_string(date))
        fnames = [
            "amount_not_due",
            "amount_1_30",
            "amount_31_60",
            "amount_61_90",
            "amount_91_120",
            "amount_over_120",
            "amount_residual",
        ]
        groups = model._read_group(
            domain or [],
            ["company_id", "partner_id"],
            [f"{fname}:sum" for fname in fnames],
            order="company_id, partner_id",
        )
        by_company = {}
        for company, partner, *amounts in groups:
            data = by_company.setdefault(
                company, {"company": company, "lines": [], "totals": [0.0] * 7}
            )
            data["lines"].append({"partner": partner, "amounts": amounts})
            data["totals"] = [
                a + b for a, b in zip(data["totals"], amounts, strict=False)
            ]
        return list(by_company.values())
