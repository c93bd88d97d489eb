#!/usr/bin/env python3
# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark of account_dunning on a synthetic database (``make bench``).

    make bench                 N=2000 customers x K=10 invoices, and N/4
    make bench N=500 K=10      other size
    make bench BENCH_ARGS="--runs 5 --sizes 500,2000,8000 --regenerate"
    make bench BENCH_ARGS="--only e2e --sizes 2000 --e2e-runs 3 --executors 2"

The synthetic data is generated once into a template database named after the
worktree, N, K and a hash of the module's models and data
(``adb_<tree>_tpl_<N>x<K>_<hash>``), with its filestore (the company logo).
Production settings: change tracking on, the company logo on the letters,
customers whose items already got level 1 or 2 (levels 2 and 3 are due).

Headline lines, end to end, nothing stubbed, on a fresh committed copy of the
template per run (database and filestore):

- "launch level 1 for every due customer, email with the letter attached":
  the launch wizard's button (``action_launch``) as the admin user, then
  ``--executors`` processes (default 2: the two cores) run the cron's entry
  point (``dunning.followup.auto._cron_run``) on the same database until no
  line is pending, as the cron workers (or queue_job runners) of a production
  server do;
- "daily automatic run, all levels": every level automatic, the executors run
  the cron's step for the reference date until no line is pending.

Secondary lines (labelled) roll back between repetitions: engine evaluation,
launch wizard summary, email with the letter stubbed, letters by the chunk
(``_dunning_render_letters``, with the memory of a 2,000-letter run), plugins.
The table is printed and written to ``.build/bench.md``.

Plugins: every ``tools/bench_plugins/*.py`` module that defines
``measure(env) -> list[dict]`` is called once per size with an environment
(superuser) on the work database; each dict has ``label``, ``seconds`` and
optionally ``queries``, ``note`` (and ``runs``, ``memory_mb``). The plugin may
write: everything is rolled back after it.
"""

import argparse
import base64
import glob
import hashlib
import importlib.util
import io
import json
import os
import random
import resource
import shutil
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
GENERATOR_VERSION = "2"  # bump when generate() changes: templates are rebuilt
# databases of this worktree only (several checkouts share the server)
TREE = hashlib.sha1(ROOT.encode()).hexdigest()[:6]
PREFIX = f"adb_{TREE}"

# targets on a 2-core machine (issues #7 and #17)
TARGETS = {
    "evaluate": "< 1 s",
    "wizard": "< 1 s",
    "email": ">= 50 customers/s",
    "letter": "<= 0.08 s/letter",
    "e2e": ">= 15 customers/s, <= 10 queries/customer",
    "memory": "peak RSS <= start + 100 MiB",
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
        "__manifest__.py",
        "*/*.py",
        "*/*.xml",
        "security/*.csv",
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


def filestore(name):
    import odoo

    return odoo.tools.config.filestore(name)


def drop_db(name):
    import odoo

    odoo.sql_db.close_db(name)
    pg(f'DROP DATABASE IF EXISTS "{name}"')
    shutil.rmtree(filestore(name), ignore_errors=True)


def rename_db(old, new):
    import odoo

    odoo.sql_db.close_db(old)
    pg(f'ALTER DATABASE "{old}" RENAME TO "{new}"')
    if os.path.isdir(filestore(old)):
        shutil.rmtree(filestore(new), ignore_errors=True)
        os.rename(filestore(old), filestore(new))


