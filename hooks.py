# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools import SQL


def uninstall_hook(env):
    """Remove the follow-up history before Odoo deletes the module's data.

    Reminders not sent yet are cancelled: the queued reminder emails (and
    their notifications) and SMS of the batches are marked cancelled, so that
    nothing goes out once the follow-up is uninstalled; the sales warnings the
    follow-up wrote in the shared ``sale_warn`` of older versions are removed.
    The letters sent, stored on the batch lines, go back to their customer.

    Batches, lines and reminded journal items point to levels, strategies and
    markers with ``ondelete="restrict"`` (history must never be orphaned in
    normal use): without this, deleting the module's data records logs
    foreign-key errors and leaves columns behind. Invoices and partners are
    kept; only the follow-up data goes.
    """
    env = env(su=True)
    _cancel_unsent_reminders(env)
    _clear_legacy_sale_warnings(env)
    # the letters sent stay with the customer's chatter messages
    lines = env["dunning.batch.line"].with_context(active_test=False).search([])
    attachments = env["ir.attachment"].search(
        [("res_model", "=", "dunning.batch.line"), ("res_id", "in", lines.ids)]
    )
    partner_of_line = {line.id: line.partner_id.id for line in lines}
    for partner_id, line_attachments in attachments.grouped(
        lambda a: partner_of_line[a.res_id]
    ).items():
        line_attachments.write({"res_model": "res.partner", "res_id": partner_id})
    env.flush_all()
    # Tracked partner fields: keep their tracking history as "removed field"
    # information (what mail does when a field is deleted; done here because
    # mail's own path fails once the field left the registry).
    env.cr.execute(
        SQL(
            """
            UPDATE mail_tracking_value tv
               SET field_info = jsonb_build_object(
                       'desc', COALESCE(f.field_description->>'en_US', f.name),
                       'name', f.name,
                       'sequence', 100,
                       'type', f.ttype
                   ),
                   field_id = NULL
              FROM ir_model_fields f
              JOIN ir_model_data d
                ON d.model = 'ir.model.fields' AND d.res_id = f.id
               AND d.module = 'account_dunning'
             WHERE tv.field_id = f.id
            """
        )
    )
    env.cr.execute(
        SQL(
            """
            UPDATE account_move_line
               SET dunning_level_id = NULL, dunning_marker_id = NULL
             WHERE dunning_level_id IS NOT NULL OR dunning_marker_id IS NOT NULL;
            DELETE FROM dunning_batch_line;
            DELETE FROM dunning_batch;
            DELETE FROM dunning_level;
            DELETE FROM dunning_strategy;
            """
        )
    )


def _cancel_unsent_reminders(env):
    """Cancel the outgoing emails and SMS of the reminders."""
    lines = env["dunning.batch.line"].with_context(active_test=False).search([])
    lines.mail_ids.filtered(lambda m: m.state in ("outgoing", "exception")).write(
        {
            "state": "cancel",
            "failure_reason": "Follow-up uninstalled: reminder not sent",
        }
    )
    lines.message_ids.notification_ids.filtered(
        lambda n: n.notification_status in ("ready", "process", "exception")
    ).write({"notification_status": "canceled"})
    if "sms.sms" in env:
        env["sms.sms"].search(
            [
                ("mail_message_id", "in", lines.message_ids.ids),
                ("state", "=", "outgoing"),
            ]
        ).write({"state": "canceled"})


def _clear_legacy_sale_warnings(env):
    """Sales warnings written by former versions into Odoo's ``sale_warn``:
    cleared where the text is the follow-up warning of one of the companies."""
    partners = (
        env["res.partner"]
        .with_context(active_test=False)
        .search([("sale_warn_msg", "!=", False)])
    )
    legacy = env["res.partner"]
    for company in env["res.company"].search([]):
        legacy |= partners.with_company(company).filtered(
            lambda p: p.sale_warn_msg == p.dunning_sale_warning
        )
    legacy.write({"sale_warn": "no-message", "sale_warn_msg": False})
