# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    # Reminders (emails, letters, SMS) posted on customers: record rules
    # (security/account_dunning_security.xml) let only the billing users and
    # auditors of the batch's company read them; the customer's other messages
    # stay visible to every user who may read the customer.
    dunning_batch_line_ids = fields.Many2many(
        comodel_name="dunning.batch.line",
        relation="dunning_batch_line_message_rel",
        column1="mail_message_id",
        column2="dunning_batch_line_id",
        string="Follow-up Reminders",
        readonly=True,
        copy=False,
    )
