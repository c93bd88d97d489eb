/** @odoo-module */
// The customer's Relance tab, then the manual follow-up page: exclude an
// invoice, send e-mail and letter together, Fait -> next customer, Me rappeler plus tard.
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("account_dunning_manual", {
    steps: () => [
        {
            content: "Open the Relance tab of the customer",
            trigger: ".o_form_view a.nav-link:contains(Relance)",
            run: "click",
        },
        {
            content: "Status and amounts in French, in euros",
            trigger:
                ".o_form_view .o_field_widget[name=dunning_status]:contains(Nécessite une action)",
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name=dunning_total_overdue]:contains(700,00):contains(€)",
        },
        {
            content: "Open the manual follow-up",
            trigger:
                ".o_form_view button[name=action_dunning_manual]:contains(Relancer)",
            run: "click",
        },
        {
            content: "The page lists the unpaid invoices",
            trigger: ".modal a.nav-link.active:contains(Factures impayées)",
        },
        {
            trigger: ".modal .o_data_row:contains(300,00):contains(€)",
        },
        {
            content: "Exclude the invoice of 300 €",
            trigger:
                ".modal .o_data_row:contains(300,00):contains(€) .o_field_widget[name=excluded] input",
            run: "click",
        },
        {
            content: "Only the other invoice is selected",
            trigger:
                ".modal .o_field_widget[name=total_selected]:contains(400,00):contains(€)",
        },
        {
            content: "Send through the channels of the level (e-mail ticked)",
            trigger: ".modal .o_field_widget[name=send_email] input:checked",
        },
        {
            content: "Add the letter: e-mail and letter together",
            trigger: ".modal .o_field_widget[name=print_letter] input:not(:checked)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=print_letter] input:checked",
        },
        {
            trigger: ".modal button[name=action_send]:contains(Envoyer)",
            run: "click",
        },
        {
            content: "Sent: the send buttons are gone",
            trigger: ".modal:not(:has(button[name=action_send])) .alert-success",
        },
        {
            content: "Fait opens the next customer",
            trigger: ".modal button[name=action_done]:contains(Fait)",
            run: "click",
        },
        {
            trigger:
                ".modal .o_field_widget[name=partner_id]:contains(Bonjour Client B)",
        },
        {
            content: "Remind this one later",
            trigger: ".modal .o_field_widget[name=next_date] input",
            run: "edit 31/12/2099",
        },
        {
            trigger:
                ".modal button[name=action_remind_later]:contains(Me rappeler plus tard)",
            run: "click",
        },
        {
            content: "Nobody else to remind",
            trigger: ".o_notification:contains(Aucun autre client ne nécessite)",
        },
    ],
});
