# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re
from urllib.parse import urlencode

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import format_amount, format_date, formatLang, hmac

PLACEHOLDER = re.compile(r"\{(\w+)\}")

# Aged balance buckets of the statement: (key, first day, last day)
AGED_BUCKETS = (
    ("not_due", None, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("90_plus", 91, None),
)


class ReportDunningLetter(models.AbstractModel):
    """Values of the follow-up letter: one letter per customer, listing the
    items reminded (``data['item_ids']``) or, when printed from the customer,
    the items overdue as of the date (``data['date']``, default today).

    Letter text placeholders (replaced in the level's letter text, in the
    customer's language): ``{customer}``, ``{contact}``, ``{company}``,
    ``{date}`` (letter date), ``{level}``, ``{total_due}`` (residual of the
    listed items), ``{total_overdue}``, ``{oldest_due_date}``,
    ``{interest_rate}``, ``{interest}`` and ``{indemnity}`` (legal mentions).

    Late-payment interest of an item (legal mentions): simple interest
    ``residual x (ECB rate + margin) / 100 x days overdue / 365`` as of the
    letter date, rounded to the currency; the flat recovery indemnity
    (40 EUR by default) is due once per late invoice.
    """

    _name = "report.account_dunning.report_dunning_letter"
    _description = "Follow-up Letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        if data.get("letters"):
            # values already built (``ir.actions.report._dunning_render_letters``)
            letters = data["letters"]
            company = letters[0].get("company") or self.env.company
            return {
                "doc_ids": docids,
                "doc_model": "res.partner",
                "docs": self.env["res.partner"].union(
                    *(letter["partner"] for letter in letters)
                ),
                "letters": letters,
                "date": letters[0]["date"],
                "company": company,
                "currency": company.currency_id,
            }
        partners = self.env["res.partner"].browse(docids)
        date = fields.Date.to_date(data.get("date")) or fields.Date.context_today(self)
        level = self.env["dunning.level"].browse(data.get("level_id") or [])
        item_ids = data.get("item_ids")
        company = self.env.company
        result = self.env["dunning.engine"]._evaluate(
            date=date, partners=partners.commercial_partner_id, ignore_next_date=True
        )
        all_items = [item for res in result.partners.values() for item in res.items]
        amls = self.env["account.move.line"].browse([item.id for item in all_items])
        amls.fetch(["move_id", "move_name", "currency_id", "amount_currency", "ref"])
        amls.move_id.fetch(["name", "payment_reference", "move_type"])
        letters = []
        for partner in partners:
            res = result.partners.get(partner.commercial_partner_id.id)
            items = res.items if res else []
            if item_ids:
                overdue = [item for item in items if item.id in item_ids]
            else:
                overdue = [
                    item for item in items if item.is_overdue and not item.reason
                ]
            credits = [item for item in items if item.is_credit]
            partner_level = level or self.env["dunning.level"].browse(
                res.level_due_id or res.level_reached_id if res else []
            )
            letters.append(
                self._get_letter_values(
                    partner, partner_level, date, company, overdue, credits
                )
            )
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "letters": letters,
            "date": date,
            "company": company,
            "currency": company.currency_id,
        }

    def _get_letter_values(
        self, partner, level, date, company, overdue, credits, batch_line=None
    ):
        """Values of the letter of ``partner`` at ``level``: ``overdue`` the
        items listed, ``credits`` the unapplied credits; ``batch_line`` the
        reminder it is sent for (its reference), if any."""
        aml_model = self.env["account.move.line"]
        currency_model = self.env["res.currency"]
        legal = bool(company.dunning_legal_mentions and level.show_legal_mentions)
        lines = []
        totals = {}
        for item in overdue:
            aml = aml_model.browse(item.id)
            currency = currency_model.browse(item.currency_id)
            interest = 0.0
            if legal:
                interest = currency.round(
                    company._dunning_late_interest(
                        item.residual_currency, item.days_overdue, date, partner
                    )
                )
            lines.append(
                {
                    "aml": aml,
                    "reference": aml.move_name or aml.move_id.display_name,
                    "date": item.date,
                    "date_maturity": item.date_maturity,
                    "days_overdue": max(item.days_overdue, 0),
                    "currency": currency,
                    "amount": aml.amount_currency,
                    "residual": item.residual_currency,
                    "interest": interest,
                }
            )
            total = totals.setdefault(
                currency,
                {
                    "currency": currency,
                    "residual": 0.0,
                    "overdue": 0.0,
                    "interest": 0.0,
                },
            )
            total["residual"] += item.residual_currency
            total["interest"] += interest
            if item.days_overdue > 0:
                total["overdue"] += item.residual_currency
        credit_lines = []
        for item in credits:
            aml = aml_model.browse(item.id)
            credit_lines.append(
                {
                    "reference": aml.move_name or aml.move_id.display_name,
                    "date": item.date,
                    "currency": currency_model.browse(item.currency_id),
                    "residual": item.residual_currency,
                }
            )
        late_invoices = len(
            {line["aml"].move_id for line in lines if line["days_overdue"] > 0}
        )
        indemnity_applies = legal and company._dunning_recovery_indemnity_applies(
            partner
        )
        indemnity = (
            company.dunning_recovery_indemnity * late_invoices
            if indemnity_applies
            else 0.0
        )
        terms = company._dunning_interest_terms(date, partner)
        recipient = partner._get_dunning_recipient()
        values = {
            "partner": partner,
            "company": company,
            "recipient": recipient,
            "lang": recipient.lang or partner.lang or self.env.lang,
            "level": level,
            "date": date,
            "reference": self._get_letter_reference(partner, level, date, batch_line),
            "formal_notice": bool(level.formal_notice),
            "lines": lines,
            "totals": list(totals.values()),
            "credit_lines": credit_lines,
            "legal": legal,
            "interest_rate": terms["rate"],
            "interest_terms": terms,
            "indemnity_applies": indemnity_applies,
            "late_invoices": late_invoices,
            "indemnity": indemnity,
            "payment_reference": self._get_payment_reference(partner, lines),
            "bank_account": company.partner_id.bank_ids[:1],
            "payment_link": self._get_payment_link(partner, company, totals),
        }
        in_lang = self.with_context(lang=values["lang"])
        values["subject"] = (
            level.with_context(lang=values["lang"])._get_letter_subject()
            if level
            else in_lang.env._("Statement of overdue invoices")
        )
        values["interest_rate_label"] = f"{formatLang(in_lang.env, terms['rate'])} %"
        values["interest_margin_label"] = formatLang(
            in_lang.env, terms["margin"] or 0.0
        )
        values["text"] = in_lang._render_letter_text(values, company)
        values.update(in_lang._get_legal_mentions(values, company))
        return values

    def _get_legal_mentions(self, letter, company):
        """The two sentences of the French legal mentions, in the context's
        language (empty when the letter does not show them)."""
        if not letter["legal"]:
            return {"legal_interest_text": False, "legal_indemnity_text": False}
        env = self.env
        interest = " + ".join(
            format_amount(env, total["interest"], total["currency"])
            for total in letter["totals"]
        ) or format_amount(env, 0.0, company.currency_id)
        if letter["interest_terms"]["contractual"]:
            interest_text = env._(
                "In accordance with article L441-10 of the French Commercial "
                "Code and our terms of sale, late-payment interest is due from "
                "the day following the due date at the contractual annual rate "
                "of %(rate)s: %(interest)s as of %(date)s (amount due × rate × "
                "days overdue / 365).",
                rate=letter["interest_rate_label"],
                interest=interest,
                date=format_date(env, letter["date"]),
            )
        else:
            interest_text = env._(
                "In accordance with article L441-10 of the French Commercial "
                "Code, late-payment interest is due from the day following the "
                "due date at the annual rate of %(rate)s (European Central Bank "
                "rate of %(ecb)s %% plus %(margin)s points): %(interest)s as of "
                "%(date)s (amount due × rate × days overdue / 365).",
                rate=letter["interest_rate_label"],
                ecb=formatLang(env, letter["interest_terms"]["ecb_rate"]),
                margin=letter["interest_margin_label"],
                interest=interest,
                date=format_date(env, letter["date"]),
            )
        return {
            "legal_interest_text": interest_text,
            "legal_indemnity_text": letter["indemnity_applies"]
            and env._(
                "A flat indemnity for recovery costs of %(amount)s is also due "
                "per late invoice (article D441-5 of the French Commercial "
                "Code), i.e. %(total)s for %(count)s late invoice(s).",
                amount=format_amount(
                    env, company.dunning_recovery_indemnity, company.currency_id
                ),
                total=format_amount(env, letter["indemnity"], company.currency_id),
                count=letter["late_invoices"],
            ),
        }

    def _get_letter_reference(self, partner, level, date, batch_line=None):
        """Our reference on the letter, without any database id: the level's
        marker and the customer's reference and date (``R2-C0042-20260301``),
        else the batch's number and the rank of the customer in the batch
        (``R2-00000012-3``), else the date (preview)."""
        code = level.marker_id.code or "R"
        customer = partner.commercial_partner_id
        if customer.ref:
            return f"{code}-{customer.ref}-{date.strftime('%Y%m%d')}"
        batch = batch_line.batch_id if batch_line else None
        if batch and batch.code not in (False, "/"):
            rank = batch.line_ids.ids.index(batch_line.id) + 1
            return f"{code}-{batch.code}-{rank}"
        return f"{code}-{date.strftime('%Y%m%d')}"

    def _get_payment_reference(self, partner, lines):
        customer = partner.commercial_partner_id
        if customer.ref:
            return customer.ref
        refs = [line["reference"] for line in lines]
        if len(refs) > 3:
            return ", ".join(refs[:3]) + "…"
        return ", ".join(refs)

    def _get_payment_link(self, partner, company, totals):
        """Online payment link of the amount due (``payment`` module installed,
        one currency, a provider enabled), else ``False``."""
        if (
            "payment.provider" not in self.env
            or len(totals) != 1
            or (company.dunning_portal_enabled and company.dunning_portal_allow_payment)
        ):
            # the customer's follow-up page (link and QR code on the letter)
            # offers the payment, linked to the invoices
            return False
        providers = (
            self.env["payment.provider"]
            .sudo()
            .search_count(
                [("state", "in", ("enabled", "test")), ("company_id", "=", company.id)],
                limit=1,
            )
        )
        if not providers:
            return False
        total = next(iter(totals.values()))
        currency = total["currency"]
        amount = currency.round(total["residual"])
        if amount <= 0:
            return False
        customer = partner.commercial_partner_id
        # payment.utils.generate_access_token() needs an HTTP request, which
        # the cron and the jobs do not have: the same token, from the database
        # secret, as /payment/pay checks it
        token = hmac(
            self.env(su=True),
            "generate_access_token",
            f"{customer.id}|{amount}|{currency.id}",
        )
        params = {
            "amount": amount,
            "access_token": token,
            "currency_id": currency.id,
            "partner_id": customer.id,
            "company_id": company.id,
        }
        return f"{company.get_base_url()}/payment/pay?{urlencode(params)}"

    @api.model
    def _render_letter_text(self, letter, company):
        """The level's letter text (in the context's language) with its
        placeholders replaced; unknown placeholders are left as they are."""
        level = letter["level"].with_context(lang=self.env.lang)
        text = level.letter_text if level else False
        if not text:
            return False
        env = self.env
        totals = letter["totals"]
        due_dates = [line["date_maturity"] for line in letter["lines"]]

        def amounts(key):
            return " + ".join(
                format_amount(env, total[key], total["currency"]) for total in totals
            ) or format_amount(env, 0.0, company.currency_id)

        values = {
            "customer": letter["partner"].commercial_partner_id.name,
            "contact": letter["recipient"].name,
            "company": company.name,
            "date": format_date(env, letter["date"]),
            "level": level.name,
            "total_due": amounts("residual"),
            "total_overdue": amounts("overdue"),
            "oldest_due_date": format_date(env, min(due_dates)) if due_dates else "",
            "interest_rate": letter["interest_rate_label"],
            "interest": amounts("interest"),
            "indemnity": format_amount(env, letter["indemnity"], company.currency_id),
        }

        def replace(match):
            key = match.group(1)
            return str(escape(values[key])) if key in values else match.group(0)

        return Markup(PLACEHOLDER.sub(replace, str(text)))


