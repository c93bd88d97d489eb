#!/usr/bin/env bash
# Test / demo harness of the account_dunning Odoo 18 addon (called by the Makefile).
#
#   tools/harness.sh check        Odoo 18 importable + PostgreSQL answering
#   tools/harness.sh deps         install requirements*.txt into $PYTHON when missing
#   tools/harness.sh test         fresh db, install the module, run pytest, drop the db
#   tools/harness.sh db           (re)create a kept dev db with the module installed
#   tools/harness.sh demo         (re)create the demo db (with demo data) and serve it
#   tools/harness.sh clean-dbs    drop leftover account_dunning_test_* databases
#   tools/harness.sh prepare      check Odoo/PostgreSQL, write .build/odoo.conf (used by bench)
#   source tools/harness.sh       its functions (check_odoo, check_pg, prepare_build,
#                                 db_exists, drop_db, say, die) for the other tools
#
# Environment (all optional):
#   PYTHON        interpreter that runs Odoo (default python3)
#   DB            database name (test: unique account_dunning_test_<stamp>_<pid>;
#                 db/retest: account_dunning_dev). An existing DB is DROPPED first
#                 unless REUSE_DB=1.
#   KEEP_DB=1     do not drop the test database at the end
#   REUSE_DB=1    test an existing database: update the module (-u) instead of
#                 creating the database and installing it (implies KEEP_DB=1)
#   TESTS         test path(s), relative to .build/addons (default account_dunning/tests)
#   PYTEST_ARGS   extra pytest arguments, e.g. "-k engine -x" (shell-quoted)
#   ODOO_HTTP_PORT  port of Odoo's HTTP server during tests (default 8069)
#   ODOO_HTTP=0   do not start Odoo's HTTP server during tests (HttpCase are then skipped)
#   ODOO_LOG_LEVEL  Odoo log level during pytest (default warn)
#   LOAD_LANGUAGE   e.g. fr_FR: extra languages loaded when installing the test/dev db
#                 (en_US is put first so that it stays the default language)
#   EXTRA_ADDONS    comma-separated extra addons folders (prepended to the addons path)
#   EXTRA_MODULES   comma-separated modules installed with account_dunning in the
#                 test/dev db (e.g. queue_job, to test the queue_job path)
#   DEMO_DB / DEMO_HOST / DEMO_PORT   demo settings (account_dunning_demo, 127.0.0.1, 8069)
#   DEMO_LANGS    languages loaded in the demo db, first = default (fr_FR,en_US)
#   DEMO_MODULES  modules installed before the demo (default l10n_fr_account, the
#                 French chart of accounts of the demo company; "none": none)
set -euo pipefail

MODULE=account_dunning
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
PYTHON="${PYTHON:-python3}"
BUILD="$ROOT/.build"
ADDONS_DIR="$BUILD/addons"
DATA_DIR="$BUILD/data"
LOG_DIR="$BUILD/logs"
CONF="$BUILD/odoo.conf"

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore

say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() {
    printf '\nERROR: %s\n' "$1" >&2
    shift || true
    for line in "$@"; do printf '       %s\n' "$line" >&2; done
    exit 1
}

# ---------------------------------------------------------------- environment
ODOO_DIR=""
ODOO=()

check_odoo() {
    command -v "$PYTHON" >/dev/null 2>&1 \
        || die "Python interpreter '$PYTHON' not found." "Set PYTHON=/path/to/python that has Odoo 18 installed."
    local out rc=0
    out="$("$PYTHON" - <<'EOF' 2>&1
import os, sys
try:
    import odoo
    from odoo import release
except Exception as exc:  # noqa: BLE001
    print("cannot import odoo: %r" % (exc,))
    sys.exit(3)
if release.version_info[0] != 18:
    print("found Odoo %s in %s, but account_dunning needs Odoo 18.0"
          % (release.version, os.path.dirname(odoo.__file__)))
    sys.exit(4)
print(os.path.dirname(os.path.abspath(odoo.__file__)))
EOF
    )" || rc=$?
    if [ "$rc" -ne 0 ]; then
        die "Odoo 18 is not usable with PYTHON=$PYTHON ($("$PYTHON" -c 'import sys; print(sys.executable)' 2>/dev/null))." \
            "$(printf '%s' "$out" | tail -n 3)" \
            "Install Odoo 18.0 Community into that interpreter (e.g. 'pip install -e <odoo 18 checkout>')," \
            "or point PYTHON to an interpreter that has it. This project does not install Odoo itself."
    fi
    ODOO_DIR="$(printf '%s\n' "$out" | tail -n 1)"
    if "$PYTHON" -m odoo --version >/dev/null 2>&1; then
        ODOO=("$PYTHON" -m odoo)
    elif [ -f "$(dirname "$ODOO_DIR")/odoo-bin" ]; then
        ODOO=("$PYTHON" "$(dirname "$ODOO_DIR")/odoo-bin")
    else
        die "Odoo found in $ODOO_DIR but neither '$PYTHON -m odoo' nor odoo-bin works."
    fi
}

