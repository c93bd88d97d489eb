# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import format_date


class DunningAutoRun(models.Model):
    """One run of the automatic follow-up for a company: the levels it
    evaluated, the batches it created and what it found, including the runs
    where nobody was due (they create no batch)."""

    _name = "dunning.auto.run"
    _description = "Automatic Follow-up Run"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company", required=True, readonly=True, index=True
    )
    date = fields.Date(string="Follow-up Date", required=True, readonly=True)
    trigger = fields.Selection(
        selection=[("cron", "Scheduled"), ("manual", "By Hand")],
        required=True,
        readonly=True,
    )
    user_id = fields.Many2one(comodel_name="res.users", string="Run By", readonly=True)
    level_ids = fields.Many2many(
        comodel_name="dunning.level",
        string="Levels",
        readonly=True,
        check_company=True,
    )
    batch_ids = fields.One2many(
        comodel_name="dunning.batch",
        inverse_name="auto_run_id",
        string="Batches",
        readonly=True,
    )
    partner_count = fields.Integer(string="Customers to Remind", readonly=True)
    left_alone_count = fields.Integer(
        string="Customers Left Alone",
        readonly=True,
        help="Customers due at these levels that the follow-up left alone "
        "(manual follow-up, paused, promise, next reminder later...).",
    )
    summary = fields.Text(readonly=True)
    sent_count = fields.Integer(string="Customers Reminded", compute="_compute_result")
    state = fields.Selection(
        selection=[
            ("nothing", "Nobody to remind"),
            ("running", "In Progress"),
            ("done", "Done"),
        ],
        compute="_compute_result",
    )

    @api.depends("batch_ids.state", "batch_ids.line_ids.state")
    def _compute_result(self):
        for run in self:
            batches = run.batch_ids
            run.sent_count = sum(batches.mapped("sent_count"))
            if not batches:
                run.state = "nothing"
            elif any(batch.state in ("draft", "running") for batch in batches):
                run.state = "running"
            else:
                run.state = "done"

    @api.depends("date", "trigger")
    def _compute_display_name(self):
        for run in self:
            run.display_name = self.env._(
                "Automatic follow-up of %(date)s", date=format_date(self.env, run.date)
            )

    def action_view_batches(self):
        """The batches of the run (the batch itself when there is one)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.dunning_batch_action"
        )
        if len(self.batch_ids) == 1:
            action.update(
                {
                    "res_id": self.batch_ids.id,
                    "view_mode": "form",
                    "views": [(False, "form")],
                }
            )
        else:
            action["domain"] = [("auto_run_id", "=", self.id)]
        return action
