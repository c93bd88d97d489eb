/** @odoo-module **/
// Copyright 2026 account_dunning contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {onMounted, onWillUnmount} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {
    ProgressBarField,
    progressBarField,
} from "@web/views/fields/progress_bar/progress_bar_field";

/**
 * Progress bar of a follow-up batch running in the background: reloads the
 * batch every few seconds while it runs (customers done, rate, expected end,
 * lines), so that the user sees it fill in without reloading the page.
 */
export class DunningBatchProgressField extends ProgressBarField {
    static REFRESH_MS = 3000;

    setup() {
        super.setup();
        onMounted(() => {
            this.timer = setInterval(
                () => this.refresh(),
                DunningBatchProgressField.REFRESH_MS
            );
        });
        onWillUnmount(() => clearInterval(this.timer));
    }

    async refresh() {
        const record = this.props.record;
        if (record.data.state !== "running" || record.dirty) {
            return;
        }
        await record.load();
    }
}

export const dunningBatchProgressField = {
    ...progressBarField,
    component: DunningBatchProgressField,
    fieldDependencies: [{name: "state", type: "selection"}],
};

registry.category("fields").add("dunning_batch_progress", dunningBatchProgressField);
