"""Closing line of `make test`, read by CI: ``N passed, N failed, N skipped``.

Computed from pytest's JUnit XML (errors count as failures). Exits 1 when a test
was skipped because a component the project installs itself is missing (browser,
websocket-client, queue_job): such a skip would hide an untested path.

Usage: junit_summary.py JUNIT_XML
"""

import re
import sys
import xml.etree.ElementTree as ET

MISSING_COMPONENT = re.compile(
    r"chrom|websocket|queue_job|not installed|--odoo-http", re.IGNORECASE
)


def main(path):
    total = failed = skipped = 0
    missing = []
    for case in ET.parse(path).getroot().iter("testcase"):
        total += 1
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        skip = case.find("skipped")
        if skip is not None:
            skipped += 1
            message = skip.get("message", "")
            if MISSING_COMPONENT.search(message):
                missing.append(f"{case.get('name')}: {message}")
    for line in missing:
        print(f"skipped for a missing component: {line}")
    print(f"{total - failed - skipped} passed, {failed} failed, {skipped} skipped")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
