#!/usr/bin/env python3
"""Take the README screenshots from a running demo server (``make demo``).

Usage: python3 tools/screenshots.py [--url http://127.0.0.1:8069]
           [--db account_dunning_demo] [--lang fr_FR] [--out static/description]

Needs Chromium, its driver (Debian: chromium chromium-driver, installed by
``make install-deps``) and ``pip install selenium``. It logs in as admin/admin,
launches the first follow-up level of the demo scenario when no batch exists
yet, and saves PNG files in --out.
"""

import argparse
import datetime
import json
import sys
import time
import urllib.request

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
except ImportError:
    sys.exit(
        "screenshots: pip install selenium (and apt-get install chromium "
        "chromium-driver)"
    )


def rpc(url, path, params, cookie=None):
    data = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
    request = urllib.request.Request(
        url + path, data=data, headers={"Content-Type": "application/json"}
    )
    if cookie:
        request.add_header("Cookie", f"session_id={cookie}")
    with urllib.request.urlopen(request, timeout=120) as response:
        body = json.loads(response.read())
        session = None
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("session_id="):
                session = header.split(";")[0].split("=", 1)[1]
    if body.get("error"):
        raise RuntimeError(body["error"]["data"]["message"])
    return body["result"], session


def call(url, cookie, model, method, args, kwargs=None):
    result, _session = rpc(
        url,
        "/web/dataset/call_kw",
        {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        cookie,
    )
    return result


def ref(url, cookie, name):
    return call(
        url,
        cookie,
        "ir.model.data",
        "check_object_reference",
        ["account_dunning", name],
    )[1]


def launch_and_pay(url, cookie, ctx):
    """Launch the first level of the demo scenario, then let Technologies
    Aujourd'hui pay three days after the reminder (recovery rate)."""
    batches = call(url, cookie, "dunning.batch", "search", [[]], {"limit": 1})
    if not batches:
        wizard = call(
            url,
            cookie,
            "dunning.launch.wizard",
            "create",
            [
                {
                    "strategy_id": ref(url, cookie, "dunning_strategy_classic"),
                    "level_id": ref(url, cookie, "dunning_level_classic_1"),
                }
            ],
            {"context": ctx},
        )
        call(
            url,
            cookie,
            "dunning.launch.wizard",
            "action_launch",
            [[wizard]],
            {"context": ctx},
        )
        batches = call(url, cookie, "dunning.batch", "search", [[]], {"limit": 1})
    invoice = ref(url, cookie, "account_move_technologies_demo")
    state = call(url, cookie, "account.move", "read", [[invoice], ["payment_state"]])
    if state[0]["payment_state"] == "not_paid":
        batch_date = call(url, cookie, "dunning.batch", "read", [batches, ["date"]])
        pay_date = datetime.date.fromisoformat(batch_date[0]["date"])
        pay_ctx = {"active_model": "account.move", "active_ids": [invoice], **ctx}
        register = call(
            url,
            cookie,
            "account.payment.register",
            "create",
            [{"payment_date": str(pay_date + datetime.timedelta(days=3))}],
            {"context": pay_ctx},
        )
        call(
            url,
            cookie,
            "account.payment.register",
            "action_create_payments",
            [[register]],
            {"context": pay_ctx},
        )
    return batches


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="account_dunning_demo")
    parser.add_argument("--lang", default="fr_FR")
    parser.add_argument("--out", default="static/description")
    args = parser.parse_args()
    url = args.url.rstrip("/")

    result, cookie = rpc(
        url,
        "/web/session/authenticate",
        {"db": args.db, "login": "admin", "password": "admin"},
    )
    call(url, cookie, "res.users", "write", [[result["uid"]], {"lang": args.lang}])
    ctx = {"lang": args.lang}

    options = webdriver.ChromeOptions()
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1440,1000",
    ):
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(url + "/web/login")
        driver.add_cookie({"name": "session_id", "value": cookie, "path": "/"})

        def shot(path, name, tab=None, wait=3):
            driver.get(url + path)
            time.sleep(wait)
            if tab:
                tabs = driver.find_elements(
                    By.CSS_SELECTOR, f"a.nav-link[name='{tab}']"
                )
                if tabs:
                    tabs[0].click()
                    driver.execute_script("arguments[0].scrollIntoView(true);", tabs[0])
                    time.sleep(1.5)
            target = f"{args.out}/{name}.png"
            driver.save_screenshot(target)
            print("saved", target)

        # the wizard before anything was launched: its summary shows the run
        shot(
            "/odoo/action-account_dunning.dunning_launch_wizard_action", "launch_wizard"
        )
        shot(
            "/odoo/action-account_dunning.res_partner_action_dunning_report",
            "followup_reports",
        )
        batches = launch_and_pay(url, cookie, ctx)
        partner = ref(url, cookie, "res_partner_consulting_demo")
        for path, name, tab in (
            (
                f"/odoo/action-account_dunning.dunning_batch_action/{batches[0]}",
                "batch",
                None,
            ),
            (
                f"/odoo/action-account.res_partner_action_customer/{partner}",
                "partner_followup",
                "dunning",
            ),
            (
                "/odoo/action-account_dunning.dunning_aged_balance_action",
                "dunning_aged_balance",
                None,
            ),
            (
                "/odoo/action-account_dunning.dunning_recovery_report_action",
                "dunning_recovery",
                None,
            ),
        ):
            shot(path, name, tab)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
