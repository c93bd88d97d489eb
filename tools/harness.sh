#!/usr/bin/env bash
# Test / demo harness of the account_dunning Odoo 18 addon, called by the Makefile
# (`make help` lists the targets and variables). Read it top to bottom:
#
#   1. check_odoo / check_pg   Odoo 18 importable by $PYTHON, PostgreSQL answering
#   2. deps                    what Odoo itself does not bring: requirements*.txt,
#                              the OCA addons wheels (queue_job) in .build/wheels,
#                              Debian's Pango for WeasyPrint, Chromium for the tours
#   3. prepare_build           .build/addons/account_dunning -> this checkout (the
#                              folder may have any name) and .build/odoo.conf
#   4. cmd_test                fresh database, install, pytest-odoo, drop, closing
#                              line "N passed, N failed, N skipped"
#   5. cmd_db / cmd_demo / cmd_clean_dbs
#
# Why pytest-odoo rather than `odoo-bin --test-tags /account_dunning`: it selects
# tests by file and -k (TESTS, PYTEST_ARGS), reruns them on a kept database without
# reinstalling (`make retest`), prints a summary line CI reads, and keeps the
# install log (which must hold no WARNING) apart from the tests' own logs.
#
# Other tools `source` this file for its functions and variables (check_odoo,
# check_pg, prepare_build, db_exists, drop_db, valid_db_name, say, die, ODOO,
# CONF, BUILD, LOG_DIR); `tools/harness.sh prepare` prints the path of odoo.conf.
#
# Environment (all optional; see the Makefile for the defaults):
#   PYTHON          interpreter that has Odoo 18 (python3)
#   DB              database (test: account_dunning_test_<stamp>_<pid>, dropped at
#                   the end; db/retest: account_dunning_dev). An existing one is
#                   dropped first unless REUSE_DB=1.
#   KEEP_DB=1       keep the test database
#   REUSE_DB=1      update the module in an existing DB instead of creating one
#   TESTS           pytest paths relative to .build/addons (account_dunning/tests)
#   PYTEST_ARGS     extra pytest arguments, shell-quoted ("-k engine -x")
#   ODOO_HTTP_PORT  port of Odoo's HTTP server in the tests and tours (8069)
#   ODOO_HTTP=0     no HTTP server: HttpCase tests (tours) are skipped
#   ODOO_LOG_LEVEL  Odoo log level during pytest (warn)
#   LOAD_LANGUAGE   extra languages of the test/dev db, e.g. fr_FR
#   EXTRA_ADDONS    extra addons folders, comma-separated
#   EXTRA_MODULES   modules installed on top of account_dunning + TEST_MODULES
#   DEMO_DB / DEMO_HOST / DEMO_PORT / DEMO_LANGS   see cmd_demo
#   DEMO_MODULES    modules installed before the demo (l10n_fr_account, the French
#                   chart of accounts of the demo company, and payment_demo, the
#                   Demo payment provider of its follow-up page; "none": none)
set -euo pipefail

MODULE=account_dunning
# Installed with the module in test and dev databases: queue_job (the scale-out
# path is tested every time) and payment_demo (pay-online links of the portal).
TEST_MODULES=queue_job,payment_demo
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
PYTHON="${PYTHON:-python3}"
BUILD="$ROOT/.build"
ADDONS_DIR="$BUILD/addons"   # holds the account_dunning symlink
WHEELS_DIR="$BUILD/wheels"   # OCA addons wheels (requirements-addons.txt)
DATA_DIR="$BUILD/data"       # filestore
LOG_DIR="$BUILD/logs"
CONF="$BUILD/odoo.conf"
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore

say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() {  # die MESSAGE [HINT...]
    printf '\nERROR: %s\n' "$1" >&2
    shift || true
    for line in "$@"; do printf '       %s\n' "$line" >&2; done
    exit 1
}

# ---------------------------------------------------------------- 1. Odoo, PostgreSQL
ODOO=()   # the command that runs Odoo: $PYTHON -m odoo
check_odoo() {
    local out
    out="$("$PYTHON" -c 'import odoo.release as r; print(r.version_info[0], r.version)' 2>&1)" \
        || die "Odoo is not importable by PYTHON=$PYTHON: $(tail -n 1 <<<"$out")" \
            "Install Odoo 18.0 Community into that interpreter, for example:" \
            "  $PYTHON -m pip install https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz" \
            "or point PYTHON at an interpreter that has it (README, Prerequisites)."
    [ "${out%% *}" = 18 ] || die "PYTHON=$PYTHON has Odoo ${out#* }; account_dunning needs Odoo 18.0."
    ODOO=("$PYTHON" -m odoo)
}

