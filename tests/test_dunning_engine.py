# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, fields
from odoo.tests import Form, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningEngine(DunningCommon):
    """The rules of the engine, on exact dates and amounts."""

    def _result(self, date, partner=None, **kwargs):
        partner = partner or self.customer
        return self._evaluate(date, partner, **kwargs).partners.get(partner.id)

    def test_boundary_days(self):
        invoice = self._create_invoice(self.customer, 1000.0, "2026-05-27")
        # delay - 1: overdue, nothing due yet
        res = self._result("2026-05-31")
        self.assertEqual(res.items[0].days_overdue, 4)
        self.assertFalse(res.level_due_id)
        self.assertEqual(res.status, "with_overdue_invoices")
        self.assertEqual(res.total_overdue, 1000.0)
        # delay: level 1 due
        res = self._result("2026-06-01")
        self.assertEqual(res.level_due_id, self.level_1.id)
        self.assertEqual(res.status, "in_need_of_action")
        self.assertEqual(
            [i.id for i in res.due_items],
            invoice.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            ).ids,
        )
        # delay + 1: still level 1 (levels are not skipped)
        res = self._result("2026-06-02")
        self.assertEqual(res.level_due_id, self.level_1.id)
        # not overdue at all before the due date
        res = self._result("2026-05-27")
        self.assertEqual(res.status, "no_action_needed")
        self.assertEqual(res.total_due, 1000.0)
        self.assertEqual(res.total_overdue, 0.0)

    def test_negative_delay(self):
        strategy = self.env["dunning.strategy"].create(
            {
                "name": "Before due date",
                "level_ids": [
                    Command.create(
                        {
                            "name": "Courtesy",
                            "delay": -3,
                            "send_email": True,
                            "mail_template_id": self.template_1.id,
                        }
                    )
                ],
            }
        )
        self.customer.dunning_strategy_id = strategy
        self._create_invoice(self.customer, 500.0, "2026-06-04")
        res = self._result("2026-05-31")
        self.assertFalse(res.level_due_id)
        res = self._result("2026-06-01")
        self.assertEqual(res.level_due_id, strategy.level_ids.id)
        self.assertEqual(res.status, "in_need_of_action")
        self.assertFalse(res.items[0].is_overdue)
        self.assertEqual(res.total_overdue, 0.0)

    def test_partial_payment_keeps_item(self):
        invoice = self._create_invoice(self.customer, 1000.0, "2026-05-01")
        self._pay(invoice, amount=400.0, date="2026-05-10")
        res = self._result("2026-06-01")
        self.assertEqual(len(res.items), 1)
        self.assertAlmostEqual(res.items[0].residual, 600.0)
        self.assertAlmostEqual(res.total_due, 600.0)
        self.assertAlmostEqual(res.total_overdue, 600.0)
        self.assertEqual(res.status, "in_need_of_action")

    def test_full_payment_removes_item(self):
        invoice = self._create_invoice(self.customer, 1000.0, "2026-05-01")
        self._pay(invoice, date="2026-05-10")
        self.assertIsNone(self._result("2026-06-01"))
        self.assertEqual(
            self.customer.with_context(dunning_date="2026-06-01").dunning_status,
            "no_action_needed",
        )

    def test_payment_without_journal_entry(self):
        """Odoo 18: a payment on a method without outstanding account posts
        no entry; the invoice is paid (in payment) but its residual stays."""
        invoice = self._create_invoice(self.customer, 1000.0, "2026-05-01")
        bank = self.company_data["default_journal_bank"]
        bank.inbound_payment_method_line_ids.payment_account_id = False
        payment = self._pay(invoice, date="2026-05-10", journal_id=bank.id)
        self.assertFalse(payment.move_id)
        self.assertIn(invoice.payment_state, ("in_payment", "paid"))
        self.assertEqual(invoice.amount_residual, 1000.0)
        self.assertIsNone(self._result("2026-06-01"))

    def test_credit_note_netting(self):
        self._create_invoice(self.customer, 1000.0, "2026-05-01")
        self._create_invoice(self.customer, 300.0, "2026-05-15", move_type="out_refund")
        res = self._result("2026-06-01")
        self.assertEqual(len(res.items), 2)
        self.assertAlmostEqual(res.credit, 300.0)
        self.assertAlmostEqual(res.total_due, 700.0)
        self.assertAlmostEqual(res.total_overdue, 1000.0)
        # the credit note is shown, never reminded
        credit_item = next(i for i in res.items if i.is_credit)
        self.assertFalse(credit_item.due_level_id)
        self.assertEqual(res.status, "in_need_of_action")

    def test_check_payments_first(self):
        """An unapplied payment covering the overdue amount: not dunned."""
        self._create_invoice(self.customer, 1000.0, "2026-05-01")
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.customer.id,
                "amount": 1000.0,
                "date": "2026-05-20",
                "journal_id": self.company_data["default_journal_bank"].id,
            }
        )
        payment.action_post()
        res = self._result("2026-06-01")
        self.assertEqual(res.reason, "check_payments")
        self.assertEqual(res.status, "with_overdue_invoices")
        self.assertAlmostEqual(res.credit, 1000.0)
        self.assertAlmostEqual(res.total_due, 0.0)
        self.assertTrue(
            self.customer.with_context(dunning_date="2026-06-01").dunning_check_payments
        )

    def test_instalments_two_due_dates(self):
        invoice = self._create_invoice(
            self.customer,
            1000.0,
            "2026-04-01",
            invoice_date="2026-04-01",
            payment_term=self.pay_terms_b,
        )
        receivables = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).sorted("date_maturity")
        self.assertEqual(len(receivables), 2)
        # 30% due 2026-04-01, 70% due 2026-05-31
        res = self._result("2026-06-01")
        by_id = {item.id: item for item in res.items}
        first, second = by_id[receivables[0].id], by_id[receivables[1].id]
        self.assertAlmostEqual(first.residual, 300.0)
        self.assertEqual(first.due_level_id, self.level_1.id)
        self.assertAlmostEqual(second.residual, 700.0)
        self.assertEqual(second.days_overdue, 1)
        self.assertFalse(second.due_level_id)
        self.assertAlmostEqual(res.total_overdue, 1000.0)

    def test_blocked_invoice(self):
        invoice = self._create_invoice(self.customer, 1000.0, "2026-05-01")
        invoice.action_toggle_block_payment()
        self.assertEqual(invoice.payment_state, "blocked")
        res = self._result("2026-06-01")
        self.assertEqual(res.items[0].reason, "blocked")
        self.assertEqual(res.status, "with_overdue_invoices")

    def test_dispute_until_date(self):
        invoice = self._create_invoice(self.customer, 1000.0, "2026-05-01")
        invoice.write(
            {
                "dunning_dispute_reason": "Goods damaged",
                "dunning_dispute_until": "2026-06-10",
            }
        )
        self.assertEqual(self._result("2026-06-10").items[0].reason, "disputed")
        self.assertEqual(self._result("2026-06-10").status, "with_overdue_invoices")
        res = self._result("2026-06-11")
        self.assertFalse(res.items[0].reason)
        self.assertEqual(res.status, "in_need_of_action")

    def test_no_followup_item(self):
        invoice = self._create_invoice(self.customer, 1000.0, "2026-05-01")
        invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).dunning_excluded = True
        res = self._result("2026-06-01")
        self.assertEqual(res.items[0].reason, "no_followup")
        self.assertFalse(res.due_items)

    def test_excluded_payment_method(self):
        invoice = self._create_invoice(self.customer, 1000.0, "2026-05-01")
        other = self._create_invoice(self.customer, 200.0, "2026-05-01")
        method_line = self.company_data[
            "default_journal_bank"
        ].inbound_payment_method_line_ids[:1]
        invoice.preferred_payment_method_line_id = method_line
        res = self._result("2026-06-01", excluded_payment_method_lines=method_line)
        reasons = {item.move_id: item.reason for item in res.items}
        self.assertEqual(reasons[invoice.id], "payment_method")
        self.assertIsNone(reasons[other.id])
        # without the exclusion, both are due
        self.assertEqual(len(self._result("2026-06-01").due_items), 2)

    def test_tolerance(self):
        self.company.dunning_tolerance = 10.0
        self._create_invoice(self.customer, 9.99, "2026-05-01")
        self._create_invoice(self.customer, 10.0, "2026-05-01")
        res = self._result("2026-06-01")
        self.assertEqual(
            sorted((item.residual, item.reason) for item in res.items),
            [(9.99, "tolerance"), (10.0, None)],
        )

    def test_remind_me_later(self):
        self._create_invoice(self.customer, 1000.0, "2026-05-01")
        self.customer.dunning_next_date = "2026-06-05"
        res = self._result("2026-06-01")
        self.assertEqual(res.reason, "remind_later")
        self.assertEqual(res.status, "with_overdue_invoices")
        self.assertEqual(self._result("2026-06-05").status, "in_need_of_action")
        # the manual follow-up may still remind the customer
        res = self._result("2026-06-01", ignore_next_date=True)
        self.assertEqual(res.status, "in_need_of_action")

    def test_not_included_and_no_strategy(self):
        self._create_invoice(self.customer, 1000.0, "2026-05-01")
        self.customer.dunning_included = False
        self.assertEqual(self._result("2026-06-01").reason, "not_included")
        self.customer.dunning_included = True
        self.strategy.is_default = False
        res = self._result("2026-06-01")
        self.assertEqual(res.reason, "no_strategy")
        self.assertFalse(res.level_due_id)
        # an explicit strategy on the customer applies
        self.customer.dunning_strategy_id = self.strategy
        self.assertEqual(self._result("2026-06-01").status, "in_need_of_action")

    def test_escalation_spacing(self):
        invoice = self._create_invoice(self.customer, 1000.0, "2026-05-20")
        receivable = invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        receivable.write(
            {"dunning_level_id": self.level_1.id, "dunning_date": "2026-06-01"}
        )
        # 12 days overdue on 06-01 (level 2 delay reached) but level 2 needs
        # 10 - 5 = 5 days after the level 1 reminder
        for day, expected in (
            ("2026-06-01", False),
            ("2026-06-05", False),
            ("2026-06-06", self.level_2.id),
        ):
            res = self._result(day)
            self.assertEqual(res.level_due_id or False, expected, day)
        # after level 3 nothing more is due
        receivable.write(
            {"dunning_level_id": self.level_3.id, "dunning_date": "2026-06-10"}
        )
        self.assertFalse(self._result("2026-08-01").level_due_id)

    def test_jump_to_highest(self):
        self._create_invoice(self.customer, 1000.0, "2026-05-01")
        self.assertEqual(self._result("2026-06-01").level_due_id, self.level_1.id)
        self.strategy.jump_to_highest = True
        self.assertEqual(self._result("2026-06-01").level_due_id, self.level_3.id)
        self.assertEqual(self._result("2026-05-13").level_due_id, self.level_2.id)

    def test_two_currencies(self):
        other_currency = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        self._create_invoice(self.customer, 1000.0, "2026-05-01")
        self._create_invoice(
            self.customer,
            500.0,
            "2026-05-01",
            currency=other_currency,
            invoice_date="2026-05-01",
        )
        res = self._result("2026-06-01")
        # 500 EUR at 2 EUR per company currency unit = 250
        self.assertAlmostEqual(res.total_due, 1250.0)
        self.assertAlmostEqual(res.totals_by_currency[other_currency.id]["due"], 500.0)
        self.assertAlmostEqual(
            res.totals_by_currency[self.currency.id]["overdue"], 1000.0
        )
        self.assertEqual(len(res.due_items), 2)

    def test_two_companies(self):
        company_b = self.setup_other_company(name="Company B")["company"]
        self.env.user.company_ids |= company_b
        self._create_invoice(self.customer, 1000.0, "2026-05-01")
        self._create_invoice(self.customer, 700.0, "2026-05-01", company=company_b)
        res = self._result("2026-06-01")
        self.assertEqual(len(res.items), 1)
        self.assertAlmostEqual(res.total_due, 1000.0)
        # company B has no strategy: its item is seen there, with no level due
        self.customer.with_company(company_b).dunning_included = True
        result_b = self.env["dunning.engine"]._evaluate(
            date="2026-06-01", partners=self.customer, company=company_b
        )
        res_b = result_b.partners[self.customer.id]
        self.assertAlmostEqual(res_b.total_due, 700.0)
        self.assertEqual(res_b.reason, "no_strategy")
        self.assertFalse(res_b.level_due_id)

    def test_partner_hierarchy(self):
        """An invoice to a contact is dunned on its company."""
        self._create_invoice(self.customer_contact, 1000.0, "2026-05-01")
        result = self._evaluate("2026-06-01", self.customer)
        self.assertEqual(list(result.partners), [self.customer.id])
        self.assertEqual(result.partners[self.customer.id].status, "in_need_of_action")
        self.assertEqual(
            self.customer_contact.with_context(
                dunning_date="2026-06-01"
            ).dunning_status,
            "in_need_of_action",
        )

    def test_partner_fields_searchable(self):
        late = self._create_customer("Late Customer")
        calm = self._create_customer("Calm Customer")
        self._create_invoice(late, 800.0, "2026-05-01")
        self._create_invoice(calm, 300.0, "2026-05-30")
        Partner = self.env["res.partner"].with_context(dunning_date="2026-06-01")
        in_need = Partner.search([("dunning_status", "=", "in_need_of_action")])
        self.assertIn(late, in_need)
        self.assertNotIn(calm, in_need)
        overdue = Partner.search([("dunning_status", "=", "with_overdue_invoices")])
        self.assertIn(calm, overdue)
        self.assertNotIn(late, overdue)
        self.assertEqual(
            Partner.search(
                [("dunning_total_due", ">=", 500), ("id", "in", (late + calm).ids)]
            ),
            late,
        )
        self.assertEqual(
            Partner.search(
                [
                    ("dunning_level_due_id", "=", self.level_1.id),
                    ("id", "in", (late + calm).ids),
                ]
            ),
            late,
        )
        nothing = Partner.search([("dunning_status", "=", "no_action_needed")])
        self.assertNotIn(late, nothing)
        self.assertIn(self.partner_a, nothing)

    def test_query_count_does_not_grow(self):
        """Evaluation is a fixed number of queries whatever the number of
        customers."""
        customers = [self._create_customer(f"Customer {i}") for i in range(8)]
        for customer in customers[:2]:
            self._create_invoice(customer, 100.0, "2026-05-01")
        self.env.invalidate_all()
        self.env["res.partner"].flush_model()
        cr = self.env.cr
        start = cr.sql_log_count
        self._evaluate("2026-06-01")
        few = cr.sql_log_count - start
        for customer in customers[2:]:
            self._create_invoice(customer, 100.0, "2026-05-01")
            self._create_invoice(customer, 50.0, "2026-05-15")
        self.env.invalidate_all()
        self.env.flush_all()
        start = cr.sql_log_count
        result = self._evaluate("2026-06-01")
        many = cr.sql_log_count - start
        self.assertGreaterEqual(len(result.partners), 8)
        self.assertLessEqual(many, few)
        # 14: items, partners, strategies, credits, bank statement lines, pending
        # online payments... a fixed number, whatever the customers
        self.assertLessEqual(many, 14)

    def test_explain_action(self):
        invoice = self._create_invoice(self.customer, 1000.0, "2026-05-01")
        blocked = self._create_invoice(self.customer, 200.0, "2026-05-01")
        blocked.action_toggle_block_payment()
        partner = self.customer.with_context(dunning_date="2026-06-01")
        action = partner.action_dunning_explain()
        lines = (
            self.env["account.move.line"]
            .with_context(dunning_date="2026-06-01")
            .search(action["domain"])
        )
        self.assertEqual(lines.move_id, invoice | blocked)
        verdict = {line.move_id: line for line in lines}
        self.assertEqual(verdict[invoice].dunning_days_overdue, 31)
        self.assertEqual(verdict[invoice].dunning_level_due_id, self.level_1)
        self.assertFalse(verdict[invoice].dunning_exclusion_reason)
        self.assertEqual(
            verdict[blocked].dunning_exclusion_reason, "Invoice blocked (litigation)"
        )
        self.assertTrue(verdict[blocked].dunning_litigation)

    def test_dispute_needs_reason(self):
        invoice = self._create_invoice(self.customer, 1000.0, "2026-05-01")
        with self.assertRaisesRegex(Exception, "reason of the dispute"):
            invoice.dunning_dispute_until = fields.Date.to_date("2026-06-30")
            invoice.flush_recordset()
        with Form(invoice) as form:
            form.dunning_dispute_reason = "Wrong quantity"
            form.dunning_dispute_until = fields.Date.to_date("2026-06-30")
        self.assertEqual(self._result("2026-06-01").items[0].reason, "disputed")
