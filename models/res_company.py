# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_tolerance = fields.Monetary(
        string="Follow-up Tolerance",
        currency_field="currency_id",
        help="Open items whose residual (in company currency) is below this "
        "amount are not reminded.",
    )
    dunning_test_mode = fields.Boolean(
        string="Follow-up Test Mode",
        help="Send every follow-up email to the test address instead of customers.",
    )
    dunning_test_email = fields.Char(string="Follow-up Test Address")
    dunning_chunk_size = fields.Integer(
        string="Follow-up Chunk Size",
        default=100,
        help="Number of customers processed per transaction by the automatic "
        "follow-up.",
    )

    @api.constrains("dunning_test_mode", "dunning_test_email")
    def _check_dunning_test_email(self):
        for company in self:
            if company.dunning_test_mode and not company.dunning_test_email:
                raise ValidationError(
                    self.env._(
                        "Follow-up test mode is on for %(company)s: enter the "
                        "internal address that receives the test emails.",
                        company=company.name,
                    )
                )

    @api.constrains("dunning_tolerance", "dunning_chunk_size")
    def _check_dunning_numbers(self):
        for company in self:
            if company.dunning_tolerance < 0:
                raise ValidationError(
                    self.env._("The follow-up tolerance cannot be negative.")
                )
            if company.dunning_chunk_size < 1:
                raise ValidationError(
                    self.env._("The follow-up chunk size must be at least 1.")
                )
