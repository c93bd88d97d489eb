/** @odoo-module */
// The automatic follow-up page of an accounting manager, in French: switch a
// level on, "Exécuter maintenant", the notification with the batch, the run.
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("account_dunning_auto", {
    steps: () => [
        {
            content: "The page of the automatic follow-up",
            trigger: ".o_form_view h1:contains(Relance automatique)",
        },
        {
            content: "The scheduled action, read for display",
            trigger:
                ".o_form_view .o_field_widget[name=cron_user_id]:contains(OdooBot)",
        },
        {
            content: "Nothing ran yet",
            trigger:
                ".o_form_view .o_group:contains(La relance automatique ne s'est pas encore exécutée)",
        },
        {
            content: "Switch the first level on",
            trigger:
                ".o_field_widget[name=level_line_ids] .o_data_row:contains(Delay 1) .o_field_boolean_toggle input",
            run: "click",
        },
        {
            content: "Run now",
            trigger:
                ".o_form_view button[name=action_run_now]:contains(Exécuter maintenant)",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The notification says who was reminded, with the batch",
            trigger: ".o_notification:contains(relancé):contains(Lots):has(a)",
        },
        {
            content: "The run is listed",
            trigger: ".o_form_view a.nav-link:contains(Dernières exécutions)",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=run_ids] .o_data_row:contains(À la main):contains(Delay 1)",
        },
    ],
});
