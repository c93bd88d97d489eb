/** @odoo-module **/
// Copyright 2026 account_dunning contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// The customer follows the link of a reminder email and promises to pay.
import { registry } from "@web/core/registry";

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
