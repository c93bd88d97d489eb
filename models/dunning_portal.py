# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer's follow-up page: personal links (tokens) and the answers
the customer gives there (page opened, promise, dispute, "already paid",
online payment)."""

import base64
import secrets
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_amount, format_date
from odoo.tools.image import image_data_uri

ANSWER_TYPES = [
    ("opened", "Page opened"),
    ("promised", "Promised"),
    ("disputed", "Disputed"),
    ("paid_claim", "Says already paid"),
    ("paid_online", "Paid online"),
]


class DunningPortalToken(models.Model):
    """Personal link to a customer's follow-up page in one company.

    The token is unguessable (128 random bits), expires after the company's
    lifetime and can be revoked. A link holder sees only the data of that
    commercial partner in that company."""

    _name = "dunning.portal.token"
    _description = "Follow-up Page Link"
    _order = "id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    token = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: secrets.token_urlsafe(16),
    )
    expiration_date = fields.Datetime(string="Expires On", required=True, readonly=True)
    revoked = fields.Boolean(readonly=True)
    last_opened = fields.Datetime(readonly=True)
    url = fields.Char(string="Link", compute="_compute_url")
    answer_ids = fields.One2many(
        comodel_name="dunning.portal.answer", inverse_name="token_id", string="Answers"
    )

    _sql_constraints = [
        ("token_unique", "UNIQUE(token)", "A follow-up page link must be unique."),
    ]

    @api.depends("token")
    def _compute_url(self):
        for link in self:
            link.url = f"{link.company_id.get_base_url()}/dunning/{link.token}"

    def _is_valid(self):
        self.ensure_one()
        return not self.revoked and self.expiration_date > fields.Datetime.now()

    @api.model
    def _get_for(self, partner, company):
        """The valid link of ``partner`` (commercial) in ``company``, created
        when missing or about to expire (less than a third of its life left,
        so that a link sent today stays usable)."""
        partner = partner.commercial_partner_id
        lifetime = max(company.dunning_portal_token_days, 1)
        now = fields.Datetime.now()
        link = self.sudo().search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("revoked", "=", False),
                ("expiration_date", ">", now + timedelta(days=lifetime / 3)),
            ],
            limit=1,
        )
        if not link:
            link = self.sudo().create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "expiration_date": now + timedelta(days=lifetime),
                }
            )
        return link

    @api.model
    def _find(self, token):
        """The link of ``token`` (valid or not), or an empty recordset."""
        if not token or not isinstance(token, str) or len(token) > 128:
            return self.sudo().browse()
        return self.sudo().search([("token", "=", token)], limit=1)

    def action_revoke(self):
        """Revoke the links (users who may see them; links are read-only
        otherwise)."""
        self.check_access("read")
        self.sudo().write({"revoked": True})
        return True


class DunningPortalAttempt(models.Model):
    """A request for a follow-up page with a wrong, expired or revoked link,
    by IP address: past a limit per hour, the address gets no page at all
    (links cannot be tried at random)."""

    _name = "dunning.portal.attempt"
    _description = "Follow-up Page: Invalid Link Attempt"
    _order = "id desc"

    ip_address = fields.Char(string="IP Address", required=True, index=True)

    @api.model
    def _count_recent(self, ip_address, hours=1):
        since = fields.Datetime.now() - timedelta(hours=hours)
        return self.sudo().search_count(
            [("ip_address", "=", ip_address), ("create_date", ">=", since)]
        )

    @api.autovacuum
    def _gc_attempts(self):
        """Forget the attempts older than a day."""
        self.sudo().search(
            [("create_date", "<", fields.Datetime.now() - timedelta(days=1))]
        ).unlink()


class DunningPortalAnswer(models.Model):
    """What a customer did on its follow-up page."""

    _name = "dunning.portal.answer"
    _description = "Customer Answer to a Reminder"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    token_id = fields.Many2one(
        comodel_name="dunning.portal.token",
        string="Link",
        readonly=True,
        ondelete="set null",
    )
    batch_line_id = fields.Many2one(
        comodel_name="dunning.batch.line",
        string="Reminder",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="Last reminder sent to the customer before the answer.",
    )
    answer_type = fields.Selection(
        selection=ANSWER_TYPES, string="Answer", required=True, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(readonly=True)
    date = fields.Date(readonly=True, help="Promised date or date of the payment.")
    note = fields.Text(readonly=True)
    move_ids = fields.Many2many(
        comodel_name="account.move", string="Invoices", readonly=True
    )
    promise_id = fields.Many2one(
        comodel_name="dunning.promise", readonly=True, ondelete="set null"
    )
    promise_state = fields.Selection(
        related="promise_id.state", store=True, string="Promise Status"
    )
    transaction_id = fields.Many2one(
        comodel_name="payment.transaction", readonly=True, ondelete="set null"
    )
    ip_address = fields.Char(string="IP Address", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "batch_line_id" not in vals:
                partner = self.env["res.partner"].browse(vals["partner_id"])
                company = self.env["res.company"].browse(vals["company_id"])
                vals["batch_line_id"] = partner._dunning_sent_lines(company, limit=1).id
        answers = super().create(vals_list)
        answers._post_messages()
        return answers

    def _get_summary(self):
        """One line describing the answer, in the current language."""
        self.ensure_one()
        env = self.env
        amount = (
            format_amount(env, self.amount, self.currency_id) if self.amount else ""
        )
        date = format_date(env, self.date) if self.date else ""
        invoices = ", ".join(self.move_ids.mapped("name"))
        if self.answer_type == "promised":
            return env._(
                "The customer promised on the follow-up page to pay %(amount)s "
                "by %(date)s.",
                amount=amount,
                date=date,
            )
        if self.answer_type == "disputed":
            return env._(
                "The customer disputes %(invoices)s on the follow-up page.",
                invoices=invoices,
            )
        if self.answer_type == "paid_claim":
            return env._(
                "The customer says on the follow-up page they already paid "
                "%(amount)s on %(date)s.",
                amount=amount,
                date=date,
            )
        if self.answer_type == "paid_online":
            return env._(
                "The customer paid %(amount)s online from the follow-up page "
                "(%(invoices)s).",
                amount=amount,
                invoices=invoices,
            )
        return env._("The customer opened the follow-up page.")

    def _post_messages(self):
        """Note the answer on the customer's chatter, in the company's
        language (the customer's text is escaped)."""
        for answer in self:
            lang = answer.company_id.partner_id.lang or "en_US"
            answer_lang = answer.with_context(lang=lang)
            body = Markup("<p>%s</p>") % answer_lang._get_summary()
            if answer.note:
                body += Markup("<p>%s</p>") % answer.note
            answer.partner_id.sudo().message_post(
                body=body,
                subtype_xmlid="mail.mt_note",
                author_id=answer.partner_id.id,
            )


class DunningBatchLine(models.Model):
    _inherit = "dunning.batch.line"

    portal_answer_ids = fields.One2many(
        comodel_name="dunning.portal.answer",
        inverse_name="batch_line_id",
        string="Customer Answers",
    )
    portal_answer = fields.Selection(
        selection=ANSWER_TYPES,
        string="Customer Answer",
        compute="_compute_portal_answer",
        store=True,
        help="Last answer of the customer on its follow-up page after this reminder.",
    )

    @api.depends("portal_answer_ids.answer_type")
    def _compute_portal_answer(self):
        for line in self:
            answers = line.portal_answer_ids.sorted("id")
            acted = answers.filtered(lambda a: a.answer_type != "opened")
            line.portal_answer = (acted or answers)[-1:].answer_type


class DunningEngine(models.AbstractModel):
    _inherit = "dunning.engine"

    @api.model
    def _evaluate(self, *args, **kwargs):
        """A customer whose online payment is pending is not reminded."""
        result = super()._evaluate(*args, **kwargs)
        due = [
            pid
            for pid, res in result.partners.items()
            if res.status == "in_need_of_action"
        ]
        if due:
            transactions = (
                self.env["payment.transaction"]
                .sudo()
                .search(
                    [
                        ("state", "in", ("pending", "authorized")),
                        ("invoice_ids.commercial_partner_id", "in", due),
                        ("invoice_ids.company_id", "=", result.company_id),
                    ]
                )
            )
            for pid in set(transactions.invoice_ids.commercial_partner_id.ids) & set(
                due
            ):
                res = result.partners[pid]
                res.reason = "payment_pending"
                res.status = "with_overdue_invoices"
        return result


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    dunning_portal_token_id = fields.Many2one(
        comodel_name="dunning.portal.token",
        string="Follow-up Page Link",
        readonly=True,
        index="btree_not_null",
    )

    def _post_process(self):
        """Record the payments made from a follow-up page as answers."""
        res = super()._post_process()
        paid = self.filtered(
            lambda tx: tx.state == "done"
            and tx.dunning_portal_token_id
            and not tx.operation == "refund"
        )
        done = (
            self.env["dunning.portal.answer"]
            .sudo()
            .search([("transaction_id", "in", paid.ids)])
        )
        for tx in paid - done.transaction_id:
            link = tx.dunning_portal_token_id
            self.env["dunning.portal.answer"].sudo().create(
                {
                    "company_id": link.company_id.id,
                    "partner_id": link.partner_id.id,
                    "token_id": link.id,
                    "answer_type": "paid_online",
                    "amount": tx.amount,
                    "date": fields.Date.context_today(tx),
                    "move_ids": [fields.Command.set(tx.invoice_ids.ids)],
                    "transaction_id": tx.id,
                }
            )
        return res


class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited  # the portal's part of invoices stays with the portal

    def _get_invoice_next_payment_values(self, custom_amount=None):
        """Odoo 18's ``account_payment`` asks the installment values of all
        the invoices of a transaction; a transaction paying several invoices
        (follow-up page) has no installment nor early payment discount."""
        if len(self) > 1:
            return {"installment_state": None}
        return super()._get_invoice_next_payment_values(custom_amount=custom_amount)


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited  # the portal's part of partners stays with the portal

    dunning_portal_answer_ids = fields.One2many(
        comodel_name="dunning.portal.answer",
        inverse_name="partner_id",
        string="Answers on the Follow-up Page",
        groups="account.group_account_invoice,account.group_account_readonly",
    )

    def _dunning_portal_url(self, company=None, short=False):
        """Personal URL of the customer's follow-up page in ``company``
        (default: the follow-up company), or ``False`` when the company does
        not offer the page. Creates or reuses the link (token). ``short``:
        the short form for SMS (``/d/<token>``)."""
        self.ensure_one()
        company = company or self.dunning_company_id or self.env.company
        if not company.dunning_portal_enabled:
            return False
        link = self.env["dunning.portal.token"]._get_for(self, company)
        if short:
            return f"{company.get_base_url()}/d/{link.token}"
        return link.url

    def _dunning_sms_with_link(self, body, company):
        """``body`` of an SMS reminder ending with the short link to the
        customer's follow-up page, like the level's SMS template, unless it
        already holds the link (or the company offers no page)."""
        self.ensure_one()
        url = self._dunning_portal_url(company, short=True)
        if not url or url.rsplit("/", 1)[-1] in body:
            return body
        return f"{body.rstrip()} {url}"

    def _dunning_sent_lines(self, company, limit=None, domain=()):
        """The reminders sent to the customer in ``company``, last first."""
        self.ensure_one()
        return (
            self.env["dunning.batch.line"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.id),
                    ("company_id", "=", company.id),
                    ("state", "=", "sent"),
                    *domain,
                ],
                order="date desc, id desc",
                limit=limit,
            )
        )

    def _dunning_portal_qr(self, url):
        """QR code of ``url`` as a data URI (the letter embeds it: its
        rendering makes no HTTP request)."""
        png = self.env["ir.actions.report"].barcode(
            "QR", url, width=240, height=240, quiet=False
        )
        return image_data_uri(base64.b64encode(png))
