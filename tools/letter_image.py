# Renders the README image of an R2 letter in French from the demo database
# (seed scenario: Bonjour IT reminds Consulting Company France), then rolls
# everything back. The French text is the module's own: i18n/fr.po, loaded here.
#   make demo          (or any database with the demo data)
#   python3 -m odoo shell -c .build/odoo.conf -d account_dunning_demo --no-http \
#       < tools/letter_image.py
#   pdftoppm -r 110 -png -f 1 -l 1 -singlefile /tmp/letter_r2_fr.pdf \
#       static/description/letter_r2
# `env` is defined by `odoo shell`.
# ruff: noqa: F821
import base64
import io

from PIL import Image, ImageDraw, ImageFont

from odoo import Command

LANG = "fr_FR"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

env["res.lang"]._activate_lang(LANG)
env["ir.module.module"]._load_module_terms(["account_dunning"], [LANG], overwrite=True)
env = env(context=dict(env.context, lang=LANG, force_report_rendering=True))
eur = env.ref("base.EUR")
eur.active = True
company = env.ref("base.main_company")


def logo():
    """A "Bonjour IT" logo drawn for the image."""
    img = Image.new("RGBA", (520, 140), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    blue = (31, 78, 121, 255)
    draw.rounded_rectangle((0, 10, 120, 130), radius=22, fill=blue)
    draw.text((18, 30), "B", font=ImageFont.truetype(FONT, 64), fill="white")
    draw.text((58, 30), "IT", font=ImageFont.truetype(FONT, 40), fill=(150, 200, 240))
    draw.text((140, 30), "Bonjour IT", font=ImageFont.truetype(FONT, 58), fill=blue)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return base64.b64encode(buf.getvalue())


# the letterhead of the seed scenario (rolled back at the end)
company.write(
    {
        "name": "Bonjour IT",
        "street": "15 quai Saint-Antoine",
        "zip": "69002",
        "city": "Lyon",
        "country_id": env.ref("base.fr").id,
        "vat": "FR32812345678",
        "company_registry": "812 345 678 00012",
        "phone": "+33 4 78 00 00 00",
        "email": "compta@bonjour-it.fr",
        "website": "www.bonjour-it.fr",
        "logo": logo(),
        "dunning_legal_mentions": True,
        "dunning_ecb_rate": 2.15,
        "dunning_interest_margin": 10.0,
    }
)
bank = env["res.bank"].create({"name": "BNP Paribas", "bic": "BNPAFRPP"})
env["res.partner.bank"].create(
    {
        "partner_id": company.partner_id.id,
        "acc_number": "FR76 3000 4000 0312 3456 7890 143",
        "bank_id": bank.id,
    }
)
customer = env["res.partner"].create(
    {
        "name": "Consulting Company France",
        "is_company": True,
        "lang": LANG,
        "ref": "CCF001",
        "street": "8 rue de la République",
        "zip": "69001",
        "city": "Lyon",
        "country_id": env.ref("base.fr").id,
        "child_ids": [
            Command.create(
                {
                    "name": "Madame Dupont",
                    "type": "invoice",
                    "email": "contact@consulting-test.fr",
                    "lang": LANG,
                }
            )
        ],
    }
)
customer.dunning_contact_id = customer.child_ids
customer.with_company(company).dunning_included = True
for amount, due, label in (
    (3000.0, "2026-01-25", "5 imprimantes"),
    (1250.0, "2026-02-05", "Maintenance"),
):
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": customer.id,
            "invoice_date": "2026-01-05",
            "invoice_date_due": due,
            "currency_id": eur.id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": label,
                        "quantity": 1,
                        "price_unit": amount,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }
    )
    invoice.action_post()

level = env.ref("account_dunning.dunning_level_classic_2")
reports = env["ir.actions.report"]
for xmlid, path, data in (
    (
        "account_dunning.action_report_dunning_letter",
        "/tmp/letter_r2_fr.pdf",
        {"level_id": level.id, "date": "2026-03-01"},
    ),
    (
        "account_dunning.action_report_dunning_statement",
        "/tmp/statement_fr.pdf",
        {"date": "2026-03-01"},
    ),
):
    content, _type = reports._render_qweb_pdf(xmlid, customer.ids, data=data)
    with open(path, "wb") as handle:
        handle.write(content)
    print(path, len(content))
env.cr.rollback()
