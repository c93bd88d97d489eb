#!/usr/bin/env bash
# Install / upgrade / uninstall cycle of account_dunning (make lifecycle).
#
#   1. fresh database with `account` only, customer invoices posted BEFORE
#      account_dunning is installed
#   2. install account_dunning, launch the first level (one batch)
#   3. upgrade (-u account_dunning): the batches and reminders are kept
#   4. uninstall: the module's tables and columns are gone, partners and
#      invoices still read fine
#   5. every log of the cycle is checked: no ERROR/CRITICAL line
#
# Environment: PYTHON (python3), LIFECYCLE_DB (account_dunning_lifecycle),
# KEEP_DB=1 keeps the database.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
# Odoo and PostgreSQL checks, build layout, .build/odoo.conf, db helpers
source "$ROOT/tools/harness.sh"
LOG_DIR="$BUILD/logs/lifecycle"
DB="${LIFECYCLE_DB:-${MODULE}_lifecycle}"
valid_db_name "$DB"
check_odoo
check_pg
prepare_build
mkdir -p "$LOG_DIR"
ARGS=(-c "$CONF" -d "$DB" --no-http --max-cron-threads=0)

run_odoo() {  # run_odoo STEP args...
    local step="$1"
    shift
    say "$step: odoo $*"
    "${ODOO[@]}" "${ARGS[@]}" "$@" --stop-after-init --log-level=info --logfile="$LOG_DIR/$step.log" \
        || die "$step failed (log: $LOG_DIR/$step.log)"
}

run_shell() {  # run_shell STEP < python code
    local step="$1"
    say "$step: odoo shell"
    "${ODOO[@]}" shell "${ARGS[@]}" --log-level=info --logfile="$LOG_DIR/$step.log" \
        >"$LOG_DIR/$step.out" 2>&1 || { cat "$LOG_DIR/$step.out"; die "$step failed"; }
    grep '^LIFECYCLE' "$LOG_DIR/$step.out" || { cat "$LOG_DIR/$step.out"; die "$step printed nothing"; }
    if grep -q '^LIFECYCLE FAIL' "$LOG_DIR/$step.out"; then die "$step: check failed"; fi
}

rm -f "$LOG_DIR"/*.log "$LOG_DIR"/*.out
drop_db "$DB" "$BUILD/logs/drop-$DB.log"

run_odoo 1-install-account -i account --without-demo=all

run_shell 2-invoices-before-module <<'PY'
from odoo import Command
partners = env["res.partner"].create([
    {"name": f"Lifecycle Customer {i}", "is_company": True,
     "email": f"customer{i}@example.com"} for i in range(3)
])
moves = env["account.move"].create([
    {"move_type": "out_invoice", "partner_id": p.id,
     "invoice_date": "2026-04-01", "invoice_date_due": "2026-04-27",
     "invoice_line_ids": [Command.create({"name": "Service", "quantity": 1,
                                          "price_unit": 1000.0 * (i + 1),
                                          "tax_ids": [Command.clear()]})]}
    for i, p in enumerate(partners)
])
moves.action_post()
env.cr.commit()
print("LIFECYCLE invoices posted before install:", len(moves),
      "total", sum(moves.mapped("amount_residual")))
PY

run_odoo 3-install-module -i "$MODULE" --without-demo=all

run_shell 4-launch <<'PY'
partners = env["res.partner"].search([("name", "like", "Lifecycle Customer")])
partners.write({"dunning_included": True})
wizard = env["dunning.launch.wizard"].create({"date": "2026-06-01"})
batch = wizard._launch()  # real letters (WeasyPrint, a requirement of the module)
env.cr.commit()
print("LIFECYCLE launch:", batch.display_name, "state", batch.state,
      "customers", batch.partner_count, "sent", batch.sent_count,
      "failed", batch.failed_count)
for line in batch.line_ids.filtered(lambda ln: ln.state != "sent"):
    print("LIFECYCLE line", line.partner_id.name, line.state, line.reason)
print("LIFECYCLE batches", env["dunning.batch"].search_count([]),
      "lines", env["dunning.batch.line"].search_count([]),
      "reminded items", env["account.move.line"].search_count([("dunning_level_id", "!=", False)]))
if batch.sent_count != 3:
    print("LIFECYCLE FAIL: expected 3 customers reminded")
PY
before="$(grep '^LIFECYCLE batches' "$LOG_DIR/4-launch.out")"

run_odoo 5-upgrade -u "$MODULE"

run_shell 6-after-upgrade <<'PY'
print("LIFECYCLE batches", env["dunning.batch"].search_count([]),
      "lines", env["dunning.batch.line"].search_count([]),
      "reminded items", env["account.move.line"].search_count([("dunning_level_id", "!=", False)]))
PY
after="$(grep '^LIFECYCLE batches' "$LOG_DIR/6-after-upgrade.out")"
[ "$before" = "$after" ] || die "upgrade changed the data: '$before' -> '$after'"
say "upgrade kept the data: $after"

run_shell 7-uninstall <<'PY'
module = env["ir.module.module"].search([("name", "=", "account_dunning")])
module.button_immediate_uninstall()
env.cr.commit()
print("LIFECYCLE module state:", module.state)
PY

run_shell 8-after-uninstall <<'PY'
env.cr.execute("SELECT to_regclass('dunning_batch'), to_regclass('dunning_level')")
tables = env.cr.fetchone()
env.cr.execute("""SELECT table_name, column_name FROM information_schema.columns
                   WHERE column_name LIKE 'dunning%%'
                     AND table_name IN ('res_partner', 'account_move', 'account_move_line')""")
columns = env.cr.fetchall()
partners = env["res.partner"].search([("name", "like", "Lifecycle Customer")])
moves = env["account.move"].search([("partner_id", "in", partners.ids)])
partners.read()
moves.read(["name", "amount_residual", "payment_state", "state"])
print("LIFECYCLE after uninstall: tables", tables, "columns", columns)
print("LIFECYCLE partners", len(partners), "invoices", len(moves),
      "residual", sum(moves.mapped("amount_residual")), "states", set(moves.mapped("state")))
print("LIFECYCLE models left:", env["ir.model"].search_count([("model", "like", "dunning.")]),
      "xmlids left:", env["ir.model.data"].search_count([("module", "=", "account_dunning")]))
if any(tables) or columns or len(moves) != 3:
    print("LIFECYCLE FAIL: module data left or invoices broken")
PY

say "checking the logs for ERROR / CRITICAL"
if grep -nE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$LOG_DIR"/*.log; then
    die "the cycle logged errors (logs in $LOG_DIR)"
fi
warnings="$(grep -hE '^[0-9-]+ [0-9:,]+ [0-9]+ WARNING .*account_dunning' "$LOG_DIR"/*.log || true)"
if [ -n "$warnings" ]; then
    printf '%s\n' "$warnings"
    die "account_dunning logged warnings"
fi
say "lifecycle OK: no ERROR in $(ls "$LOG_DIR"/*.log | wc -l) logs ($LOG_DIR)"
[ "${KEEP_DB:-0}" = 1 ] || drop_db "$DB" "$BUILD/logs/drop-$DB.log"
