# Test / demo harness of the account_dunning Odoo 18 addon.
# The checkout may live in a folder of any name: Odoo sees it through the
# symlink .build/addons/account_dunning -> $(CURDIR). See tools/harness.sh.
#
#   make lint                   ruff, ruff format, pylint-odoo (OCA 18.0 config),
#                               prettier (XML, JS), offline from tools installed in
#                               .build/lint (tools/lint.sh); make lint-fix applies fixes
#   make test                   fresh db with account_dunning + queue_job + payment_demo
#                               (no demo data), pytest incl. tours in headless Chromium,
#                               drop db; last line "N passed, N failed, N skipped"
#   make test PYTEST_ARGS='-k engine -x'    only some tests
#   make test TESTS=account_dunning/tests/test_dunning_engine.py
#   make test KEEP_DB=1 DB=mydb keep the database afterwards
#   make test ODOO_HTTP_PORT=8076   HTTP port of the test server (tours), default 8069
#   make test EXTRA_MODULES=sale    install more modules with the tested ones
#   make db / make retest       kept dev db (account_dunning_dev): install once,
#                               then `make retest` updates the module (-u) and
#                               reruns pytest on it (fast loop)
#   make demo                   demo db with demo data, served on 127.0.0.1:8069
#   make bench [N=2000 K=10]    synthetic db (template reused), timings table
#                               (also written to .build/bench.md)
#   make lifecycle              install on existing invoices, upgrade, uninstall
#   make i18n / i18n-check      refresh i18n/*.po from a fresh db / check them
#   make install-deps           requirements*.txt, OCA addons wheels, Chromium
#   make check                  Odoo 18 importable + PostgreSQL answering
#   make clean / clean-dbs      remove .build / drop leftover test databases

PYTHON ?= python3
DB ?=
KEEP_DB ?=
REUSE_DB ?=
TESTS ?=
PYTEST_ARGS ?=
ODOO_HTTP ?=
ODOO_HTTP_PORT ?=
ODOO_LOG_LEVEL ?=
LOAD_LANGUAGE ?=
EXTRA_ADDONS ?=
EXTRA_MODULES ?=
N ?=
K ?=
BENCH_ARGS ?=
DEMO_DB ?=
DEMO_HOST ?=
DEMO_PORT ?=
DEMO_LANGS ?=

export PYTHON DB KEEP_DB REUSE_DB TESTS PYTEST_ARGS ODOO_HTTP ODOO_HTTP_PORT ODOO_LOG_LEVEL \
	LOAD_LANGUAGE EXTRA_ADDONS EXTRA_MODULES N K BENCH_ARGS DEMO_DB DEMO_HOST DEMO_PORT DEMO_LANGS

HARNESS := bash $(CURDIR)/tools/harness.sh

.DEFAULT_GOAL := help
.PHONY: help check install-deps deps lint lint-fix test db retest demo bench clean clean-dbs

help:
	@sed -n '1,/^$$/p' $(firstword $(MAKEFILE_LIST)) | sed 's/^# \{0,1\}//'

check:
	@$(HARNESS) check

install-deps deps:
	@$(HARNESS) deps

lint:
	@bash $(CURDIR)/tools/lint.sh

lint-fix:
	@bash $(CURDIR)/tools/lint.sh --fix

test:
	@$(HARNESS) test

db:
	@$(HARNESS) db

retest:
	@REUSE_DB=1 $(HARNESS) test

demo:
	@$(HARNESS) demo

bench:
	@if [ -f tools/bench.py ]; then \
		$(PYTHON) tools/bench.py $(BENCH_ARGS); \
	else \
		echo "bench not implemented yet"; \
	fi

clean-dbs:
	@$(HARNESS) clean-dbs

clean:
	rm -rf .build .pytest_cache
	find . -path ./.git -prune -o -path ./.build -prune -o \
		-name __pycache__ -type d -prune -exec rm -rf {} +

# make i18n: fresh temporary db, export i18n/account_dunning.pot, msgmerge it
# into i18n/fr.po, print untranslated/fuzzy counts (tools/i18n_update.sh).
# make i18n-check: msgfmt --check + statistics of i18n/*.po only (no db).
.PHONY: i18n i18n-check
i18n:
	@bash $(CURDIR)/tools/i18n_update.sh

i18n-check:
	@bash $(CURDIR)/tools/i18n_update.sh --check

# make lifecycle: install on a db with existing invoices, launch, upgrade,
# uninstall; fails on any ERROR in the logs (tools/lifecycle.sh)
.PHONY: lifecycle
lifecycle:
	@bash $(CURDIR)/tools/lifecycle.sh
