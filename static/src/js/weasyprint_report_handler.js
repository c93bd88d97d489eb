/** @odoo-module **/
// Copyright 2026 account_dunning contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
//
// Reports rendered by WeasyPrint (ir.actions.report.dunning_use_weasyprint)
// need no wkhtmltopdf: download their PDF directly instead of letting the web
// client fall back to the HTML preview when wkhtmltopdf is missing.
import {registry} from "@web/core/registry";
import {user} from "@web/core/user";
import {download} from "@web/core/network/download";
import {getReportUrl} from "@web/webclient/actions/reports/utils";

async function weasyprintReportHandler(action, options, env) {
    if (action.report_type !== "qweb-pdf" || !action.dunning_use_weasyprint) {
        return false;
    }
    const context = {...user.context, ...(action.context || {})};
    env.services.ui.block();
    try {
        await download({
            url: "/report/download",
            data: {
                data: JSON.stringify([getReportUrl(action, "pdf"), action.report_type]),
                context: JSON.stringify(context),
            },
        });
    } finally {
        env.services.ui.unblock();
    }
    if (action.close_on_report_download) {
        return env.services.action.doAction(
            {type: "ir.actions.act_window_close"},
            {onClose: options.onClose}
        );
    }
    options.onClose?.();
    return true;
}

registry
    .category("ir.actions.report handlers")
    .add("account_dunning_weasyprint", weasyprintReportHandler);
