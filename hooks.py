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
    _cancel_unsent_reminders(env)
    _clear_legacy_sale_warnings(env)
    # the letters sent stay with the customer's chatter messages
    env.cr.execute(
        SQL(
            """
            UPDATE ir_attachment a
               SET res_model = 'res.partner', res_id = l.partner_id
              FROM dunning_batch_line l
             WHERE a.res_model = 'dunning.batch.line' AND a.res_id = l.id
            """
        )
    )
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


def _table_exists(env, table):
    env.cr.execute(SQL("SELECT to_regclass(%s)", table))
    return env.cr.fetchone()[0] is not None


def _cancel_unsent_reminders(env):
    """Cancel the outgoing emails and SMS of the reminders."""
    env.cr.execute(
        SQL(
            """
            UPDATE mail_mail m
               SET state = 'cancel',
                   failure_reason = 'Follow-up uninstalled: reminder not sent'
              FROM dunning_batch_line_mail_rel r
             WHERE r.mail_mail_id = m.id AND m.state IN ('outgoing', 'exception');
            UPDATE mail_notification n
               SET notification_status = 'canceled'
              FROM dunning_batch_line_message_rel r
             WHERE r.mail_message_id = n.mail_message_id
               AND n.notification_status IN ('ready', 'process', 'exception');
            """
        )
    )
    if _table_exists(env, "sms_sms"):
        env.cr.execute(
            SQL(
                """
                UPDATE sms_sms s
                   SET state = 'canceled'
                  FROM dunning_batch_line_message_rel r
                 WHERE r.mail_message_id = s.mail_message_id
                   AND s.state = 'outgoing'
                """
            )
        )


def _clear_legacy_sale_warnings(env):
    """Sales warnings written by former versions into ``sale_warn``."""
    env.cr.execute(
        SQL(
            """
            SELECT 1 FROM information_schema.columns
             WHERE table_name = 'res_partner' AND column_name = 'sale_warn_msg'
            """
        )
    )
    if not env.cr.fetchone():
        return
    env.cr.execute(
        SQL(
            """
            UPDATE res_partner p
               SET sale_warn = 'no-message', sale_warn_msg = NULL
             WHERE p.sale_warn_msg IS NOT NULL
               AND p.dunning_sale_warning IS NOT NULL
               AND p.sale_warn_msg IN (
                    SELECT value FROM jsonb_each_text(p.dunning_sale_warning)
               )
            """
        )
    )
