/** @odoo-module **/
// Copyright 2026 account_dunning contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// The customer follows the link of a reminder email and promises to pay.
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("account_dunning_portal_promise", {
    steps: () => [
        {
            content: "The overdue invoice is listed",
            trigger: ".o_dunning_items tr.table-danger",
        },
        {
            content: "Promise a part of the amount",
            trigger: ".o_dunning_promise input[name='amount']",
            run: "edit 150",
        },
        {
            content: "Send the promise",
            trigger: ".o_dunning_promise_submit",
            run: "click",
        },
        {
            content: "The promise is confirmed",
            trigger: ".o_dunning_done",
        },
    ],
});

// The customer pays the overdue invoices with the demo provider.
registry.category("web_tour.tours").add("account_dunning_portal_pay_demo", {
    steps: () => [
        {
            content: "Choose the demo payment method",
            trigger: ".o_dunning_pay input[name='o_payment_radio']",
            run: "click",
        },
        {
            content: "Card number",
            trigger: ".o_dunning_pay #customer_input",
            run: "edit 4242",
        },
        {
            content: "Pay",
            trigger: ".o_dunning_pay button[name='o_payment_submit_button']:enabled",
            run: "click",
        },
        {
            content: "Back on the follow-up page, the payment is confirmed",
            trigger: ".o_dunning_done",
            timeout: 30000,
        },
    ],
});
