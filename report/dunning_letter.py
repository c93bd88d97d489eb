# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ReportDunningLetter(models.AbstractModel):
    """Values of the follow-up letter: one letter per customer, listing the
    items reminded (``data['item_ids']``) or, when printed from the customer,
    the items due as of today."""

    _name = "report.account_dunning.report_dunning_letter"
    _description = "Follow-up Letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        partners = self.env["res.partner"].browse(docids)
        date = fields.Date.to_date(data.get("date")) or fields.Date.context_today(self)
        level = self.env["dunning.level"].browse(data.get("level_id") or [])
        item_ids = data.get("item_ids")
        result = self.env["dunning.engine"]._evaluate(
            date=date, partners=partners.commercial_partner_id, ignore_next_date=True
        )
        docs = []
        for partner in partners:
            res = result.partners.get(partner.commercial_partner_id.id)
            items = res.items if res else []
            if item_ids:
                items = [item for item in items if item.id in item_ids]
            else:
                items = [item for item in items if item.is_overdue and not item.reason]
            partner_level = level or self.env["dunning.level"].browse(
                res.level_due_id if res and res.level_due_id else []
            )
            docs.append(
                {
                    "partner": partner,
                    "recipient": partner._get_dunning_recipient(),
                    "level": partner_level,
                    "lines": partner._get_dunning_lines_values(items),
                    "credit": res.credit if res else 0.0,
                    "total": sum(item.residual for item in items),
                }
            )
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "letters": docs,
            "date": date,
            "company": self.env.company,
            "currency": self.env.company.currency_id,
        }
