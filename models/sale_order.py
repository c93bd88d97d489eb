# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    dunning_sale_warning = fields.Text(
        string="Follow-up Warning",
        compute="_compute_dunning_sale_warning",
        help="Warning the follow-up set on the customer in the company of the "
        "order. It only informs: the order can still be confirmed.",
    )

    @api.depends("partner_id.commercial_partner_id.dunning_sale_warning", "company_id")
    def _compute_dunning_sale_warning(self):
        for order in self:
            order.dunning_sale_warning = (
                order.partner_id.commercial_partner_id.with_company(
                    order.company_id
                ).dunning_sale_warning
                if order.partner_id and order.company_id
                else False
            )

    @api.onchange("partner_id")
    def _onchange_partner_id_warning(self):
        # the partner before Odoo's own warning empties it (blocked customer)
        partner = self.partner_id.commercial_partner_id
        result = super()._onchange_partner_id_warning()
        warning = (
            partner.with_company(self.company_id).dunning_sale_warning
            if partner and self.company_id
            else False
        )
        if not warning:
            return result
        if result and result.get("warning"):
            message = self.env._("Follow-up warning: %(warning)s", warning=warning)
            result["warning"]["message"] = "\n\n".join(
                filter(None, [result["warning"].get("message"), message])
            )
            return result
        return {
            "warning": {
                "title": self.env._(
                    "Follow-up warning for %(partner)s", partner=partner.name
                ),
                "message": warning,
            }
        }
