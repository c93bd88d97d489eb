# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Soak of the follow-up: every level launched every day (used by
tests/test_dunning_concurrency.py and by ``make bench`` through
tools/bench_plugins/soak.py).

Thirty simulated days: every day, every level of every strategy of the
company is launched (as the daily automatic follow-up would), through the one
execution path (batch, lines, ``line._execute()``). At the end, every journal
item must have been reminded at most once per level: the duplicate count must
be 0.

Letters and (by default) emails are stubbed: the soak checks the engine and
the recording, not the rendering.
"""

import time
from datetime import date, timedelta
from unittest.mock import patch

from odoo import Command
from odoo.tools import SQL

START = date(2026, 6, 30)  # "today" of the bench dataset


def _stub_letters(report, letters):
    return [b"%PDF-1.4 soak stub" for _letter in letters]


def _stub_email(send, reminders):
    return None


def _duplicates(env, batch_ids):
    """(item, level) pairs reminded more than once by the soak's batches."""
    rows = env.execute_query(
        SQL(
            """
            SELECT count(*) FROM (
                SELECT rel.move_line_id, line.level_id
                  FROM dunning_batch_line line
                  JOIN dunning_batch_line_move_line_rel rel ON rel.line_id = line.id
                 WHERE line.state = 'sent' AND line.batch_id = ANY(%s)
              GROUP BY rel.move_line_id, line.level_id
                HAVING count(*) > 1
            ) dup
            """,
            batch_ids,
        )
    )
    return rows[0][0]


def run_soak(env, days=30, start=START, stub_email=True):
    """Launch every level every day; return the figures."""
    company = env.company
    strategies = env["dunning.strategy"].search([("company_id", "=", company.id)])
    batch_model = env["dunning.batch"]
    report_cls = type(env["ir.actions.report"])
    patches = [patch.object(report_cls, "_dunning_render_letters", _stub_letters)]
    if stub_email:
        patches.append(
            patch.object(type(env["dunning.send"]), "_send_emails", _stub_email)
        )
    batch_ids, sent, skipped, failed = [], 0, 0, 0
    queries_before = env.cr.sql_log_count
    t0 = time.perf_counter()
    for patcher in patches:
        patcher.start()
    try:
        for offset in range(days):
            day = start + timedelta(days=offset)
            for strategy in strategies:
                for level in strategy._get_sorted_levels():
                    result = env["dunning.engine"]._evaluate(
                        date=day, company=company, strategy=strategy
                    )
                    selection = result.to_remind(level.id)
                    if not selection:
                        continue
                    batch = batch_model._create_from_selection(
                        selection,
                        {
                            "company_id": company.id,
                            "strategy_id": strategy.id,
                            "level_id": level.id,
                            "date": day,
                            "origin": "launch",
                            "excluded_payment_method_line_ids": [Command.clear()],
                        },
                    )
                    batch._execute()
                    batch_ids.append(batch.id)
                    sent += batch.sent_count
                    skipped += batch.skipped_count
                    failed += batch.failed_count
    finally:
        for patcher in patches:
            patcher.stop()
    env.flush_all()
    return {
        "seconds": time.perf_counter() - t0,
        "queries": env.cr.sql_log_count - queries_before,
        "batches": len(batch_ids),
        "sent": sent,
        "skipped": skipped,
        "failed": failed,
        "duplicates": _duplicates(env, batch_ids),
    }
