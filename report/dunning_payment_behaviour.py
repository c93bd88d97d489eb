# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

TRUST_SELECTION = [
    ("good", "Good Debtor"),
    ("normal", "Normal Debtor"),
    ("bad", "Bad Debtor"),
]


class DunningPaymentBehaviour(models.Model):
    """Payment behaviour of the customers of the current company, and the
    trust level it suggests.

    Over the 12 months before the as-of date (context ``dunning_date``,
    default today), the paid invoices are the customer invoice receivable
    items fully reconciled, whose last reconciliation (payment date) falls in
    that window. For each: days to pay = payment date - invoice date, days
    late = max(0, payment date - due date), paid late = days late > 0.
    Current overdue: open receivable items of the customer due before the
    as-of date (residual today and the days overdue of the oldest one).

    Suggested trust (thresholds in ``_get_trust_thresholds``):

    - bad debtor if more than 50 % of the invoices were paid late, or the
      average delay is over 30 days, or an item is overdue by more than 90
      days;
    - good debtor if at least one invoice was paid, less than 10 % were paid
      late, the average delay is at most 5 days and no item is overdue by
      more than 30 days;
    - normal debtor otherwise (including customers without history).
    """

    _name = "dunning.payment.behaviour"
    _description = "Customer Payment Behaviour"
    _auto = False
    _order = "overdue_amount desc, partner_id"

    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users", string="Salesperson", readonly=True
    )
    country_id = fields.Many2one(comodel_name="res.country", readonly=True)
    paid_count = fields.Integer(string="Invoices Paid", readonly=True)
    late_count = fields.Integer(string="Paid Late", readonly=True)
    late_share = fields.Float(
        string="Paid Late (%)", readonly=True, digits=(16, 1), aggregator="avg"
    )
    avg_days_to_pay = fields.Float(
        string="Avg Days to Pay", readonly=True, digits=(16, 1), aggregator="avg"
    )
    avg_days_late = fields.Float(readonly=True, digits=(16, 1), aggregator="avg")
    overdue_amount = fields.Monetary(string="Current Overdue", readonly=True)
    max_days_overdue = fields.Integer(
        string="Oldest Overdue (days)", readonly=True, aggregator="max"
    )
    trust = fields.Selection(
        selection=TRUST_SELECTION, string="Trust Set", readonly=True
    )
    suggested_trust = fields.Selection(selection=TRUST_SELECTION, readonly=True)
    trust_differs = fields.Boolean(readonly=True)

    @api.model
    def _get_trust_thresholds(self):
        return {
            "bad_late_share": 50.0,
            "bad_avg_days_late": 30.0,
            "bad_days_overdue": 90,
            "good_late_share": 10.0,
            "good_avg_days_late": 5.0,
            "good_days_overdue": 30,
        }

    @api.model
    def _get_as_of_date(self):
        return fields.Date.to_date(
            self.env.context.get("dunning_date")
        ) or fields.Date.context_today(self)

    @property
    def _table_query(self):
        date = self._get_as_of_date()
        company = self.env.company
        thresholds = self._get_trust_thresholds()
        return SQL(
            """
            WITH no_entry AS MATERIALIZED (
                SELECT line_id, SUM(amount) AS amount, MAX(date) AS paid_date
                  FROM (%(no_entry)s) paid
                 GROUP BY line_id
            ),
            items AS (
                SELECT aml.id,
                       COALESCE(p.commercial_partner_id, aml.partner_id)
                           AS partner_id,
                       COALESCE(am.invoice_date, aml.date) AS invoice_date,
                       COALESCE(aml.date_maturity, aml.date) AS date_maturity,
                       aml.reconciled
                           OR COALESCE(no_entry.amount >= aml.amount_residual, FALSE)
                           AS reconciled,
                       aml.amount_residual - COALESCE(no_entry.amount, 0)
                           AS amount_residual,
                       am.move_type,
                       no_entry.paid_date AS paid_without_entry
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                  -- Odoo 18: what payments without journal entry pay
                  -- (matched_payment_ids), without reconciliation
                  LEFT JOIN no_entry ON no_entry.line_id = aml.id
                  JOIN account_account acc ON acc.id = aml.account_id
                  JOIN res_partner p ON p.id = aml.partner_id
                 WHERE acc.account_type = 'asset_receivable'
                   AND aml.parent_state = 'posted'
                   AND aml.company_id = %(company_id)s
                   AND aml.balance > 0
                   AND aml.date <= %(date)s
            ), paid AS (
                SELECT i.partner_id,
                       i.invoice_date,
                       i.date_maturity,
                       GREATEST(MAX(apr.max_date), MAX(i.paid_without_entry))
                           AS paid_date
                  FROM items i
                  LEFT JOIN account_partial_reconcile apr ON apr.debit_move_id = i.id
                 WHERE i.reconciled
                   AND i.move_type IN ('out_invoice', 'out_receipt')
                 GROUP BY i.id, i.partner_id, i.invoice_date, i.date_maturity
            ), history AS (
                SELECT partner_id,
                       COUNT(*) AS paid_count,
                       COUNT(*) FILTER (WHERE paid_date > date_maturity)
                           AS late_count,
                       AVG(paid_date - invoice_date) AS avg_days_to_pay,
                       AVG(GREATEST(paid_date - date_maturity, 0))
                           AS avg_days_late
                  FROM paid
                 WHERE paid_date > %(date_from)s AND paid_date <= %(date)s
                 GROUP BY partner_id
            ), overdue AS (
                SELECT partner_id,
                       SUM(amount_residual) AS overdue_amount,
                       MAX(%(date)s::date - date_maturity) AS max_days_overdue
                  FROM items
                 WHERE NOT reconciled
                   AND amount_residual > 0
                   AND date_maturity < %(date)s
                 GROUP BY partner_id
            ), behaviour AS (
                SELECT COALESCE(h.partner_id, o.partner_id) AS partner_id,
                       COALESCE(h.paid_count, 0) AS paid_count,
                       COALESCE(h.late_count, 0) AS late_count,
                       CASE WHEN h.paid_count > 0
                            THEN h.late_count * 100.0 / h.paid_count
                            ELSE 0 END AS late_share,
                       COALESCE(h.avg_days_to_pay, 0) AS avg_days_to_pay,
                       COALESCE(h.avg_days_late, 0) AS avg_days_late,
                       COALESCE(o.overdue_amount, 0) AS overdue_amount,
                       COALESCE(o.max_days_overdue, 0) AS max_days_overdue
                  FROM history h
                  FULL OUTER JOIN overdue o ON o.partner_id = h.partner_id
            ), suggestion AS (
                SELECT b.*,
                       CASE WHEN b.late_share > %(bad_late_share)s
                              OR b.avg_days_late > %(bad_avg_days_late)s
                              OR b.max_days_overdue > %(bad_days_overdue)s
                            THEN 'bad'
                            WHEN b.paid_count > 0
                             AND b.late_share < %(good_late_share)s
                             AND b.avg_days_late <= %(good_avg_days_late)s
                             AND b.max_days_overdue <= %(good_days_overdue)s
                            THEN 'good'
                            ELSE 'normal' END AS suggested_trust
                  FROM behaviour b
            )
            SELECT s.partner_id AS id,
                   s.partner_id,
                   %(company_id)s AS company_id,
                   %(currency_id)s AS currency_id,
                   rp.user_id,
                   rp.country_id,
                   s.paid_count,
                   s.late_count,
                   s.late_share,
                   s.avg_days_to_pay,
                   s.avg_days_late,
                   s.overdue_amount,
                   s.max_days_overdue,
                   COALESCE(rp.trust ->> %(company_key)s, 'normal') AS trust,
                   s.suggested_trust,
                   COALESCE(rp.trust ->> %(company_key)s, 'normal')
                       != s.suggested_trust AS trust_differs
              FROM suggestion s
              JOIN res_partner rp ON rp.id = s.partner_id
            """,
            no_entry=self.env["account.move"]._dunning_paid_without_entry_sql(
                SQL("aml.company_id = %s", company.id)
            ),
            date=date,
            date_from=date - relativedelta(months=12),
            company_id=company.id,
            company_key=str(company.id),
            currency_id=company.currency_id.id,
            **thresholds,
        )

    def action_apply_suggested_trust(self):
        """Set the suggested trust on the selected customers, in the current
        company: one write per trust level."""
        if not self.env.user.has_group("account.group_account_manager"):
            raise AccessError(
                self.env._("Only accounting managers can change the trust level.")
            )
        groups = self._read_group(
            [("id", "in", self.ids), ("trust_differs", "=", True)],
            ["suggested_trust"],
            ["partner_id:array_agg"],
        )
        partner_model = self.env["res.partner"].sudo().with_company(self.env.company)
        count = 0
        for trust, partner_ids in groups:
            partner_model.browse(partner_ids).write({"trust": trust})
            count += len(partner_ids)
        self.env.invalidate_all()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Suggested trust applied to %(count)s customer(s).", count=count
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
