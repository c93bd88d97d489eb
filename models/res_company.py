# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date as date_type
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import format_date


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

    dunning_statement_max_age = fields.Integer(
        string="Bank Statements Older Than (days)",
        default=3,
        help="The follow-up launch warns when the last statement of a bank "
        "journal is older than this number of days: reconcile your bank "
        "statements first, not to remind a customer who has paid. 0: no warning.",
    )

    # French legal mentions (Code de commerce L441-10 and D441-5)
    dunning_legal_mentions = fields.Boolean(
        string="Late-payment Legal Mentions",
        compute="_compute_dunning_legal_mentions",
        store=True,
        readonly=False,
        help="Show the late-payment interest and the flat recovery indemnity "
        "on the letters of the levels flagged to show them (French law: Code "
        "de commerce L441-10 and D441-5). On by default for French companies.",
    )
    dunning_interest_rate_ids = fields.One2many(
        comodel_name="dunning.interest.rate",
        inverse_name="company_id",
        string="Late-payment Reference Rates",
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
    dunning_portal_allow_payment = fields.Boolean(string="Pay Online", default=True)
    dunning_portal_allow_promise = fields.Boolean(string="Promise to Pay", default=True)
    dunning_portal_allow_dispute = fields.Boolean(
        string="Dispute an Invoice", default=True
    )
    dunning_portal_allow_paid = fields.Boolean(string="Already Paid", default=True)
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

    @api.depends("country_id")
    def _compute_dunning_legal_mentions(self):
        for company in self:
            company.dunning_legal_mentions = company.country_id.code == "FR"

    @api.depends(
        "dunning_ecb_rate",
        "dunning_interest_margin",
        "dunning_interest_rate_ids.date_from",
        "dunning_interest_rate_ids.ecb_rate",
    )
    def _compute_dunning_interest_rate(self):
        today = fields.Date.context_today(self)
        for company in self:
            company.dunning_interest_rate = company._dunning_interest_terms(today)[
                "rate"
            ]

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

    # ------------------------------------------------------------------
    # French late-payment interest and recovery indemnity
    # ------------------------------------------------------------------

    @tools.ormcache("self.id")
    def _dunning_ecb_rate_table(self):
        """((first day of a half-year, ECB rate), ...), the latest first."""
        rates = (
            self.env["dunning.interest.rate"]
            .sudo()
            .search([("company_id", "=", self.id)], order="date_from desc")
        )
        return tuple((rate.date_from, rate.ecb_rate) for rate in rates)

    @api.model
    def _dunning_half_year_start(self, day):
        return date_type(day.year, 1 if day.month < 7 else 7, 1)

    def _dunning_interest_terms(self, day, partner=None):
        """Late-payment rate of the half-year of ``day``: the customer's
        contractual rate when set, else the ECB rate in force on the first day
        of the half-year (dated table, else the company's ECB rate) plus the
        company's margin. Returns a dict: rate, ecb_rate, margin, contractual."""
        self.ensure_one()
        if partner:
            contractual = (
                partner.commercial_partner_id.with_company(self)
                .sudo()
                .dunning_interest_rate
            )
            if contractual:
                return {
                    "rate": contractual,
                    "ecb_rate": False,
                    "margin": False,
                    "contractual": True,
                }
        start = self._dunning_half_year_start(day)
        ecb = next(
            (
                rate
                for date_from, rate in self._dunning_ecb_rate_table()
                if date_from <= start
            ),
            self.dunning_ecb_rate,
        )
        return {
            "rate": ecb + self.dunning_interest_margin,
            "ecb_rate": ecb,
            "margin": self.dunning_interest_margin,
            "contractual": False,
        }

    def _dunning_late_interest(self, amount, days, date=None, partner=None):
        """Late-payment interest on ``amount`` overdue by ``days`` days as of
        ``date`` (default today): simple interest ``amount x rate / 100 x days
        / 365``, computed half-year by half-year when the delay spans several
        (the rate is fixed per half-year), not rounded."""
        self.ensure_one()
        if days <= 0 or amount <= 0:
            return 0.0
        end = date or fields.Date.context_today(self)
        start = end - timedelta(days=days - 1)  # the day after the due date
        interest = 0.0
        while start <= end:
            half_start = self._dunning_half_year_start(start)
            if half_start.month == 1:
                next_half = date_type(half_start.year, 7, 1)
            else:
                next_half = date_type(half_start.year + 1, 1, 1)
            period_end = min(end, next_half - timedelta(days=1))
            rate = self._dunning_interest_terms(start, partner)["rate"]
            interest += amount * rate / 100.0 * ((period_end - start).days + 1) / 365.0
            start = period_end + timedelta(days=1)
        return interest

    @api.model
    def _dunning_recovery_indemnity_applies(self, partner):
        """The flat recovery indemnity (D441-5) is due between businesses
        only: never from a consumer (an individual without company)."""
        return bool(partner) and partner.commercial_partner_id.is_company

    def _dunning_bank_statement_warning(self, date):
        """Text warning that the last statement of some bank journals is older
        than ``dunning_statement_max_age`` days before ``date`` (or False)."""
        self.ensure_one()
        if self.dunning_statement_max_age <= 0:
            return False
        journals = self.env["account.journal"].search(
            [("company_id", "=", self.id), ("type", "=", "bank")]
        )
        if not journals:
            return False
        last_dates = dict(
            self.env["account.bank.statement.line"]._read_group(
                [("journal_id", "in", journals.ids)],
                ["journal_id"],
                ["date:max"],
            )
        )
        limit = date - timedelta(days=self.dunning_statement_max_age)
        late = []
        for journal in journals:
            last = last_dates.get(journal)
            # journals never fed with statements are not watched
            if last and last < limit:
                late.append(
                    self.env._(
                        "%(journal)s: last statement line on %(date)s",
                        journal=journal.display_name,
                        date=format_date(self.env, last),
                    )
                )
        if not late:
            return False
        return self.env._(
            "Reconcile your bank statements before launching the follow-up, "
            "not to remind a customer who has already paid:\n%(journals)s",
            journals="\n".join(late),
        )

    @api.model
    def _dunning_check_allowed_vals(self, vals):
        """:meth:`_dunning_check_allowed` on the company of the values of a
        record to create (the current company by default)."""
        company = self.browse(vals.get("company_id") or self.env.company.id)
        company._dunning_check_allowed()

    def _dunning_check_allowed(self):
        """Refuse follow-up work for a company the user may not use: every
        entry point that evaluates or writes a company's follow-up (wizards,
        engine, batches, promises, strategies) calls it. The superuser (cron,
        internal code under ``sudo()``) works in every company."""
        if self.env.su:
            return
        forbidden = self - self.env.user.company_ids
        if forbidden:
            raise AccessError(
                self.env._(
                    "You are not allowed to work on the follow-up of the company "
                    "%(companies)s.",
                    companies=", ".join(forbidden.sudo().mapped("display_name")),
                )
            )
