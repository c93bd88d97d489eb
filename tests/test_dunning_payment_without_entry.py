# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo 18 payments without journal entry (payment method without outstanding
account): Odoo marks the invoice paid even when the payment is partial, while
its receivable item keeps its residual. The follow-up, its screens and the
analytics use the amount still owed."""

from odoo.tests import freeze_time, tagged

from .common import DunningCommon


@freeze_time("2026-06-01")
@tagged("post_install", "-at_install")
class TestDunningPaymentWithoutEntry(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank = cls.company_data["default_journal_bank"]
        cls.bank.inbound_payment_method_line_ids.payment_account_id = False
        # 2,000 due on 2026-05-01 (31 days overdue), 800 paid on 2026-05-10
        cls.invoice = cls._create_invoice(
            cls.customer, 2000.0, "2026-05-01", invoice_date="2026-04-01"
        )
        cls.payment = cls._pay_without_entry(cls.invoice, 800.0, "2026-05-10")

    @classmethod
    def _pay_without_entry(cls, invoices, amount, date):
        return cls._pay(
            invoices,
            amount=amount,
            date=date,
            journal_id=cls.bank.id,
            group_payment=True,
        )

    def _receivable(self, invoice):
        return invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )

    def _result(self, date="2026-06-01", partner=None):
        partner = partner or self.customer
        return self._evaluate(date, partner).partners.get(partner.id)

    def test_odoo_marks_the_partially_paid_invoice_paid(self):
        """The claim: without a journal entry, a partial payment makes core
        Odoo mark the invoice paid while 2,000 stay on its receivable item."""
        self.assertFalse(self.payment.move_id)
        self.assertEqual(self.payment.invoice_ids, self.invoice)
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.invoice.amount_residual, 2000.0)
        self.assertFalse(self._receivable(self.invoice).reconciled)

    def test_follow_up_reminds_what_is_still_owed(self):
        res = self._result()
        self.assertEqual([item.residual for item in res.items], [1200.0])
        self.assertEqual([item.residual_currency for item in res.items], [1200.0])
        self.assertEqual(res.total_due, 1200.0)
        self.assertEqual(res.total_overdue, 1200.0)
        self.assertEqual(res.status, "in_need_of_action")
        self.assertEqual(res.level_due_id, self.level_1.id)
        # the rest paid the same way: nothing owed any more
        self._pay_without_entry(self.invoice, 1200.0, "2026-05-20")
        self.assertIsNone(self._result())

    def test_one_payment_of_several_invoices_pays_them_by_due_date(self):
        customer = self._create_customer("Consulting Company France")
        first = self._create_invoice(
            customer, 2000.0, "2026-05-01", invoice_date="2026-04-01"
        )
        second = self._create_invoice(
            customer, 1000.0, "2026-05-15", invoice_date="2026-04-15"
        )
        payment = self._pay_without_entry(first | second, 2500.0, "2026-05-20")
        self.assertEqual(payment.invoice_ids, first | second)
        self.assertEqual((first | second).mapped("amount_residual"), [2000.0, 1000.0])
        res = self._result(partner=customer)
        self.assertEqual(
            {item.move_id: item.residual for item in res.items}, {second.id: 500.0}
        )
        owed = (first | second).line_ids._dunning_amount_owed()
        self.assertEqual(owed[self._receivable(first).id], 0.0)
        self.assertEqual(owed[self._receivable(second).id], 500.0)
        # the same, asked for the second invoice alone
        self.assertEqual(
            self._receivable(second)._dunning_amount_owed(),
            {self._receivable(second).id: 500.0},
        )

    def test_manual_page_letter_and_batch_use_the_amount_owed(self):
        wizard = self.env["dunning.manual.wizard"].browse(
            self.customer.action_dunning_manual()["res_id"]
        )
        self.assertEqual(wizard.line_ids.mapped("residual"), [1200.0])
        self.assertEqual(wizard.total_due, 1200.0)
        self.assertEqual(wizard.total_overdue, 1200.0)
        report = self.env["report.account_dunning.report_dunning_letter"]
        [letter] = report._get_report_values(
            self.customer.ids, {"date": "2026-06-01", "level_id": self.level_1.id}
        )["letters"]
        self.assertEqual([line["residual"] for line in letter["lines"]], [1200.0])
        self.assertEqual(letter["lines"][0]["amount"], 2000.0)  # original amount
        # the launch screen, with its items edited, and the batch
        launch = self.env["dunning.launch.wizard"].create(
            {
                "strategy_id": self.strategy.id,
                "level_id": self.level_1.id,
                "date": "2026-06-01",
            }
        )
        self.assertEqual(launch.total_debit, 1200.0)
        launch.line_ids._inverse_item_ids()
        self.assertEqual(launch.line_ids.debit, 1200.0)
        batch = launch._launch()
        self.assertRecordValues(batch.line_ids, [{"state": "sent", "debit": 1200.0}])

    def test_promise_kept_by_a_payment_without_entry(self):
        promise = self.env["dunning.promise"].create(
            {
                "partner_id": self.customer.id,
                "amount": 1200.0,
                "date": "2026-06-10",
            }
        )
        self.assertEqual(promise.amount_overdue, 1200.0)
        self._pay_without_entry(self.invoice, 1200.0, "2026-06-05")
        kept, broken = self.env["dunning.promise"]._check_promises(
            self.company, "2026-06-11"
        )
        self.assertEqual(kept, promise)
        self.assertFalse(broken)

    def test_aged_balance_counts_the_amount_owed(self):
        model = self.env["dunning.aged.balance"]

        def aged(date):
            self.env.invalidate_all()
            groups = model.with_context(dunning_aged_date=date)._read_group(
                [("partner_id", "=", self.customer.id)],
                [],
                ["amount_1_30:sum", "amount_31_60:sum", "amount_residual:sum"],
            )
            return list(groups[0])

        self.assertEqual(aged("2026-05-09"), [2000.0, 0.0, 2000.0])
        self.assertEqual(aged("2026-05-10"), [1200.0, 0.0, 1200.0])
        self.assertEqual(aged("2026-06-01"), [0.0, 1200.0, 1200.0])

    def test_payment_behaviour_and_recovery(self):
        behaviour = (
            self.env["dunning.payment.behaviour"]
            .with_context(dunning_date="2026-06-01")
            .search([("partner_id", "=", self.customer.id)])
        )
        self.assertRecordValues(
            behaviour,
            [{"paid_count": 0, "overdue_amount": 1200.0, "max_days_overdue": 31}],
        )
        self._launch(self.level_1, "2026-06-01")
        self._pay_without_entry(self.invoice, 1000.0, "2026-06-05")
        self.env.invalidate_all()
        [totals] = self.env["dunning.recovery.report"]._read_group(
            [("partner_id", "=", self.customer.id)],
            [],
            ["amount_reminded:sum", "amount_paid_15:sum", "recovery_rate_15:sum"],
        )
        self.assertEqual(totals[:2], (1200.0, 1000.0))
        self.assertAlmostEqual(totals[2], 1000.0 / 1200.0 * 100)
