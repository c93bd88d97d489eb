# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged
from odoo.tools import convert_file

from .common import load_french


@tagged("post_install", "-at_install")
class TestDunningDemo(TransactionCase):
    """The demo data (the guide's scenario) loads as a French company in
    euros, whose analytics hold its own customers only."""

    def test_demo_loads_in_french_and_euros(self):
        load_french(self.env)
        convert_file(
            self.env, "account_dunning", "demo/dunning_demo.xml", {}, "init", False
        )
        ref = self.env.ref
        company = ref("account_dunning.res_company_bonjour_it")
        vidal = ref("account_dunning.res_users_vidal_demo")
        self.assertRecordValues(
            company,
            [
                {
                    "currency_id": ref("base.EUR").id,
                    "country_id": ref("base.fr").id,
                    "city": "Paris",
                    "vat": "FR19812345676",
                    "company_registry": "812 345 676",
                }
            ],
        )
        self.assertTrue(company.logo)
        self.assertTrue(company.chart_template)
        self.assertEqual(vidal.lang, "fr_FR")
        self.assertEqual(vidal.company_ids, company)
        self.assertTrue(vidal.has_group("account.group_account_manager"))
        technologies = ref("account_dunning.res_partner_technologies_demo")
        consulting = ref("account_dunning.res_partner_consulting_demo")
        for partner in technologies | consulting:
            self.assertEqual(partner.lang, "fr_FR")
            self.assertTrue(partner.street and partner.zip and partner.city)
            self.assertEqual(partner.country_id, ref("base.fr"))
        # the guide's two invoices, 35 days overdue, not yet reminded
        env = self.env(user=vidal, context={"lang": "fr_FR"})
        result = env["dunning.engine"]._evaluate(company=company)
        strategy = env["dunning.strategy"]._get_company_default(company)
        level_1 = strategy._get_sorted_levels()[0]
        self.assertEqual(level_1.name, "Retard 1")
        due = result.to_remind(level_1.id)
        self.assertEqual(set(due), {technologies.id, consulting.id})
        self.assertEqual(
            sum(item.residual for items in due.values() for item in items), 3900.0
        )
        # the reminded customers pay online with the Demo provider (make demo
        # installs payment_demo; make test too)
        if self.env["ir.module.module"]._get("payment_demo").state == "installed":
            provider = (
                self.env["payment.provider"]
                .sudo()
                .search([("code", "=", "demo"), ("company_id", "=", company.id)])
            )
            self.assertRecordValues(
                provider,
                [{"state": "test", "is_published": True, "company_id": company.id}],
            )
            self.assertIn(
                provider,
                provider._get_compatible_providers(
                    company.id,
                    technologies.id,
                    900.0,
                    currency_id=company.currency_id.id,
                ),
            )
            self.assertEqual(provider.journal_id.company_id, company)
            method_line = provider.journal_id.inbound_payment_method_line_ids.filtered(
                lambda line: line.payment_provider_id == provider
            )
            self.assertTrue(method_line.payment_account_id, "payments with an entry")
        # history: earlier reminders and payments, in this company only
        batches = env["dunning.batch"].search([("company_id", "=", company.id)])
        self.assertGreater(len(batches), 5)
        self.assertTrue(all(batch.company_id == company for batch in batches))
        behaviour = env["dunning.payment.behaviour"].with_company(company).search([])
        self.assertIn(technologies, behaviour.partner_id)
        self.assertGreater(sum(behaviour.mapped("paid_count")), 5)
        self.assertFalse(
            behaviour.partner_id
            - env["res.partner"].search(
                [("id", "in", behaviour.partner_id.ids), ("lang", "=", "fr_FR")]
            ),
            "only the demo company's French customers in its analytics",
        )
        # the customer on formal notice: its quotation shows the sales warning
        quotation = self.env["sale.order"].search([("company_id", "=", company.id)])
        self.assertEqual(len(quotation), 1)
        warning = quotation.partner_id.with_company(company).dunning_sale_warning
        self.assertIn("20", warning)
        self.assertEqual(quotation.dunning_sale_warning, warning)
        self.assertEqual(quotation.partner_id.sale_warn, "no-message")
