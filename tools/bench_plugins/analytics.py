# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bench plugin of the receivables analytics (issue #8).

``measure(env)`` times, median of 3 runs, the grouped reads the aged balance
and KPI views do when they open (list grouped by customer, pivot, graph), as
``tools/bench.py`` plugins do: it returns one dict per view with ``label``,
``seconds``, ``queries`` and ``note``.
"""

import statistics
import time

RUNS = 3
AGED_SUMS = [
    "amount_not_due:sum",
    "amount_1_30:sum",
    "amount_31_60:sum",
    "amount_61_90:sum",
    "amount_91_120:sum",
    "amount_over_120:sum",
    "amount_residual:sum",
]


def _cases(env):
    today = "2026-06-30"
    aged = env["dunning.aged.balance"].with_context(dunning_aged_date=today)
    dso = env["dunning.dso.report"].with_context(dunning_dso_date=today)
    recovery = env["dunning.recovery.report"]
    reminders = env["dunning.reminder.report"]
    behaviour = env["dunning.payment.behaviour"].with_context(dunning_date=today)
    aged_fields = [spec.split(":")[0] for spec in AGED_SUMS]
    return [
        (
            "aged balance: list grouped by customer (80 groups)",
            lambda: aged.web_read_group([], aged_fields, ["partner_id"], limit=80),
        ),
        (
            "aged balance: pivot customer x buckets (all customers)",
            lambda: aged._read_group([], ["partner_id"], AGED_SUMS),
        ),
        (
            "aged balance: graph by age",
            lambda: aged._read_group([], ["age_bucket"], ["amount_residual:sum"]),
        ),
        (
            "aged balance: items of one customer (drill-down)",
            lambda: aged.search_read(
                [("partner_id", "=", aged.search([], limit=1).partner_id.id)],
                ["move_name", "date_maturity", "amount_residual"],
            ),
        ),
        (
            "DSO: graph trend by month",
            lambda: dso._read_group([], ["month:month"], ["dso:sum"]),
        ),
        (
            "DSO: pivot customer x month",
            lambda: dso._read_group(
                [], ["partner_id", "month:month"], ["dso:sum", "sales:sum"]
            ),
        ),
        (
            "recovery rate: graph by level and month",
            lambda: recovery._read_group(
                [],
                ["level_id", "date:month"],
                ["amount_reminded:sum", "recovery_rate_15:sum", "recovery_rate_30:sum"],
            ),
        ),
        (
            "reminders sent: graph by month and channel",
            lambda: reminders._read_group([], ["date:month", "channel"], ["__count"]),
        ),
        (
            "payment behaviour: list (80 rows + count)",
            lambda: (
                behaviour.search_read(
                    [],
                    [
                        "partner_id",
                        "late_share",
                        "avg_days_late",
                        "overdue_amount",
                        "trust",
                        "suggested_trust",
                    ],
                    limit=80,
                ),
                behaviour.search_count([]),
            ),
        ),
        (
            "payment behaviour: pivot suggested x trust",
            lambda: behaviour._read_group(
                [], ["suggested_trust", "trust"], ["__count"]
            ),
        ),
    ]


def measure(env):
    results = []
    for label, call in _cases(env):
        timings = []
        queries = 0
        for _run in range(RUNS):
            env.invalidate_all()
            start_queries = env.cr.sql_log_count
            start = time.perf_counter()
            call()
            timings.append(time.perf_counter() - start)
            queries = env.cr.sql_log_count - start_queries
        median = statistics.median(timings)
        results.append(
            {
                "label": label,
                "seconds": round(median, 3),
                "queries": queries,
                "note": "target < 2 s" + ("" if median < 2 else " (MISSED)"),
            }
        )
    return results
