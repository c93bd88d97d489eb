/** @odoo-module **/
// Copyright 2026 account_dunning contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import {onWillStart} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {formatMonetary} from "@web/views/fields/formatters";
import {ListRenderer} from "@web/views/list/list_renderer";
import {listView} from "@web/views/list/list_view";

// Currency shared by the active companies, by company ids (one read per session)
const companyCurrencies = new Map();

/**
 * List of the follow-up screens (``js_class="dunning_list"``), whose amounts
 * are in their company's currency: the sums of the group rows (and of the
 * footer of a grouped list) show the currency, as the ungrouped footer does.
 *
 * The currency of a group is the group's value when grouped by the currency,
 * else the one of its loaded records, else the one the active companies
 * share; a group with several currencies shows its sum without currency.
 */
export class DunningListRenderer extends ListRenderer {
    setup() {
        super.setup();
        this.orm = useService("orm");
        this.companyService = useService("company");
        onWillStart(async () => {
            this.companyCurrencyId = await this.loadCompanyCurrency();
        });
    }

    async loadCompanyCurrency() {
        const companyIds = this.companyService.activeCompanyIds;
        const key = companyIds.join(",");
        if (!companyCurrencies.has(key)) {
            companyCurrencies.set(
                key,
                this.orm
                    .read("res.company", companyIds, ["currency_id"])
                    .then((companies) => {
                        const ids = new Set(
                            companies.map((company) => company.currency_id[0])
                        );
                        return ids.size === 1 ? [...ids][0] : false;
                    })
            );
        }
        return companyCurrencies.get(key);
    }

    get aggregates() {
        const aggregates = super.aggregates;
        const {isGrouped, selection} = this.props.list;
        if (!isGrouped || selection?.length) {
            // the records' own currency (see ListRenderer)
            return aggregates;
        }
        for (const column of this.allColumns) {
            const aggregate = aggregates[column.name];
            if (!aggregate || !column.attrs.sum || !this.isMonetaryColumn(column)) {
                continue;
            }
            const currencyIds = new Set(
                this.props.list.groups.map((group) =>
                    this.getGroupCurrencyId(group, column)
                )
            );
            const [currencyId] = currencyIds;
            if (currencyIds.size === 1 && currencyId) {
                const value = this.props.list.groups.reduce(
                    (total, group) => total + (group.aggregates[column.name] || 0),
                    0
                );
                aggregate.value = this.formatAmount(value, column, currencyId);
            }
        }
        return aggregates;
    }

    formatAggregateValue(group, column) {
        if (column.name in group.aggregates && this.isMonetaryColumn(column)) {
            const currencyId = this.getGroupCurrencyId(group, column);
            if (currencyId) {
                return this.formatAmount(
                    group.aggregates[column.name],
                    column,
                    currencyId
                );
            }
        }
        return super.formatAggregateValue(group, column);
    }

    isMonetaryColumn(column) {
        const field = this.props.list.fields[column.name];
        return (
            column.type === "field" &&
            (field.type === "monetary" || column.widget === "monetary")
        );
    }

    formatAmount(value, column, currencyId) {
        const digits = column.attrs.digits
            ? JSON.parse(column.attrs.digits)
            : undefined;
        return formatMonetary(value, {currencyId, digits});
    }

    getGroupCurrencyId(group, column) {
        const field = this.props.list.fields[column.name];
        const currencyField =
            column.options.currency_field || field.currency_field || "currency_id";
        if (group.groupByField.name === currencyField) {
            return group.value || false;
        }
        const records = group.list.records || [];
        if (records.length && currencyField in group.list.activeFields) {
            const ids = new Set(
                records.map((record) => record.data[currencyField]?.[0])
            );
            return ids.size === 1 ? [...ids][0] || false : false;
        }
        return this.companyCurrencyId;
    }
}

export const dunningListView = {
    ...listView,
    Renderer: DunningListRenderer,
};

registry.category("views").add("dunning_list", dunningListView);
