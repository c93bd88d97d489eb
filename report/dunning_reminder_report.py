# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL


class DunningReminderReport(models.Model):
    """Reminders sent, one row per customer reminded and channel used."""

    _name = "dunning.reminder.report"
    _description = "Reminders Sent per Channel"
    _auto = False
    _order = "date desc, id desc"

    batch_line_id = fields.Many2one(
        comodel_name="dunning.batch.line", string="Reminder", readonly=True
    )
    batch_id = fields.Many2one(comodel_name="dunning.batch", readonly=True)
    company_id = fields.Many2one(comodel_name="res.company", readonly=True)
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner", string="Customer", readonly=True
    )
    strategy_id = fields.Many2one(
        comodel_name="dunning.strategy", string="Strategy", readonly=True
    )
    level_id = fields.Many2one(
        comodel_name="dunning.level", string="Level", readonly=True
    )
    date = fields.Date(string="Reminder Date", readonly=True)
    channel = fields.Selection(
        selection=[
            ("email", "Email"),
            ("letter", "Letter"),
            ("post", "Post"),
            ("sms", "SMS"),
            ("warning", "Sales warning"),
            ("activity", "Activity"),
            ("none", "None"),
        ],
        readonly=True,
    )
    amount_reminded = fields.Monetary(readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT l.id * 8 + ch.ord AS id,
                   l.id AS batch_line_id,
                   l.batch_id,
                   l.company_id,
                   c.currency_id,
                   l.partner_id,
                   b.strategy_id,
                   l.level_id,
                   l.date,
                   ch.channel,
                   l.debit AS amount_reminded
              FROM dunning_batch_line l
              JOIN dunning_batch b ON b.id = l.batch_id
              JOIN res_company c ON c.id = l.company_id
             CROSS JOIN LATERAL unnest(
                    string_to_array(
                        COALESCE(NULLIF(l.channels, ''), 'none'), ', ')
                   ) WITH ORDINALITY AS ch(channel, ord)
             WHERE l.state = 'sent'
            """
        )
