# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import DunningCommon, load_french


@tagged("post_install", "-at_install")
class TestDunningI18n(DunningCommon):
    """The French translation (i18n/fr.po) is complete enough to use the
    follow-up in French: labels, selections, menus, default data, messages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_french(cls.env)
        cls.env.invalidate_all()
        cls.fr_env = cls.env(context=dict(cls.env.context, lang="fr_FR"))

    def test_field_labels_and_help(self):
        desc = self.fr_env["dunning.strategy"].fields_get(
            ["jump_to_highest", "level_ids"], ["string", "help"]
        )
        self.assertEqual(
            desc["jump_to_highest"]["string"], "Passer au niveau le plus élevé atteint"
        )
        self.assertIn(
            "directement au niveau le plus élevé", desc["jump_to_highest"]["help"]
        )
        self.assertEqual(desc["level_ids"]["string"], "Niveaux")
        partner_desc = self.fr_env["res.partner"].fields_get(
            ["dunning_comments", "dunning_contact_id"], ["string"]
        )
        self.assertEqual(
            partner_desc["dunning_comments"]["string"], "Commentaires sur la relance"
        )
        self.assertEqual(
            partner_desc["dunning_contact_id"]["string"], "Interlocuteur comptable"
        )
        line_desc = self.fr_env["account.move.line"].fields_get(
            ["dunning_excluded"], ["string"]
        )
        self.assertEqual(line_desc["dunning_excluded"]["string"], "Aucun suivi")

    def test_selection_labels(self):
        status = self.fr_env["res.partner"].fields_get(
            ["dunning_status"], ["selection"]
        )
        self.assertEqual(
            dict(status["dunning_status"]["selection"]),
            {
                "in_need_of_action": "Nécessite une action",
                "with_overdue_invoices": "Factures en retard",
                "no_action_needed": "Aucune action requise",
            },
        )
        origin = self.fr_env["dunning.batch"].fields_get(["origin"], ["selection"])
        self.assertEqual(
            dict(origin["origin"]["selection"])["cron"],
            "Lancement automatique des relances",
        )

    def test_menus_and_actions(self):
        def fr_name(xmlid):
            return self.fr_env.ref(xmlid).sudo().name

        self.assertEqual(fr_name("account_dunning.dunning_menu"), "Relance")
        self.assertEqual(
            fr_name("account_dunning.dunning_batch_menu"), "Lots de relance"
        )
        self.assertEqual(
            fr_name("account_dunning.dunning_followup_report_menu"),
            "Rapports de relance",
        )
        self.assertEqual(
            fr_name("account_dunning.dunning_strategy_menu"), "Stratégies de relance"
        )
        self.assertEqual(
            fr_name("account_dunning.dunning_marker_menu"), "Marqueurs de relance"
        )

    def test_follow_up_features(self):
        self.assertEqual(
            self.fr_env.ref("account_dunning.dunning_aged_balance_menu").sudo().name,
            "Balance âgée",
        )
        self.assertEqual(
            self.fr_env.ref("account_dunning.ir_cron_dunning_auto_follow_up")
            .sudo()
            .name,
            "Lancement automatique des relances",
        )
        trust = self.fr_env["dunning.payment.behaviour"].fields_get(
            ["suggested_trust"], ["selection"]
        )
        self.assertEqual(
            dict(trust["suggested_trust"]["selection"])["good"], "Bon débiteur"
        )

    def test_default_data(self):
        # the default data belong to the main company, not to the test company
        def ref(xmlid):
            return self.fr_env.ref(xmlid).sudo()

        self.assertEqual(
            ref("account_dunning.dunning_strategy_classic").name, "Stratégie classique"
        )
        self.assertEqual(
            ref("account_dunning.dunning_level_classic_1").name, "Retard 1"
        )
        self.assertEqual(
            ref("account_dunning.dunning_level_classic_3").name, "Retard 3"
        )
        self.assertEqual(
            ref("account_dunning.dunning_marker_r3").name, "Mise en demeure"
        )
        template = ref("account_dunning.mail_template_dunning_1")
        self.assertEqual(
            template.subject,
            "Premier rappel - {{ object.dunning_company_id.name }}",
        )
        self.assertIn("<p>Bonjour,</p>", template.body_html)
        # the code parts of the body stay (overdue table, follow-up page link)
        self.assertIn('t-out="object._dunning_mail_table()"', template.body_html)
        self.assertIn("Voir mon compte", template.body_html)
        # English stays the source
        self.assertEqual(
            self.env(context=dict(self.env.context, lang="en_US"))
            .ref("account_dunning.dunning_strategy_classic")
            .sudo()
            .name,
            "Classic strategy",
        )

    def test_error_message_translated(self):
        with (
            self.assertRaisesRegex(
                ValidationError,
                r"Le niveau de relance Inactif ne fait rien : "
                r"choisissez au moins une action",
            ),
            self.cr.savepoint(),
        ):
            self.fr_env["dunning.level"].create(
                {
                    "name": "Inactif",
                    "strategy_id": self.strategy.id,
                    "delay": 30,
                    "print_letter": False,
                }
            )

    def test_creation_message_in_the_company_language(self):
        """An English-speaking user creates the documents of a French
        company: their chatter says so in French."""
        self.company.partner_id.lang = "fr_FR"
        env = self.env(
            context=dict(
                self.env.context,
                lang="en_US",
                mail_create_nolog=False,
                tracking_disable=False,
            )
        )
        self.assertEqual(env.user.lang, "en_US")
        strategy = env["dunning.strategy"].create({"name": "Stricte"})
        batch = env["dunning.batch"].create({"date": "2026-06-01"})
        promise = env["dunning.promise"].create(
            {"partner_id": self.customer.id, "amount": 10.0, "date": "2026-06-10"}
        )
        for record, message in (
            (strategy, "Stratégie de relance créée"),
            (batch, "Lot de relance créé"),
            (promise, "Promesse de paiement créée"),
        ):
            self.assertIn(message, record.message_ids[-1:].body)
        # an English company keeps English, even for a French-speaking user
        self.company.partner_id.lang = "en_US"
        strategy = (
            env["dunning.strategy"]
            .with_context(lang="fr_FR")
            .create({"name": "Strict"})
        )
        self.assertIn("Follow-up strategy created", strategy.message_ids[-1:].body)
