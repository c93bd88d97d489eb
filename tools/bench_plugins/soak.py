# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Soak of the follow-up over the bench dataset (plugin of ``make bench``):
thirty simulated days, every level of every strategy launched daily; every
journal item must be reminded at most once per level (duplicates 0). The soak
itself lives in tests/soak.py (tests never import tools/).

``SOAK_REAL_EMAIL=1`` keeps the emails; ``SOAK_DAYS`` changes the number of
days (default 30). Letters are stubbed: a secondary, labelled line.
"""

import importlib.util
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _soak_module():
    path = os.path.join(ROOT, "tests", "soak.py")
    spec = importlib.util.spec_from_file_location("account_dunning_soak", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def measure(env):
    days = int(os.environ.get("SOAK_DAYS", "30"))
    stub_email = os.environ.get("SOAK_REAL_EMAIL") != "1"
    figures = _soak_module().run_soak(env, days=days, stub_email=stub_email)
    return [
        {
            "label": f"(secondary, stubbed) soak: {days} days, every level "
            "launched daily",
            "seconds": figures["seconds"],
            "queries": figures["queries"],
            "note": (
                f"{figures['batches']} batches, {figures['sent']} reminders, "
                f"{figures['skipped']} skipped, {figures['failed']} failed; "
                f"duplicates (item x level reminded twice): {figures['duplicates']}"
                + (
                    "; letters and emails stubbed"
                    if stub_email
                    else "; letters stubbed"
                )
            ),
            "duplicates": figures["duplicates"],
        }
    ]
