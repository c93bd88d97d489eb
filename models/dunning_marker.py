# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL


class DunningMarker(models.Model):
    """A short tag (R1, R2, R3...) telling how late a customer is.

    The marker of a level is written on every journal item reminded at that
    level; when the marker propagates, it is also carried to the customer.
    Markers are ordered by sequence: the higher the sequence, the more severe.
    """

    _name = "dunning.marker"
    _description = "Follow-up Marker"
    _order = "sequence, id"
    _check_company_auto = True

    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    propagate = fields.Boolean(
        string="Propagation",
        help="Carry this marker from the reminded journal items to the customer: "
        "the customer shows its most severe propagated marker.",
    )
    sequence = fields.Integer(
        default=10,
        help="Severity order: a marker with a higher sequence is more severe.",
    )
    color = fields.Integer()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        default=lambda self: self.env.company,
        help="Leave empty to share the marker between companies.",
    )

    @api.constrains("code", "company_id")
    def _check_code_unique(self):
        for marker in self:
            domain = [("id", "!=", marker.id), ("code", "=", marker.code)]
            if marker.company_id:
                # a shared marker clashes with every company's markers
                domain.append(("company_id", "in", (False, marker.company_id.id)))
            duplicate = (
                self.sudo().with_context(active_test=False).search(domain, limit=1)
            )
            if duplicate:
                raise ValidationError(
                    self.env._(
                        "A follow-up marker with the code %(code)s already exists.",
                        code=marker.code,
                    )
                )

    @api.constrains("company_id")
    def _check_levels_company(self):
        """A marker moved to a company stays usable by the levels using it:
        all of them must belong to that company."""
        levels = (
            self.env["dunning.level"]
            .sudo()
            .search([("marker_id", "in", self.filtered("company_id").ids)])
        )
        for level in levels:
            if level.company_id != level.marker_id.company_id:
                raise ValidationError(
                    self.env._(
                        "The follow-up marker %(marker)s is used by the level "
                        "%(level)s of another company: it cannot be moved to the "
                        "company %(company)s.",
                        marker=level.marker_id.code,
                        level=level.display_name,
                        company=level.marker_id.company_id.display_name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        """A marker set on levels or journal items cannot be deleted: archive
        it instead."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT marker_id FROM dunning_level WHERE marker_id = ANY(%(ids)s)
                 UNION
                SELECT dunning_marker_id FROM account_move_line
                 WHERE dunning_marker_id = ANY(%(ids)s)
                """,
                ids=self.ids,
            )
        )
        used = self.browse([row[0] for row in rows])
        if used:
            raise UserError(
                self.env._(
                    "The follow-up marker %(markers)s is used by follow-up levels or "
                    "journal items: it cannot be deleted. Archive it instead.",
                    markers=", ".join(used.mapped("code")),
                )
            )

    def _compute_display_name(self):
        for marker in self:
            marker.display_name = marker.code
