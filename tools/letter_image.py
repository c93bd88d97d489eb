# Renders the README images of a follow-up letter (R2) and of a statement in
# French from the French demo database (seed scenario: Bonjour IT reminds
# Consulting Company France), then rolls everything back. The French text is
# the module's own (i18n/fr.po), the company and the customer the demo's.
#   make demo          (the French demo database)
#   python3 -m odoo shell -c .build/odoo.conf -d account_dunning_demo --no-http \
#       < tools/letter_image.py
#   pdftoppm -r 110 -png -f 1 -l 1 -singlefile /tmp/letter_r2_fr.pdf \
#       static/description/letter_r2
# `env` is defined by `odoo shell`.
# ruff: noqa: F821
from odoo import fields

LANG = "fr_FR"
company = env["res.company"].search([("name", "=", "Bonjour IT")], limit=1)
customer = env["res.partner"].search(
    [("name", "=", "Consulting Company France"), ("is_company", "=", True)], limit=1
)
if not company or not customer:
    raise SystemExit("letter_image: run it on the French demo database (make demo)")
env = env(
    context=dict(
        env.context,
        lang=LANG,
        force_report_rendering=True,
        allowed_company_ids=company.ids,
    )
)
strategy = env["dunning.strategy"]._get_company_default(company)
level = strategy._get_sorted_levels()[1]  # the second reminder (R2)
today = fields.Date.to_string(fields.Date.context_today(env["res.partner"]))

reports = env["ir.actions.report"]
for xmlid, path, data in (
    (
        "account_dunning.action_report_dunning_letter",
        "/tmp/letter_r2_fr.pdf",
        {"level_id": level.id, "date": today},
    ),
    (
        "account_dunning.action_report_dunning_statement",
        "/tmp/statement_fr.pdf",
        {"date": today},
    ),
):
    content, _type = reports._render_qweb_pdf(xmlid, customer.ids, data=data)
    with open(path, "wb") as handle:
        handle.write(content)
    print(path, len(content))
env.cr.rollback()