pg_answering() { "$PYTHON" -c "import psycopg2; psycopg2.connect(dbname='postgres', connect_timeout=3).close()" 2>/dev/null; }

check_pg() {
    if ! pg_answering && command -v pg_ctlcluster >/dev/null; then
        say "PostgreSQL is not answering: starting the local Debian cluster(s)"
        pg_lsclusters -h 2>/dev/null | while read -r ver cluster _; do
            pg_ctlcluster --skip-systemctl-redirect "$ver" "$cluster" start || true
        done
        for _ in $(seq 30); do pg_answering && break; sleep 1; done
    fi
    pg_answering || die "PostgreSQL is not answering." \
        "Start a PostgreSQL server (>= 12) reachable through the default socket or" \
        "PGHOST/PGPORT, with a role named after the current user that may create databases."
}

# ---------------------------------------------------------------- 2. dependencies
apt_install() {  # apt_install PACKAGE...: the missing Debian packages, as root
    local missing=() p
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ "${#missing[@]}" -gt 0 ] || return 0
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
        || die "missing system packages: ${missing[*]}" \
            "Install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}) and run again."
    say "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed."
}

deps() {
    mkdir -p "$BUILD"
    # pip runs again only when a requirements file or the interpreter changed
    local stamp
    stamp="$BUILD/deps-$(cat "$ROOT"/requirements*.txt <("$PYTHON" -VV) | sha256sum | cut -c1-12).stamp"
    [ -f "$stamp" ] && return 0
    say "installing requirements.txt and requirements-test.txt into $PYTHON"
    "$PYTHON" -m pip install -q --progress-bar off \
        -r "$ROOT/requirements.txt" -r "$ROOT/requirements-test.txt" \
        || die "pip install of requirements.txt / requirements-test.txt failed."
    # OCA addons: pinned to the release that works with this Odoo 18 build, without
    # their Python dependencies (they would reinstall Odoo), outside site-packages
    say "installing the OCA addons of requirements-addons.txt into ${WHEELS_DIR#"$ROOT"/}"
    rm -rf "$WHEELS_DIR"
    "$PYTHON" -m pip install -q --progress-bar off --no-deps --target "$WHEELS_DIR" \
        -r "$ROOT/requirements-addons.txt" || die "pip install of requirements-addons.txt failed."
    # WeasyPrint needs Pango; without HarfBuzz-Subset letters take 4x longer
    apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
    "$PYTHON" -c "import weasyprint; weasyprint.HTML(string='ok').write_pdf()" >/dev/null \
        || die "WeasyPrint cannot render a PDF (see above)."
    rm -f "$BUILD"/deps-*.stamp && touch "$stamp"
}

# the tours run in headless Chromium (found by Odoo on the PATH); the driver is
# for tools/screenshots.py
browser_deps() { apt_install chromium chromium-driver; }

# ---------------------------------------------------------------- 3. build folder
prepare_build() {
    mkdir -p "$ADDONS_DIR" "$DATA_DIR" "$LOG_DIR"
    ln -sfn "$ROOT" "$ADDONS_DIR/$MODULE"   # re-pointed each time: clones move
    local odoo_dir addons
    odoo_dir="$("$PYTHON" -c 'import odoo, os; print(os.path.dirname(odoo.__file__))')"
    addons="${EXTRA_ADDONS:+$EXTRA_ADDONS,}$odoo_dir/addons"
    [ -d "$WHEELS_DIR/odoo/addons" ] && addons="$addons,$WHEELS_DIR/odoo/addons"
    cat >"$CONF" <<EOF
# Generated by tools/harness.sh, rewritten on every run.
[options]
addons_path = $addons,$ADDONS_DIR
data_dir = $DATA_DIR
max_cron_threads = 0
http_port = ${ODOO_HTTP_PORT:-8069}

[queue_job]
# no job runner thread in Odoo's HTTP server: the tests run the jobs themselves
channels = root:0
EOF
}

