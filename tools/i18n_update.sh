#!/usr/bin/env bash
# Refresh the translation files of the account_dunning addon (called by `make i18n`).
#
#   tools/i18n_update.sh            export i18n/account_dunning.pot from a fresh
#                                   database, merge it into every i18n/*.po, print
#                                   the statistics (untranslated / fuzzy entries)
#   tools/i18n_update.sh --check    only check the .po files (msgfmt --check and
#                                   statistics), no database
#
# Steps: create a temporary database, install account_dunning without demo data,
# `odoo --i18n-export=i18n/account_dunning.pot --modules=account_dunning`, drop the
# database, `msgmerge --update --no-fuzzy-matching --backup=none i18n/fr.po
# i18n/account_dunning.pot`, then `msgfmt --check --statistics`.
# New strings show up as "untranslated": translate them in i18n/fr.po (empty
# msgstr), re-run with --check until it reports 0 untranslated, 0 fuzzy.
#
# The checkout may live in a folder of any name: like tools/harness.sh, Odoo sees
# it through the symlink .build/addons/account_dunning and .build/odoo.conf.
#
# Environment (all optional):
#   PYTHON     interpreter that runs Odoo 18 (default python3)
#   DB         temporary database name (default account_dunning_i18n_<stamp>_<pid>);
#              an existing database of that name is dropped first
#   LANGS      languages to merge (default: every i18n/*.po, at least fr)
#   KEEP_DB=1  keep the temporary database
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
# Odoo and PostgreSQL checks, build layout, .build/odoo.conf, db helpers
source "$ROOT/tools/harness.sh"
I18N="$ROOT/i18n"
POT="$I18N/$MODULE.pot"

# ---------------------------------------------------------------- gettext
ensure_gettext() {
    if command -v msgmerge >/dev/null 2>&1 && command -v msgfmt >/dev/null 2>&1; then
        return 0
    fi
    say "msgmerge/msgfmt (GNU gettext) not found: they are needed to merge and check the .po files"
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing the Debian package 'gettext': apt-get update && apt-get install -y gettext"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gettext
    fi
    command -v msgmerge >/dev/null 2>&1 && command -v msgfmt >/dev/null 2>&1 \
        || die "msgmerge/msgfmt are missing." \
            "Install GNU gettext (Debian/Ubuntu: sudo apt-get install gettext; macOS: brew install gettext)."
}