class ReportDunningStatement(models.AbstractModel):
    """Customer statement (relevé de compte): every open item of the
    customer as of the date (``data['date']``, default today), with the
    running balance and the aged balance."""

    _name = "report.account_dunning.report_dunning_statement"
    _description = "Customer Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        partners = self.env["res.partner"].browse(docids)
        date = fields.Date.to_date(data.get("date")) or fields.Date.context_today(self)
        company = self.env.company
        result = self.env["dunning.engine"]._evaluate(
            date=date, partners=partners.commercial_partner_id, ignore_next_date=True
        )
        amls = self.env["account.move.line"].browse(
            [item.id for res in result.partners.values() for item in res.items]
        )
        amls.fetch(["move_id", "move_name", "debit", "credit", "dunning_marker_id"])
        amls.move_id.fetch(["name", "payment_state", "dunning_dispute_reason"])
        statements = []
        for partner in partners:
            res = result.partners.get(partner.commercial_partner_id.id)
            items = sorted(
                res.items if res else [], key=lambda item: (item.date, item.id)
            )
            lines = []
            balance = 0.0
            aged = dict.fromkeys((key for key, _start, _end in AGED_BUCKETS), 0.0)
            for item in items:
                aml = amls.browse(item.id)
                balance += item.residual
                aged[self._get_aged_bucket(item.days_overdue)] += item.residual
                lines.append(
                    {
                        "date": item.date,
                        "reference": aml.move_name or aml.move_id.display_name,
                        "date_maturity": item.date_maturity,
                        "debit": aml.debit,
                        "credit": aml.credit,
                        "balance": balance,
                        "residual": item.residual,
                        "days_overdue": item.days_overdue,
                        "marker": aml.dunning_marker_id.code or "",
                        "litigation": item.reason in ("blocked", "disputed"),
                    }
                )
            statements.append(
                {
                    "partner": partner,
                    "recipient": partner._get_dunning_recipient(),
                    "lines": lines,
                    "aged": {
                        key: company.currency_id.round(amount)
                        for key, amount in aged.items()
                    },
                    "total": company.currency_id.round(balance),
                    "overdue": res.total_overdue if res else 0.0,
                }
            )
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "statements": statements,
            "date": date,
            "company": company,
            "currency": company.currency_id,
            "aged_keys": [key for key, _start, _end in AGED_BUCKETS],
        }

    @api.model
    def _get_aged_bucket(self, days):
        for key, start, end in AGED_BUCKETS:
            if (start is None or days >= start) and (end is None or days <= end):
                return key
        return AGED_BUCKETS[-1][0]
