# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer's follow-up page, through real HTTP requests."""

import re
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from .common import DunningCommon, load_french

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestDunningPortal(DunningCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.invoice_1 = cls._create_invoice(
            cls.customer, 1000.0, cls.today - timedelta(days=20)
        )
        cls.invoice_2 = cls._create_invoice(
            cls.customer, 500.0, cls.today - timedelta(days=8)
        )
        cls.other = cls._create_customer("Autre Client SARL")
        cls.other_invoice = cls._create_invoice(
            cls.other, 333.0, cls.today - timedelta(days=15)
        )
        cls.link = cls.env["dunning.portal.token"]._get_for(cls.customer, cls.company)
        cls.user_accountman = cls.env.user
        cls.customer.with_company(cls.company).dunning_responsible_id = cls.env.user

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _url(self, link=None, suffix=""):
        return f"/dunning/{(link or self.link).token}{suffix}"

    def _open(self, link=None):
        response = self.url_open(self._url(link))
        return response

    def _post(self, action, data, link=None, csrf=True, files=None):
        page = self._open(link)
        values = dict(data)
        if csrf:
            values["csrf_token"] = CSRF_RE.search(page.text).group(1)
        return self.url_open(
            self._url(link, f"/{action}"),
            data=values,
            files=files,
            allow_redirects=True,
        )

    def _reason(self, date=None):
        result = self._evaluate(date or self.today, partners=self.customer)
        return result.partners[self.customer.id]

    def _login_portal_user(self):
        """Log in as a portal user, contact of the customer."""
        new_test_user(
            self.env,
            login="portal_bourdin",
            password="portal_bourdin",
            groups="base.group_portal",
            partner_id=self.customer_contact.id,
        )
        self.authenticate("portal_bourdin", "portal_bourdin")

    def _activities(self):
        return self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
        )

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_valid_token_shows_only_the_customer(self):
        response = self._open()
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.invoice_1.name, response.text)
        self.assertIn(self.invoice_2.name, response.text)
        self.assertNotIn(self.other_invoice.name, response.text)
        self.assertNotIn("Autre Client", response.text)
        # overdue first: the 20-day-old invoice before the 8-day-old one
        self.assertLess(
            response.text.index(self.invoice_1.name),
            response.text.index(self.invoice_2.name),
        )
        answer = self.env["dunning.portal.answer"].search(
            [("token_id", "=", self.link.id)]
        )
        self.assertEqual(answer.answer_type, "opened")
        self.assertTrue(
            self.customer.message_ids.filtered(
                lambda m: "opened the follow-up page" in m.body
            )
        )
        # opening again the same day is not recorded twice
        self._open()
        self.assertEqual(
            self.env["dunning.portal.answer"].search_count(
                [("token_id", "=", self.link.id)]
            ),
            1,
        )

    def test_other_customer_token(self):
        other_link = self.env["dunning.portal.token"]._get_for(self.other, self.company)
        self.assertNotEqual(other_link.token, self.link.token)
        response = self._open(other_link)
        self.assertIn(self.other_invoice.name, response.text)
        self.assertNotIn(self.invoice_1.name, response.text)
        # nor can it dispute the customer's invoice
        response = self._post(
            "dispute",
            {"invoice_id": self.invoice_1.id, "reason": "quality", "details": "x"},
            link=other_link,
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.invoice_1.dunning_dispute_reason)

    def test_tampered_token(self):
        token = self.link.token
        tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
        for path in (
            f"/dunning/{tampered}",
            "/dunning/x",
            f"/dunning/{tampered}/statement",
        ):
            response = self.url_open(path)
            self.assertEqual(response.status_code, 404, path)
            self.assertIn("This link is not valid", response.text)
            self.assertNotIn(self.customer.name, response.text)
            self.assertNotIn("Traceback", response.text)

    def test_expired_and_revoked_token(self):
        self.link.sudo().expiration_date = fields.Datetime.now() - timedelta(minutes=1)
        response = self._open()
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(self.invoice_1.name, response.text)
        self.assertIn(self.company.name, response.text)  # the company's contact
        # a new link is made for the next reminder
        new_link = self.env["dunning.portal.token"]._get_for(
            self.customer, self.company
        )
        self.assertNotEqual(new_link, self.link)
        self.assertEqual(self._open(new_link).status_code, 200)
        new_link.with_user(self.env.user).action_revoke()  # the accountant
        self.assertEqual(self._open(new_link).status_code, 404)
        salesman = new_test_user(
            self.env, login="dunning_sales", groups="base.group_user"
        )
        with self.assertRaises(AccessError):
            self.link.with_user(salesman).action_revoke()
        self.assertFalse(self.link.revoked)

    def _set_contact(self, company, phone, email):
        company.partner_id.write({"phone": phone, "email": email})

    def test_expired_link_shows_its_company_only(self):
        """The error page of an expired link of a second company shows that
        company's name, logo and contact, nothing of the main company (even
        after a page of the main company was shown)."""
        company_2 = self.setup_other_company(name="Bonjour IT")["company"]
        self._set_contact(self.company, "+33 1 11 11 11 11", "main@example.com")
        self._set_contact(company_2, "+33 2 22 22 22 22", "bonjour@example.com")
        self.assertEqual(self._open().status_code, 200)  # main company's page
        link_2 = self.env["dunning.portal.token"]._get_for(self.customer, company_2)
        link_2.expiration_date = fields.Datetime.now() - timedelta(minutes=1)
        response = self._open(link_2)
        self.assertEqual(response.status_code, 404)
        self.assertIn("This link is not valid", response.text)
        for value in ("Bonjour IT", "+33 2 22 22 22 22", "bonjour@example.com"):
            self.assertIn(value, response.text)
        self.assertIn(f'/logo.png?company={company_2.id}"', response.text)
        main_company = self.env.ref("base.main_company")  # the public user's
        for value in (
            self.company.name,
            main_company.name,
            "+33 1 11 11 11 11",
            "main@example.com",
            f'/logo.png?company={self.company.id}"',
            f'/logo.png?company={main_company.id}"',
        ):
            self.assertNotIn(value, response.text)

    def test_unknown_link_page_is_neutral(self):
        """No company is known for an unknown link or a blocked address: the
        page shows no company's name, logo or contact."""
        company_2 = self.setup_other_company(name="Bonjour IT")["company"]
        self._set_contact(self.company, "+33 1 11 11 11 11", "main@example.com")
        self._set_contact(company_2, "+33 2 22 22 22 22", "bonjour@example.com")
        self.assertEqual(self._open().status_code, 200)
        self.env["ir.config_parameter"].sudo().set_param(
            "account_dunning.portal_rate_limit_bad_link", 1
        )
        for path, status in (("/dunning/unknown-token", 404), (self._url(), 429)):
            response = self.url_open(path)
            self.assertEqual(response.status_code, status, path)
            self.assertIn("This link is not valid", response.text)
            for value in (
                self.company.name,
                self.env.ref("base.main_company").name,
                "Bonjour IT",
                "+33 1 11 11 11 11",
                "main@example.com",
                "+33 2 22 22 22 22",
                "bonjour@example.com",
                "/logo.png",
            ):
                self.assertNotIn(value, response.text, path)

    def test_tokens_are_per_company(self):
        company_2 = self.setup_other_company(name="Other company")["company"]
        link_2 = self.env["dunning.portal.token"]._get_for(self.customer, company_2)
        self.assertNotEqual(link_2, self.link)
        self.assertEqual(link_2.company_id, company_2)
        response = self._open(link_2)
        self.assertNotIn(self.invoice_1.name, response.text)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def test_promise_pauses_then_breaks(self):
        self.assertEqual(self._reason().status, "in_need_of_action")
        date = self.today + timedelta(days=10)
        response = self._post(
            "promise", {"date": fields.Date.to_string(date), "amount": "1500.00"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_dunning_done", response.text)
        promise = self.env["dunning.promise"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertRecordValues(
            promise,
            [
                {
                    "amount": 1500.0,
                    "date": date,
                    "state": "open",
                    "company_id": self.company.id,
                }
            ],
        )
        self.assertEqual(promise.user_id, self.user_accountman)
        res = self._reason()
        self.assertEqual(res.reason, "promised")
        self.assertNotEqual(res.status, "in_need_of_action")
        answer = self.env["dunning.portal.answer"].search(
            [("answer_type", "=", "promised")]
        )
        self.assertEqual(answer.promise_id, promise)
        # the day after the date, unpaid: broken, due again, activity
        self.env["dunning.promise"]._check_promises(
            self.company, date + timedelta(days=1)
        )
        self.assertEqual(promise.state, "broken")
        self.assertEqual(answer.promise_state, "broken")
        self.assertEqual(
            self._reason(date + timedelta(days=1)).status, "in_need_of_action"
        )
        self.assertTrue(self._activities())

    def test_promise_validation(self):
        too_late = self.today + timedelta(
            days=self.company.dunning_portal_promise_days + 1
        )
        for data in (
            {"date": fields.Date.to_string(too_late), "amount": "100"},
            {
                "date": fields.Date.to_string(self.today - timedelta(days=1)),
                "amount": "100",
            },
            {"date": fields.Date.to_string(self.today), "amount": "0"},
            {"date": fields.Date.to_string(self.today), "amount": "1500.01"},
            {"date": "not a date", "amount": "100"},
            {"date": fields.Date.to_string(self.today), "amount": "abc"},
        ):
            response = self._post("promise", data)
            self.assertEqual(response.status_code, 400, data)
            self.assertIn("o_dunning_error", response.text)
        self.assertFalse(
            self.env["dunning.promise"].search([("partner_id", "=", self.customer.id)])
        )

    @mute_logger("odoo.http")
    def test_csrf(self):
        response = self._post(
            "promise",
            {"date": fields.Date.to_string(self.today), "amount": "100"},
            csrf=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(
            self.env["dunning.promise"].search([("partner_id", "=", self.customer.id)])
        )

    def test_dispute_excludes_invoice_and_escapes_reason(self):
        response = self._post(
            "dispute",
            {
                "invoice_id": self.invoice_1.id,
                "reason": "other",
                "details": "<script>alert('x')</script><b>bold</b>",
            },
            files={"attachment": ("proof.pdf", b"%PDF-1.4 proof", "application/pdf")},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_dunning_done", response.text)
        self.assertTrue(self.invoice_1.dunning_dispute_reason)
        self.assertGreater(self.invoice_1.dunning_dispute_until, self.today)
        items = {item.move_id: item for item in self._reason().items}
        self.assertEqual(items[self.invoice_1.id].reason, "disputed")
        self.assertIsNone(items[self.invoice_2.id].reason)
        activity = self._activities()
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_accountman)
        self.assertIn(self.invoice_1.name, activity.summary)
        message = self.customer.message_ids.filtered(lambda m: "disputes" in m.body)
        self.assertTrue(message)
        self.assertNotIn("<script>", message.body)
        self.assertNotIn("<b>bold", message.body)
        self.assertIn("&lt;script&gt;", message.body)
        self.assertNotIn("<script>", activity.note)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", self.invoice_1.id)]
        )
        self.assertEqual(attachment.mimetype, "application/pdf")
        # the disputed invoice is no longer offered to dispute
        page = self._open().text
        self.assertNotIn(f'<option value="{self.invoice_1.id}">', page)

    def test_dispute_refuses_bad_attachment(self):
        response = self._post(
            "dispute",
            {"invoice_id": self.invoice_1.id, "reason": "quality"},
            files={"attachment": ("run.sh", b"#!/bin/sh\nrm -rf /\n", "text/x-sh")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.invoice_1.dunning_dispute_reason)
        self.assertFalse(self.env["ir.attachment"].search([("name", "=", "run.sh")]))

    def test_already_paid_pauses(self):
        response = self._post(
            "paid",
            {
                "date": fields.Date.to_string(self.today),
                "amount": "1000",
                "note": "Virement",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_dunning_done", response.text)
        partner = self.customer.with_company(self.company)
        pause = self.company.dunning_portal_paid_pause_days
        self.assertEqual(partner.dunning_next_date, self.today + timedelta(days=pause))
        self.assertEqual(self._reason().reason, "remind_later")
        self.assertEqual(
            self._reason(self.today + timedelta(days=pause + 1)).status,
            "in_need_of_action",
        )
        activity = self._activities()
        self.assertEqual(len(activity), 1)
        self.assertIn("Check the payment", activity.summary)
        self.assertTrue(
            self.customer.message_ids.filtered(lambda m: "already paid" in m.body)
        )

    def test_rate_limit(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "account_dunning.portal_rate_limit_token", 2
        )
        data = {"date": fields.Date.to_string(self.today), "amount": "10"}
        self.assertEqual(self._post("paid", data).status_code, 200)
        self.assertEqual(self._post("paid", data).status_code, 200)
        response = self._post("paid", data)
        self.assertEqual(response.status_code, 429)
        self.assertEqual(
            self.env["dunning.portal.answer"].search_count(
                [("answer_type", "=", "paid_claim")]
            ),
            2,
        )

    def test_wrong_links_rate_limited_per_ip(self):
        """Wrong, expired or revoked links are counted per IP address: past
        the limit, the address gets no page at all, even with a valid link."""
        self.env["ir.config_parameter"].sudo().set_param(
            "account_dunning.portal_rate_limit_bad_link", 3
        )
        expired = self.env["dunning.portal.token"]._get_for(self.other, self.company)
        expired.expiration_date = fields.Datetime.now() - timedelta(minutes=1)
        for path in ("/dunning/wrong-token", self._url(expired), "/d/wrong-token"):
            self.assertEqual(self.url_open(path).status_code, 404, path)
        attempts = self.env["dunning.portal.attempt"].search([])
        self.assertEqual(len(attempts), 3)
        self.assertEqual(set(attempts.mapped("ip_address")), {"127.0.0.1"})
        for path in ("/dunning/other-wrong-token", self._url()):
            response = self.url_open(path)
            self.assertEqual(response.status_code, 429, path)
            self.assertIn("Too many invalid links", response.text)
            self.assertNotIn(self.invoice_1.name, response.text)
        # the payment route too, whatever the token
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                self._url(suffix=f"/transaction/{self.invoice_1.id}"), {}
            )
        self.assertFalse(self.env["payment.transaction"].search([]))
        # an hour later the address may open its valid link again
        self.env.cr.execute(
            "UPDATE dunning_portal_attempt SET create_date = create_date - "
            "interval '61 minutes'"
        )
        self.assertEqual(self._open().status_code, 200)

    def test_wrong_link_on_payment_route_is_counted(self):
        # not self.assertRaises: it rolls back what the request committed
        error = None
        with mute_logger("odoo.http"):
            try:
                self.make_jsonrpc_request(
                    f"/dunning/wrong-token/transaction/{self.invoice_1.id}", {}
                )
            except JsonRpcException as exc:
                error = exc
        self.assertIn("ValidationError", str(error))
        self.assertEqual(self.env["dunning.portal.attempt"].search_count([]), 1)

    def test_settings_disable_actions(self):
        self.company.dunning_portal_allow_promise = False
        page = self._open().text
        self.assertNotIn("o_dunning_promise", page)
        response = self._post(
            "promise", {"date": fields.Date.to_string(self.today), "amount": "100"}
        )
        self.assertEqual(response.status_code, 404)
        self.company.dunning_portal_enabled = False
        self.assertEqual(self._open().status_code, 404)
        self.assertFalse(self.customer._dunning_portal_url(self.company))

    # ------------------------------------------------------------------
    # Online payment (payment_demo)
    # ------------------------------------------------------------------

    def _demo_provider(self):
        """The demo provider in the test company (tests of the online
        payment need ``payment_demo``: make test EXTRA_MODULES=payment_demo)."""
        if self.env["ir.module.module"]._get("payment_demo").state != "installed":
            self.skipTest("payment_demo is not installed")
        provider = (
            self.env["payment.provider"]
            .sudo()
            .search(
                [("code", "=", "demo"), ("company_id", "=", self.company.id)], limit=1
            )
        )
        if not provider:
            base = (
                self.env["payment.provider"]
                .sudo()
                .search([("code", "=", "demo")], limit=1)
            )
            provider = base.copy({"company_id": self.company.id})
        provider.state = "test"
        return provider

    def _pay_online(self, invoices, state="done", tokenization_requested=False):
        provider = self._demo_provider()
        route = self._url(suffix="/transaction/" + "-".join(map(str, invoices.ids)))
        values = self.make_jsonrpc_request(
            route,
            {
                "provider_id": provider.id,
                "payment_method_id": provider.payment_method_ids[:1].id,
                "token_id": None,
                "amount": 1.0,  # ignored: the server computes the amount
                "flow": "direct",
                "tokenization_requested": tokenization_requested,
                "landing_route": self._url(),
                "is_validation": False,
                "access_token": self.link.token,
            },
        )
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {
                "reference": values["reference"],
                "payment_details": "4242",
                "simulated_state": state,
            },
        )
        return self.env["payment.transaction"].search(
            [("reference", "=", values["reference"])]
        )

    def test_online_payment(self):
        self._demo_provider()
        page = self._open().text
        self.assertIn("o_payment_form", page)
        invoices = self.invoice_1 | self.invoice_2
        tx = self._pay_online(invoices)
        self.assertEqual(tx.amount, 1500.0)
        self.assertEqual(tx.invoice_ids, invoices)
        self.assertEqual(tx.dunning_portal_token_id, self.link)
        tx._post_process()
        self.assertTrue(
            all(inv.payment_state in ("paid", "in_payment") for inv in invoices),
            invoices.mapped("payment_state"),
        )
        result = self._evaluate(self.today, partners=self.customer)
        res = result.partners.get(self.customer.id)
        self.assertTrue(not res or res.status == "no_action_needed")
        answer = self.env["dunning.portal.answer"].search(
            [("answer_type", "=", "paid_online")]
        )
        self.assertEqual(answer.amount, 1500.0)
        self.assertEqual(answer.move_ids, invoices)

    def test_online_payment_no_tokenization_for_visitors(self):
        """Whoever holds the link may pay, not save a payment method on the
        customer's account (as on Odoo's payment links); a logged-in portal
        user may."""
        provider = self._demo_provider()
        provider.allow_tokenization = True
        self.assertTrue(provider.payment_method_ids[:1].support_tokenization)
        page = self._open().text
        self.assertIn("o_payment_form", page)
        self.assertNotIn("o_payment_tokenize_checkbox", page)
        tx = self._pay_online(self.invoice_1, tokenization_requested=True)
        self.assertEqual(tx.state, "done")
        self.assertFalse(tx.tokenize)
        self.assertFalse(tx.token_id)
        self.assertFalse(
            self.env["payment.token"].search(
                [("partner_id", "child_of", self.customer.id)]
            )
        )
        self._login_portal_user()
        self.assertIn("o_payment_tokenize_checkbox", self._open().text)

    def test_saved_payment_method_not_offered_to_visitors(self):
        """Whoever holds the link cannot pay with a payment method the
        customer saved."""
        provider = self._demo_provider()
        provider.allow_tokenization = True
        token = self.env["payment.token"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": provider.payment_method_ids[:1].id,
                "partner_id": self.customer.id,
                "provider_ref": "dunning-saved-card",
                "payment_details": "9876",
            }
        )
        page = self._open().text
        self.assertIn("o_payment_form", page)
        self.assertNotIn("9876", page)
        route = self._url(suffix=f"/transaction/{self.invoice_1.id}")
        with mute_logger("odoo.http"):
            with self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(
                    route,
                    {
                        "provider_id": provider.id,
                        "payment_method_id": token.payment_method_id.id,
                        "token_id": token.id,
                        "amount": 1.0,
                        "flow": "token",
                        "tokenization_requested": False,
                        "landing_route": self._url(),
                        "is_validation": False,
                        "access_token": self.link.token,
                    },
                )
        self.assertFalse(
            self.env["payment.transaction"].search([("token_id", "=", token.id)])
        )

    def test_online_payment_of_what_is_still_owed(self):
        """An invoice partly paid without journal entry (Odoo marks it paid)
        stays payable online, for what is still owed."""
        bank = self.company_data["default_journal_bank"]
        bank.inbound_payment_method_line_ids.payment_account_id = False
        self._pay(self.invoice_1, amount=400.0, date=self.today, journal_id=bank.id)
        self.assertIn(self.invoice_1.payment_state, ("paid", "in_payment"))
        self._demo_provider()
        page = self._open().text
        self.assertIn(f'id="pay_{self.invoice_1.id}"', page)
        tx = self._pay_online(self.invoice_1)
        self.assertEqual(tx.amount, 600.0)
        tx._post_process()
        res = self._reason()
        self.assertEqual({item.move_id for item in res.items}, {self.invoice_2.id})

    def test_online_payment_pending_pauses(self):
        self._pay_online(self.invoice_1, state="pending")
        res = self._reason()
        self.assertEqual(res.reason, "payment_pending")
        self.assertNotEqual(res.status, "in_need_of_action")

    def test_online_payment_refuses_other_invoices(self):
        provider = self._demo_provider()
        route = self._url(suffix=f"/transaction/{self.other_invoice.id}")
        with mute_logger("odoo.http"):
            with self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(
                    route,
                    {
                        "provider_id": provider.id,
                        "payment_method_id": provider.payment_method_ids[:1].id,
                        "token_id": None,
                        "amount": 333.0,
                        "flow": "direct",
                        "tokenization_requested": False,
                        "landing_route": self._url(),
                        "is_validation": False,
                    },
                )
        self.assertFalse(
            self.env["payment.transaction"].search(
                [("invoice_ids", "in", self.other_invoice.ids)]
            )
        )

    # ------------------------------------------------------------------
    # Reminders carry the link; answers on the batch line
    # ------------------------------------------------------------------

    def _remind(self):
        batch = self._launch(self.level_1, self.today)
        line = batch.line_ids.filtered(lambda bl: bl.partner_id == self.customer)
        self.assertEqual(line.state, "sent")
        mail = self._mails(self.customer)[-1:]
        match = re.search(r'href="[^"]*(/dunning/[A-Za-z0-9_-]+)"', mail.body_html)
        self.assertTrue(match, mail.body_html)
        return line, match.group(1)

    def test_email_link_and_batch_line_answer(self):
        line, path = self._remind()
        self.assertEqual(path, self._url())
        self._post(
            "paid",
            {"date": fields.Date.to_string(self.today), "amount": "100"},
        )
        self.assertEqual(line.portal_answer, "paid_claim")
        self.assertEqual(
            line.portal_answer_ids.mapped("answer_type"), ["paid_claim", "opened"]
        )
        answered = self.env["res.partner"].search(
            [("dunning_portal_answer_ids.answer_type", "!=", "opened")]
        )
        self.assertIn(self.customer, answered)

    def test_statement_download(self):
        response = self.url_open(self._url(suffix="/statement"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"), response.content[:300])

    def test_page_in_customer_language(self):
        load_french(self.env)
        self.customer.lang = "fr_FR"
        page = self._open().text
        self.assertIn("Votre compte chez", page)
        self.assertIn("Promettre de payer", page)
        self.customer_contact.lang = "fr_FR"
        _line, _path = self._remind()
        self.assertIn("Voir mon compte", self._mails(self.customer)[-1:].body_html)

    def test_tour_promise_from_email(self):
        _line, path = self._remind()
        self.start_tour(path, "account_dunning_portal_promise", login=None)
        promise = self.env["dunning.promise"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(promise.amount, 150.0)
        self.assertEqual(promise.state, "open")

    def test_sms_and_letter_carry_the_link(self):
        template = self.env.ref("account_dunning.sms_template_dunning")
        body = template._render_field("body", self.customer.ids)[self.customer.id]
        self.assertIn(f"/d/{self.link.token}", body)
        response = self.url_open(f"/d/{self.link.token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.invoice_1.name, response.text)
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "account_dunning.action_report_dunning_letter", self.customer.ids
        )
        html = html.decode()
        self.assertIn(self.link.url, html)
        self.assertIn("data:image/png;base64,", html)

    def test_level_sms_carries_the_link_once(self):
        self.customer_contact.mobile = "+33612345678"
        self.level_1.write(
            {
                "send_sms": True,
                "sms_template_id": self.env.ref(
                    "account_dunning.sms_template_dunning"
                ).id,
            }
        )
        self._launch(self.level_1, self.today)
        sms = self.env["sms.sms"].search(
            [("partner_id", "=", self.customer_contact.id)]
        )
        url = f"{self.company.get_base_url()}/d/{self.link.token}"
        self.assertEqual(
            sms.body,
            f"{self.company.name}: some of your invoices are overdue. See your "
            f"account, pay or answer: {url}",
        )

    def test_portal_user_my_account(self):
        self._login_portal_user()
        response = self.url_open("/my/dunning")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.invoice_1.name, response.text)
        self.assertNotIn(self.other_invoice.name, response.text)
        self.assertIn(f"/dunning/{self.link.token}", response.url)

    def test_letter_payment_link_outside_request(self):
        """Letters are rendered by the cron too: the payment link of a letter
        (follow-up page disabled) needs no HTTP request."""
        self._demo_provider()
        report = self.env["report.account_dunning.report_dunning_letter"]
        totals = {self.currency.id: {"currency": self.currency, "residual": 1500.0}}
        self.assertFalse(report._get_payment_link(self.customer, self.company, totals))
        self.company.dunning_portal_enabled = False
        link = report._get_payment_link(self.customer, self.company, totals)
        self.assertIn("/payment/pay?", link)
        self.assertIn("access_token=", link)

    def test_tour_pay_online(self):
        self._demo_provider()
        self.start_tour(self._url(), "account_dunning_portal_pay_demo", login=None)
        invoices = self.invoice_1 | self.invoice_2
        self.assertTrue(
            all(inv.payment_state in ("paid", "in_payment") for inv in invoices),
            invoices.mapped("payment_state"),
        )
        self.assertEqual(
            self.env["dunning.portal.answer"]
            .search([("answer_type", "=", "paid_online")])
            .amount,
            1500.0,
        )
