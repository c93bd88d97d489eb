# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customer's follow-up page, opened without login from the personal link
of a reminder (``/dunning/<token>``) or by a portal user from "My Account"
(``/my/dunning``)."""

from datetime import timedelta

from markupsafe import Markup
from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.http import request
from odoo.tools import format_amount, format_date

from odoo.addons.account_payment.controllers.portal import PortalAccount

# Actions per hour accepted for one link and for one IP address
# (ir.config_parameter account_dunning.portal_rate_limit_token / _ip), and
# requests with a wrong, expired or revoked link per hour and IP address
# (account_dunning.portal_rate_limit_bad_link), past which the address gets no
# page at all
RATE_LIMIT_TOKEN = 10
RATE_LIMIT_IP = 30
RATE_LIMIT_BAD_LINK = 20
MAX_ATTACHMENT_SIZE = 5 * 1024 * 1024
ATTACHMENT_MIMETYPES = ("application/pdf", "image/png", "image/jpeg")


class DunningPortal(PortalAccount):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _dunning_get_link(self, token):
        """The valid link of ``token`` or ``None`` with the error page."""
        link, error = self._dunning_check_link(token)
        if error == "blocked":
            return None, self._dunning_error_page(
                status=429, message=self._dunning_blocked_message(request.env)
            )
        if error:
            return None, self._dunning_error_page(link.company_id)
        return link, None

    def _dunning_check_link(self, token, commit=False):
        """``(link, error)``: the link of ``token`` and ``None`` when it is
        valid, else ``"invalid"`` (wrong, expired or revoked link, or page
        disabled; counted for the IP address) or ``"blocked"`` (too many invalid
        links from this IP address in the last hour: the token is not even
        looked up). ``commit``: commit the attempt counted (the caller raises
        an error, which rolls the request back)."""
        ip = request.httprequest.remote_addr
        attempts = request.env["dunning.portal.attempt"]
        links = request.env["dunning.portal.token"]
        if attempts._count_recent(ip) >= self._dunning_limit(
            "bad_link", RATE_LIMIT_BAD_LINK
        ):
            return links.browse(), "blocked"
        link = links._find(token)
        if link and link._is_valid() and link.company_id.dunning_portal_enabled:
            return link, None
        attempts.sudo().create({"ip_address": ip})
        if commit:
            # nothing else was written by the request: the attempt must
            # outlive the error the caller raises
            request.env.cr.commit()  # pylint: disable=invalid-commit
        return link, "invalid"

    def _dunning_blocked_message(self, env):
        return env._(
            "Too many invalid links were opened from your address: please try "
            "again in an hour or contact us."
        )

    def _dunning_limit(self, name, default):
        """Rate limit ``name`` (system parameter
        ``account_dunning.portal_rate_limit_<name>``)."""
        value = (
            request.env["ir.config_parameter"]
            .sudo()
            .get_param(f"account_dunning.portal_rate_limit_{name}", default)
        )
        return int(value)

    def _dunning_env(self, link):
        """Superuser environment in the link's company and the customer's
        language (the page never shows anything but the link's customer)."""
        partner = link.partner_id
        lang = partner.lang or link.company_id.partner_id.lang or "en_US"
        request.update_context(lang=lang)
        return request.env(
            su=True,
            context=dict(
                request.env.context,
                lang=lang,
                allowed_company_ids=[link.company_id.id],
            ),
        )

    def _dunning_error_page(self, company=None, status=404, message=None):
        """The error page of a link: the branding and contact of ``company``
        (expired or revoked link), else a neutral page (unknown link, blocked
        address: no company is known, none is shown)."""
        return request.render(
            "account_dunning.dunning_portal_invalid",
            {"company": company.sudo() if company else None, "message": message},
            status=status,
        )

    def _dunning_rate_limited(self, link):
        """Whether one more action from this link / IP exceeds the limits."""
        per_token = self._dunning_limit("token", RATE_LIMIT_TOKEN)
        per_ip = self._dunning_limit("ip", RATE_LIMIT_IP)
        since = fields.Datetime.now() - timedelta(hours=1)
        answers = request.env["dunning.portal.answer"].sudo()
        base = [("create_date", ">=", since), ("answer_type", "!=", "opened")]
        transactions = request.env["payment.transaction"].sudo()
        tx_base = [
            ("create_date", ">=", since),
            ("dunning_portal_token_id", "!=", False),
        ]
        by_token = answers.search_count(
            base + [("token_id", "=", link.id)]
        ) + transactions.search_count(
            tx_base + [("dunning_portal_token_id", "=", link.id)]
        )
        if by_token >= per_token:
            return True
        ip = request.httprequest.remote_addr
        return answers.search_count(base + [("ip_address", "=", ip)]) >= per_ip

    def _dunning_too_many(self, link):
        return self._dunning_error_page(
            link.company_id,
            status=429,
            message=request.env._(
                "Too many requests from this link: please try again in an hour "
                "or contact us."
            ),
        )

    def _dunning_answer(self, env, link, values):
        return env["dunning.portal.answer"].create(
            {
                "company_id": link.company_id.id,
                "partner_id": link.partner_id.id,
                "token_id": link.id,
                "ip_address": request.httprequest.remote_addr,
                **values,
            }
        )

    def _dunning_evaluate(self, env, link):
        company = link.company_id
        result = (
            env["dunning.engine"]
            .with_company(company)
            ._evaluate(partners=link.partner_id, company=company, ignore_next_date=True)
        )
        return result.partners.get(link.partner_id.id)

    def _dunning_responsible(self, env, link):
        """Who follows the customer up: its follow-up responsible, else its
        salesperson, else the user who sent its last reminder, else the
        administrator."""
        partner = link.partner_id.with_env(env).with_company(link.company_id)
        user = partner.dunning_responsible_id or partner.user_id
        if not user or user.share:
            user = partner._dunning_sent_lines(
                link.company_id, limit=1
            ).batch_id.user_id
        return user or env.ref("base.user_admin")

    def _dunning_activity(self, env, link, summary, note):
        partner = link.partner_id.with_env(env).with_company(link.company_id)
        activity_type = env.ref(
            "mail.mail_activity_data_todo", raise_if_not_found=False
        )
        partner.activity_schedule(
            activity_type_id=activity_type.id if activity_type else False,
            summary=summary,
            note=note,
            user_id=self._dunning_responsible(env, link).id,
            date_deadline=fields.Date.context_today(partner),
        )

    def _dunning_attachment(self, env, upload, partner):
        """An ir.attachment of the uploaded proof on ``partner`` (or empty),
        refused when its type or size is not accepted."""
        if not upload or not upload.filename:
            return env["ir.attachment"]
        data = upload.read(MAX_ATTACHMENT_SIZE + 1)
        if len(data) > MAX_ATTACHMENT_SIZE:
            raise UserError(env._("The file is too large (5 MB at most)."))
        attachment = env["ir.attachment"].create(
            {
                "name": upload.filename[:128],
                "raw": data,
                "res_model": "res.partner",
                "res_id": partner.id,
            }
        )
        if attachment.mimetype not in ATTACHMENT_MIMETYPES:
            attachment.unlink()
            raise UserError(env._("Send a PDF, PNG or JPEG file."))
        return attachment

    def _dunning_parse_date(self, env, value):
        try:
            return fields.Date.to_date(value)
        except ValueError:
            raise UserError(env._("Enter a valid date.")) from None

    def _dunning_parse_amount(self, env, link, res, value):
        """The amount typed, refused unless > 0 and <= the total due."""
        try:
            amount = float(str(value).replace(",", ".").replace(" ", ""))
        except ValueError:
            raise UserError(env._("Enter a valid amount.")) from None
        due = res.total_due if res else 0.0
        currency = link.company_id.currency_id
        if currency.compare_amounts(amount, 0.0) <= 0 or (
            currency.compare_amounts(amount, due) > 0
        ):
            raise UserError(
                env._(
                    "Enter an amount greater than zero and at most %(due)s.",
                    due=format_amount(env, due, currency),
                )
            )
        return amount

    def _dunning_company_env(self, env, link):
        """``env`` in the company's language (chatter, activities)."""
        lang = link.company_id.partner_id.lang or "en_US"
        return env(context=dict(env.context, lang=lang))

    def _dunning_invoices(self, env, link, res, ids=None):
        """Open invoices of the link's customer in its company (all of them,
        or those among ``ids``)."""
        move_ids = (
            {item.move_id for item in res.items if not item.is_credit} if res else set()
        )
        if ids is not None:
            move_ids &= set(ids)
        return env["account.move"].browse(sorted(move_ids))

    def _dunning_amount_owed(self, res, moves):
        """What the customer still owes on ``moves`` (their currency): the
        engine's items, net of the payments without journal entry (Odoo marks
        an invoice paid by such a partial payment)."""
        return sum(
            item.residual_currency
            for item in res.items
            if item.move_id in moves.ids and not item.is_credit
        )

    # ------------------------------------------------------------------
    # Page
    # ------------------------------------------------------------------

    def _dunning_page_values(self, env, link, res, pay_ids=None, **extra):
        company = link.company_id.with_env(env)
        partner = link.partner_id.with_env(env)
        today = fields.Date.context_today(partner)
        items = sorted(
            res.items if res else [],
            key=lambda item: (
                not item.is_overdue,
                -item.days_overdue,
                item.date_maturity,
            ),
        )
        amls = env["account.move.line"].browse([item.id for item in items])
        amls.fetch(["move_id", "move_name", "amount_currency"])
        currencies = env["res.currency"].browse({item.currency_id for item in items})
        lines = []
        for item in items:
            aml = amls.browse(item.id)
            lines.append(
                {
                    "item": item,
                    "move": aml.move_id,
                    "reference": aml.move_name or aml.move_id.display_name,
                    "currency": currencies.browse(item.currency_id),
                    "amount": aml.amount_currency,
                    "disputed": item.reason == "disputed",
                }
            )
        totals = {}
        for line in lines:
            total = totals.setdefault(
                line["currency"],
                {"currency": line["currency"], "due": 0.0, "overdue": 0.0},
            )
            total["due"] += line["item"].residual_currency
            if line["item"].is_overdue:
                total["overdue"] += line["item"].residual_currency
        decimal_point = env["res.lang"]._get_data(code=env.lang).decimal_point or "."
        reminders = partner._dunning_sent_lines(company, limit=5)
        open_promise = env["dunning.promise"].search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("state", "=", "open"),
            ],
            limit=1,
        )
        values = {
            "link": link,
            "token": link.token,
            "company": company,
            "partner": partner,
            "lines": lines,
            "totals": list(totals.values()),
            "total_overdue": res.total_overdue if res else 0.0,
            "reminders": reminders,
            "has_letter": bool(reminders.filtered("letter_attachment_id")),
            "open_promise": open_promise,
            "today": today,
            "promise_max_date": today
            + timedelta(days=company.dunning_portal_promise_days),
            "dispute_reasons": self._dunning_dispute_reasons(env),
            "disputable": [
                line
                for line in lines
                if not line["disputed"] and not line["item"].is_credit
            ],
            "format_amount": lambda amount, currency: format_amount(
                env, amount, currency
            ),
            "format_date": lambda date: format_date(env, date),
            "format_input": lambda amount: f"{amount:.2f}".replace(".", decimal_point),
            "done": False,
            "error": False,
            "form": {},
            "page_name": "dunning",
        }
        values.update(extra)
        if company.dunning_portal_allow_payment:
            values.update(self._dunning_payment_values(env, link, res, lines, pay_ids))
        return values

    def _dunning_dispute_reasons(self, env):
        return [
            ("not_received", env._("Goods or service not received")),
            ("wrong_amount", env._("Wrong amount or price")),
            ("quality", env._("Quality problem")),
            ("already_credited", env._("A credit note is expected")),
            ("other", env._("Other reason")),
        ]

    def _dunning_payment_values(self, env, link, res, lines, pay_ids):
        """Values of the payment form: the invoices selected (default: the
        overdue ones not disputed) in one currency."""
        payable = [
            line
            for line in lines
            if not line["disputed"]
            and not line["item"].is_credit
            and line["move"].payment_state != "blocked"
        ]
        if pay_ids is not None:
            selected = [line for line in payable if line["move"].id in pay_ids]
        else:
            selected = [line for line in payable if line["item"].is_overdue]
            if selected:
                currency = link.company_id.currency_id
                if currency not in [line["currency"] for line in selected]:
                    currency = selected[0]["currency"]
                selected = [line for line in selected if line["currency"] == currency]
        values = {
            "payable_lines": payable,
            "pay_moves": env["account.move"].browse(
                [line["move"].id for line in selected]
            ),
        }
        moves = values["pay_moves"]
        if not moves or len(moves.currency_id) != 1:
            values["pay_error"] = bool(moves)
            return values
        amount = self._dunning_amount_owed(res, moves)
        payment_values = self._get_common_page_view_values(
            invoices_data={
                "partner": link.partner_id,
                "company": link.company_id,
                "total_amount": amount,
                "currency": moves.currency_id,
                "amount_residual": amount,
                "landing_route": f"/dunning/{link.token}?done=paid_online",
                "transaction_route": f"/dunning/{link.token}/transaction/"
                + "-".join(str(move_id) for move_id in moves.ids),
            },
            access_token=link.token,
        )
        if request.env.user._is_public():
            # whoever holds the link must neither save a payment method on the
            # customer's account nor pay with the ones the customer saved
            payment_values["show_tokenize_input_mapping"] = dict.fromkeys(
                payment_values["show_tokenize_input_mapping"], False
            )
            payment_values["tokens_sudo"] = payment_values["tokens_sudo"].browse()
        values.update(
            payment_values,
            amount=amount,
            pay_amount=amount,
            pay_currency=moves.currency_id,
        )
        return values

    def _dunning_render(self, env, link, res=None, status=200, **extra):
        res = res if res is not None else self._dunning_evaluate(env, link)
        args = request.httprequest.args
        pay_ids = None
        if args.get("select"):
            pay_ids = {int(i) for i in args.getlist("pay") if i.isdigit()}
        values = self._dunning_page_values(env, link, res, pay_ids=pay_ids, **extra)
        return request.render(
            "account_dunning.dunning_portal_page", values, status=status
        )

    @http.route(
        "/dunning/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def dunning_page(self, token, done=None, **kwargs):
        link, error = self._dunning_get_link(token)
        if error:
            return error
        env = self._dunning_env(link)
        link = link.with_env(env)
        now = fields.Datetime.now()
        if not link.last_opened or link.last_opened < now - timedelta(hours=12):
            self._dunning_answer(env, link, {"answer_type": "opened"})
        link.last_opened = now
        done = (
            done
            if done in ("promised", "disputed", "paid_claim", "paid_online")
            else False
        )
        return self._dunning_render(env, link, done=done)

    @http.route(
        "/d/<string:token>", type="http", auth="public", methods=["GET"], sitemap=False
    )
    def dunning_short_link(self, token, **kwargs):
        """Short link of the SMS."""
        return request.redirect(f"/dunning/{token}", code=301)

    @http.route(
        "/dunning/<string:token>/statement",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def dunning_statement(self, token, **kwargs):
        link, error = self._dunning_get_link(token)
        if error:
            return error
        env = self._dunning_env(link)
        # always a PDF for the customer (Odoo returns HTML in test mode)
        report = env["ir.actions.report"].with_company(link.company_id)
        pdf, _type = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            "account_dunning.action_report_dunning_statement", link.partner_id.ids
        )
        filename = env._("Statement-%(name)s.pdf", name=link.partner_id.name)
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Disposition", http.content_disposition(filename)),
            ],
        )

    @http.route(
        "/dunning/<string:token>/letter",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def dunning_letter(self, token, **kwargs):
        link, error = self._dunning_get_link(token)
        if error:
            return error
        env = self._dunning_env(link)
        line = link.partner_id.with_env(env)._dunning_sent_lines(
            link.company_id, limit=1, domain=[("letter_attachment_id", "!=", False)]
        )
        if not line:
            raise NotFound()
        attachment = line.letter_attachment_id
        return request.make_response(
            attachment.raw,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Disposition", http.content_disposition(attachment.name)),
            ],
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _dunning_action(self, token, action, handler, kwargs):
        """Common frame of the form actions: link, CSRF (by the route),
        setting, rate limit, validation errors shown on the page."""
        link, error = self._dunning_get_link(token)
        if error:
            return error
        env = self._dunning_env(link)
        link = link.with_env(env)
        if not link.company_id[f"dunning_portal_allow_{action}"]:
            raise NotFound()
        if self._dunning_rate_limited(link):
            return self._dunning_too_many(link)
        res = self._dunning_evaluate(env, link)
        try:
            with env.cr.savepoint():
                done = handler(env, link, res, kwargs)
        except (UserError, ValidationError) as exc:
            env.invalidate_all()
            return self._dunning_render(
                env,
                link,
                status=400,
                error=exc.args[0],
                form=dict(kwargs, action=action),
            )
        return request.redirect(f"/dunning/{link.token}?done={done}")

    @http.route(
        "/dunning/<string:token>/promise",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def dunning_promise(self, token, **kwargs):
        return self._dunning_action(token, "promise", self._dunning_do_promise, kwargs)

    def _dunning_do_promise(self, env, link, res, kwargs):
        company = link.company_id
        today = fields.Date.context_today(link)
        date = self._dunning_parse_date(env, kwargs.get("date"))
        amount = self._dunning_parse_amount(env, link, res, kwargs.get("amount"))
        max_date = today + timedelta(days=company.dunning_portal_promise_days)
        if not date or date < today or date > max_date:
            raise UserError(
                env._(
                    "Choose a date between %(start)s and %(end)s.",
                    start=format_date(env, today),
                    end=format_date(env, max_date),
                )
            )
        note = (kwargs.get("note") or "").strip()[:1000]
        promise = (
            env["dunning.promise"]
            .with_company(company)
            .create(
                {
                    "partner_id": link.partner_id.id,
                    "company_id": company.id,
                    "amount": amount,
                    "date": date,
                    "note": note or env._("Promise made on the follow-up page."),
                    "user_id": self._dunning_responsible(env, link).id,
                }
            )
        )
        self._dunning_answer(
            env,
            link,
            {
                "answer_type": "promised",
                "amount": amount,
                "date": date,
                "note": note,
                "promise_id": promise.id,
            },
        )
        return "promised"

    @http.route(
        "/dunning/<string:token>/dispute",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def dunning_dispute(self, token, **kwargs):
        return self._dunning_action(token, "dispute", self._dunning_do_dispute, kwargs)

    def _dunning_do_dispute(self, env, link, res, kwargs):
        try:
            move_id = int(kwargs.get("invoice_id") or 0)
        except ValueError:
            move_id = 0
        move = self._dunning_invoices(env, link, res, ids=[move_id])
        if not move:
            raise UserError(env._("Choose the invoice you dispute."))
        reasons = dict(self._dunning_dispute_reasons(env))
        reason_code = kwargs.get("reason")
        if reason_code not in reasons:
            raise UserError(env._("Choose the reason of the dispute."))
        text = (kwargs.get("details") or "").strip()[:1000]
        if reason_code == "other" and not text:
            raise UserError(env._("Explain the reason of the dispute."))
        env_company = self._dunning_company_env(env, link)
        reason = dict(self._dunning_dispute_reasons(env_company))[reason_code]
        if text:
            reason = f"{reason}: {text}"
        attachment = self._dunning_attachment(
            env, kwargs.get("attachment"), link.partner_id
        )
        # Disputed until the accountant closes the dispute (a far date).
        move.write(
            {
                "dunning_dispute_reason": reason[:255],
                "dunning_dispute_until": fields.Date.context_today(move)
                + timedelta(days=3650),
            }
        )
        if attachment:
            attachment.write({"res_model": "account.move", "res_id": move.id})
        answer = self._dunning_answer(
            env,
            link,
            {
                "answer_type": "disputed",
                "note": reason,
                "move_ids": [Command.set(move.ids)],
            },
        )
        self._dunning_activity(
            env_company,
            link,
            env_company._(
                "Invoice %(invoice)s disputed by the customer", invoice=move.name
            ),
            Markup("<p>%s</p><p>%s</p>")
            % (answer.with_env(env_company)._get_summary(), reason),
        )
        return "disputed"

    @http.route(
        "/dunning/<string:token>/paid",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def dunning_paid(self, token, **kwargs):
        return self._dunning_action(token, "paid", self._dunning_do_paid, kwargs)

    def _dunning_do_paid(self, env, link, res, kwargs):
        company = link.company_id
        today = fields.Date.context_today(link)
        date = self._dunning_parse_date(env, kwargs.get("date"))
        if not date or date > today or date < today - timedelta(days=365):
            raise UserError(
                env._("Enter the date of your payment (not in the future).")
            )
        amount = self._dunning_parse_amount(env, link, res, kwargs.get("amount"))
        note = (kwargs.get("note") or "").strip()[:1000]
        attachment = self._dunning_attachment(
            env, kwargs.get("attachment"), link.partner_id
        )
        partner = link.partner_id.with_company(company)
        pause_until = today + timedelta(days=company.dunning_portal_paid_pause_days)
        if not partner.dunning_next_date or partner.dunning_next_date < pause_until:
            partner.dunning_next_date = pause_until
        answer = self._dunning_answer(
            env,
            link,
            {"answer_type": "paid_claim", "amount": amount, "date": date, "note": note},
        )
        env_company = self._dunning_company_env(env, link)
        note_html = Markup("<p>%s</p>") % answer.with_env(env_company)._get_summary()
        if note:
            note_html += Markup("<p>%s</p>") % note
        if attachment:
            note_html += Markup("<p>%s</p>") % env_company._(
                "Proof of payment: %(name)s", name=attachment.name
            )
        self._dunning_activity(
            env_company,
            link,
            env_company._("Check the payment announced by the customer"),
            note_html,
        )
        return "paid_claim"

    @http.route(
        "/dunning/<string:token>/transaction/<string:invoices>",
        type="json",
        auth="public",
    )
    def dunning_transaction(self, token, invoices, access_token=None, **kwargs):
        """Create the transaction paying the selected invoices (amount computed
        here, never taken from the browser) and return its processing values."""
        link, error = self._dunning_check_link(token, commit=True)
        if error == "blocked":
            raise ValidationError(self._dunning_blocked_message(request.env))
        if error or not link.company_id.dunning_portal_allow_payment:
            raise ValidationError(request.env._("This link is not valid any more."))
        env = self._dunning_env(link)
        link = link.with_env(env)
        if self._dunning_rate_limited(link):
            raise ValidationError(env._("Too many requests: please try again later."))
        ids = [int(i) for i in invoices.split("-") if i.isdigit()]
        res = self._dunning_evaluate(env, link)
        moves = self._dunning_invoices(env, link, res, ids=ids).filtered(
            lambda m: m.payment_state != "blocked" and not m.dunning_dispute_reason
        )
        if not moves or len(moves) != len(set(ids)) or len(moves.currency_id) != 1:
            raise ValidationError(env._("Select open invoices in one currency."))
        self._validate_transaction_kwargs(kwargs)
        if request.env.user._is_public():
            # see _dunning_payment_values: no saved payment method for visitors
            if kwargs.get("flow") == "token":
                raise ValidationError(
                    env._("Log in to pay with a saved payment method.")
                )
            kwargs["tokenization_requested"] = False
        kwargs.update(
            amount=self._dunning_amount_owed(res, moves),
            currency_id=moves.currency_id.id,
            partner_id=link.partner_id.id,
        )
        tx_sudo = self._create_transaction(
            custom_create_values={
                "invoice_ids": [Command.set(moves.ids)],
                "dunning_portal_token_id": link.id,
            },
            **kwargs,
        )
        return tx_sudo._get_processing_values()

    # ------------------------------------------------------------------
    # My Account
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "dunning_count" in counters:
            values["dunning_count"] = len(self._dunning_my_companies())
        return values

    def _dunning_my_companies(self):
        partner = request.env.user.partner_id.commercial_partner_id
        if request.env.user._is_public():
            return request.env["res.company"]
        rows = (
            request.env["account.move.line"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "child_of", partner.id),
                    ("parent_state", "=", "posted"),
                    ("account_type", "=", "asset_receivable"),
                    ("reconciled", "=", False),
                    ("amount_residual", "!=", 0),
                ],
                ["company_id"],
            )
        )
        return (
            request.env["res.company"]
            .sudo()
            .browse([company.id for (company,) in rows])
            .filtered("dunning_portal_enabled")
        )

    @http.route(["/my/dunning"], type="http", auth="user", website=True, sitemap=False)
    def portal_my_dunning(self, company_id=None, **kwargs):
        """A portal user's follow-up page: its link in the chosen company."""
        companies = self._dunning_my_companies()
        if company_id and str(company_id).isdigit():
            companies = companies.filtered(lambda c: c.id == int(company_id))
        if not companies:
            return request.redirect("/my")
        if len(companies) > 1:
            return request.render(
                "account_dunning.dunning_portal_my_companies",
                {"companies": companies, "page_name": "dunning"},
            )
        link = request.env["dunning.portal.token"]._get_for(
            request.env.user.partner_id, companies
        )
        return request.redirect(f"/dunning/{link.token}")