po_files() {
    local f
    if [ -n "${LANGS:-}" ]; then
        for f in ${LANGS//,/ }; do printf '%s\n' "$I18N/$f.po"; done
    else
        [ -f "$I18N/fr.po" ] || printf '%s\n' "$I18N/fr.po"
        for f in "$I18N"/*.po; do [ -f "$f" ] && printf '%s\n' "$f"; done
    fi
    return 0
}

check_po() {  # msgfmt --check + statistics for every .po; returns 1 if not complete
    local po stats bad=0 untrans fuzzy
    while IFS= read -r po; do
        [ -f "$po" ] || { say "$(basename "$po"): missing"; bad=1; continue; }
        msgfmt --check -o /dev/null "$po" || die "msgfmt --check failed on $po (see above)."
        stats="$(LC_ALL=C msgfmt --statistics -o /dev/null "$po" 2>&1)"
        untrans="$(printf '%s' "$stats" | sed -n 's/.* \([0-9]\+\) untranslated.*/\1/p')"
        fuzzy="$(printf '%s' "$stats" | sed -n 's/.* \([0-9]\+\) fuzzy.*/\1/p')"
        say "$(basename "$po"): $stats"
        printf '    untranslated: %s, fuzzy: %s\n' "${untrans:-0}" "${fuzzy:-0}"
        if [ "${untrans:-0}" != 0 ] || [ "${fuzzy:-0}" != 0 ]; then
            bad=1
            printf '    to translate: msgattrib --untranslated %s ; msgattrib --only-fuzzy %s\n' \
                "${po#"$ROOT"/}" "${po#"$ROOT"/}"
        fi
    done < <(po_files)
    return "$bad"
}

if [ "${1:-}" = "--check" ]; then
    ensure_gettext
    check_po
    exit $?
fi
[ $# -eq 0 ] || die "usage: $0 [--check]"

# ---------------------------------------------------------------- Odoo
ensure_gettext
check_odoo
check_pg
prepare_build
mkdir -p "$I18N"

DB="${DB:-${MODULE}_i18n_$(date +%Y%m%d_%H%M%S)_$$}"
valid_db_name "$DB"
LOG="$LOG_DIR/i18n-$DB.log"
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ "${KEEP_DB:-0}" = 1 ]; then
        say "keeping database $DB (KEEP_DB=1)"
    else
        drop_db "$DB" "$LOG_DIR/drop-$DB.log" && say "dropped database $DB"
    fi
    exit "$rc"
}
t0=$SECONDS
db_exists "$DB" && { say "database $DB exists: dropping it first"; drop_db "$DB" "$LOG_DIR/drop-$DB.log" || die "cannot drop $DB"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "creating database $DB and installing $MODULE without demo data (log: $LOG)"
: >"$LOG"
: >"$LOG.stderr"
"${ODOO[@]}" -c "$CONF" -d "$DB" -i "$MODULE" --without-demo=all --stop-after-init --no-http \
    --max-cron-threads=0 --log-level=warn --logfile="$LOG" 2>>"$LOG.stderr" \
    || { tail -n 25 "$LOG" "$LOG.stderr" >&2; die "installing $MODULE failed (full log: $LOG)"; }

say "exporting the template $(basename "$POT")"
tmp_pot="$BUILD/$MODULE.export.pot"   # the extension selects the format
rm -f "$tmp_pot"
"${ODOO[@]}" -c "$CONF" -d "$DB" --i18n-export="$tmp_pot" --modules="$MODULE" \
    --language= --stop-after-init --no-http --log-level=warn --logfile="$LOG" 2>>"$LOG.stderr" \
    || { tail -n 25 "$LOG" "$LOG.stderr" >&2; die "--i18n-export failed (full log: $LOG)"; }
[ -s "$tmp_pot" ] || die "the export produced no file (full log: $LOG)"
# Odoo scans the code with os.walk(followlinks=True): through the symlink
# .build/addons/account_dunning -> checkout it sees every file again under
# .build/addons/account_dunning/.build/addons/... Normalise these "#: code:"
# references and drop the duplicates (only comments, the msgids are unique).
"$PYTHON" - "$tmp_pot" "$MODULE" <<'PYEOF'
import re, sys
path, module = sys.argv[1], sys.argv[2]
loop = re.compile(r"(addons/%s/)(?:\.build/addons/%s/)+" % (module, module))
out, seen = [], set()
for line in open(path, encoding="utf-8").read().split("\n"):
    if line.startswith("#:"):
        line = loop.sub(r"\1", line)
        if line in seen:
            continue
        seen.add(line)
    elif not line.startswith("#"):
        seen = set()
    out.append(line)
open(path, "w", encoding="utf-8").write("\n".join(out))
PYEOF
msgfmt --check-format -o /dev/null "$tmp_pot" || die "the exported template is not valid (see above)"
mv -f "$tmp_pot" "$POT"
say "$(grep -c '^msgid ' "$POT") msgid in ${POT#"$ROOT"/} (first one is the header)"

while IFS= read -r po; do
    if [ ! -f "$po" ]; then
        say "creating $(basename "$po") from the template (all entries untranslated)"
        lang="$(basename "$po" .po)"
        msginit --no-wrap --no-translator --locale="$lang" -i "$POT" -o "$po" >/dev/null 2>&1 \
            || cp "$POT" "$po"
    fi
    say "msgmerge --no-wrap --update --no-fuzzy-matching --backup=none ${po#"$ROOT"/} ${POT#"$ROOT"/}"
    msgmerge --quiet --no-wrap --update --no-fuzzy-matching --backup=none "$po" "$POT"
    # Drop translations of strings that no longer exist (obsolete #~ entries).
    msgattrib --no-wrap --no-obsolete -o "$po" "$po"
done < <(po_files)

rc=0
check_po || rc=$?
say "done in $((SECONDS - t0))s"
if [ "$rc" -ne 0 ]; then
    say "some entries are untranslated or fuzzy: translate them, then run: tools/i18n_update.sh --check"
fi
exit "$rc"
