# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from .common import DunningCommon


@freeze_time("2026-07-10")
@tagged("post_install", "-at_install")
class TestDunningLegal(DunningCommon):
    """French legal mentions: the late-payment rate fixed per half-year, the
    contractual rate, and the recovery indemnity between businesses only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "country_id": cls.env.ref("base.fr").id,
                "dunning_ecb_rate": 4.0,
                "dunning_interest_margin": 10.0,
                "dunning_recovery_indemnity": 40.0,
            }
        )
        cls.level_2.show_legal_mentions = True
        cls.Letter = cls.env["report.account_dunning.report_dunning_letter"]

    def _letter(self, partner, date="2026-07-10"):
        date = fields.Date.to_date(date)
        result = self._evaluate(date, partner)
        items = result.partners[partner.id].items
        return self.Letter._get_letter_values(
            partner,
            self.level_2,
            date,
            self.company,
            [item for item in items if item.is_overdue],
            [item for item in items if item.is_credit],
        )

    def test_legal_mentions_on_by_default_for_french_companies(self):
        french = self.env["res.company"].create(
            {"name": "Société FR", "country_id": self.env.ref("base.fr").id}
        )
        american = self.env["res.company"].create(
            {"name": "US Corp", "country_id": self.env.ref("base.us").id}
        )
        self.assertTrue(french.dunning_legal_mentions)
        self.assertFalse(american.dunning_legal_mentions)
        self.assertTrue(self.company.dunning_legal_mentions)

    def test_interest_per_half_year(self):
        self.env["dunning.interest.rate"].create(
            [
                {"date_from": "2026-01-01", "ecb_rate": 2.0},
                {"date_from": "2026-07-01", "ecb_rate": 3.0},
            ]
        )
        # due on 20 June, 20 days overdue on 10 July: 10 days at 12 % in the
        # first half-year, 10 days at 13 % in the second
        self.assertAlmostEqual(
            self.company._dunning_late_interest(1000.0, 20),
            1000.0 * (0.12 * 10 + 0.13 * 10) / 365,
            places=6,
        )
        self.assertEqual(self.company.dunning_interest_rate, 13.0)
        # before the table, the settings' ECB rate
        self.assertAlmostEqual(
            self.company._dunning_late_interest(
                1000.0, 10, fields.Date.to_date("2025-03-10")
            ),
            1000.0 * 0.14 * 10 / 365,
            places=6,
        )
        # the letter uses the per-period interest and the rate of its half-year
        self._create_invoice(self.customer, 1000.0, "2026-06-20")
        letter = self._letter(self.customer)
        self.assertAlmostEqual(letter["lines"][0]["interest"], 6.85, places=2)
        self.assertEqual(letter["interest_rate"], 13.0)
        self.assertIn("3,00", letter["legal_interest_text"].replace(".", ","))

    def test_half_year_dates_only(self):
        with self.assertRaises(ValidationError):
            self.env["dunning.interest.rate"].create(
                {"date_from": "2026-03-01", "ecb_rate": 2.0}
            )

    def test_contractual_rate_per_customer(self):
        self.customer.dunning_interest_rate = 15.0
        self.assertAlmostEqual(
            self.company._dunning_late_interest(1000.0, 20, partner=self.customer),
            1000.0 * 0.15 * 20 / 365,
            places=6,
        )
        self._create_invoice(self.customer, 1000.0, "2026-06-20")
        letter = self._letter(self.customer)
        self.assertEqual(letter["interest_rate"], 15.0)
        self.assertIn("contractual", letter["legal_interest_text"])

    def test_no_recovery_indemnity_for_a_consumer(self):
        business = self.customer
        consumer = self._create_customer("Jean Girard", is_company=False)
        for partner in business | consumer:
            self._create_invoice(partner, 450.0, "2026-06-01")
        letter = self._letter(business)
        self.assertEqual(letter["indemnity"], 40.0)
        self.assertIn("D441-5", letter["legal_indemnity_text"])
        letter = self._letter(consumer)
        self.assertEqual(letter["indemnity"], 0.0)
        self.assertFalse(letter["legal_indemnity_text"])
        # the interest stays due by a consumer
        self.assertTrue(letter["legal_interest_text"])
        # a contact of a company is not a consumer
        employee = self.env["res.partner"].create(
            {"name": "Madame Bourdin", "parent_id": business.id}
        )
        self.assertTrue(self.company._dunning_recovery_indemnity_applies(employee))
        self.assertFalse(self.company._dunning_recovery_indemnity_applies(consumer))
