/** @odoo-module */
// "Traiter les relances" from the follow-up reports list, then the aged balance.
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("account_dunning_process", {
    steps: () => [
        {
            content: "The follow-up reports list the customers in need of action",
            trigger:
                ".o_list_view .o_data_row:contains(Bonjour Client A):contains(400,00):contains(€)",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(Bonjour Client B)",
        },
        {
            content: "Select them all",
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Action menu",
            trigger: ".o_control_panel .o_cp_action_menus button:has(.fa-cog)",
            run: "click",
        },
        {
            trigger:
                ".o-dropdown--menu .o-dropdown-item:contains(Traiter les relances)",
            run: "click",
        },
        {
            content: "The batch sums up what was sent",
            trigger: ".o_form_view .o_field_widget[name=sent_count]:contains(2)",
        },
    ],
});

registry.category("web_tour.tours").add("account_dunning_aged_balance", {
    steps: () => [
        {
            content: "The aged balance wizard",
            trigger: ".modal button[name=action_open]:contains(Afficher)",
            run: "click",
        },
        {
            content: "Columns by days overdue, in French",
            trigger: ".o_list_view th:contains(Non échu)",
        },
        {
            content: "Grouped by customer, the group sums in euros",
            trigger:
                ".o_list_view .o_group_header:contains(Bonjour Client A):contains(400,00):contains(€)",
        },
        {
            trigger:
                ".o_list_view .o_group_header:contains(Bonjour Client B):contains(300,00):contains(€)",
        },
        {
            content: "The total of the groups in euros",
            trigger: ".o_list_view tfoot:contains(700,00):contains(€)",
        },
        {
            content: "Open a customer's items",
            trigger: ".o_list_view .o_group_header:contains(Bonjour Client A)",
            run: "click",
        },
        {
            trigger: ".o_list_view .o_data_row:contains(400,00):contains(€)",
        },
    ],
});
