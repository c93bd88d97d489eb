# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DunningInterestRate(models.Model):
    """ECB rate in force on the first day of a half-year: the French
    late-payment rate of that half-year is this rate plus the company's margin
    (Code de commerce L441-10)."""

    _name = "dunning.interest.rate"
    _description = "Late-payment Reference Rate"
    _order = "company_id, date_from desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    date_from = fields.Date(
        string="Half-year",
        required=True,
        help="First day of the half-year: 1 January or 1 July.",
    )
    ecb_rate = fields.Float(
        string="ECB Rate (%)",
        digits=(16, 2),
        required=True,
        help="Rate of the European Central Bank's most recent main refinancing "
        "operation, as in force on the first day of the half-year.",
    )
    rate = fields.Float(
        string="Late-payment Rate (%)",
        digits=(16, 2),
        compute="_compute_rate",
        help="ECB rate + the company's margin.",
    )

    _sql_constraints = [
        (
            "date_company_uniq",
            "unique(company_id, date_from)",
            "A half-year has one reference rate per company.",
        )
    ]

    @api.depends("ecb_rate", "company_id.dunning_interest_margin")
    def _compute_rate(self):
        for rate in self:
            rate.rate = rate.ecb_rate + rate.company_id.dunning_interest_margin

    @api.constrains("date_from", "ecb_rate")
    def _check_half_year(self):
        for rate in self:
            if rate.date_from.day != 1 or rate.date_from.month not in (1, 7):
                raise ValidationError(
                    self.env._(
                        "The late-payment reference rate is fixed per half-year: "
                        "its date must be a 1 January or a 1 July."
                    )
                )
            if rate.ecb_rate < 0:
                raise ValidationError(self.env._("The ECB rate cannot be negative."))

    @api.depends("date_from")
    def _compute_display_name(self):
        for rate in self:
            half = 1 if rate.date_from and rate.date_from.month == 1 else 2
            rate.display_name = (
                self.env._(
                    "Half-year %(half)s %(year)s",
                    half=half,
                    year=rate.date_from.year,
                )
                if rate.date_from
                else ""
            )

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited  # the interest part of partners stays with the rates

    dunning_interest_rate = fields.Float(
        string="Contractual Late-payment Rate (%)",
        company_dependent=True,
        digits=(16, 2),
        help="Yearly late-payment rate agreed with this customer (general terms "
        "of sale): used on the letters instead of the ECB rate + margin. Leave "
        "empty for the legal rate.",
    )

    @api.constrains("dunning_interest_rate")
    def _check_dunning_interest_rate(self):
        if any(partner.dunning_interest_rate < 0 for partner in self):
            raise ValidationError(
                self.env._("The late-payment rate cannot be negative.")
            )
