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

    # French legal mentions (Code de commerce L441-10 and D441-5)
    dunning_legal_mentions = fields.Boolean(
        string="Late-payment Legal Mentions",
        help="Show the late-payment interest and the flat recovery indemnity "
        "on the letters of the levels flagged to show them (French law: Code "
        "de commerce L441-10 and D441-5).",
    )
    dunning_ecb_rate = fields.Float(
        string="ECB Rate (%)",
        digits=(16, 2),
        default=2.15,
        help="Rate of the European Central Bank's most recent main refinancing "
        "operation (the one in force on 1 January or 1 July of the half-year).",
    )
    dunning_interest_margin = fields.Float(
        string="Interest Margin (points)",
        digits=(16, 2),
        default=10.0,
        help="Points added to the ECB rate (at least 10 points by default in "
        "French law; the contractual rate may not be below three times the "
        "legal interest rate).",
    )
    dunning_interest_rate = fields.Float(
        string="Late-payment Interest Rate (%)",
        digits=(16, 2),
        compute="_compute_dunning_interest_rate",
        help="ECB rate + margin: the yearly rate of the late-payment interest.",
    )
    dunning_recovery_indemnity = fields.Monetary(
        string="Flat Recovery Indemnity",
        currency_field="currency_id",
        default=40.0,
        help="Flat indemnity for recovery costs due per late invoice "
        "(40 EUR, Code de commerce D441-5).",
    )

    # Customer follow-up page (personal link in every reminder)
    dunning_portal_enabled = fields.Boolean(
        string="Customer Follow-up Page",
        default=True,
        help="Every reminder carries a personal link to a page where the "
        "customer sees its open items and can pay, promise, dispute or say it "
        "already paid.",
    )
    dunning_portal_allow_payment = fields.Boolean(
        string="Online Payment", default=True
    )
    dunning_portal_allow_promise = fields.Boolean(
        string="Promise to Pay", default=True
    )
    dunning_portal_allow_dispute = fields.Boolean(
        string="Dispute an Invoice", default=True
    )
    dunning_portal_allow_paid = fields.Boolean(
        string="Already Paid", default=True
    )
    dunning_portal_promise_days = fields.Integer(
        string="Maximum Promise Delay (days)",
        default=30,
        help="A customer may promise to pay at most this many days ahead.",
    )
    dunning_portal_paid_pause_days = fields.Integer(
        string="Pause after 'Already Paid' (days)",
        default=7,
        help="Days the follow-up is paused when the customer says it already "
        "paid, while the payment is checked.",
    )
    dunning_portal_token_days = fields.Integer(
        string="Link Lifetime (days)",
        default=60,
        help="Days a personal link stays valid after it is created.",
    )

    @api.constrains(
        "dunning_portal_promise_days",
        "dunning_portal_paid_pause_days",
        "dunning_portal_token_days",
    )
    def _check_dunning_portal_days(self):
        for company in self:
            if (
                company.dunning_portal_promise_days < 1
                or company.dunning_portal_paid_pause_days < 1
                or company.dunning_portal_token_days < 1
            ):
                raise ValidationError(
                    self.env._(
                        "The delays of the customer follow-up page must be at "
                        "least one day."
                    )
                )

    @api.depends("dunning_ecb_rate", "dunning_interest_margin")
    def _compute_dunning_interest_rate(self):
        for company in self:
            company.dunning_interest_rate = (
                company.dunning_ecb_rate + company.dunning_interest_margin
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

    @api.constrains(
        "dunning_ecb_rate", "dunning_interest_margin", "dunning_recovery_indemnity"
    )
    def _check_dunning_legal_mentions(self):
        for company in self:
            if (
                company.dunning_ecb_rate < 0
                or company.dunning_interest_margin < 0
                or company.dunning_recovery_indemnity < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The late-payment interest rates and the recovery "
                        "indemnity cannot be negative."
                    )
                )

    def _dunning_late_interest(self, amount, days):
        """Late-payment interest on ``amount`` overdue by ``days`` days:
        simple interest ``amount x rate / 100 x days / 365`` (rate = ECB rate
        + margin), not rounded."""
        self.ensure_one()
        if days <= 0 or amount <= 0:
            return 0.0
        return amount * self.dunning_interest_rate / 100.0 * days / 365.0
