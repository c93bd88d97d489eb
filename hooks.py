# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tools import SQL


def uninstall_hook(env):
    """Remove the follow-up history before Odoo deletes the module's data.

    Batches, lines and reminded journal items point to levels, strategies and
    markers with ``ondelete="restrict"`` (history must never be orphaned in
    normal use): without this, deleting the module's data records logs
    foreign-key errors and leaves columns behind. Invoices and partners are
    kept; only the follow-up data goes.
    """
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