# ---------------------------------------------------------------- databases
valid_db_name() { [[ "$1" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] || die "invalid database name '$1'"; }

db_exists() { psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" 2>/dev/null | grep -q 1; }

drop_db() {  # drop_db NAME LOGFILE: the database and its filestore
    if db_exists "$1"; then
        "${ODOO[@]}" db -c "$CONF" drop "$1" >>"$2" 2>&1 || true
        if db_exists "$1"; then say "WARNING: could not drop database $1 (see $2)"; return 1; fi
    fi
    rm -rf "${DATA_DIR:?}/filestore/$1"
}

# install_module DB LOGFILE ODOO_ARGS...: runs Odoo once (-i or -u), then fails on
# any ERROR, or any WARNING about the module, in its log
install_module() {
    local db="$1" log="$2" rc=0 t0=$SECONDS
    shift 2
    : >"$log"
    "${ODOO[@]}" -c "$CONF" -d "$db" "$@" --stop-after-init --no-http --log-level=info \
        --logfile="$log" 2>"$log.stderr" || rc=$?
    if ! "$PYTHON" "$ROOT/tools/check_install_log.py" --module "$MODULE" "$log"; then
        return 1
    elif [ "$rc" != 0 ]; then
        tail -n 25 "$log" "$log.stderr" >&2
        return 1
    fi
    say "installed in $((SECONDS - t0))s, install log clean ($log)"
}

# --load-language for LOAD_LANGUAGE, en_US first so that it stays the default
languages() {
    [ -n "${LOAD_LANGUAGE:-}" ] || return 0
    case ",$LOAD_LANGUAGE," in
        *,en_US,*) echo "--load-language=$LOAD_LANGUAGE" ;;
        *) echo "--load-language=en_US,$LOAD_LANGUAGE" ;;
    esac
}

# ---------------------------------------------------------------- 4. test
cmd_test() {
    check_odoo; check_pg; deps
    [ "${ODOO_HTTP:-1}" = 1 ] && browser_deps
    prepare_build
    local reuse="${REUSE_DB:-0}" modules="$MODULE,$TEST_MODULES${EXTRA_MODULES:+,$EXTRA_MODULES}"
    TEST_DB="${DB:-${MODULE}_test_$(date +%Y%m%d_%H%M%S)_$$}"
    [ "$reuse" = 1 ] && TEST_DB="${DB:-${MODULE}_dev}"
    valid_db_name "$TEST_DB"
    JUNIT="$LOG_DIR/junit-$TEST_DB.xml"
    rm -f "$JUNIT"
    trap cleanup_test EXIT
    local log="$LOG_DIR/install-$TEST_DB.log" lang
    lang="$(languages)"
    if [ "$reuse" = 1 ]; then
        db_exists "$TEST_DB" || die "database $TEST_DB does not exist (make db DB=$TEST_DB)."
        say "updating $MODULE in $TEST_DB"
        install_module "$TEST_DB" "$log" -u "$MODULE" $lang || die "update failed (log: $log)"
    else
        drop_db "$TEST_DB" "$LOG_DIR/drop-$TEST_DB.log" || die "cannot drop $TEST_DB"
        [ "${KEEP_DB:-0}" = 1 ] || DROP_AT_EXIT=1
        say "creating $TEST_DB: $modules without demo data"
        install_module "$TEST_DB" "$log" -i "$modules" --without-demo=all $lang \
            || die "installing $modules failed (log: $log)"
    fi

    local extra=() tests=()
    eval "extra=(${PYTEST_ARGS:-})"
    read -r -a tests <<<"${TESTS:-$MODULE/tests}"
    local args=(-m pytest -p no:cacheprovider -p odoo_harness_plugin -ra
        --odoo-config="$CONF" --odoo-database="$TEST_DB"
        --odoo-log-level="${ODOO_LOG_LEVEL:-warn}" --junitxml="$JUNIT")
    [ "${ODOO_HTTP:-1}" = 1 ] && args+=(--odoo-http)
    say "pytest ${tests[*]} ${extra[*]}"
    # pytest-odoo imports the tests as odoo.addons.account_dunning.tests.*: run
    # from the folder holding the symlink
    (cd "$ADDONS_DIR" && PYTHONPATH="$ROOT/tools/pytest_plugins${PYTHONPATH:+:$PYTHONPATH}" \
        "$PYTHON" "${args[@]}" "${tests[@]}" "${extra[@]}")
}

