# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_tolerance = fields.Monetary(
        related="company_id.dunning_tolerance", readonly=False
    )
    dunning_test_mode = fields.Boolean(
        related="company_id.dunning_test_mode", readonly=False
    )
    dunning_test_email = fields.Char(
        related="company_id.dunning_test_email", readonly=False
    )
    dunning_chunk_size = fields.Integer(
        related="company_id.dunning_chunk_size", readonly=False
    )
    dunning_statement_max_age = fields.Integer(
        related="company_id.dunning_statement_max_age", readonly=False
    )
    dunning_legal_mentions = fields.Boolean(
        related="company_id.dunning_legal_mentions", readonly=False
    )
    dunning_ecb_rate = fields.Float(
        related="company_id.dunning_ecb_rate", readonly=False
    )
    dunning_interest_margin = fields.Float(
        related="company_id.dunning_interest_margin", readonly=False
    )
    dunning_interest_rate = fields.Float(related="company_id.dunning_interest_rate")
    dunning_recovery_indemnity = fields.Monetary(
        related="company_id.dunning_recovery_indemnity", readonly=False
    )
    dunning_portal_enabled = fields.Boolean(
        related="company_id.dunning_portal_enabled", readonly=False
    )
    dunning_portal_allow_payment = fields.Boolean(
        related="company_id.dunning_portal_allow_payment", readonly=False
    )
    dunning_portal_allow_promise = fields.Boolean(
        related="company_id.dunning_portal_allow_promise", readonly=False
    )
    dunning_portal_allow_dispute = fields.Boolean(
        related="company_id.dunning_portal_allow_dispute", readonly=False
    )
    dunning_portal_allow_paid = fields.Boolean(
        related="company_id.dunning_portal_allow_paid", readonly=False
    )
    dunning_portal_promise_days = fields.Integer(
        related="company_id.dunning_portal_promise_days", readonly=False
    )
    dunning_portal_paid_pause_days = fields.Integer(
        related="company_id.dunning_portal_paid_pause_days", readonly=False
    )
    dunning_portal_token_days = fields.Integer(
        related="company_id.dunning_portal_token_days", readonly=False
    )
    dunning_default_strategy_id = fields.Many2one(
        comodel_name="dunning.strategy",
        string="Default Follow-up Strategy",
        compute="_compute_dunning_default_strategy_id",
        inverse="_inverse_dunning_default_strategy_id",
        domain="[('company_id', '=', company_id)]",
    )
    dunning_include_all = fields.Boolean(
        string="Follow Up Every Customer by Default",
        compute="_compute_dunning_include_all",
        inverse="_inverse_dunning_include_all",
        help="Customers whose follow-up inclusion was never set are included in "
        "the follow-up process of this company.",
    )

    @api.depends("company_id")
    def _compute_dunning_default_strategy_id(self):
        for settings in self:
            settings.dunning_default_strategy_id = self.env[
                "dunning.strategy"
            ]._get_company_default(settings.company_id)

    def _inverse_dunning_default_strategy_id(self):
        for settings in self:
            strategy = settings.dunning_default_strategy_id
            if strategy:
                strategy.is_default = True
            else:
                self.env["dunning.strategy"]._get_company_default(
                    settings.company_id
                ).is_default = False

    @api.depends("company_id")
    def _compute_dunning_include_all(self):
        for settings in self:
            settings.dunning_include_all = bool(
                self.env["ir.default"]
                .with_company(settings.company_id)
                ._get("res.partner", "dunning_included", company_id=True)
            )

    def _inverse_dunning_include_all(self):
        for settings in self:
            self.env["ir.default"].set(
                "res.partner",
                "dunning_included",
                settings.dunning_include_all or False,
                company_id=settings.company_id.id,
            )
