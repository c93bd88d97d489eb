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
    "depends": ["account", "mail", "sms", "portal", "account_payment", "sale"],
    "data": [
        # Security
        "security/account_dunning_security.xml",
        "security/ir.model.access.csv",
        # Reports
        "report/dunning_letter_report.xml",
        "report/dunning_aged_balance_views.xml",
        "report/dunning_kpi_views.xml",
        # Data
        "data/ir_sequence_data.xml",
        "data/dunning_marker_data.xml",
        "data/mail_overdue_table.xml",
        "data/mail_template_data.xml",
        "data/mail_message_subtype_data.xml",
        "data/dunning_strategy_data.xml",
        "data/ir_cron_data.xml",
        "data/dunning_promise_data.xml",
        # Views
        "views/dunning_marker_views.xml",
        "views/dunning_strategy_views.xml",
        "views/dunning_level_views.xml",
        "views/account_move_views.xml",
        "views/res_partner_views.xml",
        "views/sale_order_views.xml",
        "views/dunning_batch_views.xml",
        "views/dunning_interest_rate_views.xml",
        "views/res_config_settings_views.xml",
        "wizard/dunning_aged_balance_wizard_views.xml",
        "views/dunning_promise_views.xml",
        "views/ir_actions_report_views.xml",
        "views/menus.xml",
        # Wizards
        "wizard/dunning_launch_wizard_views.xml",
        "wizard/dunning_manual_wizard_views.xml",
        "wizard/dunning_dispute_wizard_views.xml",
        "wizard/dunning_auto_page_views.xml",
        # Customer follow-up page
        "security/dunning_portal_security.xml",
        "data/dunning_portal_data.xml",
        "views/dunning_portal_views.xml",
        "views/dunning_portal_templates.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "account_dunning/static/src/js/weasyprint_report_handler.js",
            "account_dunning/static/src/js/dunning_batch_progress.js",
            "account_dunning/static/src/js/dunning_list_view.js",
        ],
        "web.assets_tests": [
            "account_dunning/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/dunning_demo.xml",
    ],
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "application": False,
}
