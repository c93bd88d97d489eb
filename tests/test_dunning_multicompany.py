# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two companies sharing customers: each follow-up stays in its company."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDunningMultiCompany(DunningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Dunning Company B")["company"]
        env_b = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids)
        )
        cls.marker_b = env_b["dunning.marker"].create(
            {
                "code": "R1",
                "name": "B first",
                "sequence": 10,
                "propagate": True,
                "company_id": cls.company_b.id,
            }
        )
        cls.strategy_b = env_b["dunning.strategy"].create(
            {
                "name": "Company B",
                "company_id": cls.company_b.id,
                "is_default": True,
                "level_ids": [
                    Command.create(
                        {
                            "name": "B 1",
                            "delay": 15,
                            "marker_id": cls.marker_b.id,
                            "send_email": True,
                            "mail_template_id": cls.template_1.id,
                        }
                    )
                ],
            }
        )
        cls.level_b = cls.strategy_b.level_ids
        cls.customer.with_company(cls.company_b).dunning_included = True
        # same customer, one overdue invoice in each company
        cls.invoice_a = cls._create_invoice(cls.customer, 900.0, "2026-04-27")
        cls.invoice_b = cls._create_invoice(
            cls.customer, 4444.0, "2026-04-27", company=cls.company_b
        )
        cls.user_b = new_test_user(
            cls.env,
            login="dunning_user_b",
            groups="account.group_account_manager,base.group_partner_manager",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )

    def _receivable(self, invoice):
        return invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )

    def _assert_untouched(self, invoice, company, messages_before):
        """Nothing of ``company`` was read, reminded, marked or commented."""
        self.assertRecordValues(
            self._receivable(invoice),
            [
                {
                    "dunning_level_id": False,
                    "dunning_marker_id": False,
                    "dunning_date": False,
                }
            ],
        )
        self.assertEqual(invoice.message_ids, messages_before)
        partner = self.customer.with_company(company)
        self.assertFalse(partner.dunning_comments)
        self.assertFalse(partner.dunning_marker_id)
        self.assertFalse(partner.dunning_next_date)
        self.assertFalse(partner.dunning_sale_warning)

    def _mail_body(self, batch):
        mails = batch.line_ids.mail_ids
        self.assertEqual(len(mails), 1)
        return str(mails.body_html)

    def test_launch_in_a_leaves_b_alone(self):
        messages_b = self.invoice_b.message_ids
        batch = self._launch(self.level_1, "2026-06-01")
        self.assertEqual(batch.company_id, self.company)
        self.assertEqual(batch.line_ids.item_ids, self._receivable(self.invoice_a))
        self.assertEqual(batch.total_balance, 900.0)
        body = self._mail_body(batch)
        self.assertIn("900.00", body)
        self.assertNotIn("4,444", body)
        self._assert_untouched(self.invoice_b, self.company_b, messages_b)
        # company A got its marker and comment
        partner_a = self.customer.with_company(self.company)
        self.assertEqual(partner_a.dunning_marker_id, self.marker_r1)
        self.assertIn("Payment overdue (5 days)", partner_a.dunning_comments)
        # B is still due for its own level, A's reminder did not count
        result_b = self.env["dunning.engine"]._evaluate(
            date="2026-06-01", company=self.company_b
        )
        self.assertEqual(
            [i.id for i in result_b.to_remind(self.level_b.id)[self.customer.id]],
            self._receivable(self.invoice_b).ids,
        )

    def test_user_of_both_companies_works_in_active_company(self):
        messages_a = self.invoice_a.message_ids
        # accountman has both companies; B active
        wizard = (
            self.env["dunning.launch.wizard"]
            .with_company(self.company_b)
            .create({"date": "2026-06-01"})
        )
        self.assertEqual(wizard.company_id, self.company_b)
        self.assertEqual(wizard.strategy_id, self.strategy_b)
        self.assertEqual(wizard.level_id, self.level_b)
        self.assertEqual(wizard.line_ids.item_ids, self._receivable(self.invoice_b))
        batch = wizard._launch()
        self.assertEqual(batch.company_id, self.company_b)
        self.assertEqual(batch.sent_count, 1)
        body = self._mail_body(batch)
        self.assertIn("4,444.00", body)
        self.assertNotIn("900.00", body)
        self._assert_untouched(self.invoice_a, self.company, messages_a)
        self.assertEqual(
            self.customer.with_company(self.company_b).dunning_marker_id, self.marker_b
        )
        # A strategy of company A cannot be used from company B
        with self.assertRaises(UserError):
            self.env["dunning.launch.wizard"].with_company(self.company_b).create(
                {
                    "date": "2026-06-01",
                    "strategy_id": self.strategy.id,
                    "level_id": self.level_1.id,
                }
            )

    def test_batch_of_a_executed_from_b_stays_in_a(self):
        """A draft batch of A executed while B is the active company reminds
        A's items, with A's amounts (the line runs in the batch's company)."""
        messages_b = self.invoice_b.message_ids
        selection = self._evaluate("2026-06-01").to_remind(self.level_1.id)
        batch = self.env["dunning.batch"]._create_from_selection(
            selection,
            {
                "strategy_id": self.strategy.id,
                "level_id": self.level_1.id,
                "date": "2026-06-01",
            },
        )
        env_ba = self.env(
            context=dict(
                self.env.context,
                allowed_company_ids=[self.company_b.id, self.company.id],
            )
        )
        batch.with_env(env_ba).action_execute()
        self.assertEqual(batch.line_ids.state, "sent", batch.line_ids.reason)
        body = self._mail_body(batch)
        self.assertIn("900.00", body)
        self.assertNotIn("4,444", body)
        self._assert_untouched(self.invoice_b, self.company_b, messages_b)

    def test_company_dependent_settings(self):
        """Excluding the customer in B does not exclude it in A."""
        self.customer.with_company(self.company_b).dunning_included = False
        self.customer.with_company(self.company_b).trust = "bad"
        self.assertTrue(self.customer.with_company(self.company).dunning_included)
        self.assertNotEqual(self.customer.with_company(self.company).trust, "bad")
        res_a = self._evaluate("2026-06-01").partners[self.customer.id]
        self.assertEqual(res_a.status, "in_need_of_action")
        res_b = (
            self.env["dunning.engine"]
            ._evaluate(date="2026-06-01", company=self.company_b)
            .partners[self.customer.id]
        )
        self.assertEqual(res_b.reason, "not_included")
        self.assertEqual(
            self.customer.with_company(self.company_b).dunning_strategy_id
            or self.customer.with_company(self.company_b)._get_dunning_strategy(),
            self.strategy_b,
        )
        self.assertEqual(
            self.customer.with_company(self.company)._get_dunning_strategy(),
            self.strategy,
        )

    def test_user_of_other_company_sees_nothing_of_a(self):
        batch = self._launch(self.level_1, "2026-06-01")
        env_b = self.env(user=self.user_b)
        self.assertFalse(env_b["dunning.batch"].search([("id", "=", batch.id)]))
        self.assertFalse(env_b["dunning.batch.line"].search([]))
        self.assertEqual(env_b["dunning.strategy"].search([]), self.strategy_b)
        self.assertNotIn(self.marker_r1, env_b["dunning.marker"].search([]))
        self.assertIn(self.marker_b, env_b["dunning.marker"].search([]))
        with self.assertRaises(AccessError):
            batch.with_user(self.user_b).read(["name"])
        with self.assertRaises(AccessError):
            self.level_1.with_user(self.user_b).read(["name"])
        # a strategy of B cannot get a marker of A
        with self.assertRaises(UserError):
            self.level_b.marker_id = self.marker_r1
        # the partner's follow-up status in B only counts B's invoices
        partner_b = self.customer.with_user(self.user_b).with_context(
            dunning_date="2026-06-01"
        )
        self.assertEqual(partner_b.dunning_total_due, 4444.0)
        self.assertEqual(partner_b.dunning_level_id.id, False)
