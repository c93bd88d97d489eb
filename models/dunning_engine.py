# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The follow-up engine: who is due for which level, as of a date.

Every caller (partner fields, launch wizard, manual follow-up, bulk action,
cron, analytics) goes through :meth:`DunningEngine._evaluate`. It runs a
fixed number of SQL queries whatever the number of customers, then applies
the rules below to each open item in memory.

Open item
    A posted, unreconciled receivable journal item with a non-zero residual,
    grouped on the commercial partner. Its residual is the amount still owed:
    what Odoo 18 payments without journal entry (``matched_payment_ids``) pay
    on it is deducted (Odoo marks such an invoice paid even when the payment
    is partial), and an item they pay in full is left out.
Days overdue
    ``date - date_maturity`` (the item's own due date).
Level due for an item
    The next level of the customer's strategy above the last level executed
    on the item, when its delay is reached and at least (its delay - the
    previous level's delay) days have passed since the previous reminder.
    With the strategy option "jump to the highest reached level", the highest
    level whose delay is reached.
Customer
    Its level due is the highest level due among its items; its status is
    ``in_need_of_action`` when a level is due and nothing excludes it,
    ``with_overdue_invoices`` when it has overdue items but nothing to do
    now, else ``no_action_needed``.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date as date_type
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, LazyTranslate, float_is_zero

_lt = LazyTranslate(__name__)

DUNNING_STATUS_SELECTION = [
    ("in_need_of_action", "In need of action"),
    ("with_overdue_invoices", "Overdue invoices"),
    ("no_action_needed", "No action needed"),
]

# Why an item or a customer is not reminded. Keys are stable (stored on batch
# lines); labels are shown to the user.
EXCLUSION_REASONS = {
    # customer level
    "not_included": _lt("Customer not included in the follow-up process"),
    "no_strategy": _lt("No follow-up strategy for this customer"),
    "remind_later": _lt("Next reminder date is in the future"),
    "spacing": _lt(
        "Reminded lately: the next level is not due before the next reminder date"
    ),
    "check_payments": _lt(
        "Unapplied payments and credit notes cover the overdue amount: "
        "check payments first"
    ),
    "paused": _lt("Follow-up paused"),
    "promised": _lt("Payment promised: follow-up paused until the promised date"),
    "payment_pending": _lt("Online payment pending"),
    # item level
    "no_followup": _lt("Item flagged no follow-up"),
    "blocked": _lt("Invoice blocked (litigation)"),
    "disputed": _lt("Invoice disputed"),
    "payment_method": _lt("Payment method excluded from this run"),
    "tolerance": _lt("Residual below the company's tolerance"),
}


@dataclass
class DunningItem:
    """One open receivable item and the engine's verdict on it."""

    id: int
    move_id: int
    partner_id: int  # commercial partner
    date: date_type
    date_maturity: date_type
    currency_id: int
    residual: float  # company currency
    residual_currency: float  # item currency
    days_overdue: int
    level_id: int | None  # last level executed
    last_date: date_type | None
    payment_method_line_id: int | None
    due_level_id: int | None = None
    reason: str | None = None

    @property
    def is_credit(self):
        return self.residual < 0

    @property
    def is_overdue(self):
        return not self.is_credit and self.days_overdue > 0

    @property
    def is_due(self):
        """A level is due on the item and nothing excludes the item."""
        return bool(self.due_level_id) and not self.reason


@dataclass
class DunningPartnerResult:
    """The engine's verdict on one customer (commercial partner)."""

    partner_id: int
    strategy_id: int | None = None
    items: list = field(default_factory=list)
    status: str = "no_action_needed"
    reason: str | None = None
    level_due_id: int | None = None
    level_reached_id: int | None = None
    next_date: date_type | None = None
    last_date: date_type | None = None
    total_due: float = 0.0
    total_overdue: float = 0.0
    credit: float = 0.0  # unapplied payments and credit notes (positive)
    totals_by_currency: dict = field(default_factory=dict)
    promise_date: date_type | None = None  # latest open payment promise

    @property
    def due_items(self):
        return [item for item in self.items if item.is_due]

    def items_due_at(self, level_id):
        return [item for item in self.due_items if item.due_level_id == level_id]


@dataclass
class DunningResult:
    """Everything the engine found, per customer."""

    date: date_type
    company_id: int
    lang: str = "en_US"
    partners: dict = field(default_factory=dict)  # commercial id -> result
    levels: dict = field(default_factory=dict)  # level id -> delay

    def reason_label(self, reason):
        """The reason, in the language of the user who evaluated."""
        return EXCLUSION_REASONS[reason]._translate(self.lang) if reason else False

    def level_due(self, items):
        """The level due of a reminder listing ``items``: the most severe
        (longest delay) of their levels due. The only "level due" rule."""
        return max(
            (item.due_level_id for item in items if item.due_level_id),
            key=lambda level_id: self.levels.get(level_id, 0),
            default=None,
        )

    def to_remind(self, level_id=None):
        """Customers in need of action, with the items to remind: ``{partner_id:
        [items]}``. One reminder per customer at the level of its most overdue
        item, listing all its due items (each is recorded at its own level):
        with ``level_id``, only the customers whose level due it is."""
        selection = {}
        for pid, res in self.partners.items():
            if res.status != "in_need_of_action":
                continue
            if level_id and res.level_due_id != level_id:
                continue
            if items := res.due_items:
                selection[pid] = items
        return selection


class DunningEngine(models.AbstractModel):
    _name = "dunning.engine"
    _description = "Follow-up Engine"

    @api.model
    def _evaluate(
        self,
        date=None,
        partners=None,
        company=None,
        strategy=None,
        excluded_payment_method_lines=None,
        ignore_next_date=False,
    ):
        """Evaluate the follow-up of customers as of ``date``.

        :param date: reference date (default: today in the user's timezone)
        :param partners: restrict to these commercial partners (default: all
            customers with open receivable items in the company)
        :param company: company evaluated (default: the current company); only
            its items and strategies are used
        :param strategy: keep only customers following this strategy
        :param excluded_payment_method_lines: payment method lines whose
            invoices are left out of this run
        :param ignore_next_date: do not exclude customers whose next reminder
            date is in the future (manual follow-up)
        :return: a :class:`DunningResult`
        """
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        company = company or self.env.company
        result = DunningResult(
            date=date, company_id=company.id, lang=self.env.lang or "en_US"
        )
        if partners is not None and not partners:
            return result
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        self.env["account.payment"].flush_model()
        self.env["res.partner"].flush_model()

        levels_by_strategy = self._get_levels(company)
        for levels in levels_by_strategy.values():
            for level_id, delay in levels:
                result.levels[level_id] = delay
        strategies = (
            self.env["dunning.strategy"]
            .sudo()
            .search([("company_id", "=", company.id)])
        )
        jump = {s.id: s.jump_to_highest for s in strategies}
        items_by_partner = self._fetch_items(date, company, partners)
        if not items_by_partner:
            return result
        partner_data = self._fetch_partner_data(company, list(items_by_partner))
        promise_dates = self._fetch_promise_dates(company, list(items_by_partner))
        statement_amounts = self._fetch_unreconciled_statement_amounts(
            company, list(items_by_partner)
        )
        # levels of other strategies (strategy changed) are compared by delay
        extra_level_ids = {
            item.level_id
            for items in items_by_partner.values()
            for item in items
            if item.level_id and item.level_id not in result.levels
        }
        if extra_level_ids:
            for level in self.env["dunning.level"].sudo().browse(extra_level_ids):
                result.levels[level.id] = level.delay
        excluded_pml = set(
            excluded_payment_method_lines.ids if excluded_payment_method_lines else ()
        )
        tolerance = company.dunning_tolerance
        currency = company.currency_id

        for pid, items in items_by_partner.items():
            strategy_id, included, next_date = partner_data.get(
                pid, (None, False, None)
            )
            if strategy_id not in jump:  # archived or of another company
                strategy_id = None
            if strategy and strategy_id != strategy.id:
                continue
            res = DunningPartnerResult(
                partner_id=pid,
                strategy_id=strategy_id,
                items=items,
                next_date=next_date,
                promise_date=promise_dates.get(pid),
                # money received on the bank, not yet reconciled, counts like
                # an unapplied payment
                credit=statement_amounts.get(pid, 0.0),
            )
            result.partners[pid] = res
            levels = levels_by_strategy.get(strategy_id, [])
            for item in items:
                self._evaluate_item(
                    item,
                    levels,
                    result.levels,
                    jump.get(strategy_id),
                    date,
                    excluded_pml,
                    tolerance,
                    currency,
                )
            self._evaluate_partner(res, included, date, ignore_next_date, result)
            if res.reason == "remind_later" and self._is_spacing(res, levels):
                res.reason = "spacing"
        return result

    @api.model
    def _is_spacing(self, res, levels):
        """Whether the customer's next reminder date is the one its last
        reminder set (the days between its level and the next one), rather
        than a date chosen with "Remind me later"."""
        current = dict(levels).get(res.level_reached_id)
        if current is None or not res.last_date:
            return False
        following = [delay for __, delay in levels if delay > current]
        return bool(following) and res.next_date == res.last_date + timedelta(
            days=following[0] - current
        )

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    def _evaluate_item(
        self,
        item,
        levels,
        level_delays,
        jump,
        date,
        excluded_pml,
        tolerance,
        currency,
    ):
        if item.is_credit:
            return
        if item.reason is None:
            if item.payment_method_line_id in excluded_pml:
                item.reason = "payment_method"
            elif tolerance and currency.compare_amounts(item.residual, tolerance) < 0:
                item.reason = "tolerance"
        item.due_level_id = self._get_due_level(item, levels, level_delays, jump, date)

    @api.model
    def _get_due_level(self, item, levels, level_delays, jump, date):
        """Level due on ``item``: ``levels`` is the strategy's sorted list of
        ``(level_id, delay)``."""
        current_delay = level_delays.get(item.level_id) if item.level_id else None
        reached = [
            (level_id, delay)
            for level_id, delay in levels
            if delay <= item.days_overdue
            and (current_delay is None or delay > current_delay)
        ]
        if not reached:
            return None
        level_id, delay = reached[-1] if jump else reached[0]
        if current_delay is not None and item.last_date:
            if (date - item.last_date).days < delay - current_delay:
                return None
        return level_id

    def _evaluate_partner(self, res, included, date, ignore_next_date, result):
        level_delays = result.levels
        for item in res.items:
            res.total_due += item.residual
            totals = res.totals_by_currency.setdefault(
                item.currency_id, {"due": 0.0, "overdue": 0.0}
            )
            totals["due"] += item.residual_currency
            if item.is_credit:
                res.credit -= item.residual
            elif item.is_overdue:
                res.total_overdue += item.residual
                totals["overdue"] += item.residual_currency
            if item.level_id and (
                not res.level_reached_id
                or level_delays.get(item.level_id, 0)
                > level_delays.get(res.level_reached_id, 0)
            ):
                res.level_reached_id = item.level_id
            if item.last_date and (not res.last_date or item.last_date > res.last_date):
                res.last_date = item.last_date
        due_items = res.due_items
        res.level_due_id = result.level_due(due_items)
        if not included:
            res.reason = "not_included"
        elif not res.strategy_id:
            res.reason = "no_strategy"
        elif not ignore_next_date and res.next_date and res.next_date > date:
            res.reason = "remind_later"
        elif res.credit and res.total_overdue and res.credit >= res.total_overdue:
            res.reason = "check_payments"
        else:
            res.reason = self._get_partner_pause_reason(res, date)
        if due_items and not res.reason:
            res.status = "in_need_of_action"
        elif res.total_overdue > 0:
            res.status = "with_overdue_invoices"
        else:
            res.status = "no_action_needed"

    def _get_partner_pause_reason(self, res, date):
        """Hook: reason why a customer otherwise due is paused (or None).

        An open payment promise pauses the follow-up until its date
        (included); once the date is passed the customer is due again, even
        before the daily check marks the promise broken.
        """
        if res.promise_date and res.promise_date >= date:
            return "promised"
        return None

    # ------------------------------------------------------------------
    # Queries
    # ------------------------------------------------------------------

    def _get_levels(self, company):
        """``{strategy_id: [(level_id, delay), ...]}`` sorted by delay."""
        levels = defaultdict(list)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT l.strategy_id, l.id, l.delay
                  FROM dunning_level l
                  JOIN dunning_strategy s ON s.id = l.strategy_id
                 WHERE s.company_id = %s AND s.active
              ORDER BY l.strategy_id, l.delay, l.id
                """,
                company.id,
            )
        )
        for strategy_id, level_id, delay in rows:
            levels[strategy_id].append((level_id, delay))
        return levels

    def _open_items_sql(self, company):
        """Condition of the open receivable items of ``company`` (tables
        ``aml`` and ``account``)."""
        return SQL(
            """aml.company_id = %s
               AND aml.parent_state = 'posted'
               AND account.account_type = 'asset_receivable'
               AND NOT aml.reconciled""",
            company.id,
        )

    def _fetch_items(self, date, company, partners):
        partner_filter = SQL()
        if partners is not None:
            # through aml.partner_id (indexed) rather than p.commercial_partner_id
            partner_filter = SQL(
                "AND aml.partner_id IN (SELECT id FROM res_partner "
                "WHERE commercial_partner_id = ANY(%s))",
                list(partners.ids),
            )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT aml.id, aml.move_id, p.commercial_partner_id,
                       aml.date, COALESCE(aml.date_maturity, aml.date),
                       aml.currency_id, aml.amount_residual,
                       aml.amount_residual_currency,
                       aml.dunning_level_id, aml.dunning_date,
                       move.preferred_payment_method_line_id,
                       aml.dunning_excluded,
                       move.payment_state = 'blocked',
                       move.dunning_dispute_until,
                       no_entry.amount
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                  JOIN account_move move ON move.id = aml.move_id
                  JOIN res_partner p ON p.id = aml.partner_id
                  -- what Odoo 18 payments without journal entry pay on it
                  LEFT JOIN (
                        SELECT line_id, SUM(amount) AS amount
                          FROM (%(no_entry)s) paid
                         GROUP BY line_id
                  ) no_entry ON no_entry.line_id = aml.id
                 WHERE %(open_items)s
                   AND aml.amount_residual != 0
                   %(partner_filter)s
              ORDER BY p.commercial_partner_id, COALESCE(aml.date_maturity, aml.date),
                       aml.id
                """,
                open_items=self._open_items_sql(company),
                partner_filter=partner_filter,
                no_entry=self.env["account.move"]._dunning_paid_without_entry_sql(
                    SQL("aml.company_id = %s %s", company.id, partner_filter)
                ),
            )
        )
        rounding = company.currency_id.decimal_places
        items_by_partner = defaultdict(list)
        for (
            aml_id,
            move_id,
            pid,
            aml_date,
            maturity,
            currency_id,
            residual,
            residual_currency,
            level_id,
            last_date,
            pml_id,
            excluded,
            blocked,
            dispute_until,
            paid,
        ) in rows:
            if paid:
                # the amount still owed, in the item's currency too
                owed = residual - paid
                residual_currency = (
                    owed
                    if currency_id == company.currency_id.id
                    else residual_currency * owed / residual
                )
                residual = owed
            if float_is_zero(residual, precision_digits=rounding):
                continue
            item = DunningItem(
                id=aml_id,
                move_id=move_id,
                partner_id=pid,
                date=aml_date,
                date_maturity=maturity,
                currency_id=currency_id,
                residual=residual,
                residual_currency=residual_currency,
                days_overdue=(date - maturity).days,
                level_id=level_id,
                last_date=last_date,
                payment_method_line_id=pml_id,
            )
            if residual > 0:
                if excluded:
                    item.reason = "no_followup"
                elif blocked:
                    item.reason = "blocked"
                elif dispute_until and dispute_until >= date:
                    item.reason = "disputed"
            items_by_partner[pid].append(item)
        return items_by_partner

    def _fetch_promise_dates(self, company, partner_ids):
        """``{partner_id: latest date of its open payment promises}`` in
        ``company`` (one query for all the customers)."""
        self.env["dunning.promise"].flush_model(
            ["partner_id", "company_id", "state", "date"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner_id, MAX(date)
                  FROM dunning_promise
                 WHERE company_id = %(company)s
                   AND state = 'open'
                   AND partner_id = ANY(%(ids)s)
              GROUP BY partner_id
                """,
                company=company.id,
                ids=partner_ids,
            )
        )
        return dict(rows)

    @api.model
    def _fetch_credits(self, company, partner_ids):
        """``{commercial partner id: unapplied payments and credit notes}``
        (positive, company currency): the ``credit`` of the evaluation, for
        customers not evaluated (one query)."""
        self.env["account.move.line"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id, -SUM(aml.amount_residual)
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                  JOIN res_partner p ON p.id = aml.partner_id
                 WHERE %(open_items)s
                   AND aml.amount_residual < 0
                   AND p.commercial_partner_id = ANY(%(ids)s)
              GROUP BY p.commercial_partner_id
                """,
                open_items=self._open_items_sql(company),
                ids=list(partner_ids),
            )
        )
        return dict(rows)

    @api.model
    def _fetch_unreconciled_statement_amounts(self, company, partner_ids):
        """``{commercial partner id: amount}`` received on the bank from the
        customers (bank statement lines not yet reconciled), in company
        currency, in ``company`` (one query for all the customers)."""
        self.env["account.bank.statement.line"].flush_model(
            ["partner_id", "is_reconciled", "amount", "company_id"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id, SUM(m.amount_total_signed)
                  FROM account_bank_statement_line st
                  JOIN account_move m ON m.id = st.move_id
                  JOIN res_partner p ON p.id = st.partner_id
                 WHERE st.company_id = %(company)s
                   AND NOT st.is_reconciled
                   AND st.amount > 0
                   AND m.state = 'posted'
                   AND p.commercial_partner_id = ANY(%(ids)s)
              GROUP BY p.commercial_partner_id
                """,
                company=company.id,
                ids=partner_ids,
            )
        )
        return dict(rows)

    def _fetch_partner_data(self, company, partner_ids):
        """``{partner_id: (strategy_id, included, next_date)}`` in ``company``,
        read from the company-dependent columns with their fallbacks."""
        partner_model = self.env["res.partner"].with_company(company)
        fallback_included = bool(
            partner_model._fields["dunning_included"].get_company_dependent_fallback(
                partner_model
            )
        )
        fallback_strategy = partner_model._fields[
            "dunning_strategy_id"
        ].get_company_dependent_fallback(partner_model) or self.env[
            "dunning.strategy"
        ]._get_company_default(company)
        key = str(company.id)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id,
                       (p.dunning_strategy_id ->> %(key)s)::int,
                       (p.dunning_included ->> %(key)s)::boolean,
                       (p.dunning_next_date ->> %(key)s)::date
                  FROM res_partner p
                 WHERE p.id = ANY(%(ids)s)
                """,
                key=key,
                ids=partner_ids,
            )
        )
        return {
            pid: (
                strategy_id or fallback_strategy.id or None,
                fallback_included if included is None else included,
                next_date,
            )
            for pid, strategy_id, included, next_date in rows
        }
