# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import OrderedSet, clean_context, format_amount, format_date, get_lang
from odoo.tools.misc import babel_locale_parse, posix_to_ldml

from .dunning_engine import DUNNING_STATUS_SELECTION

NUMERIC_OPERATORS = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
}


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited  # portal and interest parts live with their models

    # Settings of the customer (per company)
    dunning_strategy_id = fields.Many2one(
        comodel_name="dunning.strategy",
        string="Follow-up Strategy",
        company_dependent=True,
        tracking=True,
        domain="[('company_id', 'in', (False, current_company_id))]",
        help="Leave empty to use the company's default strategy.",
    )
    dunning_included = fields.Boolean(
        string="Included in the Follow-up Process",
        company_dependent=True,
        tracking=True,
    )
    dunning_marker_id = fields.Many2one(
        comodel_name="dunning.marker",
        string="Follow-up Marker",
        company_dependent=True,
        help="Most severe propagated marker of the reminders sent to the customer.",
    )
    dunning_last_level_id = fields.Many2one(
        comodel_name="dunning.level",
        string="Last Level Sent",
        company_dependent=True,
        help="Level of the last reminder sent to the customer.",
    )
    dunning_next_date = fields.Date(
        string="Next Reminder",
        company_dependent=True,
        tracking=True,
        help="The customer is not reminded before this date.",
    )
    dunning_responsible_id = fields.Many2one(
        comodel_name="res.users",
        string="Follow-up Responsible",
        company_dependent=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    dunning_comments = fields.Text(
        string="Follow-up Comments",
        company_dependent=True,
    )
    dunning_sale_warning = fields.Text(
        string="Follow-up Warning",
        company_dependent=True,
        help="Warning set by the follow-up, shown on the customer and on "
        "quotations.",
    )
    dunning_sale_warning_level_id = fields.Many2one(
        comodel_name="dunning.level",
        string="Follow-up Warning Level",
        company_dependent=True,
        help="Level whose reminder set the follow-up warning: the warning is "
        "cleared once no open item is overdue at that level any more.",
    )
    dunning_contact_id = fields.Many2one(
        comodel_name="res.partner",
        string="Accounting Contact",
        domain="[('parent_id', '=', id)]",
        help="Contact who receives the reminders (else the customer itself).",
    )
    dunning_contact_email = fields.Char(
        related="dunning_contact_id.email", string="Accounting Contact Email"
    )
    dunning_contact_phone = fields.Char(
        related="dunning_contact_id.phone", string="Accounting Contact Phone"
    )
    # Follow-up state, computed by the engine as of today (or the context's
    # ``dunning_date``)
    dunning_status = fields.Selection(
        selection=DUNNING_STATUS_SELECTION,
        string="Follow-up Status",
        compute="_compute_dunning_state",
        search="_search_dunning_status",
    )
    dunning_level_id = fields.Many2one(
        comodel_name="dunning.level",
        string="Level Reached",
        compute="_compute_dunning_state",
        help="Highest level at which one of the open items was reminded.",
    )
    dunning_level_due_id = fields.Many2one(
        comodel_name="dunning.level",
        string="Level Due",
        compute="_compute_dunning_state",
        search="_search_dunning_level_due_id",
    )
    dunning_total_due = fields.Monetary(
        string="Total Due",
        compute="_compute_dunning_state",
        search="_search_dunning_total_due",
        currency_field="dunning_currency_id",
    )
    dunning_total_overdue = fields.Monetary(
        string="Total Overdue",
        compute="_compute_dunning_state",
        search="_search_dunning_total_overdue",
        currency_field="dunning_currency_id",
    )
    dunning_last_date = fields.Date(
        string="Last Reminder", compute="_compute_dunning_state"
    )
    dunning_exclusion_reason = fields.Char(
        string="Not Reminded Because", compute="_compute_dunning_state"
    )
    dunning_check_payments = fields.Boolean(
        string="Check Payments First",
        compute="_compute_dunning_state",
        help="Unapplied payments and credit notes cover what is overdue: the "
        "customer probably already paid.",
    )
    dunning_currency_id = fields.Many2one(
        comodel_name="res.currency", compute="_compute_dunning_currency_id"
    )
    dunning_company_id = fields.Many2one(
        comodel_name="res.company",
        string="Follow-up Company",
        compute="_compute_dunning_company_id",
        help="Company on whose behalf the customer is followed up: the current "
        "company (the batch's company while a batch executes).",
    )
    dunning_statement_line_ids = fields.Many2many(
        comodel_name="account.move.line",
        string="Customer Statement",
        compute="_compute_dunning_state",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    # Payment promises and disputes (manual follow-up)
    dunning_promise_ids = fields.One2many(
        comodel_name="dunning.promise",
        inverse_name="partner_id",
        string="Payment Promises",
    )
    dunning_promised = fields.Boolean(
        string="Payment Promised",
        compute="_compute_dunning_promised",
        search="_search_dunning_promised",
        help="An open payment promise pauses the follow-up until its date.",
    )
    dunning_disputed = fields.Boolean(
        string="Disputed Invoices",
        compute="_compute_dunning_disputed",
        search="_search_dunning_disputed",
    )

    @api.depends_context("company")
    def _compute_dunning_company_id(self):
        self.dunning_company_id = self.env.company

    def _compute_dunning_currency_id(self):
        for partner in self:
            partner.dunning_currency_id = self.env.company.currency_id

    @api.depends_context("company", "dunning_date")
    def _compute_dunning_state(self):
        commercials = self.commercial_partner_id.filtered("id")
        result = self.env["dunning.engine"]._evaluate(
            date=self.env.context.get("dunning_date"),
            partners=commercials,
        )
        aml_model = self.env["account.move.line"]
        level_model = self.env["dunning.level"]
        for partner in self:
            res = result.partners.get(partner.commercial_partner_id.id)
            if not res:
                partner.update(
                    {
                        "dunning_status": "no_action_needed",
                        "dunning_level_id": False,
                        "dunning_level_due_id": False,
                        "dunning_total_due": 0.0,
                        "dunning_total_overdue": 0.0,
                        "dunning_last_date": False,
                        "dunning_exclusion_reason": False,
                        "dunning_check_payments": False,
                        "dunning_statement_line_ids": aml_model,
                    }
                )
                continue
            partner.update(
                {
                    "dunning_status": res.status,
                    "dunning_level_id": level_model.browse(res.level_reached_id),
                    "dunning_level_due_id": level_model.browse(res.level_due_id),
                    "dunning_total_due": res.total_due,
                    "dunning_total_overdue": res.total_overdue,
                    "dunning_last_date": res.last_date,
                    "dunning_exclusion_reason": result.reason_label(res.reason),
                    "dunning_check_payments": res.reason == "check_payments",
                    "dunning_statement_line_ids": aml_model.browse(
                        [item.id for item in res.items]
                    ),
                }
            )

    # ------------------------------------------------------------------
    # Search methods: one engine evaluation of the company's customers
    # ------------------------------------------------------------------

    def _dunning_search_ids(self, predicate):
        result = self.env["dunning.engine"]._evaluate(
            date=self.env.context.get("dunning_date")
        )
        return [pid for pid, res in result.partners.items() if predicate(res)]

    def _dunning_search_domain(self, ids, include_no_items):
        """Domain on partners (and their contacts) from commercial ids.

        When ``include_no_items``, partners absent from the engine result
        (no open item) match too.
        """
        if include_no_items:
            result = self.env["dunning.engine"]._evaluate(
                date=self.env.context.get("dunning_date")
            )
            excluded = OrderedSet(result.partners) - OrderedSet(ids)
            return [("commercial_partner_id", "not in", list(excluded))]
        return [("commercial_partner_id", "in", ids)]

    @api.model
    def _search_dunning_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            return NotImplemented
        values = {value} if isinstance(value, str) or not value else set(value)
        positive = operator in ("=", "in")
        wanted = (
            values
            if positive
            else {key for key, _label in DUNNING_STATUS_SELECTION} - values
        )
        ids = self._dunning_search_ids(lambda res: res.status in wanted)
        return self._dunning_search_domain(ids, "no_action_needed" in wanted)

    @api.model
    def _search_dunning_level_due_id(self, operator, value):
        if operator in ("=", "!=") and not value:
            ids = self._dunning_search_ids(lambda res: res.level_due_id)
            # "!= False": a level is due; "= False": none is due
            return [
                ("commercial_partner_id", "in" if operator == "!=" else "not in", ids)
            ]
        if operator not in ("=", "in", "!=", "not in"):
            return NotImplemented
        if isinstance(value, str):
            level_ids = set(
                self.env["dunning.level"]._search([("name", "ilike", value)])
            )
        else:
            level_ids = {value} if isinstance(value, int) else set(value)
        ids = self._dunning_search_ids(lambda res: res.level_due_id in level_ids)
        if operator in ("=", "in"):
            return [("commercial_partner_id", "in", ids)]
        return [("commercial_partner_id", "not in", ids)]

    def _search_dunning_amount(self, attribute, operator, value):
        if operator not in NUMERIC_OPERATORS:
            return NotImplemented
        compare = NUMERIC_OPERATORS[operator]
        value = value or 0.0
        ids = self._dunning_search_ids(
            lambda res: compare(getattr(res, attribute), value)
        )
        return self._dunning_search_domain(ids, compare(0.0, value))

    @api.model
    def _search_dunning_total_due(self, operator, value):
        return self._search_dunning_amount("total_due", operator, value)

    @api.model
    def _search_dunning_total_overdue(self, operator, value):
        return self._search_dunning_amount("total_overdue", operator, value)

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _get_dunning_strategy(self):
        """Strategy that applies to the customer in the current company."""
        self.ensure_one()
        partner = self.commercial_partner_id
        return partner.dunning_strategy_id or self.env[
            "dunning.strategy"
        ]._get_company_default(self.env.company)

    def _get_dunning_recipient(self):
        """Partner that receives the reminders: the accounting contact, else
        the customer."""
        self.ensure_one()
        partner = self.commercial_partner_id
        contact = partner.dunning_contact_id
        # an archived accounting contact no longer receives the reminders
        return contact if contact.active else partner

    def _get_dunning_lines_values(self, items):
        """Printable values of engine items (dates and amounts formatted in
        the context's language), for letters and emails."""
        lines = self.env["account.move.line"].browse([item.id for item in items])
        lines.fetch(
            ["move_id", "move_name", "currency_id", "amount_currency", "balance"]
        )
        # the language and its date pattern looked up once for all the lines
        lang = get_lang(self.env)
        date_pattern = posix_to_ldml(
            lang.date_format, locale=babel_locale_parse(lang.code)
        )
        values = []
        for item, line in zip(items, lines, strict=True):
            currency = line.currency_id
            values.append(
                {
                    "id": line.id,
                    "reference": line.move_name or line.move_id.display_name,
                    "date": format_date(self.env, item.date, lang.code, date_pattern),
                    "date_maturity": format_date(
                        self.env, item.date_maturity, lang.code, date_pattern
                    ),
                    "days_overdue": max(item.days_overdue, 0),
                    "amount": format_amount(
                        self.env, line.amount_currency, currency, lang.code
                    ),
                    "residual": format_amount(
                        self.env, item.residual_currency, currency, lang.code
                    ),
                }
            )
        return values

    def _get_dunning_mail_lines(self):
        """Lines of the overdue table of follow-up emails: the rows of the
        reminder being sent (context ``dunning_reminders``: ``{partner id:
        reminder content}``, built once by ``dunning.send``), else the items
        ``dunning_item_ids`` or those due today (previews)."""
        self.ensure_one()
        partner = self.commercial_partner_id
        content = (self.env.context.get("dunning_reminders") or {}).get(partner.id)
        if content is not None:
            return content["rows"]
        result = self.env["dunning.engine"]._evaluate(
            date=self.env.context.get("dunning_date"),
            partners=partner,
            ignore_next_date=True,
        )
        res = result.partners.get(partner.id)
        if not res:
            return []
        item_ids = self.env.context.get("dunning_item_ids")
        if item_ids:
            items = [item for item in res.items if item.id in item_ids]
        else:
            items = [item for item in res.items if item.is_overdue and not item.reason]
        return self._get_dunning_lines_values(items)

    def _dunning_mail_table(self):
        """The overdue table of a follow-up email (QWeb view
        ``account_dunning.dunning_mail_overdue_table``), for the templates."""
        self.ensure_one()
        return self.env["ir.qweb"]._render(
            "account_dunning.dunning_mail_overdue_table",
            {"dunning_lines": self._get_dunning_mail_lines()},
        )

    def action_dunning_explain(self):
        """Open the customer's open items with the engine's verdict on each."""
        self.ensure_one()
        # the items of the statement: for the users who may read it only
        self.check_field_access_rights("read", ["dunning_statement_line_ids"])
        partner = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.account_move_line_action_dunning_explain"
        )
        action["domain"] = [("id", "in", partner.dunning_statement_line_ids.ids)]
        action["context"] = {
            "dunning_date": self.env.context.get("dunning_date"),
            "search_default_group_by_dunning_state": False,
        }
        action["display_name"] = self.env._(
            "Follow-up of %(partner)s", partner=partner.display_name
        )
        return action

    # ------------------------------------------------------------------
    # Sales warning, per company (never the shared ``sale_warn``)
    # ------------------------------------------------------------------

    def _dunning_set_sale_warning(self, level, date):
        """Warn the salesmen of the current company that these customers are
        reminded at ``level`` on ``date``, in the company's language (the
        salesmen of the company read it, not the customer)."""
        lang = self.env.company.partner_id.lang or self.env.lang
        env = self.with_context(lang=lang).env
        message = level.with_env(env).sale_warning_message or env._(
            "Payment overdue by more than %(days)s days.", days=level.delay
        )
        self.sudo().write(
            {
                "dunning_sale_warning": (
                    f"[{format_date(env, date, lang_code=lang)}] {message}"
                ),
                "dunning_sale_warning_level_id": level.id,
            }
        )

    @api.model
    def _dunning_clear_sale_warnings(self, company=None):
        """Clear the sales warnings of ``company`` whose customer has no open
        item overdue at the warning's level any more (paid, credited or
        reminded again lower after a strategy change). Returns the customers
        cleared."""
        company = company or self.env.company
        partners = (
            self.sudo()
            .with_company(company)
            .search([("dunning_sale_warning", "!=", False)])
        )
        if not partners:
            return partners
        result = (
            self.env["dunning.engine"]
            .sudo()
            ._evaluate(partners=partners, company=company, ignore_next_date=True)
        )
        cleared = partners.browse()
        for partner in partners:
            level = partner.dunning_sale_warning_level_id
            res = result.partners.get(partner.id)
            items = [item for item in res.items if item.is_overdue] if res else []
            threshold = level.sudo().delay if level else None
            if not any(
                item.level_id
                and (
                    threshold is None
                    or result.levels.get(item.level_id, threshold) >= threshold
                )
                for item in items
            ):
                cleared |= partner
        cleared.write(
            {"dunning_sale_warning": False, "dunning_sale_warning_level_id": False}
        )
        return cleared

    @api.model
    def _cron_dunning_clear_sale_warnings(self):
        for company in self.env["res.company"].sudo().search([]):
            self._dunning_clear_sale_warnings(company)

    # ------------------------------------------------------------------
    # Access: only follow-up users change the follow-up settings
    # ------------------------------------------------------------------

    @api.model
    def _get_dunning_protected_fields(self):
        """Fields that only billing users (who send reminders) may change."""
        return {
            "trust",
            "dunning_strategy_id",
            "dunning_included",
            "dunning_marker_id",
            "dunning_next_date",
            "dunning_responsible_id",
            "dunning_comments",
            "dunning_sale_warning",
            "dunning_contact_id",
        }

    @api.model
    def _get_dunning_internal_fields(self):
        """Fields only the follow-up itself writes (as superuser): what was
        sent to the customer."""
        return {
            "dunning_last_level_id",
            "dunning_marker_id",
            "dunning_sale_warning_level_id",
        }

    def _check_dunning_write_access(self, vals):
        """Refuse the follow-up fields of ``vals`` the user may not change:
        the internal ones to everyone, the settings to non-billing users."""
        if self.env.su:
            return
        fnames = self._get_dunning_internal_fields() & set(vals)
        if not self.env.user.has_group("account.group_account_invoice"):
            fnames |= self._get_dunning_protected_fields() & set(vals)
        self._dunning_refuse_fields(fnames)

    def _dunning_refuse_fields(self, fnames):
        internal = self._get_dunning_internal_fields() & set(fnames)
        fnames = sorted(internal or fnames)
        if not fnames:
            return
        labels = ", ".join(
            self._fields[fname]._description_string(self.env) for fname in fnames
        )
        if internal:
            raise AccessError(
                self.env._(
                    "The follow-up history of a customer (%(fields)s) is written "
                    "by the reminders only.",
                    fields=labels,
                )
            )
        raise AccessError(
            self.env._(
                "Only billing users may change the follow-up settings of a "
                "customer (%(fields)s).",
                fields=labels,
            )
        )

    def _check_dunning_create_access(self):
        """The rules of ``write`` on created customers: a protected field may
        only hold its default value (whether it came from the values or from
        a ``default_*`` context key)."""
        if self.env.su:
            return
        fnames = self._get_dunning_internal_fields()
        if not self.env.user.has_group("account.group_account_invoice"):
            fnames |= self._get_dunning_protected_fields()
        defaults = self.with_env(
            self.env(context=clean_context(self.env.context))
        ).default_get(list(fnames))
        changed = set()
        for partner in self:
            for fname in fnames:
                field = self._fields[fname]
                value = field.convert_to_write(partner[fname], partner)
                default = defaults.get(fname, False)
                if (value or default) and value != default:
                    changed.add(fname)
        self._dunning_refuse_fields(changed)

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._check_dunning_create_access()
        return partners

    def write(self, vals):
        self._check_dunning_write_access(vals)
        return super().write(vals)

    # ------------------------------------------------------------------
    # Manual follow-up, promises, disputes and bulk processing
    # ------------------------------------------------------------------

    def _dunning_promised_ids(self):
        rows = self.env["dunning.promise"]._read_group(
            [("company_id", "=", self.env.company.id), ("state", "=", "open")],
            ["partner_id"],
        )
        return [partner.id for (partner,) in rows]

    def _dunning_disputed_ids(self):
        today = fields.Date.context_today(self)
        rows = self.env["account.move"]._read_group(
            [
                ("company_id", "=", self.env.company.id),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("dunning_dispute_until", ">=", today),
            ],
            ["commercial_partner_id"],
        )
        return [partner.id for (partner,) in rows]

    def _set_dunning_flag(self, fname, commercial_ids):
        """Set the boolean ``fname`` of the partners whose commercial partner
        is in ``commercial_ids`` (one grouped query for the whole set)."""
        commercial_ids = set(commercial_ids)
        for partner in self:
            partner[fname] = partner.commercial_partner_id.id in commercial_ids

    @api.model
    def _search_dunning_flag(self, operator, value, commercial_ids):
        if operator not in ("=", "!="):
            return NotImplemented
        positive = (operator == "=") == bool(value)
        return [
            ("commercial_partner_id", "in" if positive else "not in", commercial_ids)
        ]

    @api.depends_context("company")
    def _compute_dunning_promised(self):
        self._set_dunning_flag("dunning_promised", self._dunning_promised_ids())

    @api.model
    def _search_dunning_promised(self, operator, value):
        return self._search_dunning_flag(operator, value, self._dunning_promised_ids())

    @api.depends_context("company")
    def _compute_dunning_disputed(self):
        self._set_dunning_flag("dunning_disputed", self._dunning_disputed_ids())

    @api.model
    def _search_dunning_disputed(self, operator, value):
        return self._search_dunning_flag(operator, value, self._dunning_disputed_ids())

    def action_dunning_manual(self):
        """Open the manual follow-up screen of the customer."""
        self.ensure_one()
        partner = self.commercial_partner_id
        wizard = self.env["dunning.manual.wizard"].create({"partner_id": partner.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Follow-up of %(partner)s", partner=partner.display_name
            ),
            "res_model": "dunning.manual.wizard",
            "res_id": wizard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {**self.env.context, "dialog_size": "extra-large"},
        }

    def action_dunning_promise(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Payment Promises"),
            "res_model": "dunning.promise",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.commercial_partner_id.id)],
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_dunning_process(self):
        """Process follow-ups (Traiter les relances): remind each selected
        customer in need of action at its level due, through one batch of
        origin "bulk"; the others are skipped with the reason. Opens the
        batch, which sums up what was sent, skipped and failed."""
        self.env["dunning.batch"].check_access("create")
        partners = self.commercial_partner_id
        if not partners:
            raise UserError(self.env._("Select the customers to follow up."))
        date = fields.Date.context_today(self)
        Batch = self.env["dunning.batch"]
        in_lang = Batch.with_context(lang=Batch._company_lang(self.env.company))
        result = in_lang.env["dunning.engine"]._evaluate(date=date, partners=partners)
        selection = result.to_remind()
        skipped = {}
        for partner in partners.filtered(lambda p: p.id not in selection):
            res = result.partners.get(partner.id)
            if res and res.reason:
                skipped[partner.id] = result.reason_label(res.reason)
            elif res and res.status == "with_overdue_invoices":
                skipped[partner.id] = in_lang.env._("no level is due yet")
            else:
                skipped[partner.id] = in_lang.env._("nothing is overdue")
            selection[partner.id] = (
                [i for i in res.items if not i.is_credit] if res else []
            )
        batch = Batch._create_from_selection(
            selection,
            {
                "date": date,
                "origin": "bulk",
                "name": in_lang.env._(
                    "Process follow-ups %(date)s",
                    date=format_date(in_lang.env, date),
                ),
            },
            skipped=skipped,
        )
        batch._execute()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.dunning_batch_action"
        )
        action.update(
            {"res_id": batch.id, "view_mode": "form", "views": [(False, "form")]}
        )
        return action
