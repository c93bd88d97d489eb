# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.tests import freeze_time, tagged

from .common import DunningCommon


@freeze_time("2026-06-15")
@tagged("post_install", "-at_install")
class TestResPartner(DunningCommon):
    """Follow-up fields of customers and invoices."""

    @classmethod
    def _receivable(cls, invoice):
        return invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )

    def test_statement_lists_open_items(self):
        first = self._create_invoice(self.customer, 1000.0, "2026-05-01")
        second = self._create_invoice(self.customer, 500.0, "2026-05-10")
        paid = self._create_invoice(self.customer, 200.0, "2026-05-05")
        draft = self._create_invoice(self.customer, 300.0, "2026-05-05", post=False)
        self._pay(first, amount=400.0, date="2026-05-20")
        self._pay(paid, date="2026-05-20")
        self.assertEqual(first.payment_state, "partial")
        self.assertEqual(paid.payment_state, "paid")
        self.assertEqual(draft.state, "draft")

        partner = self.customer.with_context(dunning_date="2026-06-01")
        lines = partner.dunning_statement_line_ids
        self.assertEqual(lines, self._receivable(first) | self._receivable(second))
        self.assertEqual(
            {line.move_id: line.amount_residual for line in lines},
            {first: 600.0, second: 500.0},
        )
        self.assertNotIn(paid, lines.move_id)
        self.assertNotIn(draft, lines.move_id)
        # a contact shows the statement of its company
        contact_lines = self.customer_contact.with_context(
            dunning_date="2026-06-01"
        ).dunning_statement_line_ids
        self.assertEqual(contact_lines, lines)
        # another customer has an empty statement
        self.assertFalse(
            self.partner_a.with_context(
                dunning_date="2026-06-01"
            ).dunning_statement_line_ids
        )

    def test_totals_on_a_date(self):
        self._create_invoice(self.customer, 1000.0, "2026-05-01")
        self._create_invoice(self.customer, 500.0, "2026-06-15")
        self._create_invoice(self.customer, 300.0, "2026-05-15", move_type="out_refund")
        partner = self.customer.with_context(dunning_date="2026-06-01")
        self.assertRecordValues(
            partner,
            [
                {
                    "dunning_total_due": 1200.0,
                    "dunning_total_overdue": 1000.0,
                    "dunning_currency_id": self.currency.id,
                    "dunning_status": "in_need_of_action",
                    "dunning_level_due_id": self.level_1.id,
                }
            ],
        )
        self.assertEqual(len(partner.dunning_statement_line_ids), 3)
        # without dunning_date: today (frozen on 2026-06-15, the second
        # invoice's due date, so it is not overdue yet)
        self.assertEqual(self.customer.dunning_total_due, 1200.0)
        self.assertEqual(self.customer.dunning_total_overdue, 1000.0)
        # after the due date of the second invoice, it is overdue as well
        later = self.customer.with_context(dunning_date="2026-06-20")
        self.assertEqual(later.dunning_total_due, 1200.0)
        self.assertEqual(later.dunning_total_overdue, 1500.0)
        # before any due date nothing is overdue
        early = self.customer.with_context(dunning_date="2026-04-30")
        self.assertEqual(early.dunning_total_due, 1200.0)
        self.assertEqual(early.dunning_total_overdue, 0.0)
        self.assertEqual(early.dunning_status, "no_action_needed")

    def test_invoice_shows_level_and_last_reminder(self):
        invoice = self._create_invoice(self.customer, 1000.0, "2026-05-01")
        self.assertFalse(invoice.dunning_level_id)
        self.assertFalse(invoice.dunning_date)
        self._receivable(invoice).write(
            {"dunning_level_id": self.level_2.id, "dunning_date": "2026-06-01"}
        )
        self.assertEqual(invoice.dunning_level_id, self.level_2)
        self.assertEqual(invoice.dunning_date, date(2026, 6, 1))
        partner = self.customer.with_context(dunning_date="2026-06-02")
        self.assertEqual(partner.dunning_level_id, self.level_2)
        self.assertEqual(partner.dunning_last_date, date(2026, 6, 1))

    def test_invoice_level_with_instalments(self):
        """Two instalments reminded at different levels: the invoice shows the
        highest level and the latest reminder date."""
        invoice = self._create_invoice(
            self.customer,
            1000.0,
            "2026-04-01",
            invoice_date="2026-04-01",
            payment_term=self.pay_terms_b,
        )
        first, second = self._receivable(invoice).sorted("date_maturity")
        second.write(
            {"dunning_level_id": self.level_1.id, "dunning_date": "2026-06-10"}
        )
        first.write({"dunning_level_id": self.level_3.id, "dunning_date": "2026-05-20"})
        self.assertEqual(invoice.dunning_level_id, self.level_3)
        self.assertEqual(invoice.dunning_date, date(2026, 6, 10))

    def test_company_dependent_fields(self):
        company_b = self.setup_other_company(name="B")["company"]
        self.env.user.company_ids |= company_b
        partner = self._create_customer("Per Company")
        partner.write(
            {"dunning_strategy_id": self.strategy.id, "dunning_comments": "Call first"}
        )
        self.assertRecordValues(
            partner,
            [
                {
                    "dunning_strategy_id": self.strategy.id,
                    "dunning_included": True,
                    "dunning_comments": "Call first",
                }
            ],
        )
        partner_b = partner.with_company(company_b)
        self.assertRecordValues(
            partner_b,
            [
                {
                    "dunning_strategy_id": False,
                    "dunning_included": False,
                    "dunning_comments": False,
                }
            ],
        )
        # values set in company B do not leak into company A
        strategy_b = (
            self.env["dunning.strategy"]
            .with_company(company_b)
            .create({"name": "B strategy", "company_id": company_b.id})
        )
        partner_b.write(
            {
                "dunning_strategy_id": strategy_b.id,
                "dunning_included": False,
                "dunning_comments": "Company B note",
            }
        )
        self.env.invalidate_all()
        self.assertRecordValues(
            partner.with_company(self.company),
            [
                {
                    "dunning_strategy_id": self.strategy.id,
                    "dunning_included": True,
                    "dunning_comments": "Call first",
                }
            ],
        )
        self.assertRecordValues(
            partner.with_company(company_b),
            [
                {
                    "dunning_strategy_id": strategy_b.id,
                    "dunning_included": False,
                    "dunning_comments": "Company B note",
                }
            ],
        )
        self.assertEqual(partner._get_dunning_strategy(), self.strategy)
        self.assertEqual(
            partner.with_company(company_b)._get_dunning_strategy(), strategy_b
        )

    def test_dunning_recipient(self):
        # accounting contact set
        self.assertEqual(self.customer._get_dunning_recipient(), self.customer_contact)
        # a child contact resolves through its commercial partner
        sales_contact = self.env["res.partner"].create(
            {
                "name": "Sales guy",
                "parent_id": self.customer.id,
                "email": "s@example.com",
            }
        )
        self.assertEqual(sales_contact._get_dunning_recipient(), self.customer_contact)
        self.assertEqual(
            self.customer_contact._get_dunning_recipient(), self.customer_contact
        )
        # no accounting contact: the commercial partner itself
        other = self._create_customer("No Contact Ltd")
        child = self.env["res.partner"].create(
            {"name": "Employee", "parent_id": other.id, "email": "e@example.com"}
        )
        self.assertEqual(other._get_dunning_recipient(), other)
        self.assertEqual(child._get_dunning_recipient(), other)
        self.assertEqual(self.customer.dunning_contact_email, "contact@technologie.fr")

    def test_demo_scenario(self):
        technologies = self.env.ref(
            "account_dunning.res_partner_technologies_demo", raise_if_not_found=False
        )
        if not technologies:
            self.skipTest("demo data not loaded")
        company = self.env.ref("account_dunning.res_company_bonjour_it")
        classic = self.env["dunning.strategy"]._get_company_default(company)
        consulting = self.env.ref("account_dunning.res_partner_consulting_demo")
        partners = (technologies | consulting).sudo().with_company(company)
        self.assertRecordValues(
            partners,
            [
                {"dunning_included": True, "dunning_strategy_id": classic.id},
                {"dunning_included": True, "dunning_strategy_id": classic.id},
            ],
        )
        self.assertEqual(
            [partner.dunning_contact_id.email for partner in partners],
            ["contact@technologie.fr", "contact@consulting-test.fr"],
        )
        for partner, total in ((partners[0], 900.0), (partners[1], 3000.0)):
            invoices = (
                self.env["account.move"]
                .sudo()
                .search(
                    [
                        ("partner_id", "=", partner.id),
                        ("move_type", "=", "out_invoice"),
                        ("state", "=", "posted"),
                    ]
                )
            )
            self.assertEqual(len(invoices), 1, partner.name)
            self.assertAlmostEqual(sum(invoices.mapped("amount_total")), total)
            self.assertEqual(invoices.company_id, company)
        # both demo customers are due for follow-up in Bonjour IT
        result = (
            self.env["dunning.engine"]
            .sudo()
            .with_company(company)
            ._evaluate(partners=partners, company=company)
        )
        for partner in partners:
            self.assertIsNone(result.partners[partner.id].reason, partner.name)
