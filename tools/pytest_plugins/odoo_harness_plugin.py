"""pytest plugin loaded by `make test` (tools/harness.sh: -p odoo_harness_plugin).

pytest-odoo imports odoo.tests before Odoo's test mode is on (turning
test_enable on globally would make Odoo run every module's at_install tests
when the registry loads), so Odoo 18 logs a misleading
"ERROR ... Importing test framework, avoid importing from business modules"
with a long stack. Drop that single record; everything else is untouched.
"""

import logging


class _DropTestFrameworkImportError(logging.Filter):
    def filter(self, record):
        return not str(record.msg).startswith("Importing test framework")


logging.getLogger("odoo.tests.common").addFilter(_DropTestFrameworkImportError())