pg_answering() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -t 3 >/dev/null 2>&1
    else
        "$PYTHON" -c "import psycopg2; psycopg2.connect(dbname='postgres', connect_timeout=3).close()" >/dev/null 2>&1
    fi
}

check_pg() {
    if ! pg_answering; then
        if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
            say "PostgreSQL is not answering: trying to start the local cluster(s) with pg_ctlcluster"
            local d ver cluster
            for d in /etc/postgresql/*/*/; do
                [ -f "$d/postgresql.conf" ] || continue
                ver="$(basename "$(dirname "$d")")"
                cluster="$(basename "$d")"
                say "  pg_ctlcluster --skip-systemctl-redirect $ver $cluster start"
                pg_ctlcluster --skip-systemctl-redirect "$ver" "$cluster" start || true
            done
            local i
            for i in $(seq 1 30); do pg_answering && break; sleep 1; done
        fi
        pg_answering || die "PostgreSQL is not answering (pg_isready failed)." \
            "Start a PostgreSQL server (>= 12) reachable through the default socket or PGHOST/PGPORT," \
            "with a role named after the current user (not 'postgres') that may create databases."
    fi
    local out rc=0
    out="$("$PYTHON" - <<'EOF' 2>&1
import sys
import psycopg2
try:
    conn = psycopg2.connect(dbname="postgres", connect_timeout=5)
except Exception as exc:  # noqa: BLE001
    print("cannot connect to PostgreSQL: %s" % str(exc).strip())
    sys.exit(2)
cur = conn.cursor()
cur.execute("SELECT current_user, rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user")
user, can_create = cur.fetchone()
if user == "postgres":
    print("Odoo refuses to run with the 'postgres' role: use another role (PGUSER)")
    sys.exit(3)
if not can_create:
    print("role %r may not create databases (ALTER ROLE %s CREATEDB)" % (user, user))
    sys.exit(4)
EOF
    )" || rc=$?
    [ "$rc" -eq 0 ] || die "PostgreSQL is answering but not usable: $out"
}

# ---------------------------------------------------------------- build dir
prepare_build() {
    mkdir -p "$ADDONS_DIR" "$DATA_DIR" "$LOG_DIR"
    local link="$ADDONS_DIR/$MODULE"
    if [ -e "$link" ] && [ ! -L "$link" ]; then
        die "$link exists and is not a symlink; remove it (make clean)."
    fi
    # Always re-point it: a copied checkout carries a link to the old place.
    ln -sfn "$ROOT" "$link"
    local addons="$ODOO_DIR/addons"
    if [ -d "$(dirname "$ODOO_DIR")/addons" ]; then
        addons="$addons,$(dirname "$ODOO_DIR")/addons"   # git-source layout
    fi
    if [ -n "${EXTRA_ADDONS:-}" ]; then
        addons="$EXTRA_ADDONS,$addons"
    fi
    addons="$addons,$ADDONS_DIR"
    cat >"$CONF" <<EOF
# Generated by tools/harness.sh -- do not edit, it is rewritten on every run.
[options]
addons_path = $addons
data_dir = $DATA_DIR
list_db = True
max_cron_threads = 0
http_port = ${ODOO_HTTP_PORT:-8069}
EOF
}

