# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, freeze_time, new_test_user, tagged

from .common import DunningCommon

BUCKETS = [
    "amount_not_due",
    "amount_1_30",
    "amount_31_60",
    "amount_61_90",
    "amount_91_120",
    "amount_over_120",
    "amount_residual",
]


@freeze_time("2026-06-30")
@tagged("post_install", "-at_install")
class TestDunningAgedBalance(DunningCommon):
    """Aged balance as of a date: buckets, payments after the date, currency."""

    def _aged(self, date, partner, groupby=("partner_id",)):
        self.env.invalidate_all()
        model = self.env["dunning.aged.balance"].with_context(dunning_aged_date=date)
        groups = model._read_group(
            [("partner_id", "=", partner.id)],
            list(groupby),
            [f"{fname}:sum" for fname in BUCKETS],
        )
        return {group[: len(groupby)]: list(group[len(groupby) :]) for group in groups}

    def test_bucket_boundaries(self):
        partner = self._create_customer("Bonjour IT")
        # as of 2026-06-30: due date -> days overdue -> bucket
        for due_date, amount in [
            ("2026-06-30", 1.0),  # 0 days: not due
            ("2026-07-10", 2.0),  # -10 days: not due
            ("2026-06-29", 10.0),  # 1 day: 1-30
            ("2026-05-31", 20.0),  # 30 days: 1-30
            ("2026-05-30", 100.0),  # 31 days: 31-60
            ("2026-05-01", 200.0),  # 60 days: 31-60
            ("2026-04-30", 1000.0),  # 61 days: 61-90
            ("2026-04-01", 2000.0),  # 90 days: 61-90
            ("2026-03-31", 10000.0),  # 91 days: 91-120
            ("2026-03-02", 20000.0),  # 120 days: 91-120
            ("2026-03-01", 100000.0),  # 121 days: over 120
        ]:
            self._create_invoice(partner, amount, due_date, invoice_date="2026-03-01")
        self.assertEqual(
            self._aged("2026-06-30", partner),
            {(partner,): [3.0, 30.0, 300.0, 3000.0, 30000.0, 100000.0, 133333.0]},
        )
        rows = self.env["dunning.aged.balance"].search_read(
            [("partner_id", "=", partner.id)],
            ["amount_residual", "days_overdue", "age_bucket"],
            order="days_overdue",
        )
        self.assertEqual(
            [(r["days_overdue"], r["age_bucket"]) for r in rows],
            [
                (-10, "not_due"),
                (0, "not_due"),
                (1, "1_30"),
                (30, "1_30"),
                (31, "31_60"),
                (60, "31_60"),
                (61, "61_90"),
                (90, "61_90"),
                (91, "91_120"),
                (120, "91_120"),
                (121, "over_120"),
            ],
        )
        # grouping by age bucket (graph view)
        by_age = self._aged("2026-06-30", partner, groupby=("age_bucket",))
        self.assertEqual(by_age[("over_120",)][-1], 100000.0)
        self.assertEqual(by_age[("1_30",)][-1], 30.0)

    def test_days_overdue_group_is_oldest_not_sum(self):
        """A customer's line shows the most days overdue of their items (the
        list view's group row), not the meaningless sum of the days."""
        partner = self._create_customer("Bonjour IT")
        self._create_invoice(partner, 100.0, "2026-05-27", invoice_date="2026-04-27")
        self._create_invoice(partner, 200.0, "2026-06-20", invoice_date="2026-04-27")
        model = self.env["dunning.aged.balance"].with_context(
            dunning_aged_date="2026-06-30"
        )
        domain = [("partner_id", "=", partner.id)]
        self.env.invalidate_all()
        self.assertEqual(sorted(model.search(domain).mapped("days_overdue")), [10, 34])
        # the list view groups with the field's own aggregator
        self.assertEqual(
            model.fields_get(["days_overdue"])["days_overdue"]["aggregator"], "max"
        )
        groups = model.web_read_group(
            domain, ["days_overdue", "amount_residual"], ["partner_id"]
        )["groups"]
        self.assertEqual(len(groups), 1)
        self.assertEqual(groups[0]["days_overdue"], 34)
        self.assertEqual(groups[0]["amount_residual"], 300.0)

    def test_as_of_date_before_payment(self):
        partner = self._create_customer("Madame Vidal")
        invoice = self._create_invoice(
            partner, 1000.0, "2026-05-01", invoice_date="2026-04-01"
        )
        self._pay(invoice, amount=400.0, date="2026-05-15")
        self._pay(invoice, amount=600.0, date="2026-06-10")
        self.assertEqual(invoice.payment_state, "paid")
        # before the invoice: nothing
        self.assertEqual(self._aged("2026-03-31", partner), {})
        # not due yet on 2026-04-15
        self.assertEqual(
            self._aged("2026-04-15", partner),
            {(partner,): [1000.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1000.0]},
        )
        # paid later: still fully open on 2026-05-10 (9 days overdue)
        self.assertEqual(
            self._aged("2026-05-10", partner),
            {(partner,): [0.0, 1000.0, 0.0, 0.0, 0.0, 0.0, 1000.0]},
        )
        # after the first payment: 600 open, 40 days overdue on 2026-06-09
        self.assertEqual(
            self._aged("2026-06-09", partner),
            {(partner,): [0.0, 0.0, 600.0, 0.0, 0.0, 0.0, 600.0]},
        )
        # fully paid today
        self.assertEqual(self._aged("2026-06-30", partner), {})

    def test_payment_without_journal_entry(self):
        """Odoo 18: a payment on a method without outstanding account posts no
        entry but marks the invoice paid: it is paid on the payment date."""
        partner = self._create_customer("No Entry Customer")
        invoice = self._create_invoice(
            partner, 700.0, "2026-05-01", invoice_date="2026-04-01"
        )
        bank = self.company_data["default_journal_bank"]
        bank.inbound_payment_method_line_ids.payment_account_id = False
        payment = self._pay(invoice, date="2026-05-20", journal_id=bank.id)
        self.assertFalse(payment.move_id)
        self.assertEqual(invoice.amount_residual, 700.0)
        self.assertEqual(
            self._aged("2026-05-19", partner),
            {(partner,): [0.0, 700.0, 0.0, 0.0, 0.0, 0.0, 700.0]},
        )
        self.assertEqual(self._aged("2026-05-20", partner), {})

    def test_unreconciled_credit_note_is_negative(self):
        partner = self._create_customer("Consulting Company France")
        self._create_invoice(partner, 500.0, "2026-06-01", invoice_date="2026-05-01")
        self._create_invoice(
            partner,
            200.0,
            "2026-07-05",
            invoice_date="2026-06-20",
            move_type="out_refund",
        )
        self.assertEqual(
            self._aged("2026-06-30", partner),
            {(partner,): [-200.0, 500.0, 0.0, 0.0, 0.0, 0.0, 300.0]},
        )

    def test_multi_currency_in_company_currency(self):
        other = self.setup_other_currency("EUR", rates=[("2016-01-01", 2.0)])
        partner = self._create_customer("Technologies Export")
        invoice = self._create_invoice(
            partner, 1000.0, "2026-06-10", invoice_date="2026-06-01", currency=other
        )
        # 1,000 EUR at 2 EUR per company unit = 500 in company currency
        self.assertEqual(
            self._aged("2026-06-30", partner),
            {(partner,): [0.0, 500.0, 0.0, 0.0, 0.0, 0.0, 500.0]},
        )
        # 400 EUR paid on 2026-06-20 -> 300 left in company currency
        self._pay(invoice, amount=400.0, date="2026-06-20")
        self.assertEqual(
            self._aged("2026-06-30", partner),
            {(partner,): [0.0, 300.0, 0.0, 0.0, 0.0, 0.0, 300.0]},
        )
        self.assertEqual(
            self._aged("2026-06-15", partner),
            {(partner,): [0.0, 500.0, 0.0, 0.0, 0.0, 0.0, 500.0]},
        )

    def test_grouping_by_trust_marker_level(self):
        partner = self._create_customer("Bad Payer")
        partner.trust = "bad"
        partner.sudo().dunning_marker_id = self.marker_r2
        self._create_invoice(partner, 700.0, "2026-05-01", invoice_date="2026-04-01")
        by_trust = self._aged("2026-06-30", partner, groupby=("trust",))
        self.assertEqual(by_trust, {("bad",): [0.0, 0.0, 700.0, 0.0, 0.0, 0.0, 700.0]})
        by_marker = self._aged("2026-06-30", partner, groupby=("dunning_marker_id",))
        self.assertEqual(list(by_marker), [(self.marker_r2,)])

    def test_wizard_title_in_the_user_date_format(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        wizard = self.env["dunning.aged.balance.wizard"].create({"date": "2026-05-15"})
        self.assertEqual(
            wizard.with_context(lang="en_US").action_open()["display_name"],
            "Aged Balance at 05/15/2026",
        )
        self.assertEqual(
            wizard.with_context(lang="fr_FR").action_open()["display_name"],
            "Balance âgée au 15/05/2026",
        )

    def test_wizard_opens_and_prints(self):
        partner = self._create_customer("Bonjour IT")
        self._create_invoice(partner, 250.0, "2026-05-01", invoice_date="2026-04-01")
        form = Form(self.env["dunning.aged.balance.wizard"])
        self.assertEqual(str(form.date), "2026-06-30")
        form.date = "2026-05-15"
        wizard = form.save()
        action = wizard.action_open()
        self.assertEqual(action["res_model"], "dunning.aged.balance")
        self.assertEqual(action["context"]["dunning_aged_date"], "2026-05-15")
        self.assertIn(("company_id", "=", self.company.id), action["domain"])
        rows = (
            self.env["dunning.aged.balance"]
            .with_context(**action["context"])
            .search_read(
                action["domain"] + [("partner_id", "=", partner.id)],
                ["days_overdue", "amount_1_30"],
            )
        )
        self.assertEqual(rows[0]["days_overdue"], 14)
        self.assertEqual(rows[0]["amount_1_30"], 250.0)
        html, _type = self.env["ir.actions.report"]._render_qweb_html(
            "account_dunning.report_dunning_aged_balance", wizard.ids
        )
        html = html.decode()
        self.assertIn("Bonjour IT", html)
        self.assertIn("250.00", html)
        report = self.env.ref("account_dunning.action_report_dunning_aged_balance")
        self.assertEqual(report.report_type, "qweb-pdf")
        self.assertEqual(report.model, "dunning.aged.balance.wizard")
        self.assertTrue(wizard.action_print())


@freeze_time("2026-06-30")
@tagged("post_install", "-at_install")
class TestDunningDso(DunningCommon):
    """DSO on a small known ledger."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_a = cls._create_customer("Customer A")
        cls.customer_b = cls._create_customer("Customer B")
        may = cls._create_invoice(
            cls.customer_a, 1500.0, "2026-05-20", invoice_date="2026-05-10"
        )
        cls._pay(may, date="2026-05-25")
        june = cls._create_invoice(
            cls.customer_a, 3000.0, "2026-06-30", invoice_date="2026-06-05"
        )
        cls._pay(june, amount=1000.0, date="2026-06-20")
        cls._create_invoice(
            cls.customer_b, 1000.0, "2026-07-15", invoice_date="2026-06-15"
        )

    def _dso(self, groupby, domain=(), months=2):
        self.env.invalidate_all()
        model = self.env["dunning.dso.report"].with_context(dunning_dso_months=months)
        return model._read_group(
            [("company_id", "=", self.company.id), *domain],
            groupby,
            ["sales:sum", "receivable:max", "days:max", "dso:sum"],
        )

    def test_dso_by_month_and_customer(self):
        result = {
            (partner, month.isoformat()): [round(v, 2) for v in values]
            for partner, month, *values in self._dso(["partner_id", "month:month"])
        }
        self.assertEqual(
            result,
            {
                # May: 1,500 sold, all paid: DSO 0
                (self.customer_a, "2026-05-01"): [1500.0, 0.0, 31, 0.0],
                # June: 3,000 sold, 2,000 open: 2000 / 3000 x 30 = 20
                (self.customer_a, "2026-06-01"): [3000.0, 2000.0, 30, 20.0],
                # B has no balance before June: a zero row in May
                (self.customer_b, "2026-05-01"): [0.0, 0.0, 31, 0.0],
                (self.customer_b, "2026-06-01"): [1000.0, 1000.0, 30, 30.0],
            },
        )

    def test_dso_over_period_per_company(self):
        # period May-June (61 days): receivables on 30 June / sales x days
        [(company, sales, receivable, days, dso)] = self._dso(["company_id"])
        self.assertEqual(company, self.company)
        self.assertEqual((sales, receivable, days), (5500.0, 3000.0, 61))
        self.assertAlmostEqual(dso, 3000.0 / 5500.0 * 61, places=4)
        # per company and month (trend)
        trend = {
            month.isoformat(): round(dso, 2)
            for month, _sales, _rec, _days, dso in self._dso(["month:month"])
        }
        self.assertEqual(trend, {"2026-05-01": 0.0, "2026-06-01": 22.5})
        # per customer over the period: A = 2000 / 4500 x 61
        [(partner, sales, receivable, days, dso)] = self._dso(
            ["partner_id"], [("partner_id", "=", self.customer_a.id)]
        )
        self.assertEqual((sales, receivable, days), (4500.0, 2000.0, 61))
        self.assertAlmostEqual(dso, 2000.0 / 4500.0 * 61, places=4)
        # default period: the 12 months ending with this month
        [(company, sales, receivable, days, dso)] = self._dso(
            ["company_id"], months=None
        )
        self.assertEqual((sales, receivable, days), (5500.0, 3000.0, 365))


@tagged("post_install", "-at_install")
class TestDunningRecovery(DunningCommon):
    """Recovery rate after reminders then payments."""

    def _recovered(self, customer):
        """(amount reminded, paid within 15 days, paid within 30 days)"""
        self.env.invalidate_all()
        [totals] = self.env["dunning.recovery.report"]._read_group(
            [("partner_id", "=", customer.id)],
            [],
            ["amount_reminded:sum", "amount_paid_15:sum", "amount_paid_30:sum"],
        )
        return totals

    def test_recovery_with_payment_without_journal_entry(self):
        customer = self._create_customer("Customer No Entry")
        invoice = self._create_invoice(
            customer, 1200.0, "2026-05-20", invoice_date="2026-05-01"
        )
        self._launch(self.level_1, "2026-06-01")
        bank = self.company_data["default_journal_bank"]
        bank.inbound_payment_method_line_ids.payment_account_id = False
        payment = self._pay(invoice, date="2026-06-20", journal_id=bank.id)
        self.assertFalse(payment.move_id)
        # paid 19 days after the reminder: not within 15 days, within 30
        self.assertEqual(self._recovered(customer), (1200.0, 0.0, 1200.0))

    def test_recovery_counts_a_payment_made_on_the_reminder_day(self):
        customer = self._create_customer("Customer Same Day")
        invoice = self._create_invoice(
            customer, 800.0, "2026-05-20", invoice_date="2026-05-01"
        )
        self._launch(self.level_1, "2026-06-01")
        self._pay(invoice, date="2026-06-01")
        self.assertEqual(self._recovered(customer), (800.0, 800.0, 800.0))

    def test_recovery_rate_per_level(self):
        customer_a = self._create_customer("Customer A")
        customer_b = self._create_customer("Customer B")
        invoice_a = self._create_invoice(
            customer_a, 1000.0, "2026-05-20", invoice_date="2026-05-01"
        )
        invoice_b = self._create_invoice(
            customer_b, 2000.0, "2026-05-20", invoice_date="2026-05-01"
        )
        batch_1 = self._launch(self.level_1, "2026-06-01")
        self.assertEqual(batch_1.sent_count, 2)
        self._pay(invoice_a, date="2026-06-10")  # 9 days after R1
        batch_2 = self._launch(self.level_2, "2026-06-15")
        self.assertEqual(batch_2.line_ids.partner_id, customer_b)
        self.assertEqual(batch_2.sent_count, 1)
        self._pay(invoice_b, amount=500.0, date="2026-06-25")  # R1 +24, R2 +10
        self._pay(invoice_b, amount=500.0, date="2026-07-10")  # R1 +39, R2 +25
        self.env.invalidate_all()
        report = self.env["dunning.recovery.report"]
        groups = report._read_group(
            [("partner_id", "in", (customer_a | customer_b).ids)],
            ["level_id"],
            [
                "amount_reminded:sum",
                "amount_paid_15:sum",
                "amount_paid_30:sum",
                "recovery_rate_15:sum",
                "recovery_rate_30:sum",
            ],
        )
        result = {level: [round(v, 2) for v in values] for level, *values in groups}
        self.assertEqual(
            result,
            {
                # R1: 3,000 reminded, A's 1,000 within 15 days, B's 500 within 30
                self.level_1: [3000.0, 1000.0, 1500.0, 33.33, 50.0],
                # R2: 2,000 reminded, 500 within 15 days, 1,000 within 30
                self.level_2: [2000.0, 500.0, 1000.0, 25.0, 50.0],
            },
        )
        row_a = report.search(
            [("partner_id", "=", customer_a.id), ("level_id", "=", self.level_1.id)]
        )
        self.assertRecordValues(
            row_a,
            [
                {
                    "strategy_id": self.strategy.id,
                    "recovery_rate_15": 100.0,
                    "date": batch_1.date,
                }
            ],
        )
        # per strategy and month
        [(strategy, month, rate)] = report._read_group(
            [("partner_id", "in", (customer_a | customer_b).ids)],
            ["strategy_id", "date:month"],
            ["recovery_rate_30:sum"],
        )
        self.assertEqual((strategy, month.isoformat()), (self.strategy, "2026-06-01"))
        self.assertAlmostEqual(rate, 2500.0 / 5000.0 * 100)
        # reminders sent per channel: 3 emails, 1 letter (R2)
        channels = dict(
            self.env["dunning.reminder.report"]._read_group(
                [("partner_id", "in", (customer_a | customer_b).ids)],
                ["channel"],
                ["__count"],
            )
        )
        self.assertEqual(channels, {"email": 3, "letter": 1})

    def _pay_online(self, provider, invoice, amount, date):
        """A payment transaction of ``amount`` on ``invoice``, done on
        ``date`` (its payment is created and reconciled as Odoo does)."""
        with freeze_time(date):
            tx = (
                self.env["payment.transaction"]
                .sudo()
                .create(
                    {
                        "provider_id": provider.id,
                        "payment_method_id": provider.payment_method_ids[:1].id,
                        "amount": amount,
                        "currency_id": invoice.currency_id.id,
                        "partner_id": invoice.partner_id.id,
                        "operation": "online_direct",
                        "invoice_ids": [Command.set(invoice.ids)],
                    }
                )
            )
            tx._set_done()
            tx._post_process()
        self.assertTrue(tx.payment_id)
        return tx.payment_id

    def test_share_of_online_payments_after_a_reminder(self):
        """Of what is paid within 30 days after a reminder, the part paid
        online (payment transactions), in amount and number of payments."""
        if self.env["ir.module.module"]._get("payment_demo").state != "installed":
            self.skipTest("payment_demo is not installed")
        provider = (
            self.env["payment.provider"]
            .sudo()
            .search([("code", "=", "demo")], limit=1)
            .copy({"company_id": self.company.id, "state": "test"})
        )
        bank = self.company_data["default_journal_bank"]
        customer_a = self._create_customer("Customer Online")
        customer_b = self._create_customer("Customer Mixed")
        a_1 = self._create_invoice(customer_a, 600.0, "2026-05-20")
        a_2 = self._create_invoice(customer_a, 400.0, "2026-05-20")
        b_1 = self._create_invoice(customer_b, 1000.0, "2026-05-20")
        credit_note = self._create_invoice(
            customer_b, 100.0, "2026-06-03", move_type="out_refund"
        )
        self._launch(self.level_1, "2026-06-01")
        # A: 600 online (payment with an entry, reconciled), 400 by bank
        provider.journal_id.inbound_payment_method_line_ids.filtered(
            lambda line: line.payment_provider_id == provider
        ).payment_account_id = bank.default_account_id
        payment = self._pay_online(provider, a_1, 600.0, "2026-06-05")
        self.assertTrue(payment.move_id)
        self.assertEqual(a_1.payment_state, "paid")
        self._pay(a_2, date="2026-06-10")
        # B: 100 credit note (no payment), 300 online without journal entry,
        # the rest after 30 days
        (credit_note | b_1).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        provider.journal_id.inbound_payment_method_line_ids.payment_account_id = False
        payment = self._pay_online(provider, b_1, 300.0, "2026-06-20")
        self.assertFalse(payment.move_id)
        self._pay(b_1, date="2026-07-15", journal_id=bank.id)
        self.env.invalidate_all()
        report = self.env["dunning.recovery.report"]
        fnames = [
            "amount_paid_30",
            "amount_paid_online_30",
            "online_share_30",
            "payment_count_30",
            "online_payment_count_30",
        ]
        rows = report._read_group(
            [("partner_id", "in", (customer_a | customer_b).ids)],
            ["partner_id"],
            [f"{fname}:sum" for fname in fnames],
        )
        self.assertEqual(
            {partner: values for partner, *values in rows},
            {
                customer_a: [1000.0, 600.0, 60.0, 2, 1],
                customer_b: [400.0, 300.0, 75.0, 1, 1],
            },
        )
        [totals] = report._read_group(
            [("partner_id", "in", (customer_a | customer_b).ids)],
            [],
            [f"{fname}:sum" for fname in fnames],
        )
        # a ratio of sums: 900 of 1,400
        self.assertEqual(totals[:2], (1400.0, 900.0))
        self.assertAlmostEqual(totals[2], 900.0 / 1400.0 * 100)
        self.assertEqual(totals[3:], (3, 2))


@freeze_time("2026-06-30")
@tagged("post_install", "-at_install")
class TestDunningPaymentBehaviour(DunningCommon):
    """Payment behaviour and the suggested trust thresholds."""

    @classmethod
    def _history(cls, name, late_days, overdue_days=None):
        """A customer with one paid invoice per entry of ``late_days`` (days
        paid after the due date 2026-04-01) and optionally an open item
        ``overdue_days`` overdue on 2026-06-30."""
        from datetime import date, timedelta

        partner = cls._create_customer(name)
        invoices = cls.env["account.move"]
        for _late in late_days:
            invoices |= cls._create_invoice(
                partner, 100.0, "2026-04-01", invoice_date="2026-03-01", post=False
            )
        invoices.action_post()
        for invoice, late in zip(invoices, late_days, strict=False):
            cls._pay(invoice, date=date(2026, 4, 1) + timedelta(days=late))
        if overdue_days is not None:
            cls._create_invoice(
                partner,
                50.0,
                date(2026, 6, 30) - timedelta(days=overdue_days),
                invoice_date="2026-01-01",
            )
        return partner

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.on_time = cls._history("On time", [0])
        cls.share_50 = cls._history("Half late", [0, 1])
        cls.share_67 = cls._history("Two thirds late", [0, 1, 1])
        cls.avg_30 = cls._history("Avg 30", [0, 60])
        cls.avg_31 = cls._history("Avg 31", [0, 62])
        cls.share_9 = cls._history("Share 9", [0] * 10 + [5])
        cls.share_10 = cls._history("Share 10", [0] * 9 + [5])
        cls.overdue_30 = cls._history("Overdue 30", [0], overdue_days=30)
        cls.overdue_31 = cls._history("Overdue 31", [0], overdue_days=31)
        cls.overdue_90 = cls._history("Overdue 90", [0], overdue_days=90)
        cls.overdue_91 = cls._history("Overdue 91", [0], overdue_days=91)
        cls.no_history = cls._create_customer("No history")
        cls.old_history = cls._history("Paid over a year ago", [])
        invoice = cls._create_invoice(
            cls.old_history, 100.0, "2025-05-01", invoice_date="2025-04-01"
        )
        cls._pay(invoice, date="2025-06-29")  # 59 days late, 366 days ago

    def _behaviour(self, partners):
        self.env.invalidate_all()
        return self.env["dunning.payment.behaviour"].search(
            [("partner_id", "in", partners.ids)]
        )

    def test_measures(self):
        rows = self._behaviour(self.share_67 | self.overdue_90)
        self.assertRecordValues(
            rows.sorted(lambda r: r.partner_id.id),
            [
                {
                    "partner_id": self.share_67.id,
                    "paid_count": 3,
                    "late_count": 2,
                    "avg_days_to_pay": 31.0 + 2 / 3,
                    "avg_days_late": 2 / 3,
                    "overdue_amount": 0.0,
                    "max_days_overdue": 0,
                },
                {
                    "partner_id": self.overdue_90.id,
                    "paid_count": 1,
                    "late_count": 0,
                    "avg_days_to_pay": 31.0,
                    "avg_days_late": 0.0,
                    "overdue_amount": 50.0,
                    "max_days_overdue": 90,
                },
            ],
        )
        self.assertAlmostEqual(
            rows[0].late_share
            if rows[0].partner_id == self.share_67
            else rows[1].late_share,
            200 / 3,
            places=4,
        )

    def test_payment_without_journal_entry(self):
        """Odoo 18: a payment on a method without outstanding account has no
        journal entry; the invoice is paid for the follow-up, and for the
        payment behaviour too."""
        customer = self._create_customer("Paid without entry")
        invoice = self._create_invoice(
            customer, 900.0, "2026-05-26", invoice_date="2026-04-26"
        )
        bank = self.company_data["default_journal_bank"]
        bank.inbound_payment_method_line_ids.payment_account_id = False
        payment = self._pay(invoice, date="2026-06-05", journal_id=bank.id)
        self.assertFalse(payment.move_id)
        self.assertRecordValues(
            self._behaviour(customer),
            [
                {
                    "paid_count": 1,
                    "late_count": 1,
                    "avg_days_to_pay": 40.0,
                    "avg_days_late": 10.0,
                    "overdue_amount": 0.0,
                    "max_days_overdue": 0,
                }
            ],
        )

    def test_suggested_trust_thresholds(self):
        expected = {
            self.on_time: "good",
            self.share_50: "normal",  # 50 % late is not more than 50 %
            self.share_67: "bad",
            self.avg_30: "normal",  # 30 days late on average is not over 30
            self.avg_31: "bad",
            self.share_9: "good",  # 1 late out of 11: 9.1 %
            self.share_10: "normal",  # 1 late out of 10: 10 %
            self.overdue_30: "good",
            self.overdue_31: "normal",
            self.overdue_90: "normal",
            self.overdue_91: "bad",
        }
        partners = self.env["res.partner"].union(*expected)
        rows = self._behaviour(partners | self.no_history | self.old_history)
        self.assertEqual(
            {row.partner_id: row.suggested_trust for row in rows}, expected
        )
        self.assertTrue(all(row.trust == "normal" for row in rows))

    def test_apply_suggested_trust(self):
        billing_user = new_test_user(
            self.env,
            login="billing_trust",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        rows = self._behaviour(self.on_time | self.share_67 | self.share_50)
        with self.assertRaises(AccessError):
            rows.with_user(billing_user).action_apply_suggested_trust()
        rows.action_apply_suggested_trust()
        self.env.invalidate_all()
        self.assertEqual(
            (self.on_time | self.share_67 | self.share_50).mapped("trust"),
            ["good", "bad", "normal"],
        )
        # company-dependent: the other company keeps its own value
        company_2 = self.setup_other_company()["company"]
        self.assertEqual(self.share_67.with_company(company_2).trust, "normal")
        rows = self._behaviour(self.on_time | self.share_67)
        self.assertFalse(any(rows.mapped("trust_differs")))


@freeze_time("2026-06-30")
@tagged("post_install", "-at_install")
class TestDunningAnalyticsAccess(DunningCommon):
    """Billing users read the analytics, portal users nothing; companies
    are separated."""

    MODELS = [
        "dunning.aged.balance",
        "dunning.dso.report",
        "dunning.recovery.report",
        "dunning.reminder.report",
        "dunning.payment.behaviour",
    ]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company()["company"]
        cls.partner = cls._create_customer("Bonjour IT")
        cls._create_invoice(cls.partner, 100.0, "2026-05-01", invoice_date="2026-04-01")
        cls._create_invoice(
            cls.partner,
            900.0,
            "2026-05-01",
            invoice_date="2026-04-01",
            company=cls.company_2,
        )
        cls.billing_user = new_test_user(
            cls.env,
            login="billing_analytics",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.portal_user = new_test_user(
            cls.env, login="portal_analytics", groups="base.group_portal"
        )

    def test_billing_user_reads(self):
        env = self.env(user=self.billing_user)
        for model in self.MODELS:
            env[model].search_read([], limit=5)
        rows = env["dunning.aged.balance"].search(
            [("partner_id", "=", self.partner.id)]
        )
        self.assertEqual(rows.mapped("amount_residual"), [100.0])
        self.assertEqual(rows.company_id, self.company)
        wizard = env["dunning.aged.balance.wizard"].create({})
        self.assertEqual(wizard.company_id, self.company)

    def test_portal_reads_nothing(self):
        env = self.env(user=self.portal_user)
        for model in [*self.MODELS, "dunning.aged.balance.wizard"]:
            with self.assertRaises(AccessError, msg=model):
                env[model].search_read([], limit=1)

    def test_multi_company_separation(self):
        model = self.env["dunning.aged.balance"]
        domain = [("partner_id", "=", self.partner.id)]
        both = model.search(domain)
        self.assertEqual(sorted(both.mapped("amount_residual")), [100.0, 900.0])
        only_2 = model.with_context(allowed_company_ids=self.company_2.ids).search(
            domain
        )
        self.assertEqual(only_2.mapped("amount_residual"), [900.0])
        self.assertEqual(only_2.company_id, self.company_2)
        self.env.invalidate_all()
        dso = (
            self.env["dunning.dso.report"]
            .with_context(allowed_company_ids=self.company.ids)
            ._read_group(domain, ["company_id"], ["receivable:max"])
        )
        self.assertEqual(dso, [(self.company, 100.0)])
        behaviour = self.env["dunning.payment.behaviour"].with_company(self.company_2)
        [row] = behaviour.search(domain)
        self.assertRecordValues(
            row, [{"company_id": self.company_2.id, "overdue_amount": 900.0}]
        )
