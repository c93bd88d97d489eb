# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, LazyTranslate

_lt = LazyTranslate(__name__)


class DunningStrategy(models.Model):
    """An ordered set of follow-up levels, applied to customers."""

    _name = "dunning.strategy"
    _description = "Follow-up Strategy"
    _inherit = ["dunning.mail.thread"]
    _dunning_creation_message = _lt("Follow-up strategy created")
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    is_default = fields.Boolean(
        string="Default Strategy",
        tracking=True,
        help="Strategy applied to the customers of this company that have no "
        "strategy of their own.",
    )
    jump_to_highest = fields.Boolean(
        string="Jump to Highest Reached Level",
        help="When an item is late enough for several levels at once, remind it "
        "directly at the highest level reached instead of escalating one level "
        "at a time.",
    )
    description = fields.Html(translate=True)
    level_ids = fields.One2many(
        comodel_name="dunning.level",
        inverse_name="strategy_id",
        string="Levels",
        copy=True,
    )
    level_count = fields.Integer(compute="_compute_level_count")

    @api.depends("level_ids")
    def _compute_level_count(self):
        for strategy in self:
            strategy.level_count = len(strategy.level_ids)

    @api.constrains("is_default", "company_id", "active")
    def _check_is_default(self):
        for company in self.filtered("is_default").company_id:
            # every strategy of the company, whatever the user may read
            if (
                self.sudo()
                .with_context(active_test=True)
                .search_count(
                    [("company_id", "=", company.id), ("is_default", "=", True)]
                )
                > 1
            ):
                raise ValidationError(
                    self.env._(
                        "The company %(company)s already has a default follow-up "
                        "strategy: only one strategy per company can be the default.",
                        company=company.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.env["res.company"]._dunning_check_allowed_vals(vals)
            if vals.get("is_default"):
                self._unset_other_defaults(
                    vals.get("company_id") or self.env.company.id
                )
        return super().create(vals_list)

    def write(self, vals):
        if "company_id" in vals:
            self._check_company_change(vals["company_id"])
        if vals.get("is_default"):
            for strategy in self:
                self._unset_other_defaults(
                    vals.get("company_id") or strategy.company_id.id, exclude=strategy
                )
        return super().write(vals)

    def _check_company_change(self, company_id):
        """A strategy stays in its company once it has levels (their markers,
        the customers following it and its history are that company's)."""
        self.env["res.company"].browse(company_id)._dunning_check_allowed()
        moved = self.filtered(lambda strategy: strategy.company_id.id != company_id)
        if moved.level_ids:
            raise UserError(
                self.env._(
                    "The follow-up strategy %(strategies)s has levels: it cannot be "
                    "moved to another company. Duplicate it in that company instead.",
                    strategies=", ".join(
                        moved.filtered("level_ids").mapped("display_name")
                    ),
                )
            )

    def _unset_other_defaults(self, company_id, exclude=None):
        others = self.sudo().search(
            [("company_id", "=", company_id), ("is_default", "=", True)]
        )
        if exclude:
            others -= exclude
        if others:
            others.is_default = False

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        """Deleting a strategy deletes its levels: refuse when it already
        reminded customers (archive it instead)."""
        self.env.flush_all()
        used = (
            self.browse(
                [
                    row[0]
                    for row in self.env.execute_query(
                        SQL(
                            "SELECT strategy_id FROM dunning_batch "
                            "WHERE strategy_id = ANY(%s)",
                            self.ids,
                        )
                    )
                ]
            )
            | self.level_ids._get_used_levels().strategy_id
        )
        if used:
            raise UserError(
                self.env._(
                    "The follow-up strategy %(strategies)s was already used to "
                    "remind customers: it cannot be deleted. Archive it instead.",
                    strategies=", ".join(used.mapped("display_name")),
                )
            )

    def _get_sorted_levels(self):
        """The levels of the strategy, from the least to the most severe."""
        self.ensure_one()
        return self.level_ids.sorted(lambda level: (level.delay, level.id))

    @api.model
    def _get_company_default(self, company=None):
        company = company or self.env.company
        return self.search(
            [("company_id", "=", company.id), ("is_default", "=", True)], limit=1
        )
