#!/usr/bin/env python3
# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Replay the main attacks on the follow-up through the external API.

Usage: tools/attack_jsonrpc.py URL DB [ADMIN_LOGIN] [ADMIN_PASSWORD]
       (e.g. http://127.0.0.1:8069 account_dunning_demo admin admin)

As the administrator it creates (once) a company "Attack B" and the users
``attack_billing_a`` (billing user of the main company),
``attack_billing_b`` and ``attack_manager_b`` (company B only) and
``attack_salesman_a``, then every attack is a JSON-RPC ``execute_kw`` call
of one of these users against the records of the other company. Prints one
line per attack; exits with 1 when an attack was not refused. Use a test
database: it creates records.
"""

import itertools
import json
import sys
import urllib.request

PASSWORD = "attack-Pwd-2026"
_ids = itertools.count(1)


class RpcError(Exception):
    pass


class Client:
    def __init__(self, url, db, login, password):
        self.url, self.db, self.password = url.rstrip("/") + "/jsonrpc", db, password
        self.uid = self.call("common", "authenticate", db, login, password, {})
        if not self.uid:
            raise SystemExit(f"cannot log in as {login}")

    def call(self, service, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": next(_ids),
            "params": {"service": service, "method": method, "args": args},
        }
        request = urllib.request.Request(
            self.url,
            json.dumps(payload).encode(),
            {"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            answer = json.load(response)
        if answer.get("error"):
            data = answer["error"].get("data", {})
            raise RpcError(f"{data.get('name', '')}: {data.get('message', '')}")
        return answer["result"]

    def __call__(self, model, method, *args, **kwargs):
        return self.call(
            "object",
            "execute_kw",
            self.db,
            self.uid,
            self.password,
            model,
            method,
            list(args),
            kwargs,
        )


def setup(admin):
    """Company B and the attackers (idempotent); returns the user clients'
    logins and the ids used by the attacks."""
    ref = admin("ir.model.data", "check_object_reference", "base", "main_company")
    company_a = ref[1]
    company_b = admin("res.company", "search", [("name", "=", "Attack B")]) or [
        admin("res.company", "create", {"name": "Attack B"})
    ]
    company_b = company_b[0]

    def group(xmlid):
        module, name = xmlid.split(".")
        return admin("ir.model.data", "check_object_reference", module, name)[1]

    contacts = group("base.group_partner_manager")
    billing = [group("account.group_account_invoice"), contacts]
    manager = [group("account.group_account_manager"), contacts]
    salesman = [group("base.group_user"), contacts]
    for login, groups, company in (
        ("attack_billing_a", billing, company_a),
        ("attack_billing_b", billing, company_b),
        ("attack_manager_b", manager, company_b),
        ("attack_salesman_a", salesman, company_a),
    ):
        if not admin("res.users", "search", [("login", "=", login)]):
            admin(
                "res.users",
                "create",
                {
                    "name": login,
                    "login": login,
                    "password": PASSWORD,
                    "company_id": company,
                    "company_ids": [(6, 0, [company])],
                    "groups_id": [(6, 0, groups)],
                },
            )
    customer = admin(
        "res.partner", "create", {"name": "Attack shared customer", "is_company": True}
    )
    return company_a, company_b, customer


def main(url, db, login="admin", password="admin"):
    admin = Client(url, db, login, password)
    company_a, company_b, customer = setup(admin)
    billing_a = Client(url, db, "attack_billing_a", PASSWORD)
    billing_b = Client(url, db, "attack_billing_b", PASSWORD)
    manager_b = Client(url, db, "attack_manager_b", PASSWORD)
    salesman_a = Client(url, db, "attack_salesman_a", PASSWORD)

    # records of company A: a manual follow-up screen, a promise, a batch
    manual_a = billing_a("dunning.manual.wizard", "create", {"partner_id": customer})
    promise_b = billing_b(
        "dunning.promise",
        "create",
        {"partner_id": customer, "amount": 10.0, "date": "2099-01-01"},
    )
    batch_a = billing_a("dunning.batch", "create", {"name": "Attack batch A"})
    strategy_b = manager_b("dunning.strategy", "create", {"name": "Attack B strategy"})
    level_a = admin(
        "dunning.level", "search", [("company_id", "=", company_a)], limit=1
    )

    attacks = [
        (
            "B lists A's manual follow-up screens",
            billing_b,
            (
                "dunning.manual.wizard",
                "search_read",
                [("id", "=", manual_a)],
                ["email_body"],
            ),
            lambda result: not result,
        ),
        (
            "B rewrites the email body of A's screen",
            billing_b,
            (
                "dunning.manual.wizard",
                "write",
                [manual_a],
                {"email_body": "<p>NEW IBAN</p>"},
            ),
            None,
        ),
        (
            "B opens a launch screen on company A",
            billing_b,
            ("dunning.launch.wizard", "create", {"company_id": company_a}),
            None,
        ),
        (
            "B opens a manual screen on company A",
            billing_b,
            (
                "dunning.manual.wizard",
                "create",
                {"partner_id": customer, "company_id": company_a},
            ),
            None,
        ),
        (
            "B moves its promise into A",
            billing_b,
            ("dunning.promise", "write", [promise_b], {"company_id": company_a}),
            None,
        ),
        (
            "B records a promise in A",
            billing_b,
            (
                "dunning.promise",
                "create",
                {
                    "partner_id": customer,
                    "amount": 1.0,
                    "date": "2099-01-01",
                    "company_id": company_a,
                },
            ),
            None,
        ),
        (
            "B reads A's batch",
            billing_b,
            ("dunning.batch", "read", [batch_a], ["name"]),
            None,
        ),
        (
            "B's manager makes his strategy A's default",
            manager_b,
            (
                "dunning.strategy",
                "write",
                [strategy_b],
                {"company_id": company_a, "is_default": True},
            ),
            None,
        ),
        (
            "A's billing user backdates his batch",
            billing_a,
            ("dunning.batch", "write", [batch_a], {"date": "2020-01-01"}),
            None,
        ),
        (
            "A's billing user forges a Reminded line",
            billing_a,
            (
                "dunning.batch.line",
                "create",
                {
                    "batch_id": batch_a,
                    "partner_id": customer,
                    "state": "sent",
                    "debit": 999999.0,
                },
            ),
            None,
        ),
        (
            "A's billing user launches on 9999-12-31",
            billing_a,
            ("dunning.launch.wizard", "create", {"date": "9999-12-31"}),
            None,
        ),
        (
            "salesman creates a customer excluded until 2099",
            salesman_a,
            (
                "res.partner",
                "create",
                {"name": "Forged", "trust": "bad", "dunning_next_date": "2099-01-01"},
            ),
            None,
        ),
        (
            "salesman writes the last level of a customer",
            salesman_a,
            (
                "res.partner",
                "write",
                [customer],
                {"dunning_last_level_id": level_a and level_a[0]},
            ),
            None,
        ),
        (
            "manager puts code in the letter file name",
            admin,
            (
                "dunning.level",
                "write",
                level_a,
                {
                    "letter_filename": "{{ object.env['ir.config_parameter'].sudo()"
                    ".get_param('database.secret') }}"
                },
            ),
            None,
        ),
    ]
    failures = 0
    for label, client, (model, method, *args), check in attacks:
        kwargs = {}
        if method == "search_read":
            args, kwargs = [args[0]], {"fields": args[1]}
        try:
            result = client(model, method, *args, **kwargs)
        except RpcError as error:
            print(f"REFUSED   {label}: {error}".splitlines()[0][:160])
            continue
        if check and check(result):
            print(f"REFUSED   {label}: nothing returned")
            continue
        failures += 1
        print(f"SUCCEEDED {label}: {str(result)[:120]}")
    print(f"{len(attacks) - failures}/{len(attacks)} attacks refused")
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    sys.exit(main(*sys.argv[1:]))
