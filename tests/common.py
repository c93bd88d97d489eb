# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo import Command, fields

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class DunningCommon(AccountTestInvoicingCommon):
    """Company with a three-level strategy (5, 10, 20 days), customers and
    helpers to create overdue invoices and payments.

    Tests run as the non-admin accountant ``accountman`` of
    ``AccountTestInvoicingCommon``.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.currency = cls.company.currency_id
        Marker = cls.env["dunning.marker"]
        cls.marker_r1 = Marker.create(
            {"code": "R1", "name": "First", "sequence": 10, "propagate": True}
        )
        cls.marker_r2 = Marker.create(
            {"code": "R2", "name": "Second", "sequence": 20, "propagate": True}
        )
        cls.marker_r3 = Marker.create(
            {"code": "R3", "name": "Formal notice", "sequence": 30, "propagate": True}
        )
        cls.template_1 = cls.env.ref("account_dunning.mail_template_dunning_1")
        cls.template_2 = cls.env.ref("account_dunning.mail_template_dunning_2")
        cls.template_3 = cls.env.ref("account_dunning.mail_template_dunning_3")
        cls.strategy = cls.env["dunning.strategy"].create(
            {
                "name": "Classic",
                "is_default": True,
                "level_ids": [
                    Command.create(
                        {
                            "name": "Delay 1",
                            "delay": 5,
                            "marker_id": cls.marker_r1.id,
                            "send_email": True,
                            "mail_template_id": cls.template_1.id,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Delay 2",
                            "delay": 10,
                            "marker_id": cls.marker_r2.id,
                            "send_email": True,
                            "mail_template_id": cls.template_2.id,
                            "print_letter": True,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Delay 3",
                            "delay": 20,
                            "marker_id": cls.marker_r3.id,
                            "send_email": True,
                            "mail_template_id": cls.template_3.id,
                            "print_letter": True,
                            "add_sale_warning": True,
                            "sale_warning_message": "Payment overdue by 20 days",
                        }
                    ),
                ],
            }
        )
        cls.level_1, cls.level_2, cls.level_3 = cls.strategy._get_sorted_levels()
        cls.customer = cls._create_customer("Technologies Aujourd'hui")
        cls.customer_contact = cls.env["res.partner"].create(
            {
                "name": "Madame Bourdin",
                "parent_id": cls.customer.id,
                "email": "contact@technologie.fr",
            }
        )
        cls.customer.dunning_contact_id = cls.customer_contact

    @classmethod
    def _create_customer(cls, name, email=None, included=True, strategy=None, **vals):
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": email or f"{name.lower().replace(' ', '.')}@example.com",
                **vals,
            }
        )
        partner.dunning_included = included
        if strategy is not None:
            partner.dunning_strategy_id = strategy
        return partner

    @classmethod
    def _create_invoice(
        cls,
        partner,
        amount,
        due_date,
        invoice_date=None,
        post=True,
        move_type="out_invoice",
        currency=None,
        payment_term=None,
        company=None,
    ):
        """A customer invoice of ``amount`` (no tax) due on ``due_date``."""
        due_date = fields.Date.to_date(due_date)
        company = company or cls.company
        vals = {
            "move_type": move_type,
            "partner_id": partner.id,
            "invoice_date": invoice_date or due_date,
            "company_id": company.id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": "Goods",
                        "quantity": 1,
                        "price_unit": amount,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }
        if currency:
            vals["currency_id"] = currency.id
        if payment_term:
            vals["invoice_payment_term_id"] = payment_term.id
        else:
            vals["invoice_date_due"] = due_date
        move = cls.env["account.move"].with_company(company).create(vals)
        if post:
            move.action_post()
        return move

    @classmethod
    def _pay(cls, invoices, amount=None, date=None, **vals):
        """Register a payment on ``invoices`` (reconciled journal entry)."""
        wizard_vals = {"payment_date": date or invoices[:1].invoice_date, **vals}
        if amount is not None:
            wizard_vals["amount"] = amount
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoices.ids)
            .create(wizard_vals)
            ._create_payments()
        )

    @classmethod
    def _evaluate(cls, date, partners=None, **kwargs):
        return cls.env["dunning.engine"]._evaluate(
            date=date, partners=partners, company=cls.company, **kwargs
        )

    def _mails(self, partner):
        """Outgoing emails of ``partner``'s chatter (reminders)."""
        return self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )

    def _launch(self, level, date, **vals):
        """Run the launch wizard for ``level`` on ``date`` and return the batch."""
        wizard = self.env["dunning.launch.wizard"].create(
            {
                "strategy_id": level.strategy_id.id,
                "level_id": level.id,
                "date": date,
                **vals,
            }
        )
        return wizard._launch()


def load_french(env):
    """Activate French and load the module's French translation (i18n/fr.po)."""
    su_env = env(su=True)
    su_env["res.lang"]._activate_lang("fr_FR")
    su_env["ir.module.module"]._load_module_terms(
        ["account_dunning"], ["fr_FR"], overwrite=True
    )
    env.registry.clear_cache()


def stub_render_letters(send, reminders):
    """``dunning.send._render_letters`` without the PDF engine: a small PDF
    per letter (tests and benchmarks that do not measure the letter)."""
    return [b"%PDF-1.4 stub " + str(rem.partner.id).encode() for rem in reminders]


def stub_letters(env):
    """Context manager: letters rendered by :func:`stub_render_letters`."""
    return patch.object(
        type(env["dunning.send"]), "_render_letters", stub_render_letters
    )