# on exit: drop the database, then print the closing line CI reads
cleanup_test() {
    local rc=$?
    trap - EXIT
    if [ "${DROP_AT_EXIT:-0}" = 1 ]; then
        drop_db "$TEST_DB" "$LOG_DIR/drop-$TEST_DB.log" && say "dropped database $TEST_DB"
    elif [ "${REUSE_DB:-0}" = 1 ] || [ "${KEEP_DB:-0}" = 1 ]; then
        say "kept database $TEST_DB"
    fi
    if [ -f "${JUNIT:-}" ]; then
        "$PYTHON" "$ROOT/tools/pytest_plugins/junit_summary.py" "$JUNIT" || [ "$rc" != 0 ] || rc=1
    fi
    exit "$rc"
}

# ---------------------------------------------------------------- 5. dev db, demo
cmd_db() {
    check_odoo; check_pg; deps; prepare_build
    local db="${DB:-${MODULE}_dev}" lang modules="$MODULE,$TEST_MODULES${EXTRA_MODULES:+,$EXTRA_MODULES}"
    valid_db_name "$db"
    lang="$(languages)"
    drop_db "$db" "$LOG_DIR/drop-$db.log" || die "cannot drop $db"
    say "creating $db: $modules without demo data"
    install_module "$db" "$LOG_DIR/install-$db.log" -i "$modules" --without-demo=all $lang \
        || die "installing $MODULE failed"
    say "database $db ready: make retest DB=$db"
}

cmd_demo() {
    check_odoo; check_pg; deps; prepare_build
    local db="${DEMO_DB:-${MODULE}_demo}" host="${DEMO_HOST:-127.0.0.1}" port="${DEMO_PORT:-8069}"
    local langs="${DEMO_LANGS:-fr_FR,en_US}"   # the first one is the db's default language
    valid_db_name "$db"
    "$PYTHON" -c "import socket, sys; socket.create_server((sys.argv[1], int(sys.argv[2])))" "$host" "$port" \
        2>/dev/null || die "port $host:$port is in use (stop the other server or set DEMO_PORT=...)."
    drop_db "$db" "$LOG_DIR/drop-$db.log" || die "cannot drop $db (is a server still using it?)"
    # The demo company is French: its chart of accounts (l10n_fr_account) is
    # installed first, for the demo only (it is no dependency of $MODULE), with
    # payment_demo: its reminded customers pay online with the Demo provider.
    local modules="${DEMO_MODULES:-l10n_fr_account,payment_demo}"
    [ "$modules" = none ] && modules=""
    if [ -n "$modules" ]; then
        say "creating $db with $modules, languages $langs"
        install_module "$db" "$LOG_DIR/install-$db.base.log" -i "$modules" --load-language="$langs" \
            || die "installing $modules failed"
    fi
    say "installing $MODULE with its demo data in $db"
    install_module "$db" "$LOG_DIR/install-$db.log" -i "$MODULE" --load-language="$langs" \
        || die "installing $MODULE with demo data failed"
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
${menus:-   Invoicing > Customers > Follow-up}
 Stop the server with Ctrl-C.
==============================================================================

EOF
    exec "${ODOO[@]}" -c "$CONF" -d "$db" --db-filter="^${db}\$" \
        --http-interface="$host" --http-port="$port" --max-cron-threads=1 --log-level=info
}

cmd_clean_dbs() {
    check_odoo; check_pg; prepare_build
    local name
    for name in $(psql -d postgres -tAc "SELECT datname FROM pg_database WHERE datname LIKE '${MODULE}\_test\_%'"); do
        drop_db "$name" "$LOG_DIR/drop-$name.log" && say "dropped $name"
    done
}

# sourced by tools/lifecycle.sh and tools/i18n_update.sh: functions only
[[ "${BASH_SOURCE[0]}" != "$0" ]] && return 0

case "${1:-}" in
    check) check_odoo; check_pg; say "Odoo 18 ($("$PYTHON" -c 'import odoo; print(odoo.__file__)')) and PostgreSQL OK" ;;
    deps) check_odoo; deps; browser_deps ;;
    prepare) check_odoo; check_pg; deps; prepare_build; printf '%s\n' "$CONF" ;;
    test) cmd_test ;;
    db) cmd_db ;;
    demo) cmd_demo ;;
    clean-dbs) cmd_clean_dbs ;;
    *) echo "usage: $0 {check|deps|prepare|test|db|demo|clean-dbs}" >&2; exit 2 ;;
esac
