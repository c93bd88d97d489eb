# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The screens an accountant clicks, in headless Chromium (Odoo tours under
static/tests/tours/), in the French interface of a company in euros: a cut-off
column or an English label fails the tour, which asserts the visible text.
"""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import DunningCommon, load_french


@tagged("post_install", "-at_install")
class TestDunningTours(DunningCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        euro = cls.env.ref("base.EUR")
        euro.active = True
        cls.company.write(
            {
                "currency_id": euro.id,
                "country_id": cls.env.ref("base.fr").id,
                "email": "compta@bonjour-it.fr",
            }
        )
        cls.env.user.lang = "fr_FR"
        # both overdue by 6 days: the first level (5 days) is due today
        cls.due = fields.Date.context_today(cls.env.user) - timedelta(days=6)
        cls.client_a = cls._create_customer("Bonjour Client A")
        cls.client_b = cls._create_customer("Bonjour Client B")
        cls.invoice_a = cls._create_invoice(cls.client_a, 400.0, cls.due)
        cls.invoice_b = cls._create_invoice(cls.client_b, 300.0, cls.due)
        cls.clients = cls.client_a | cls.client_b

    def _tour(self, url, name):
        self.start_tour(url, name, login=self.env.user.login, timeout=180)

    def _batch_lines(self, partner):
        return self.env["dunning.batch.line"].search([("partner_id", "=", partner.id)])

    def test_launch_wizard(self):
        self._tour(
            "/odoo/action-account_dunning.dunning_launch_wizard_action",
            "account_dunning_launch",
        )
        lines = self._batch_lines(self.client_a) | self._batch_lines(self.client_b)
        self.assertEqual(lines.batch_id.origin, "launch")
        self.assertEqual(set(lines.mapped("state")), {"sent"})
        for client in self.clients:
            self.assertEqual(len(self._mails(client)), 1, client.name)

    def test_automatic_follow_up_page(self):
        self._tour(
            "/odoo/action-account_dunning.dunning_auto_page_action",
            "account_dunning_auto",
        )
        self.assertTrue(self.strategy._get_sorted_levels()[0].auto_execute)
        lines = self._batch_lines(self.client_a) | self._batch_lines(self.client_b)
        self.assertEqual(lines.batch_id.origin, "cron")
        self.assertEqual(lines.batch_id.auto_run_id.trigger, "manual")
        self.assertEqual(set(lines.mapped("state")), {"sent"})

    def test_partner_tab_and_manual_page(self):
        excluded = self._create_invoice(self.client_a, 300.0, self.due)
        self._tour(
            f"/odoo/action-account_dunning.res_partner_action_dunning_report/"
            f"{self.client_a.id}",
            "account_dunning_manual",
        )
        line = self._batch_lines(self.client_a)
        self.assertEqual(line.state, "sent")
        # one reminder, both channels: the email and the letter
        self.assertEqual(line.channels, "email, letter")
        self.assertTrue(line.letter_attachment_id)
        self.assertNotIn(excluded.name, line.item_ids.move_id.mapped("name"))
        self.assertIn(self.invoice_a.name, line.item_ids.move_id.mapped("name"))
        self.assertEqual(len(self._mails(self.client_a)), 1)
        # remind later: not reminded, next reminder date set
        self.assertFalse(self._batch_lines(self.client_b))
        self.assertEqual(
            str(self.client_b.with_company(self.company).dunning_next_date),
            "2099-12-31",
        )

    def test_process_follow_ups_from_list(self):
        self._tour(
            "/odoo/action-account_dunning.res_partner_action_dunning_report",
            "account_dunning_process",
        )
        lines = self._batch_lines(self.client_a) | self._batch_lines(self.client_b)
        self.assertEqual(lines.batch_id.origin, "bulk")
        self.assertEqual(set(lines.mapped("state")), {"sent"})

    def test_aged_balance(self):
        self._tour(
            "/odoo/action-account_dunning.dunning_aged_balance_wizard_action",
            "account_dunning_aged_balance",
        )
