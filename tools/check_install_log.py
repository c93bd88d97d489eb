#!/usr/bin/env python3
"""Check an Odoo server log written while installing/updating a module.

Fails (exit 1) and prints the offending entries when the log has:
  * any ERROR or CRITICAL entry (whatever module logged it);
  * a WARNING entry logged by ``odoo.addons.<module>`` or whose logger, message
    or continuation lines (traceback, source line of a py.warning) mention the
    module (``<module>`` or its model prefix, e.g. ``account.dunning``).

The database-name field of each log line is ignored, since test databases are
named after the module. Other WARNING entries (from Odoo core) are only counted
and summarised. ``--ignore REGEX`` (repeatable) whitelists entries.

Usage: check_install_log.py [--module account_dunning] [--ignore REGEX] LOGFILE
"""

import argparse
import re
import sys

# 2024-10-02 12:00:00,123 4242 WARNING dbname odoo.modules.loading: message
ENTRY_RE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ "
    r"(?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>[^\s:]+): ?(?P<msg>.*)$"
)
MAX_SHOWN_LINES = 40


def parse(lines):
    """Yield [level, logger, first_line, continuation_lines] entries."""
    entry = None
    for raw in lines:
        line = raw.rstrip("\n")
        match = ENTRY_RE.match(line)
        if match:
            if entry:
                yield entry
            entry = [match["level"], match["logger"], line, [], match["msg"]]
        elif entry:
            entry[3].append(line)
        elif line.strip():
            # text before the first log entry (should not happen with --logfile)
            yield ["UNPARSED", "", line, [], line]
    if entry:
        yield entry


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("logfile")
    parser.add_argument("--module", default="account_dunning")
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="REGEX",
        help="ignore entries whose first line matches REGEX",
    )
    args = parser.parse_args(argv)

    module = args.module
    mention = re.compile(
        r"{}|{}".format(re.escape(module), re.escape(module.replace("_", ".")))
    )
    ignores = [re.compile(rx) for rx in args.ignore]

    try:
        with open(args.logfile, encoding="utf-8", errors="replace") as fh:
            entries = list(parse(fh))
    except OSError as exc:
        print(f"check_install_log: cannot read {args.logfile}: {exc}")
        return 1
    if not entries:
        print(f"check_install_log: {args.logfile} is empty: Odoo did not run?")
        return 1

    offending = []
    core_warnings = {}
    for level, logger, first, cont, msg in entries:
        if any(rx.search(first) for rx in ignores):
            continue
        if level in ("ERROR", "CRITICAL"):
            offending.append((first, cont))
        elif level == "WARNING":
            about_module = logger == "odoo.addons." + module or logger.startswith(
                f"odoo.addons.{module}."
            )
            if about_module or mention.search(" ".join([logger, msg] + cont)):
                offending.append((first, cont))
            else:
                key = f"{logger}: {msg.strip()[:160]}"
                core_warnings[key] = core_warnings.get(key, 0) + 1

    if core_warnings:
        print(
            "check_install_log: %d WARNING(s) from Odoo core ignored:"
            % sum(core_warnings.values())
        )
        for key, count in sorted(core_warnings.items()):
            print("    {}{}".format(key, " (x%d)" % count if count > 1 else ""))
    if offending:
        print(
            "\ncheck_install_log: %d offending entr%s in %s "
            "(ERROR/CRITICAL, or WARNING about %s):"
            % (
                len(offending),
                "y" if len(offending) == 1 else "ies",
                args.logfile,
                module,
            )
        )
        for first, cont in offending:
            print(">>> " + first)
            for line in cont[:MAX_SHOWN_LINES]:
                print("    " + line)
            if len(cont) > MAX_SHOWN_LINES:
                print("    ... (%d more lines)" % (len(cont) - MAX_SHOWN_LINES))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
