# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Customer Follow-up (Dunning)",
    "summary": "Follow up unpaid customer invoices: strategies, levels, "
    "markers, dunning batches, letters, emails, SMS and analytics",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/account-dunning/account_dunning",
    "author": "account_dunning contributors",
    "maintainers": [],
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["account", "mail", "sms"],
    "data": [],
    "demo": [],
    "installable": True,
    "application": False,
}
