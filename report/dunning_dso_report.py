# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class DunningDsoReport(models.Model):
    """Days Sales Outstanding, per company, customer and month.

    One row per (company, customer, month) over the ``dunning_dso_months``
    months (default 12) ending with the month of ``dunning_dso_date``
    (default today), for every customer with a receivable balance or credit
    sales in the period:

    - ``sales``: credit sales of the month, i.e. the receivable amounts of the
      customer invoices, receipts and credit notes dated in the month;
    - ``receivable``: the receivable balance at the end of the month (or on
      the as-of date for the current month);
    - ``dso`` = receivable at the end of the period / credit sales of the
      period x days of the period. In grouped views (pivot, graph, grouped
      list) the period is the group: the receivable of its last month, the
      sales and the days of all its months.
    """

    _name = "dunning.dso.report"
    _description = "Days Sales Outstanding"
    _auto = False
    _order = "month desc, company_id, partner_id"

    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    month = fields.Date(readonly=True)
    month_end = fields.Date(string="End of Month", readonly=True)
    days = fields.Integer(readonly=True, aggregator="max")
    sales = fields.Monetary(string="Credit Sales", readonly=True)
    receivable = fields.Monetary(
        string="Receivables at End",
        readonly=True,
        aggregator="max",
        help="Receivable balance at the end of the month. In a group spanning "
        "several months, the balance at the end of its last month.",
    )
    dso = fields.Float(string="DSO (days)", readonly=True, digits=(16, 1))

    @api.model
    def _get_period(self):
        date = fields.Date.to_date(
            self.env.context.get("dunning_dso_date")
        ) or fields.Date.context_today(self)
        months = int(self.env.context.get("dunning_dso_months") or 12)
        return date, max(months, 1)

    @property
    def _table_query(self):
        date, months = self._get_period()
        company_ids = self.env.companies.ids or [self.env.company.id]
        return SQL(
            """
            WITH months AS (
                SELECT m::date AS month,
                       LEAST((m + INTERVAL '1 month - 1 day')::date,
                             %(date)s::date) AS month_end
                  FROM generate_series(
                        date_trunc('month', %(date)s::date)
                            - (%(months)s - 1) * INTERVAL '1 month',
                        date_trunc('month', %(date)s::date),
                        INTERVAL '1 month') AS m
            ), period AS (
                SELECT MIN(month) AS date_from FROM months
            ), moves AS (
                SELECT aml.company_id,
                       COALESCE(p.commercial_partner_id, aml.partner_id)
                           AS partner_id,
                       date_trunc('month', GREATEST(aml.date, period.date_from))::date
                           AS month,
                       SUM(aml.balance) AS balance,
                       SUM(aml.balance) FILTER (
                           WHERE am.move_type IN ('out_invoice', 'out_refund',
                                                  'out_receipt')
                             AND aml.date >= period.date_from
                       ) AS sales,
                       bool_or(aml.date >= period.date_from) AS active
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                  JOIN account_account acc ON acc.id = aml.account_id
                  LEFT JOIN res_partner p ON p.id = aml.partner_id
                 CROSS JOIN period
                 WHERE acc.account_type = 'asset_receivable'
                   AND aml.parent_state = 'posted'
                   AND aml.date <= %(date)s
                   AND aml.company_id = ANY(%(company_ids)s)
                   AND aml.partner_id IS NOT NULL
                 GROUP BY 1, 2, 3
            ), partners AS (
                SELECT company_id, partner_id
                  FROM moves
                 GROUP BY company_id, partner_id
                HAVING SUM(balance) != 0 OR bool_or(active)
            ), grid AS (
                SELECT pa.company_id,
                       pa.partner_id,
                       m.month,
                       m.month_end,
                       COALESCE(mv.sales, 0) AS sales,
                       SUM(COALESCE(mv.balance, 0)) OVER (
                           PARTITION BY pa.company_id, pa.partner_id
                           ORDER BY m.month
                       ) AS receivable
                  FROM partners pa
                 CROSS JOIN months m
                  LEFT JOIN moves mv
                    ON mv.company_id = pa.company_id
                   AND mv.partner_id = pa.partner_id
                   AND mv.month = m.month
            )
            SELECT ROW_NUMBER() OVER (
                       ORDER BY g.company_id, g.partner_id, g.month) AS id,
                   g.company_id,
                   c.currency_id,
                   g.partner_id,
                   g.month,
                   g.month_end,
                   (g.month_end - g.month + 1) AS days,
                   g.sales,
                   g.receivable,
                   CASE WHEN g.sales != 0
                        THEN g.receivable / g.sales * (g.month_end - g.month + 1)
                        ELSE 0 END AS dso
              FROM grid g
              JOIN res_company c ON c.id = g.company_id
            """,
            date=date,
            months=months,
            company_ids=company_ids,
        )

    def _read_group_select(self, aggregate_spec, query):
        """Ratio and period aggregates: receivable at the end of the group's
        last month, DSO of the group, days spanned by the group."""
        fname = aggregate_spec.split(":")[0]
        table = SQL.identifier(self._table)
        if fname in ("receivable", "dso", "days"):
            month = SQL("%s.month", table)
            last_receivable = SQL(
                """(SELECT SUM(t.r)
                      FROM unnest(ARRAY_AGG(%(month)s), ARRAY_AGG(%(rec)s))
                           AS t(m, r)
                     WHERE t.m = MAX(%(month)s))""",
                month=month,
                rec=SQL("%s.receivable", table),
            )
            days = SQL("(MAX(%s.month_end) - MIN(%s) + 1)", table, month)
            if fname == "receivable":
                return last_receivable
            if fname == "days":
                return days
            return SQL(
                "COALESCE(%s / NULLIF(SUM(%s.sales), 0) * %s, 0)",
                last_receivable,
                table,
                days,
            )
        return super()._read_group_select(aggregate_spec, query)
