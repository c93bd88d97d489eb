# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class DunningMailThread(models.AbstractModel):
    """Chatter of the follow-up documents (strategies, batches, promises):
    what the module writes there is in the document's company language,
    whoever creates the document (a user with another language, the cron,
    the demo loader)."""

    _name = "dunning.mail.thread"
    _description = "Follow-up Document Chatter"
    _inherit = ["mail.thread"]

    # Message logged at creation (a lazy translation, e.g. "Follow-up batch
    # created"), else the generic "<document> created"
    _dunning_creation_message = None

    def _creation_message(self):
        self.ensure_one()
        lang = self.env["dunning.batch"]._company_lang(self.company_id)
        if self._dunning_creation_message:
            return self._dunning_creation_message._translate(lang)
        return super(
            DunningMailThread, self.with_context(lang=lang)
        )._creation_message()
