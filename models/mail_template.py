# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import html
from markupsafe import Markup

from odoo import api, models
from odoo.tools import safe_eval


class MailTemplate(models.Model):
    _inherit = "mail.template"

    @api.model
    def _render_template_qweb(
        self, template_src, model, res_ids, add_context=None, options=None
    ):
        """Follow-up emails render one template for a whole chunk of
        customers (context ``dunning_mail_items``): compile it once for all of
        them, where Odoo compiles an inline QWeb template for each record.
        The rendering values, the restricted mode and the result are Odoo's;
        any other rendering, and any error, goes through Odoo's method."""
        if (
            not self.env.context.get("dunning_mail_items")
            or len(res_ids) < 2
            or not template_src
            or not self._has_unsafe_expression_template_qweb(template_src, model)
        ):
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )
        options = dict(options or {})
        if (
            not self._unrestricted_rendering
            and not self.env.is_admin()
            and not self.env.user.has_group("mail.group_mail_template_editor")
        ):
            options["raise_on_forbidden_code_for_model"] = model
        try:
            values = self._render_eval_context()
            if add_context:
                values.update(**add_context)
            ir_qweb = self.env["ir.qweb"].with_context(**options)
            ir_qweb = ir_qweb._prepare_environment(values)
            safe_eval.check_values(values)
            functions, def_name = ir_qweb._compile(
                html.fragment_fromstring(template_src, create_parent="div")
            )
            render = functions[def_name]
            results = {}
            for record in self.env[model].browse(res_ids):
                rendered = Markup("".join(render(ir_qweb, dict(values, object=record))))
                # without the <div> wrapping the template's nodes
                results[record.id] = rendered[5:-6]
        except Exception:  # noqa: BLE001 - Odoo's method reports the error
            return super()._render_template_qweb(
                template_src, model, res_ids, add_context=add_context, options=options
            )
        return results