def copy_db(template, name):
    """``name``: a copy of ``template`` with its filestore (hard links: the
    filestore never rewrites a file in place)."""
    import odoo

    drop_db(name)
    odoo.sql_db.close_db(template)
    pg(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    if os.path.isdir(filestore(template)):
        shutil.copytree(filestore(template), filestore(name), copy_function=os.link)


def install_db(conf, name):
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        "-c",
        conf,
        "-d",
        name,
        "-i",
        "account_dunning",
        "--without-demo=all",
        "--stop-after-init",
        "--no-http",
        "--max-cron-threads=0",
        "--log-level=warn",
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
    env = env(
        context=dict(
            env.context,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
            allowed_company_ids=company.ids,
        )
    )
    company.write(
        {
            "email": company.email or "accounting@bench.example.com",
            "street": "12 rue de la République",
            "zip": "69002",
            "city": "Lyon",
            "phone": "+33 4 72 00 00 00",
            "vat": "FR32123456789",
            "logo": base64.b64encode(bench_logo()),
        }
    )
    strategy = env["dunning.strategy"]._get_company_default(company)
    levels = strategy._get_sorted_levels()
    levels.write({"auto_execute": False})
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
    # history: 25 % of the customers got level 1 ten days ago on the items then
    # overdue (level 2 due now), 15 % got level 2 twelve days ago (level 3 due)
    history = {}
    for partner in partners:
        draw = rng.random()
        if draw < 0.15:
            history[partner.id] = (levels[1].id, REF_DATE - timedelta(days=12), 22)
        elif draw < 0.40:
            history[partner.id] = (levels[0].id, REF_DATE - timedelta(days=10), 15)
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
                    {
                        "name": "Services",
                        "quantity": 1,
                        "price_unit": 100.0,
                        "tax_ids": [Command.clear()],
                    }
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
            level_id, level_date, min_days = history.get(partner.id, (None, None, 0))
            if level_id and (REF_DATE - due).days < min_days:
                level_id = level_date = None  # not overdue enough back then
            gen.append(
                (
                    idx,
                    partner.id,
                    invoice_date,
                    due,
                    amount,
                    residual,
                    paid,
                    level_id,
                    level_date,
                )
            )
    cr.execute(
        "CREATE TEMP TABLE bench_gen (idx int, partner_id int, invoice_date date, "
        "due date, amount numeric, residual numeric, paid varchar, level_id int, "
        "level_date date) ON COMMIT DROP"
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
        "account_move",
        "t",
        move_over,
        "FROM account_move t, bench_gen g WHERE t.id = %s",
        (template.id,),
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
        "dunning_level_id": f"CASE WHEN {receivable} THEN g.level_id END",
        "dunning_date": f"CASE WHEN {receivable} THEN g.level_date END",
        "dunning_marker_id": "NULL",
    }
    insert_copies(
        "account_move_line",
        "tl",
        line_over,
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
    return {
        "invoices": total,
        "overdue": overdue,
        "paid": paid,
        "partial": partial,
        "customers": n_customers,
        "included": len(included),
        "history": len(history),
    }


def bench_logo():
    """A 450 x 120 company logo with transparency (PNG), as uploaded."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (450, 120), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((10, 10, 110, 110), fill=(31, 97, 141, 255))
    draw.rectangle((130, 40, 440, 80), fill=(52, 73, 94, 230))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def ensure_template(conf, n, k, regenerate=False):
    import odoo
    from odoo import SUPERUSER_ID, api

    name = f"{PREFIX}_tpl_{n}x{k}_{module_hash()}"
    if db_exists(name) and not regenerate:
        log(f"template {name} exists: reused")
        return name, None, None
    # this worktree's templates of older versions of the module are dropped
    for (old,) in pg(
        "SELECT datname FROM pg_database WHERE datname LIKE %s " "OR datname LIKE %s",
        (f"{PREFIX}_tpl_{n}x{k}_%", f"{PREFIX}_base_%"),
        fetch=True,
    ):
        if not old.endswith(module_hash()):
            drop_db(old)
    drop_db(name)
    tmp = name + "_tmp"
    drop_db(tmp)
    base = f"{PREFIX}_base_{module_hash()}"
    t0 = time.perf_counter()
    if not db_exists(base):
        log(f"installing account_dunning into {base} (reused for every size)")
        drop_db(base + "_tmp")
        install_db(conf, base + "_tmp")
        rename_db(base + "_tmp", base)
    copy_db(base, tmp)
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
    rename_db(tmp, name)
    log(
        f"template {name}: {stats} in {gen_seconds:.1f}s "
        f"(install {install_seconds:.1f}s)"
    )
    return name, gen_seconds, stats


def work_db_from(template, suffix=""):
    work = template.replace("_tpl_", "_work_") + suffix
    copy_db(template, work)
    return work


# ---------------------------------------------------------------- measures


@contextmanager
def rolled_back(registry):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        # production settings: change tracking on
        env = env(context={"allowed_company_ids": company.ids})
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


def _stub_letters(report, letters):
    return [b"%PDF-1.4 stub" for _letter in letters]


def letters_stubbed(env):
    """Letter PDFs stubbed (the chunk rendering of the sending service)."""
    report_cls = type(env["ir.actions.report"])
    with patch.object(report_cls, "_dunning_render_letters", _stub_letters):
        yield


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
        t0 = time.perf_counter()
        with letters_stubbed(env):
            batch._execute()
            env.flush_all()
        m_email.rates.append(batch.sent_count / (time.perf_counter() - t0))
        m_email.sent = batch.sent_count
        if batch.failed_count:
            m_email.note = batch.line_ids.filtered(lambda ln: ln.state == "failed")[
                :1
            ].reason
        return batch.sent_count

    m_email.note = ""
    m_email.rates = []
    return m_email


def _letter_values(env, limit):
    """Letter values of up to ``limit`` customers due (levels 1 to 3), built
    once as the execution does (``_get_letter_values``)."""
    _strategy, levels = _levels(env)
    result = env["dunning.engine"]._evaluate(date=REF_DATE, company=env.company)
    report = env["report.account_dunning.report_dunning_letter"]
    letters = []
    for level in levels:
        for partner_id, items in result.to_remind(level.id).items():
            res = result.partners[partner_id]
            credits = [item for item in res.items if item.is_credit]
            letters.append(
                report._get_letter_values(
                    env["res.partner"].browse(partner_id),
                    level,
                    REF_DATE,
                    env.company,
                    items,
                    credits,
                )
            )
    letters.sort(key=lambda letter: letter["partner"].id)
    return letters[:limit]


def vm_rss_mb():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def make_m_letters(chunk):
    """Letters of one chunk rendered together (``_dunning_render_letters``):
    seconds per letter, values built beforehand."""

    def m_letters(env):
        letters = _letter_values(env, chunk)
        before = env.cr.sql_log_count
        t0 = time.perf_counter()
        pdfs = env["ir.actions.report"]._dunning_render_letters(letters)
        m_letters.per_letter.append((time.perf_counter() - t0) / max(len(pdfs), 1))
        m_letters.queries = env.cr.sql_log_count - before
        m_letters.count = len(pdfs)
        return len(pdfs)

    m_letters.per_letter = []
    m_letters.count = 0
    m_letters.queries = 0
    return m_letters


def letters_memory(registry, total, chunk):
    """RSS of the process over ``total`` letters rendered by chunks of
    ``chunk`` (the same letters again when fewer customers are due)."""
    with rolled_back(registry) as env:
        letters = _letter_values(env, total)
        if not letters:
            return None
        report = env["ir.actions.report"]
        report._dunning_render_letters(letters[:2])  # warm: fonts, templates
        start = peak = vm_rss_mb()
        done = 0
        t0 = time.perf_counter()
        while done < total:
            batch = letters[: min(chunk, total - done)]
            report._dunning_render_letters(batch)
            done += len(batch)
            peak = max(peak, vm_rss_mb())
        return {
            "start": start,
            "peak": peak,
            "end": vm_rss_mb(),
            "letters": done,
            "seconds": time.perf_counter() - t0,
        }


# ---------------------------------------------------------------- end to end


EXECUTOR_CODE = """
import json, sys, time
sys.path.insert(0, {tools!r})
import bench
print(json.dumps(bench.executor({conf!r}, {db!r}, {mode!r})), flush=True)
"""


def executor(conf, db, mode):
    """One executor (a cron worker): run the cron's step on ``db`` until no
    line is pending; returns its figures. ``mode``: ``launch`` (the pending
    lines of the launched batch) or ``daily`` (the automatic run of the
    reference date, planned by the first step)."""
    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(
        ["-c", conf, "--log-level=warn", "--max-cron-threads=0"]
    )
    registry = odoo.modules.registry.Registry(db)
    start_rss = peak_rss = vm_rss_mb()
    queries = steps = idle = 0
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    cron = None
    while True:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            if cron is None:
                cron = env.ref("account_dunning.ir_cron_dunning_auto_follow_up")
            model = env["dunning.followup.auto"].with_context(
                cron_id=cron.id, dunning_no_queue_job=True
            )
            before = cr.sql_log_count
            model._cron_run(date=REF_DATE if mode == "daily" else None)
            env.flush_all()
            queries += cr.sql_log_count - before
            cr.commit()
            steps += 1
            cr.execute(
                "SELECT count(*) FROM dunning_batch_line WHERE state = 'pending'"
            )
            pending = cr.fetchone()[0]
            cr.execute("SELECT count(*) FROM dunning_batch WHERE origin = 'cron'")
            planned = cr.fetchone()[0]
        peak_rss = max(peak_rss, vm_rss_mb())
        if pending == 0 and (mode != "daily" or planned):
            break
        if mode == "daily" and not planned:
            idle += 1
            if idle > 200:  # nobody due: nothing will ever be planned
                break
            time.sleep(0.05)
    return {
        "seconds": time.perf_counter() - t0,
        "queries": queries,
        "steps": steps,
        "cpu": time.process_time() - cpu0,
        "rss_start": start_rss,
        "rss_peak": peak_rss,
    }


def run_executors(conf, db, mode, count):
    code = EXECUTOR_CODE.format(
        tools=os.path.join(ROOT, "tools"), conf=conf, db=db, mode=mode
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True
        )
        for _i in range(count)
    ]
    results = []
    for proc in procs:
        out, _err = proc.communicate()
        if proc.returncode:
            raise RuntimeError(f"executor failed ({proc.returncode})")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def e2e_run(conf, template, mode, executors):
    """One end-to-end run on a fresh committed copy of the template."""
    import odoo
    from odoo import api

    work = work_db_from(template, "_e2e")
    registry = odoo.modules.registry.Registry.new(work)
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            _strategy, levels = _levels(env)
            if mode == "daily":
                levels.write({"auto_execute": True})
            admin = env.ref("base.user_admin")
            company = env.ref("base.main_company")
            cr.commit()
        wizard_seconds = None
        queries = 0
        t0 = time.perf_counter()
        cpu0 = time.process_time()
        if mode == "launch":
            with registry.cursor() as cr:
                # the user's click: the wizard's summary, then its button
                env = api.Environment(
                    cr, admin.id, {"allowed_company_ids": company.ids, "lang": "en_US"}
                )
                before = cr.sql_log_count
                strategy, levels = _levels(env)
                wizard = env["dunning.launch.wizard"].create(
                    {
                        "strategy_id": strategy.id,
                        "level_id": levels[0].id,
                        "date": REF_DATE,
                    }
                )
                wizard.action_launch()
                env.flush_all()
                queries += cr.sql_log_count - before
                cr.commit()
            wizard_seconds = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
        results = run_executors(conf, work, mode, executors)
        seconds = time.perf_counter() - t0
        queries += sum(r["queries"] for r in results)
        cpu += sum(r["cpu"] for r in results)
        with registry.cursor() as cr:
            cr.execute(
                """SELECT count(*) FILTER (WHERE l.state = 'sent'),
                          count(*) FILTER (WHERE l.state = 'failed'),
                          count(*) FILTER (WHERE l.state = 'pending'),
                          count(DISTINCT l.level_id) FILTER (WHERE l.state = 'sent'),
                          (SELECT count(*) FROM mail_mail),
                          (SELECT count(*) FROM ir_attachment
                            WHERE mimetype = 'application/pdf'
                              AND res_model = 'dunning.batch.line'),
                          (SELECT count(*) FROM ir_attachment
                            WHERE mimetype = 'application/pdf'
                              AND res_model = 'dunning.batch.line'
                              AND file_size < 1000)
                     FROM dunning_batch_line l"""
            )
            sent, failed, pending, levels_used, mails, pdfs, stubs = cr.fetchone()
        return {
            "seconds": seconds,
            "wizard_seconds": wizard_seconds,
            "sent": sent,
            "failed": failed,
            "pending": pending,
            "levels": levels_used,
            "mails": mails,
            "pdfs": pdfs,
            "stub_pdfs": stubs,
            "queries": queries,
            "cpu": cpu,
            "rss_growth": max(r["rss_peak"] - r["rss_start"] for r in results),
            "steps": sum(r["steps"] for r in results),
        }
    finally:
        odoo.modules.registry.Registry.delete(work)
        drop_db(work)


def e2e_rows(conf, template, size, runs, executors):
    rows = []
    labels = {
        "launch": "HEADLINE launch level 1 for every due customer, email with the "
        "letter attached (wizard button + cron executors)",
        "daily": "HEADLINE daily automatic run, all levels (cron executors)",
    }
    for mode in ("launch", "daily"):
        runs_data = []
        for index in range(runs):
            log(f"  end to end {mode}, run {index + 1}/{runs}, {executors} executor(s)")
            runs_data.append(e2e_run(conf, template, mode, executors))
        rates = [r["sent"] / r["seconds"] for r in runs_data if r["seconds"]]
        med = statistics.median(r["seconds"] for r in runs_data)
        last = runs_data[-1]
        spread = (
            max(r["seconds"] for r in runs_data)
            / max(min(r["seconds"] for r in runs_data), 1e-9)
            - 1
        ) * 100
        note = (
            f"{last['sent']} customers reminded, {statistics.median(rates):.1f} "
            f"customers/s, {last['queries'] / max(last['sent'], 1):.1f} "
            f"queries/customer, {last['cpu'] / max(last['sent'], 1):.3f} s Odoo CPU"
            f"/customer, load {os.getloadavg()[0]:.1f}, {last['mails']} emails, "
            f"{last['pdfs']} letter PDFs"
            f" ({last['stub_pdfs']} stubs), levels used: {last['levels']}, "
            f"{last['failed']} failed, {last['pending']} left pending; "
            f"{executors} executor(s), executor RSS growth "
            f"{last['rss_growth']:.0f} MiB; runs spread {spread:.0f} %"
        )
        if mode == "launch" and last["wizard_seconds"] is not None:
            note += f"; the wizard's button answered in {last['wizard_seconds']:.2f} s"
        rows.append(
            {
                "size": size,
                "label": labels[mode],
                "value": f"{med:.1f} s",
                "runs": runs,
                "queries": last["queries"],
                "memory_mb": None,
                "note": note,
                "target": TARGETS["e2e"],
                "seconds": med,
            }
        )
    return rows


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


def run_size(conf, n, k, args):
    import odoo

    template, gen_seconds, stats = ensure_template(conf, n, k, args.regenerate)
    rows = []
    size = f"{n}x{k}"
    if gen_seconds is not None:
        rows.append(
            {
                "size": size,
                "label": "generation (template db, once)",
                "value": f"{gen_seconds:.1f} s",
                "runs": 1,
                "note": f"{stats['invoices']} invoices, {stats['overdue']} overdue, "
                f"{stats['paid']} paid, {stats['partial']} partially paid, "
                f"{stats['history']} customers with a reminder history",
                "target": "",
            }
        )
    else:
        rows.append(
            {
                "size": size,
                "label": "generation (template db, once)",
                "value": "reused",
                "note": template,
            }
        )
    only = set(args.only.split(",")) if args.only else {"e2e", "secondary", "plugins"}
    if "e2e" in only:
        try:
            rows += e2e_rows(conf, template, size, args.e2e_runs, args.executors)
        except Exception as error:  # noqa: BLE001 - the table still printed
            log(f"end-to-end measures failed: {error!r}")
            rows.append(
                {
                    "size": size,
                    "label": "end to end",
                    "value": "error",
                    "note": repr(error)[:200],
                }
            )
    if not only & {"secondary", "plugins"}:
        return rows
    work = work_db_from(template)
    registry = odoo.modules.registry.Registry.new(work)
    runs = args.runs
    try:
        if "secondary" in only:
            try:
                rows += secondary_rows(registry, size, runs, args)
            except Exception as error:  # noqa: BLE001 - the table still printed
                log(f"secondary measures failed: {error!r}")
                rows.append(
                    {
                        "size": size,
                        "label": "secondary measures",
                        "value": "error",
                        "note": repr(error)[:200],
                    }
                )
        if "plugins" in only:
            rows += plugin_rows(registry, size)
    finally:
        odoo.modules.registry.Registry.delete(work)
        drop_db(work)
    return rows


def secondary_rows(registry, size, runs, args):
    rows = []
    res = measure(registry, m_evaluate, runs)
    rows.append(
        row(
            size,
            "engine evaluation, all customers",
            res,
            f"{res['seconds']:.3f} s",
            f"{res['count']} customers",
            TARGETS["evaluate"],
        )
    )
    res = measure(registry, m_wizard, runs)
    rows.append(
        row(
            size,
            "launch wizard summary, level 1",
            res,
            f"{res['seconds']:.3f} s",
            f"{res['count']} customers due",
            TARGETS["wizard"],
        )
    )
    letters = make_m_letters(args.letter_chunk)
    res = measure(registry, letters, runs, memory=False)
    res["queries"] = letters.queries  # of the rendering, not of the values
    rows.append(
        row(
            size,
            "letters by the chunk (_dunning_render_letters, real PDF)",
            res,
            f"{statistics.median(letters.per_letter[-runs:]):.3f} s/letter",
            f"{letters.count} letters per chunk, values built beforehand",
            TARGETS["letter"],
        )
    )
    memory = letters_memory(registry, args.memory_letters, args.letter_chunk)
    if memory:
        rows.append(
            {
                "size": size,
                "label": f"letters memory over {memory['letters']} letters",
                "value": f"+{memory['peak'] - memory['start']:.0f} MiB",
                "runs": 1,
                "memory_mb": memory["peak"],
                "note": f"RSS {memory['start']:.0f} MiB at start, peak "
                f"{memory['peak']:.0f}, end {memory['end']:.0f}; "
                f"{memory['seconds'] / memory['letters']:.3f} s/letter",
                "target": TARGETS["memory"],
            }
        )
    email_runs = max(runs, 5)
    email = make_m_email(args.email_limit)
    res = measure(registry, email, email_runs, memory=False)
    rate = statistics.median(email.rates[-email_runs:]) if email.sent else 0
    rows.append(
        row(
            size,
            "(secondary, stubbed) batch execution, email, letter PDF " "stubbed",
            res,
            f"{rate:.1f} customers/s",
            f"{email.sent} customers per run; {email.note}".strip("; "),
            TARGETS["email"],
        )
    )
    return rows


def plugin_rows(registry, size):
    rows = []
    for name, plugin in load_plugins():
        try:
            with rolled_back(registry) as env:
                results = plugin.measure(env) or []
        except Exception as error:  # noqa: BLE001
            rows.append(
                {
                    "size": size,
                    "label": f"{name}",
                    "value": "error",
                    "note": repr(error)[:120],
                }
            )
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
                    "seconds": seconds,
                }
            )
    return rows


def row(size, label, res, value, note, target):
    return {
        "size": size,
        "label": label,
        "value": value,
        "runs": res["runs"],
        "queries": res["queries"],
        "memory_mb": res["memory_mb"],
        "note": note,
        "target": target,
        "seconds": res["seconds"],
    }


def render(rows, header):
    cols = [
        "size",
        "measure",
        "result",
        "median of",
        "SQL queries",
        "peak MB (*)",
        "target",
        "note",
    ]
    lines = [
        header,
        "",
        "(*) peak Python allocations of the measure (tracemalloc), or "
        "the process peak RSS so far for the long measures",
        "",
        "| " + " | ".join(cols) + " |",
        "|" + "|".join("---" for _c in cols) + "|",
    ]
    for r in rows:
        mem = r.get("memory_mb")
        cells = [
            r["size"],
            r["label"],
            r.get("value", ""),
            str(r.get("runs", "")),
            str(r.get("queries", "")),
            f"{mem:.1f}" if mem is not None else "",
            r.get("target", ""),
            r.get("note", ""),
        ]
        lines.append("| " + " | ".join(str(c).replace("|", "/") for c in cells) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=int(os.environ.get("N") or 2000))
    parser.add_argument("--k", type=int, default=int(os.environ.get("K") or 10))
    parser.add_argument(
        "--sizes", help="comma-separated customer counts " "(default: N and N/4)"
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="runs of the rolled back (secondary) measures",
    )
    parser.add_argument(
        "--e2e-runs",
        type=int,
        default=3,
        help="runs of each end-to-end measure (fresh database each)",
    )
    parser.add_argument(
        "--executors",
        type=int,
        default=2,
        help="processes running the cron's step (end to end)",
    )
    parser.add_argument(
        "--email-limit", type=int, default=200, help="customers executed per email run"
    )
    parser.add_argument(
        "--letter-chunk",
        type=int,
        default=100,
        help="letters rendered together (a chunk)",
    )
    parser.add_argument(
        "--memory-letters", type=int, default=2000, help="letters of the memory measure"
    )
    parser.add_argument("--only", help="comma-separated: e2e, secondary, plugins")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    conf = prepare()
    import odoo

    odoo.tools.config.parse_config(
        ["-c", conf, "--log-level=warn", "--max-cron-threads=0"]
    )
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else [args.n, max(args.n // 4, 1)]
    )
    t0 = time.perf_counter()
    rows = []
    for n in sizes:
        log(f"size {n} x {args.k}")
        rows += run_size(conf, n, args.k, args)
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
        by = {
            (r["size"], r["label"]): r
            for r in rows
            if "seconds" in r and r.get("value") != "n/a"
        }
        for (size, label), r in list(by.items()):
            if size != big or (small, label) not in by:
                continue
            base = by[(small, label)]["seconds"]
            if base:
                r["note"] += (
                    f"; x{r['seconds'] / base:.1f} time for "
                    f"x{max(sizes) / min(sizes):.0f} customers"
                )
    table = render(rows, header)
    print()
    print(table)
    os.makedirs(BUILD, exist_ok=True)
    with open(os.path.join(BUILD, "bench.md"), "w") as handle:
        handle.write(table + "\n")
    log(f"table written to {os.path.join(BUILD, 'bench.md')}")


if __name__ == "__main__":
    main()