# ---------------------------------------------------------------- deps
deps() {
    [ -n "$ODOO_DIR" ] || check_odoo
    mkdir -p "$BUILD"
    local key stamp
    key="$({ cat "$ROOT/requirements.txt" "$ROOT/requirements-test.txt";
             "$PYTHON" -c 'import sys; print(sys.executable, sys.version)'; } \
           | sha256sum | cut -c1-16)"
    stamp="$BUILD/deps-$key.stamp"
    if [ -f "$stamp" ] && harfbuzz_subset_present; then
        return 0
    fi
    "$PYTHON" -m pip --version >/dev/null 2>&1 || die "pip is not available for $PYTHON."
    say "installing Python requirements into $("$PYTHON" -c 'import sys; print(sys.executable)')"
    "$PYTHON" -m pip install --progress-bar off -q \
        -r "$ROOT/requirements.txt" -r "$ROOT/requirements-test.txt" \
        || die "pip install of requirements.txt / requirements-test.txt failed."
    ensure_weasyprint_libs
    local out rc=0
    out="$("$PYTHON" -c 'import pytest, pytest_odoo, freezegun, pypdf, weasyprint' 2>&1)" || rc=$?
    [ "$rc" -eq 0 ] || die "requirements installed but not importable:" "$(printf '%s' "$out" | tail -n 3)"
    rm -f "$BUILD"/deps-*.stamp
    touch "$stamp"
    say "Python requirements OK"
}

weasyprint_works() {
    "$PYTHON" -c "import weasyprint; weasyprint.HTML(string='<p>ok</p>').write_pdf()" >/dev/null 2>&1
}

harfbuzz_subset_present() {
    ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset\.so\.0'
}

ensure_weasyprint_libs() {
    # without HarfBuzz-Subset, WeasyPrint subsets the fonts in Python: letters
    # take about four times longer (and it warns at every start)
    weasyprint_works && harfbuzz_subset_present && return 0
    # WeasyPrint needs Pango (>= 1.44) from the system.
    local pkgs=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core) missing=() p
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        for p in "${pkgs[@]}"; do
            dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
        done
        if [ "${#missing[@]}" -gt 0 ]; then
            say "weasyprint needs Debian packages: installing ${missing[*]}"
            say "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
            DEBIAN_FRONTEND=noninteractive apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
        fi
    fi
    weasyprint_works || die "weasyprint is installed but cannot render a PDF:" \
        "$("$PYTHON" -c "import weasyprint; weasyprint.HTML(string='x').write_pdf()" 2>&1 | tail -n 2)" \
        "Install Pango >= 1.44 (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)."
}

# ---------------------------------------------------------------- db helpers
valid_db_name() {
    [[ "$1" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] || die "invalid database name '$1'"
}

db_exists() {
    "$PYTHON" - "$1" <<'EOF' >/dev/null 2>&1
import sys, psycopg2
conn = psycopg2.connect(dbname="postgres")
cur = conn.cursor()
cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (sys.argv[1],))
sys.exit(0 if cur.fetchone() else 1)
EOF
}

drop_db() {  # drop_db NAME LOGFILE -- drops the database and its filestore
    local name="$1" log="$2"
    if db_exists "$name"; then
        "${ODOO[@]}" db -c "$CONF" drop "$name" >>"$log" 2>&1 || true
        if db_exists "$name"; then
            say "WARNING: could not drop database $name (see $log)"
            return 1
        fi
    fi
    rm -rf "${DATA_DIR:?}/filestore/$name"
}

# install_module DB LOGFILE [extra odoo args...]: fresh install, log checked
install_module() {
    local db="$1" log="$2"
    shift 2
    : >"$log"
    : >"$log.stderr"
    local t0=$SECONDS rc=0
    "${ODOO[@]}" -c "$CONF" -d "$db" "$@" --stop-after-init --no-http \
        --max-cron-threads=0 --log-level=info --logfile="$log" 2>>"$log.stderr" || rc=$?
    local secs=$((SECONDS - t0))
    local check_rc=0
    "$PYTHON" "$ROOT/tools/check_install_log.py" --module "$MODULE" "$log" || check_rc=$?
    if [ "$rc" -ne 0 ]; then
        printf '\nOdoo exited with code %s.\n' "$rc" >&2
        if [ "$check_rc" -eq 0 ]; then   # nothing shown yet: show the end of the log
            printf 'Last lines of %s:\n' "$log" >&2
            tail -n 25 "$log" >&2
        fi
        if [ -s "$log.stderr" ]; then tail -n 10 "$log.stderr" >&2; fi
    fi
    if [ "$rc" -ne 0 ] || [ "$check_rc" -ne 0 ]; then
        return 1
    fi
    say "module installed in ${secs}s, install log clean ($log)"
}

# The first language loaded into a new database becomes its default language
# (res.lang.install_lang): keep en_US first unless the list already has it.
with_en_us() {
    case ",$1," in
        *,en_US,*) printf '%s' "$1" ;;
        *) printf 'en_US,%s' "$1" ;;
    esac
}

