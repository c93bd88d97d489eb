/** @odoo-module */
// Launch wizard, in French with euros (tests/test_tours.py sets the data up):
// Synthèse figures, Détail lines, no customer without email, launch -> the
// batch, sent.
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("account_dunning_launch", {
    steps: () => [
        {
            content: "The wizard opens on its Synthèse tab",
            trigger: ".modal a.nav-link.active:contains(Synthèse)",
        },
        {
            content: "Two customers to remind",
            trigger: ".modal .o_field_widget[name=partner_count]:contains(2)",
        },
        {
            content: "Total debit in euros, French format",
            trigger:
                ".modal .o_field_widget[name=total_debit]:contains(700,00):contains(€)",
        },
        {
            content: "Open the Détail tab",
            trigger: ".modal a.nav-link:contains(Détail)",
            run: "click",
        },
        {
            content: "One line per customer",
            trigger:
                ".modal .o_data_row:contains(Bonjour Client A):contains(400,00):contains(€)",
        },
        {
            trigger:
                ".modal .o_data_row:contains(Bonjour Client B):contains(300,00):contains(€)",
        },
        {
            content: "Open the tab of the customers without email address",
            trigger: ".modal a.nav-link:contains(Clients sans adresse électronique)",
            run: "click",
        },
        {
            content: "Everybody has an address: a sentence, no blank rows",
            trigger:
                ".modal .tab-pane.active:contains(Tous les clients de ce lancement ont une adresse électronique):not(:has(.o_list_renderer))",
        },
        {
            content: "Launch",
            trigger:
                ".modal button[name=action_launch]:contains(Lancer le processus de relance)",
            run: "click",
        },
        {
            content: "The wizard closes on the batch",
            trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_status",
        },
        {
            content: "The batch is done: both customers reminded",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Fait)",
        },
        {
            trigger: ".o_form_view .o_field_widget[name=sent_count]:contains(2)",
        },
    ],
});
