#!/usr/bin/env bash
# make lint: the checks of the OCA 18.0 template (.pre-commit-config.yaml), run
# without pre-commit from pinned registry packages installed once in .build/lint
# (a virtualenv for ruff and pylint-odoo, node_modules for prettier):
#   ruff check      .ruff.toml (pyflakes, pycodestyle, isort, bugbear, pyupgrade,
#                   mccabe complexity <= 16)
#   ruff format     formatting of the Python code
#   pylint-odoo     .pylintrc-mandatory (the blocking Odoo checks)
#   prettier        XML and JavaScript, with @prettier/plugin-xml (prettier.config.cjs)
# tools/lint.sh --fix (make lint-fix) applies ruff's and prettier's fixes instead.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
LINT="$ROOT/.build/lint"
PRETTIER=(prettier@3.3.3 @prettier/plugin-xml@3.4.1)
PYTHON="${PYTHON:-python3}"
FIX="${1:-}"
cd "$ROOT"

say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

# ---------------------------------------------------------------- tools
stamp="$LINT/$(cat requirements-lint.txt <(echo "${PRETTIER[*]}") | sha256sum | cut -c1-12).stamp"
if [ ! -f "$stamp" ]; then
    say "installing the lint tools into .build/lint"
    rm -rf "$LINT"
    "$PYTHON" -m venv "$LINT"
    "$LINT/bin/pip" install -q --disable-pip-version-check -r requirements-lint.txt
    if ! command -v npm >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "apt-get install nodejs npm (for prettier)"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
    fi
    command -v npm >/dev/null || { echo "ERROR: npm is needed for prettier (apt-get install npm)" >&2; exit 1; }
    npm install --prefix "$LINT" --no-audit --no-fund --silent "${PRETTIER[@]}"
    touch "$stamp"
fi
export PATH="$LINT/bin:$LINT/node_modules/.bin:$PATH" NODE_PATH="$LINT/node_modules"

# ---------------------------------------------------------------- checks
failed=()
check() {  # check NAME COMMAND...: run, remember the failure, go on
    say "$1"
    "${@:2}" || failed+=("$1")
}
# prettier's files: XML and JavaScript, not the generated or vendored ones
mapfile -t pretty < <(git ls-files '*.xml' '*.js' | grep -v -e '^static/description/' -e '/lib/')

if [ "$FIX" = --fix ]; then
    ruff check --fix --exit-zero .
    ruff format .
    prettier --write --log-level warn "${pretty[@]}"
    exit 0
fi
check "ruff check" ruff check --no-fix .
check "ruff format --check" ruff format --check .
# pylint-odoo reads the addon under its name: from the symlinked addons folder
mkdir -p .build/addons && ln -sfn "$ROOT" .build/addons/account_dunning
check "pylint-odoo (.pylintrc-mandatory)" \
    bash -c 'cd .build/addons && pylint --rcfile="$0/.pylintrc-mandatory" --output-format=text account_dunning' "$ROOT"
check "prettier --check (XML, JS)" prettier --check --log-level warn "${pretty[@]}"

if [ "${#failed[@]}" -gt 0 ]; then
    printf '\nERROR: lint failed: %s\n' "${failed[*]}" >&2
    echo "       make lint-fix applies the automatic fixes of ruff and prettier." >&2
    exit 1
fi
say "lint OK"