# ---------------------------------------------------------------- test
cmd_test() {
    check_odoo
    check_pg
    deps
    prepare_build

    local reuse="${REUSE_DB:-0}" keep="${KEEP_DB:-0}"
    local default_db="${MODULE}_test_$(date +%Y%m%d_%H%M%S)_$$"
    [ "$reuse" = 1 ] && { default_db="${MODULE}_dev"; keep=1; }
    TEST_DB="${DB:-$default_db}"
    valid_db_name "$TEST_DB"
    local log="$LOG_DIR/install-$TEST_DB.log"
    TEST_KEEP="$keep"
    TEST_DB_CREATED=0
    TEST_DROP_LOG="$LOG_DIR/drop-$TEST_DB.log"
    trap cleanup_test EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    local langs=()
    [ -n "${LOAD_LANGUAGE:-}" ] && langs=(--load-language="$(with_en_us "$LOAD_LANGUAGE")")
    if [ "$reuse" = 1 ]; then
        db_exists "$TEST_DB" || die "REUSE_DB=1 but database $TEST_DB does not exist (make db DB=$TEST_DB)."
        say "updating $MODULE in existing database $TEST_DB (log: $log)"
        install_module "$TEST_DB" "$log" -u "$MODULE" "${langs[@]}" \
            || die "module update failed (see above, full log: $log)"
    else
        if db_exists "$TEST_DB"; then
            say "database $TEST_DB exists: dropping it first"
            drop_db "$TEST_DB" "$TEST_DROP_LOG" || die "cannot drop $TEST_DB"
        fi
        say "creating database $TEST_DB and installing $MODULE without demo data (log: $log)"
        TEST_DB_CREATED=1
        install_module "$TEST_DB" "$log" -i "$MODULE${EXTRA_MODULES:+,$EXTRA_MODULES}" --without-demo=all "${langs[@]}" \
            || die "installing $MODULE failed (see above, full log: $log)"
    fi

    local extra=() tests=()
    if [ -n "${PYTEST_ARGS:-}" ]; then
        eval "extra=(${PYTEST_ARGS})"
    fi
    read -r -a tests <<<"${TESTS:-$MODULE/tests}"
    local args=(-m pytest -p no:cacheprovider -p odoo_harness_plugin -ra
        --odoo-config="$CONF" --odoo-database="$TEST_DB"
        --odoo-log-level="${ODOO_LOG_LEVEL:-warn}"
        --junitxml="$LOG_DIR/junit-$TEST_DB.xml")
    [ "${ODOO_HTTP:-1}" = 1 ] && args+=(--odoo-http)
    say "running: (cd $ADDONS_DIR && $PYTHON ${args[*]} ${tests[*]} ${extra[*]})"
    local rc=0
    (cd "$ADDONS_DIR" \
        && export PYTHONPATH="$ROOT/tools/pytest_plugins${PYTHONPATH:+:$PYTHONPATH}" \
        && "$PYTHON" "${args[@]}" "${tests[@]}" "${extra[@]}") || rc=$?
    case "$rc" in
        0) TEST_RESULT="tests passed" ;;
        5) TEST_RESULT="no tests were collected (pytest exit 5)" ;;
        *) TEST_RESULT="pytest failed (exit $rc)" ;;
    esac
    [ "$rc" -eq 0 ] || die "$TEST_RESULT"
}

cleanup_test() {
    local rc=$?
    trap - EXIT INT TERM
    if [ "${TEST_DB_CREATED:-0}" = 1 ]; then
        if [ "${TEST_KEEP:-0}" = 1 ]; then
            say "keeping database $TEST_DB (KEEP_DB=1)"
        else
            drop_db "$TEST_DB" "$TEST_DROP_LOG" >/dev/null 2>&1 || true
            if db_exists "$TEST_DB"; then
                say "WARNING: database $TEST_DB could not be dropped"
            else
                say "dropped database $TEST_DB"
            fi
        fi
    fi
    exit "$rc"
}

# ---------------------------------------------------------------- db (dev)
cmd_db() {
    check_odoo
    check_pg
    deps
    prepare_build
    local db="${DB:-${MODULE}_dev}" log
    valid_db_name "$db"
    log="$LOG_DIR/install-$db.log"
    drop_db "$db" "$LOG_DIR/drop-$db.log" || die "cannot drop $db"
    say "creating database $db with $MODULE installed, no demo data (log: $log)"
    local langs=()
    [ -n "${LOAD_LANGUAGE:-}" ] && langs=(--load-language="$(with_en_us "$LOAD_LANGUAGE")")
    install_module "$db" "$log" -i "$MODULE${EXTRA_MODULES:+,$EXTRA_MODULES}" --without-demo=all "${langs[@]}" \
        || die "installing $MODULE failed (full log: $log)"
    say "database $db ready; run the tests on it with: make retest DB=$db"
}

