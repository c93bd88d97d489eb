# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, Command, api, fields, models

from ..models.dunning_level import channels_text

# runs listed on the page (all of them: "All Runs")
PAGE_RUN_LIMIT = 20


class DunningAutoPage(models.TransientModel):
    """The automatic follow-up of the current company, for accounting
    managers: which levels run automatically, when the scheduled action runs
    and as whom, what the last runs did, and "Run Now"."""

    _name = "dunning.auto.page"
    _description = "Automatic Follow-up"
    _check_company_auto = True

    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    level_line_ids = fields.One2many(
        comodel_name="dunning.auto.page.level",
        inverse_name="page_id",
        string="Follow-up Levels",
        compute="_compute_level_line_ids",
        store=True,
        readonly=False,
    )
    run_ids = fields.Many2many(
        comodel_name="dunning.auto.run",
        string="Last Runs",
        compute="_compute_run_ids",
    )
    run_count = fields.Integer(string="Number of Runs", compute="_compute_run_ids")
    last_run_id = fields.Many2one(
        comodel_name="dunning.auto.run", string="Last Run", compute="_compute_run_ids"
    )
    last_run_summary = fields.Text(related="last_run_id.summary")
    # the scheduled action, read as superuser for display only
    cron_active = fields.Boolean(
        string="Scheduled Action Active", compute="_compute_cron"
    )
    cron_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Runs As",
        compute="_compute_cron",
        help="The scheduled action's user: the automatic batches are executed "
        "in their name.",
    )
    cron_lastcall = fields.Datetime(string="Last Run On", compute="_compute_cron")
    cron_nextcall = fields.Datetime(string="Next Run On", compute="_compute_cron")
    cron_warning = fields.Text(
        string="Scheduled Action Warning", compute="_compute_cron"
    )

    @api.depends("company_id")
    def _compute_display_name(self):
        for page in self:
            page.display_name = self.env._("Automatic Follow-up")

    @api.depends("company_id")
    def _compute_level_line_ids(self):
        for page in self:
            levels = self.env["dunning.level"].search(
                [
                    ("company_id", "=", page.company_id.id),
                    ("strategy_id.active", "=", True),
                ]
            )
            levels = levels.sorted(
                lambda lv: (lv.strategy_id.sequence, lv.strategy_id.id, lv.delay)
            )
            page.level_line_ids = [Command.clear()] + [
                Command.create({"level_id": level.id}) for level in levels
            ]

    @api.depends("company_id")
    def _compute_run_ids(self):
        Run = self.env["dunning.auto.run"]
        for page in self:
            domain = [("company_id", "=", page.company_id.id)]
            page.run_ids = Run.search(domain, limit=PAGE_RUN_LIMIT)
            page.run_count = Run.search_count(domain)
            page.last_run_id = page.run_ids[:1]

    @api.depends("company_id")
    def _compute_cron(self):
        cron = self.env.ref(
            "account_dunning.ir_cron_dunning_auto_follow_up", raise_if_not_found=False
        )
        cron = cron.sudo() if cron else cron
        for page in self:
            page.cron_active = bool(cron and cron.active)
            page.cron_user_id = cron.user_id if cron else False
            page.cron_lastcall = cron.lastcall if cron else False
            page.cron_nextcall = cron.nextcall if cron and cron.active else False
            page.cron_warning = page._get_cron_warning(cron)

    def _get_cron_warning(self, cron):
        """Why the scheduled action does not run this company's follow-up,
        if it does not."""
        self.ensure_one()
        if not cron or not cron.active:
            return self.env._(
                'The scheduled action "Automatic follow-up" is archived: nothing '
                "runs automatically. An administrator can restore it (Settings > "
                "Technical > Scheduled Actions)."
            )
        user = cron.user_id
        if user.id == SUPERUSER_ID or user.has_group("base.group_system"):
            return False
        company = self.company_id
        if not user.active or not user.has_group("account.group_account_manager"):
            return self.env._(
                "The scheduled action runs as %(user)s, who is not an accounting "
                "manager: the automatic follow-up fails. An administrator must "
                "choose another user (Settings > Technical > Scheduled Actions).",
                user=user.name,
            )
        if company not in user.company_ids:
            return self.env._(
                "The scheduled action runs as %(user)s, who has no access to "
                "%(company)s: neither the automatic follow-up of %(company)s nor its "
                "launches executed in the background run. An administrator must "
                "give %(user)s access to %(company)s or choose another user.",
                user=user.name,
                company=company.name,
            )
        return False

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    @api.model
    def action_open(self):
        """The page of the current company (menu Follow-up > Automatic
        Follow-up)."""
        page = self.create({})
        return {
            "type": "ir.actions.act_window",
            "name": page.display_name,
            "res_model": self._name,
            "res_id": page.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def action_run_now(self):
        """Run the automatic follow-up of the company now, and say what it
        did (a notification with a link to each batch), then refresh."""
        self.ensure_one()
        run = self.env["dunning.followup.auto"].with_company(self.company_id)._run_now()
        batches = run.batch_ids
        links = [
            {
                "label": batch.code,
                "url": f"/odoo/action-account_dunning.dunning_batch_action/{batch.id}",
            }
            for batch in batches
        ]
        if not batches:
            kind = "info"
            message = self.env._(
                "Nobody to remind today at the automatic levels (%(levels)s).",
                levels=", ".join(run.level_ids.mapped("name")),
            )
            if run.left_alone_count:
                message += " " + self.env._(
                    "%(count)s customer(s) due but left alone: see the last run.",
                    count=run.left_alone_count,
                )
        elif any(batch.state == "running" for batch in batches):
            kind = "info"
            message = self.env._(
                "%(count)s customer(s) to remind: the follow-up runs in the "
                "background, you will be notified when it ends. Batches:",
                count=run.partner_count,
            )
        else:
            kind = "warning" if any(batches.mapped("has_failures")) else "success"
            message = self.env._(
                "%(sent)s customer(s) reminded, %(skipped)s skipped, %(failed)s "
                "failed. Batches:",
                sent=sum(batches.mapped("sent_count")),
                skipped=sum(batches.mapped("skipped_count")),
                failed=sum(batches.mapped("failed_count")),
            )
        # the web client puts each link in place of a "%s" of the message
        message += "".join(" %s" for _link in links)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": kind,
                "title": self.env._("Automatic Follow-up"),
                "message": message,
                "links": links,
                "sticky": bool(batches),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_view_runs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.dunning_auto_run_action"
        )
        action["domain"] = [("company_id", "=", self.company_id.id)]
        return action

    def action_view_levels(self):
        self.ensure_one()
        return self.env["ir.actions.act_window"]._for_xml_id(
            "account_dunning.dunning_level_action"
        )


class DunningAutoPageLevel(models.TransientModel):
    """A level of the company on the automatic follow-up page, with its
    "Execute Automatically" switch (written on the level)."""

    _name = "dunning.auto.page.level"
    _description = "Automatic Follow-up: Level"
    _order = "id"

    page_id = fields.Many2one(
        comodel_name="dunning.auto.page", required=True, ondelete="cascade"
    )
    level_id = fields.Many2one(
        comodel_name="dunning.level", string="Level", required=True, readonly=True
    )
    strategy_id = fields.Many2one(related="level_id.strategy_id")
    delay = fields.Integer(related="level_id.delay")
    marker_id = fields.Many2one(related="level_id.marker_id")
    channels = fields.Char(string="Actions", compute="_compute_channels")
    auto_execute = fields.Boolean(related="level_id.auto_execute", readonly=False)

    @api.depends("level_id")
    def _compute_channels(self):
        for line in self:
            line.channels = channels_text(line.level_id._get_channels(), self.env.lang)
