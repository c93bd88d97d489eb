#!/usr/bin/env python3
# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark of account_dunning on a synthetic database (``make bench``).

    make bench                 N=2000 customers x K=10 invoices, and N/4
    make bench N=500 K=10      other size
    make bench BENCH_ARGS="--runs 5 --sizes 2000,500,8000 --regenerate"

The synthetic data is generated once into a template database named after N,
K and a hash of the module's models and data
(``account_dunning_bench_tpl_<N>x<K>_<hash>``); every run copies the template
into a work database and measures there, rolling back between repetitions.
The table is printed and written to ``.build/bench.md``.

Plugins: every ``tools/bench_plugins/*.py`` module that defines
``measure(env) -> list[dict]`` is called once per size with an environment
(superuser) on the work database; each dict has ``label``, ``seconds`` and
optionally ``queries``, ``note`` (and ``runs``, ``memory_mb``). The plugin may
write: everything is rolled back after it.
"""

import argparse
import glob
import hashlib
import importlib.util
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from contextlib import contextmanager
from datetime import date, timedelta
from unittest.mock import patch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, ".build")
REF_DATE = date(2026, 6, 30)  # "today" of the synthetic database
SPAN_DAYS = 180
TERM_DAYS = 30
SEED = 20260630
GENERATOR_VERSION = "1"  # bump when generate() changes: templates are rebuilt

# targets at 2,000 x 10 on a 2-core machine (issue #7)
TARGETS = {
    "evaluate": "< 1 s",
    "wizard": "< 1 s",
    "email": ">= 50 customers/s",
    "letter": "<= 0.3 s/letter",
}


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------- setup


def prepare():
    out = subprocess.run(
        ["bash", os.path.join(ROOT, "tools", "harness.sh"), "prepare"],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def module_hash():
    digest = hashlib.sha256()
    digest.update(GENERATOR_VERSION.encode())
    # everything that shapes the database (schema, data), not tests or tools
    patterns = [
        "__manifest__.py", "*/*.py", "data/*.xml", "security/*.csv", "security/*.xml",
    ]
    for pattern in patterns:
        for path in sorted(glob.glob(os.path.join(ROOT, pattern))):
            if os.path.relpath(path, ROOT).split(os.sep)[0] in ("tests", "tools"):
                continue
            with open(path, "rb") as handle:
                digest.update(path.encode() + handle.read())
    return digest.hexdigest()[:10]


def pg(sql, params=None, dbname="postgres", fetch=False):
    import psycopg2

    conn = psycopg2.connect(dbname=dbname)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall() if fetch else None
    finally:
        conn.close()


def db_exists(name):
    return bool(pg("SELECT 1 FROM pg_database WHERE datname = %s", (name,), fetch=True))


def drop_db(name):
    import odoo

    odoo.sql_db.close_db(name)
    pg(f'DROP DATABASE IF EXISTS "{name}"')


def install_db(conf, name):
    cmd = [
        sys.executable, "-m", "odoo", "-c", conf, "-d", name, "-i", "account_dunning",
        "--without-demo=all", "--stop-after-init", "--no-http",
        "--max-cron-threads=0", "--log-level=warn",
    ]
    subprocess.run(cmd, check=True)


# ---------------------------------------------------------------- generation


def generate(env, n_customers, k_invoices):
    """Customers (batch ORM create) and posted invoices.

    One invoice is created and posted through the ORM; the others are cloned
    from it in SQL (``INSERT ... SELECT`` of its ``account_move`` and
    ``account_move_line`` rows with other partners, dates and amounts): ORM
    creation of 20,000 invoices takes tens of minutes. Payments are applied on
    the receivable lines (fully paid: reconciled, residual 0; partially paid:
    half the residual), so that about 35 % of the invoices are overdue.
    """
    from psycopg2.extras import execute_values

    from odoo import Command

    rng = random.Random(SEED)
    company = env.ref("base.main_company")
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True,
                           mail_notrack=True, allowed_company_ids=company.ids))
    company.email = company.email or "accounting@bench.example.com"
    strategy = env["dunning.strategy"]._get_company_default(company)
    strategy._get_sorted_levels().write({"auto_execute": False})
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench Customer {i:06d}",
                "is_company": True,
                "email": f"customer{i}@bench.example.com",
            }
            for i in range(n_customers)
        ]
    )
    # 95 % of the customers in the follow-up process, the others manual
    included = partners.filtered(lambda p: rng.random() < 0.95)
    included.write({"dunning_included": True})
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )
    template = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partners[0].id,
            "journal_id": journal.id,
            "invoice_date": REF_DATE,
            "invoice_date_due": REF_DATE + timedelta(days=TERM_DAYS),
            "invoice_line_ids": [
                Command.create(
                    {"name": "Services", "quantity": 1, "price_unit": 100.0,
                     "tax_ids": [Command.clear()]}
                )
            ],
        }
    )
    template.action_post()
    env.flush_all()
    cr = env.cr
    gen = []
    for partner in partners:
        for _k in range(k_invoices):
            idx = len(gen) + 1
            invoice_date = REF_DATE - timedelta(days=rng.randint(0, SPAN_DAYS))
            due = invoice_date + timedelta(days=TERM_DAYS)
            amount = float(rng.randint(50, 5000))
            draw = rng.random()
            if (due < REF_DATE and draw < 0.58) or (due >= REF_DATE and draw < 0.3):
                paid, residual = "paid", 0.0
            elif draw > 0.85:
                paid, residual = "partial", round(amount / 2, 2)
            else:
                paid, residual = "not_paid", amount
            gen.append((idx, partner.id, invoice_date, due, amount, residual, paid))
    cr.execute(
        "CREATE TEMP TABLE bench_gen (idx int, partner_id int, invoice_date date, "
        "due date, amount numeric, residual numeric, paid varchar) ON COMMIT DROP"
    )
    execute_values(cr._obj, "INSERT INTO bench_gen VALUES %s", gen, page_size=5000)

    def insert_copies(table, alias, overrides, source, params):
        """INSERT INTO table SELECT its columns from ``source`` (rows of
        ``alias``), with the ``overrides`` expressions for some columns."""
        cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
            (table,),
        )
        cols = [row[0] for row in cr.fetchall()]
        exprs = [overrides.get(col, f"{alias}.{col}") for col in cols]
        cr.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) "
            f"SELECT {', '.join(exprs)} {source}",
            params,
        )

    name_expr = "'BINV/' || lpad(g.idx::text, 7, '0')"
    move_over = {
        "name": name_expr,
        "payment_reference": name_expr,
        "partner_id": "g.partner_id",
        "commercial_partner_id": "g.partner_id",
        "partner_shipping_id": "g.partner_id",
        "date": "g.invoice_date",
        "invoice_date": "g.invoice_date",
        "invoice_date_due": "g.due",
        "sequence_number": "g.idx",
        "sequence_prefix": "'BINV/'",
        "payment_state": "g.paid",
        "amount_untaxed": "g.amount",
        "amount_total": "g.amount",
        "amount_untaxed_signed": "g.amount",
        "amount_total_signed": "g.amount",
        "amount_untaxed_in_currency_signed": "g.amount",
        "amount_total_in_currency_signed": "g.amount",
        "amount_residual": "g.residual",
        "amount_residual_signed": "g.residual",
        "inalterable_hash": "NULL",
        "secure_sequence_number": "NULL",
        "access_token": "NULL",
        "invoice_pdf_report_id": "NULL",
        "message_main_attachment_id": "NULL",
    }
    insert_copies(
        "account_move", "t", move_over,
        "FROM account_move t, bench_gen g WHERE t.id = %s", (template.id,),
    )
    receivable = "(tl.account_id IN (SELECT id FROM account_account "
    receivable += "WHERE account_type = 'asset_receivable'))"
    ratio = "(g.amount / 100.0)"
    line_over = {
        "move_id": "m.id",
        "move_name": "m.name",
        "partner_id": "g.partner_id",
        "date": "g.invoice_date",
        "invoice_date": "g.invoice_date",
        "date_maturity": f"CASE WHEN {receivable} THEN g.due ELSE tl.date_maturity END",
        "debit": f"round(tl.debit * {ratio}, 2)",
        "credit": f"round(tl.credit * {ratio}, 2)",
        "balance": f"round(tl.balance * {ratio}, 2)",
        "amount_currency": f"round(tl.amount_currency * {ratio}, 2)",
        "price_unit": f"round(tl.price_unit * {ratio}, 2)",
        "price_subtotal": f"round(tl.price_subtotal * {ratio}, 2)",
        "price_total": f"round(tl.price_total * {ratio}, 2)",
        "amount_residual": f"CASE WHEN {receivable} THEN g.residual ELSE 0 END",
        "amount_residual_currency": (
            f"CASE WHEN {receivable} THEN g.residual ELSE 0 END"
        ),
        "reconciled": f"({receivable} AND g.paid = 'paid')",
        "matching_number": "NULL",
        "dunning_level_id": "NULL",
        "dunning_date": "NULL",
        "dunning_marker_id": "NULL",
    }
    insert_copies(
        "account_move_line", "tl", line_over,
        "FROM account_move_line tl JOIN bench_gen g ON TRUE "
        f"JOIN account_move m ON m.name = {name_expr} AND m.journal_id = %s "
        "WHERE tl.move_id = %s",
        (journal.id, template.id),
    )
    cr.execute("ANALYZE account_move")
    cr.execute("ANALYZE account_move_line")
    env.invalidate_all()
    cr.execute(
        """
        SELECT count(*) FILTER (WHERE paid != 'paid' AND due < %s),
               count(*) FILTER (WHERE paid = 'paid'),
               count(*) FILTER (WHERE paid = 'partial'),
               count(*)
          FROM bench_gen
        """,
        (REF_DATE,),
    )
    overdue, paid, partial, total = cr.fetchone()
    return {"invoices": total, "overdue": overdue, "paid": paid, "partial": partial,
            "customers": n_customers, "included": len(included)}


def ensure_template(conf, n, k, regenerate=False):
    import odoo
    from odoo import SUPERUSER_ID, api

    name = f"account_dunning_bench_tpl_{n}x{k}_{module_hash()}"
    if db_exists(name) and not regenerate:
        log(f"template {name} exists: reused")
        return name, None, None
    # templates of older versions of the module are dropped
    for (old,) in pg("SELECT datname FROM pg_database WHERE datname LIKE %s "
                     "OR datname LIKE 'account_dunning_bench_base_%%'",
                     (f"account_dunning_bench_tpl_{n}x{k}_%",), fetch=True):
        if not old.endswith(module_hash()):
            drop_db(old)
    drop_db(name)
    tmp = name + "_tmp"
    drop_db(tmp)
    base = f"account_dunning_bench_base_{module_hash()}"
    t0 = time.perf_counter()
    if not db_exists(base):
        log(f"installing account_dunning into {base} (reused for every size)")
        install_db(conf, base + "_tmp")
        odoo.sql_db.close_db(base + "_tmp")
        pg(f'ALTER DATABASE "{base}_tmp" RENAME TO "{base}"')
    odoo.sql_db.close_db(base)
    pg(f'CREATE DATABASE "{tmp}" TEMPLATE "{base}"')
    install_seconds = time.perf_counter() - t0
    log(f"generating {n} customers x {k} invoices")
    t0 = time.perf_counter()
    registry = odoo.modules.registry.Registry.new(tmp)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        stats = generate(env, n, k)
        cr.commit()
    gen_seconds = time.perf_counter() - t0
    odoo.modules.registry.Registry.delete(tmp)
    odoo.sql_db.close_db(tmp)
    pg(f'ALTER DATABASE "{tmp}" RENAME TO "{name}"')
    log(f"template {name}: {stats} in {gen_seconds:.1f}s "
        f"(install {install_seconds:.1f}s)")
    return name, gen_seconds, stats


def work_db_from(template):
    import odoo

    work = template.replace("_tpl_", "_work_")
    drop_db(work)
    odoo.sql_db.close_db(template)
    pg(f'CREATE DATABASE "{work}" TEMPLATE "{template}"')
    return work


# ---------------------------------------------------------------- measures


@contextmanager
def rolled_back(registry):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        env = env(context={"allowed_company_ids": company.ids,
                           "tracking_disable": True})
        try:
            yield env
        finally:
            cr.rollback()
            env.invalidate_all()


def measure(registry, func, runs, memory=True, warmup=True):
    """Median time of ``runs`` runs of ``func(env) -> count`` (each rolled back),
    queries of the last run, peak Python memory of one extra traced run. A first
    run, not counted, warms the caches (templates, ormcache) as a server that
    has been running does (``warmup``)."""
    times, queries, count = [], 0, None
    if warmup:
        with rolled_back(registry) as env:
            func(env)
            env.flush_all()
    for _i in range(runs):
        with rolled_back(registry) as env:
            env.cr.flush()
            before = env.cr.sql_log_count
            t0 = time.perf_counter()
            count = func(env)
            env.flush_all()
            times.append(time.perf_counter() - t0)
            queries = env.cr.sql_log_count - before
    peak = None
    if not memory:  # process peak RSS so far (no extra traced run)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if memory:
        with rolled_back(registry) as env:
            tracemalloc.start()
            func(env)
            env.flush_all()
            peak = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
    return {
        "seconds": statistics.median(times),
        "runs": runs,
        "queries": queries,
        "memory_mb": peak,
        "count": count,
    }


def _stub_letter(line, level, partner, recipient, items):
    return line.env["ir.attachment"].create(
        {
            "name": level._render_letter_filename(partner),
            "raw": b"%PDF-1.4 stub",
            "res_model": "res.partner",
            "res_id": partner.id,
            "mimetype": "application/pdf",
        }
    )


def _levels(env):
    strategy = env["dunning.strategy"]._get_company_default(env.company)
    return strategy, strategy._get_sorted_levels()


def m_evaluate(env):
    result = env["dunning.engine"]._evaluate(date=REF_DATE, company=env.company)
    return len(result.partners)


def m_wizard(env):
    strategy, levels = _levels(env)
    wizard = env["dunning.launch.wizard"].create(
        {"strategy_id": strategy.id, "level_id": levels[0].id, "date": REF_DATE}
    )
    return wizard.partner_count


def _batch_for(env, level, limit):
    result = env["dunning.engine"]._evaluate(date=REF_DATE, company=env.company)
    selection = dict(list(result.to_remind(level.id).items())[:limit])
    return env["dunning.batch"]._create_from_selection(
        selection,
        {"level_id": level.id, "strategy_id": level.strategy_id.id, "date": REF_DATE},
    )


def make_m_email(limit):
    def m_email(env):
        _strategy, levels = _levels(env)
        level = levels[0]  # email only
        batch = _batch_for(env, level, limit)
        env.flush_all()
        cls = type(env["dunning.batch.line"])
        t0 = time.perf_counter()
        with patch.object(cls, "_render_letter", _stub_letter):
            batch._execute()
            env.flush_all()
        m_email.rates.append(batch.sent_count / (time.perf_counter() - t0))
        m_email.sent = batch.sent_count
        if batch.failed_count:
            m_email.note = batch.line_ids.filtered(
                lambda ln: ln.state == "failed"
            )[:1].reason
        return batch.sent_count

    m_email.note = ""
    m_email.rates = []
    return m_email


def make_m_letter(limit):
    def m_letter(env):
        _strategy, levels = _levels(env)
        level = levels[0]  # everybody due is due for level 1: print its letter
        level.write({"print_letter": True, "send_email": False})
        batch = _batch_for(env, level, limit)
        env.flush_all()
        t0 = time.perf_counter()
        batch._execute()
        env.flush_all()
        m_letter.per_letter.append(
            (time.perf_counter() - t0) / max(batch.sent_count, 1)
        )
        failed = batch.line_ids.filtered(lambda ln: ln.state == "failed")
        m_letter.note = failed[:1].reason or ""
        m_letter.sent = batch.sent_count
        return batch.sent_count

    m_letter.note = ""
    m_letter.per_letter = []
    return m_letter


def m_cron(env):
    _strategy, levels = _levels(env)
    levels.write({"auto_execute": True})
    cls = type(env["dunning.batch.line"])
    model = env["dunning.batch"].with_context(dunning_no_queue_job=True)
    calls = 0
    with patch.object(cls, "_render_letter", _stub_letter):
        while True:
            calls += 1
            if not model._run_auto_follow_up(date=REF_DATE):
                break
    batches = env["dunning.batch"].search([("origin", "=", "cron")])
    m_cron.note = f"{calls} chunk call(s), {len(batches)} batch(es)"
    return sum(batches.mapped("sent_count"))


def load_plugins():
    plugins = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tools", "bench_plugins", "*.py"))):
        name = "bench_plugin_" + os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as error:  # noqa: BLE001
            log(f"plugin {path} not loaded: {error!r}")
            continue
        if callable(getattr(module, "measure", None)):
            plugins.append((os.path.basename(path), module))
    return plugins


def run_size(conf, n, k, runs, regenerate, email_limit, letter_limit, cron_runs):
    import odoo

    template, gen_seconds, stats = ensure_template(conf, n, k, regenerate)
    work = work_db_from(template)
    rows = []
    size = f"{n}x{k}"
    if gen_seconds is not None:
        rows.append(
            {
                "size": size, "label": "generation (template db, once)",
                "value": f"{gen_seconds:.1f} s", "runs": 1,
                "note": f"{stats['invoices']} invoices, {stats['overdue']} overdue, "
                f"{stats['paid']} paid, {stats['partial']} partially paid",
                "target": "< 180 s" if (n, k) == (2000, 10) else "",
            }
        )
    else:
        rows.append({"size": size, "label": "generation (template db, once)",
                     "value": "reused", "note": template})
    registry = odoo.modules.registry.Registry.new(work)
    try:
        res = measure(registry, m_evaluate, runs)
        rows.append(row(size, "engine evaluation, all customers", res,
                        f"{res['seconds']:.3f} s", f"{res['count']} customers",
                        TARGETS["evaluate"]))
        res = measure(registry, m_wizard, runs)
        rows.append(row(size, "launch wizard summary, level 1", res,
                        f"{res['seconds']:.3f} s", f"{res['count']} customers due",
                        TARGETS["wizard"]))
        # a throughput on a shared machine: a few more runs steady the median
        email_runs = max(runs, 5)
        email = make_m_email(email_limit)
        res = measure(registry, email, email_runs, memory=False)
        rate = statistics.median(email.rates[-email_runs:]) if email.sent else 0
        rows.append(row(size, "batch execution, email (letter PDF stubbed)", res,
                        f"{rate:.1f} customers/s",
                        f"{email.sent} customers per run; {email.note}".strip("; "),
                        TARGETS["email"]))
        letter = make_m_letter(letter_limit)
        res = measure(registry, letter, runs, memory=False)
        if letter.sent:
            value = f"{statistics.median(letter.per_letter[-runs:]):.3f} s/letter"
            note = f"{letter.sent} letters per run"
        else:
            value = "n/a"
            note = f"no PDF rendered: {letter.note}"
        rows.append(row(size, "batch execution, letter (real PDF)", res, value, note,
                        TARGETS["letter"]))
        res = measure(registry, m_cron, cron_runs, memory=False, warmup=False)
        rows.append(row(size, "full cron run, all levels automatic", res,
                        f"{res['seconds']:.2f} s",
                        f"{res['count']} customers reminded; {m_cron.note}; "
                        "letters stubbed",
                        ""))
        for name, plugin in load_plugins():
            try:
                with rolled_back(registry) as env:
                    results = plugin.measure(env) or []
            except Exception as error:  # noqa: BLE001
                rows.append({"size": size, "label": f"{name}", "value": "error",
                             "note": repr(error)[:120]})
                continue
            for item in results:
                seconds = item.get("seconds")
                rows.append(
                    {
                        "size": size,
                        "label": item.get("label", name),
                        "value": f"{seconds:.3f} s" if seconds is not None else "",
                        "runs": item.get("runs", ""),
                        "queries": item.get("queries", ""),
                        "memory_mb": item.get("memory_mb"),
                        "note": item.get("note", ""),
                        "target": item.get("target", ""),
                    }
                )
    finally:
        odoo.modules.registry.Registry.delete(work)
        drop_db(work)
    return rows


def row(size, label, res, value, note, target):
    return {
        "size": size, "label": label, "value": value, "runs": res["runs"],
        "queries": res["queries"], "memory_mb": res["memory_mb"], "note": note,
        "target": target, "seconds": res["seconds"],
    }


def render(rows, header):
    cols = ["size", "measure", "result", "median of", "SQL queries", "peak MB (*)",
            "target", "note"]
    lines = [header, "", "(*) peak Python allocations of the measure (tracemalloc), or "
             "the process peak RSS so far for the long measures", "",
             "| " + " | ".join(cols) + " |",
             "|" + "|".join("---" for _c in cols) + "|"]
    for r in rows:
        mem = r.get("memory_mb")
        cells = [
            r["size"], r["label"], r.get("value", ""), str(r.get("runs", "")),
            str(r.get("queries", "")), f"{mem:.1f}" if mem is not None else "",
            r.get("target", ""), r.get("note", ""),
        ]
        lines.append("| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=int(os.environ.get("N") or 2000))
    parser.add_argument("--k", type=int, default=int(os.environ.get("K") or 10))
    parser.add_argument("--sizes", help="comma-separated customer counts "
                        "(default: N and N/4)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cron-runs", type=int,
                        help="runs of the full cron measure (default: --runs)")
    parser.add_argument("--email-limit", type=int, default=200,
                        help="customers executed per email run")
    parser.add_argument("--letter-limit", type=int, default=10,
                        help="letters rendered per letter run")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    conf = prepare()
    import odoo

    odoo.tools.config.parse_config(["-c", conf, "--log-level=warn",
                                    "--max-cron-threads=0"])
    sizes = ([int(s) for s in args.sizes.split(",")] if args.sizes
             else [args.n, max(args.n // 4, 1)])
    t0 = time.perf_counter()
    rows = []
    for n in sizes:
        log(f"size {n} x {args.k}")
        rows += run_size(conf, n, args.k, max(args.runs, 1), args.regenerate,
                         args.email_limit, args.letter_limit,
                         max(args.cron_runs or args.runs, 1))
    cpu = os.cpu_count()
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    header = (
        f"account_dunning bench — {time.strftime('%Y-%m-%d %H:%M')}, {cpu} CPU(s), "
        f"reference date {REF_DATE}, process peak RSS {maxrss:.0f} MB, "
        f"total {time.perf_counter() - t0:.0f} s"
    )
    # growth: ratio of the largest to the smallest size for timed measures
    if len(sizes) > 1:
        big, small = f"{max(sizes)}x{args.k}", f"{min(sizes)}x{args.k}"
        by = {(r["size"], r["label"]): r for r in rows
              if "seconds" in r and r.get("value") != "n/a"}
        for (size, label), r in list(by.items()):
            if size != big or (small, label) not in by:
                continue
            base = by[(small, label)]["seconds"]
            if base:
                r["note"] += (f"; x{r['seconds'] / base:.1f} time for "
                              f"x{max(sizes) / min(sizes):.0f} customers")
    table = render(rows, header)
    print()
    print(table)
    os.makedirs(BUILD, exist_ok=True)
    with open(os.path.join(BUILD, "bench.md"), "w") as handle:
        handle.write(table + "\n")
    log(f"table written to {os.path.join(BUILD, 'bench.md')}")


if __name__ == "__main__":
    main()