# ---------------------------------------------------------------- demo
cmd_demo() {
    check_odoo
    check_pg
    deps
    prepare_build
    local db="${DEMO_DB:-${MODULE}_demo}" host="${DEMO_HOST:-127.0.0.1}" port="${DEMO_PORT:-8069}"
    valid_db_name "$db"
    local log="$LOG_DIR/install-$db.log"
    "$PYTHON" - "$host" "$port" <<'EOF' || die "port $host:$port is already in use (stop the other server or set DEMO_PORT=...)."
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind((sys.argv[1], int(sys.argv[2])))
except OSError:
    sys.exit(1)
EOF
    if db_exists "$db"; then
        say "dropping existing demo database $db"
        drop_db "$db" "$LOG_DIR/drop-$db.log" || die "cannot drop $db (is a server still using it?)"
    fi
    # The first language is the database default (res.lang.install_lang).
    local langs="${DEMO_LANGS:-fr_FR,en_US}"
    # The demo company is French: its chart of accounts (l10n_fr_account) is
    # installed first, for the demo only (it is no dependency of $MODULE).
    local modules="${DEMO_MODULES:-l10n_fr_account}"
    [ "$modules" = none ] && modules=""
    if [ -n "$modules" ]; then
        say "creating database $db with $modules and demo data, languages $langs (log: $log.base)"
        install_module "$db" "$log.base" -i "$modules" --load-language="$langs" \
            || die "installing $modules failed (full log: $log.base)"
    fi
    say "installing $MODULE with its demo data (log: $log)"
    install_module "$db" "$log" -i "$MODULE" --load-language="$langs" \
        || die "installing $MODULE with demo data failed (full log: $log)"
    local menus
    menus="$("${ODOO[@]}" shell -c "$CONF" -d "$db" --no-http --log-level=warn \
              <"$ROOT/tools/demo_info.py" 2>>"$LOG_DIR/shell-$db.log" || true)"
    cat <<EOF

==============================================================================
 account_dunning demo
   URL:      http://$host:$port/web/login   (database: $db)
   Logins:   vidal / vidal   (Madame Vidal, accountant of Bonjour IT: the guide's user)
             admin / admin   (administrator)
   Languages: $langs (the first is the default; switch in Preferences > Language)
 Where to look:
$(if [ -n "$menus" ]; then printf '%s\n' "$menus"; else
   printf '%s\n' "   Invoicing > Customers > Follow-up ... (menus of the module)"; fi)
 Stop the server with Ctrl-C.
==============================================================================

EOF
    exec "${ODOO[@]}" -c "$CONF" -d "$db" --db-filter="^${db}\$" \
        --http-interface="$host" --http-port="$port" --max-cron-threads=1 \
        --log-level=info
}

# ---------------------------------------------------------------- clean-dbs
cmd_clean_dbs() {
    check_odoo
    check_pg
    prepare_build
    local names name
    names="$("$PYTHON" - "$MODULE" <<'EOF'
import sys, psycopg2
conn = psycopg2.connect(dbname="postgres")
cur = conn.cursor()
cur.execute("SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY 1",
            (sys.argv[1] + "\\_test\\_%",))
print("\n".join(r[0] for r in cur.fetchall()))
EOF
)"
    if [ -z "$names" ]; then
        say "no leftover ${MODULE}_test_* database"
        return 0
    fi
    for name in $names; do
        drop_db "$name" "$LOG_DIR/drop-$name.log" && say "dropped $name"
    done
}

# Sourced by the other tools (lifecycle.sh, i18n_update.sh) for its functions;
# run as a command otherwise.
[[ "${BASH_SOURCE[0]}" != "$0" ]] && return 0

case "${1:-}" in
    check) check_odoo; check_pg; say "Odoo: $ODOO_DIR (run as: ${ODOO[*]}); PostgreSQL answering" ;;
    deps) deps ;;
    prepare) check_odoo; check_pg; deps; prepare_build; printf '%s\n' "$CONF" ;;
    test) cmd_test ;;
    db) cmd_db ;;
    demo) cmd_demo ;;
    clean-dbs) cmd_clean_dbs ;;
    *) echo "usage: $0 {check|deps|test|db|demo|clean-dbs|prepare}" >&2; exit 2 ;;
esac
