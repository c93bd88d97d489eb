# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demo data of the worked scenario (demo/dunning_demo.xml): only called when
the module is installed with demo data."""

from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

# customer xml id (demo/dunning_demo.xml) -> invoices:
# (days before today of the invoice, days before today of the due date,
#  product, quantity, [(days before today of a payment, share of the total)])
DEMO_INVOICES = {
    "res_partner_technologies_demo": [(65, 35, "mouse", 50, [])],
    "res_partner_consulting_demo": [(65, 35, "printer", 5, [])],
    "res_partner_martin_demo": [
        (170, 140, "service", 2, [(138, 1.0)]),
        (100, 70, "mouse", 20, [(72, 1.0)]),
        (40, 10, "service", 1, [(12, 1.0)]),
    ],
    "res_partner_lefevre_demo": [
        (150, 120, "printer", 1, [(105, 1.0)]),
        (90, 60, "service", 3, [(47, 1.0)]),
    ],
    "res_partner_moreau_demo": [
        (130, 100, "service", 4, [(78, 1.0)]),
        (20, -10, "service", 2, []),
    ],
    "res_partner_petit_demo": [
        (160, 130, "service", 2, [(101, 1.0)]),
        (110, 80, "printer", 4, []),
    ],
    "res_partner_roux_demo": [(75, 45, "printer", 2, [(33, 0.4)])],
    "res_partner_fournier_demo": [
        (140, 110, "mouse", 30, [(111, 1.0)]),
        (25, -5, "service", 1, []),
    ],
    "res_partner_girard_demo": [(70, 40, "service", 1, [])],
}
# the follow-up runs of the last months, every week up to 31 days ago (the
# invoices of the guide, due 35 days ago, are then not yet due for a reminder)
DEMO_LAUNCH_DAYS = range(157, 30, -7)


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited  # demo data builder kept apart from the settings

    @api.model
    def _dunning_demo_populate(self, company_id):
        company = self.browse(company_id)
        ref = self.env.ref
        module = "account_dunning."
        # French chart of accounts when installed (make demo installs it)
        fr_chart = self.env["ir.module.module"].search(
            [("name", "=", "l10n_fr_account"), ("state", "=", "installed")]
        )
        self.env["account.chart.template"].try_loading(
            "fr" if fr_chart else "generic_coa", company, install_demo=False
        )
        company = self.browse(company_id)  # the chart reloads the registry
        eur = self.env.ref("base.EUR")
        if company.currency_id != eur:  # the generic chart is in dollars
            company.currency_id = eur

        lang = self.env["res.lang"]._activate_lang("fr_FR")
        # the module's own translations are loaded at the end of its
        # installation: load them now, for the copies of its default strategy
        langs = [code for code, __ in self.env["res.lang"].get_installed()]
        self.env["ir.module.module"]._load_module_terms(["account_dunning"], langs)
        vidal = ref(module + "res_users_vidal_demo")
        admin = ref("base.user_admin")
        (vidal | admin).lang = lang.code
        customers = self.env["res.partner"]
        for xmlid in DEMO_INVOICES:
            customers |= ref(module + xmlid)
        contacts = ref(module + "res_partner_technologies_bourdin_demo") | ref(
            module + "res_partner_consulting_dupont_demo"
        )
        (customers | contacts | company.partner_id).lang = lang.code

        # the bank details printed on the letters
        bank = self.env["res.bank"].create({"name": "BNP Paribas", "bic": "BNPAFRPP"})
        self.env["res.partner.bank"].create(
            {
                "partner_id": company.partner_id.id,
                "acc_number": "FR76 3000 4000 0312 3456 7890 143",
                "bank_id": bank.id,
                "company_id": company.id,
            }
        )
        strategy = self._dunning_demo_strategy(company)
        guide = ref(module + "res_partner_technologies_demo") | ref(
            module + "res_partner_consulting_demo"
        )
        customers.with_company(company).write(
            {
                "dunning_strategy_id": strategy.id,
                "dunning_included": True,
                "dunning_responsible_id": vidal.id,
            }
        )
        ref(module + "res_partner_technologies_demo").dunning_contact_id = ref(
            module + "res_partner_technologies_bourdin_demo"
        )
        ref(module + "res_partner_consulting_demo").dunning_contact_id = ref(
            module + "res_partner_consulting_dupont_demo"
        )
        self._dunning_demo_payment_provider(company)
        self._dunning_demo_history(company, strategy, vidal, guide)
        self._dunning_demo_quotation(company, customers)

    def _dunning_demo_payment_provider(self, company):
        """The Demo payment provider of ``payment_demo`` (which `make demo`
        installs), in test mode and published for the demo company: a reminded
        customer pays online from its follow-up page. Its payments are booked
        to the bank account (with a journal entry), so that they reconcile the
        invoices they pay."""
        payment_demo = self.env["ir.module.module"].search(
            [("name", "=", "payment_demo"), ("state", "=", "installed")]
        )
        if not payment_demo:
            return
        provider = self.env["payment.provider"].search(
            [("code", "=", "demo"), ("company_id", "=", company.id)], limit=1
        ) or self.env.ref("payment.payment_provider_demo").copy(
            {"company_id": company.id}
        )
        provider.write({"state": "test", "is_published": True})
        bank = provider.journal_id
        bank.inbound_payment_method_line_ids.filtered(
            lambda line: line.payment_provider_id == provider
        ).payment_account_id = bank.default_account_id

    def _dunning_demo_strategy(self, company):
        """The classic strategy and its markers, for the demo company, with
        their translations."""
        classic = self.env.ref("account_dunning.dunning_strategy_classic")
        markers = {}
        for level in classic.level_ids:
            marker = level.marker_id
            if marker and marker not in markers:
                markers[marker] = marker.copy({"company_id": company.id})
                self._dunning_demo_copy_translations(marker, markers[marker])
        strategy = classic.copy(
            {"company_id": company.id, "is_default": True, "level_ids": []}
        )
        self._dunning_demo_copy_translations(classic, strategy)
        for level in classic.level_ids:
            copy = level.copy(
                {
                    "strategy_id": strategy.id,
                    "marker_id": markers[level.marker_id].id
                    if level.marker_id
                    else False,
                }
            )
            self._dunning_demo_copy_translations(level, copy)
        return strategy

    def _dunning_demo_copy_translations(self, source, target):
        """Copy the translated fields of ``source`` to ``target``, language by
        language (English first: the other languages follow it otherwise)."""
        fnames = [name for name, field in source._fields.items() if field.translate]
        langs = sorted(
            (code for code, __ in self.env["res.lang"].get_installed()),
            key=lambda code: code != "en_US",
        )
        for lang in langs:
            values = source.with_context(lang=lang).read(fnames)[0]
            target.with_context(lang=lang).write({f: values[f] for f in fnames})

    def _dunning_demo_history(self, company, strategy, user, guide):
        """Invoices of the last months, their payments and the weekly
        follow-up runs in between, in the order they happened, run as the
        accountant in French."""
        today = fields.Date.context_today(self)
        env = (
            self.with_user(user)
            .with_company(company)
            .with_context(lang=user.lang, tracking_disable=True)
            .env
        )
        products = {
            "mouse": self.env.ref("account_dunning.product_mouse_demo"),
            "printer": self.env.ref("account_dunning.product_printer_demo"),
            "service": self.env.ref("account_dunning.product_service_demo"),
        }
        journal = env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "sale")], limit=1
        )
        bank = env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
        )
        # payments booked straight to the bank account: with a journal entry,
        # so that partial payments stay partial
        bank.inbound_payment_method_line_ids.sudo().payment_account_id = (
            bank.default_account_id
        )
        invoices_vals, payments = [], []
        for xmlid, invoices in DEMO_INVOICES.items():
            partner = self.env.ref("account_dunning." + xmlid)
            for inv_days, due_days, product, qty, paid in invoices:
                invoices_vals.append(
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "journal_id": journal.id,
                        "invoice_date": today - timedelta(days=inv_days),
                        "invoice_date_due": today - timedelta(days=due_days),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "product_id": products[product].id,
                                    "quantity": qty,
                                    "price_unit": products[product].list_price,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                )
                payments.append(paid)
        moves = env["account.move"].sudo().create(invoices_vals)
        moves.action_post()
        # the guide's invoices keep the xml ids of the former demo data
        for move in moves.filtered(lambda m: m.partner_id in guide):
            name = "account_move_%s" % (
                "technologies_demo"
                if "Technologies" in move.partner_id.name
                else "consulting_demo"
            )
            self.env["ir.model.data"].create(
                {
                    "module": "account_dunning",
                    "name": name,
                    "model": "account.move",
                    "res_id": move.id,
                    "noupdate": True,
                }
            )
        events = [
            (today - timedelta(days=days), 0, move, share)
            for move, paid in zip(moves, payments, strict=True)
            for days, share in paid
        ] + [(today - timedelta(days=days), 1, None, None) for days in DEMO_LAUNCH_DAYS]
        levels = strategy._get_sorted_levels()
        mail_before = self.env["mail.mail"].sudo().search([], order="id desc", limit=1)
        for date, kind, move, share in sorted(events, key=lambda e: (e[0], e[1])):
            if kind == 0:
                env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=move.ids
                ).create(
                    {
                        "payment_date": date,
                        "journal_id": bank.id,
                        "amount": move.currency_id.round(move.amount_total * share),
                    }
                )._create_payments()
                continue
            for level in levels:
                wizard = env["dunning.launch.wizard"].create(
                    {"strategy_id": strategy.id, "level_id": level.id, "date": date}
                )
                if not wizard.line_ids:
                    continue
                try:
                    wizard.action_launch()
                except UserError:
                    continue
        # nothing of the past leaves the demo server by email
        self.env["mail.mail"].sudo().search(
            [("id", ">", mail_before.id), ("state", "=", "outgoing")]
        ).unlink()

    def _dunning_demo_quotation(self, company, customers):
        """A quotation of the customer the last level put a sales warning on:
        what the salesperson sees (the guide's level 3)."""
        warned = customers.with_company(company).filtered("dunning_sale_warning")
        if not warned:
            return
        self.env["sale.order"].with_company(company).create(
            {
                "partner_id": warned[0].id,
                "company_id": company.id,
                "user_id": self.env.ref("base.user_admin").id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.env.ref(
                                "account_dunning.product_printer_demo"
                            ).id,
                            "product_uom_qty": 2,
                        }
                    )
                ],
            }
        )
