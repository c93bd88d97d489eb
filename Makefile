# Test / demo harness of the account_dunning Odoo 18 addon.
# The checkout may live in a folder of any name: Odoo sees it through the
# symlink .build/addons/account_dunning -> $(CURDIR). See tools/harness.sh.
#
#   make test                   fresh db, install (no demo), pytest, drop db
#   make test PYTEST_ARGS='-k engine -x'    only some tests
#   make test TESTS=account_dunning/tests/test_engine.py
#   make test KEEP_DB=1 DB=mydb keep the database afterwards
#   make db / make retest       kept dev db (account_dunning_dev): install once,
#                               then `make retest` updates the module (-u) and
#                               reruns pytest on it (fast loop)
#   make demo                   demo db with demo data, served on 127.0.0.1:8069
#   make install-deps           pip install requirements*.txt into $(PYTHON)
#   make check                  Odoo 18 importable + PostgreSQL answering
#   make clean / clean-dbs      remove .build / drop leftover test databases

PYTHON ?= python3
DB ?=
KEEP_DB ?=
REUSE_DB ?=
TESTS ?=
PYTEST_ARGS ?=
ODOO_HTTP ?=
ODOO_LOG_LEVEL ?=
LOAD_LANGUAGE ?=
EXTRA_ADDONS ?=
DEMO_DB ?=
DEMO_HOST ?=
DEMO_PORT ?=
DEMO_LANGS ?=

export PYTHON DB KEEP_DB REUSE_DB TESTS PYTEST_ARGS ODOO_HTTP ODOO_LOG_LEVEL \
	LOAD_LANGUAGE EXTRA_ADDONS DEMO_DB DEMO_HOST DEMO_PORT DEMO_LANGS

HARNESS := bash $(CURDIR)/tools/harness.sh

.DEFAULT_GOAL := help
.PHONY: help check install-deps deps test db retest demo bench clean clean-dbs

help:
	@sed -n '1,/^$$/p' $(firstword $(MAKEFILE_LIST)) | sed 's/^# \{0,1\}//'

check:
	@$(HARNESS) check

install-deps deps:
	@$(HARNESS) deps

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
		$(PYTHON) tools/bench.py; \
	else \
		echo "bench not implemented yet"; \
	fi

clean-dbs:
	@$(HARNESS) clean-dbs

clean:
	rm -rf .build .pytest_cache
	find . -path ./.git -prune -o -path ./.build -prune -o \
		-name __pycache__ -type d -prune -exec rm -rf {} +

# make lifecycle: install on a db with existing invoices, launch, upgrade,
# uninstall; fails on any ERROR in the logs (tools/lifecycle.sh)
.PHONY: lifecycle
lifecycle:
	@bash $(CURDIR)/tools/lifecycle.sh
