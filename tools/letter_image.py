# Renders the README image of an R2 letter in French (seed scenario: Bonjour IT
# reminds Consulting Company France), then rolls everything back:
#   python3 /opt/odoo18/odoo-bin shell -c .build/odoo.conf -d <db> < tools/letter_image.py
#   pdftoppm -r 110 -png -f 1 -l 1 -singlefile /tmp/letter_r2_fr.pdf static/description/letter_r2
# French labels are injected for the image only (the real ones come with i18n/fr.po).
import base64, io
from PIL import Image, ImageDraw, ImageFont
from odoo import Command
env = env(context=dict(env.context, force_report_rendering=True))
env["res.lang"]._activate_lang("fr_FR")
eur = env.ref("base.EUR"); eur.active = True
company = env.company
# logo
img = Image.new("RGBA", (520, 140), (255, 255, 255, 0))
d = ImageDraw.Draw(img)
d.rounded_rectangle((0, 10, 120, 130), radius=22, fill=(31, 78, 121, 255))
fb = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 64)
d.text((18, 30), "B", font=fb, fill="white"); d.text((58, 30), "IT", font=ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 40), fill=(150, 200, 240, 255))
d.text((140, 30), "Bonjour IT", font=ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 58), fill=(31, 78, 121, 255))
buf = io.BytesIO(); img.save(buf, "PNG")
company.write({
    "name": "Bonjour IT", "currency_id": eur.id, "street": "15 quai Saint-Antoine", "zip": "69002", "city": "Lyon",
    "country_id": env.ref("base.fr").id, "vat": "FR32812345678", "company_registry": "812 345 678 00012",
    "phone": "+33 4 78 00 00 00", "email": "compta@bonjour-it.fr", "website": "www.bonjour-it.fr",
    "logo": base64.b64encode(buf.getvalue()),
    "dunning_legal_mentions": True, "dunning_ecb_rate": 2.15, "dunning_interest_margin": 10.0,
})
bank = env["res.bank"].create({"name": "BNP Paribas", "bic": "BNPAFRPP"})
env["res.partner.bank"].create({"partner_id": company.partner_id.id, "acc_number": "FR76 3000 4000 0312 3456 7890 143", "bank_id": bank.id})
ccf = env["res.partner"].create({"name": "Consulting Company France", "is_company": True, "lang": "fr_FR", "ref": "CCF001",
    "street": "8 rue de la République", "zip": "69001", "city": "Lyon", "country_id": env.ref("base.fr").id})
dupont = env["res.partner"].create({"name": "Madame Dupont", "parent_id": ccf.id, "type": "invoice", "email": "contact@consulting-test.fr", "lang": "fr_FR"})
ccf.dunning_contact_id = dupont
ccf.with_company(company).dunning_included = True
def inv(amount, due, label):
    m = env["account.move"].create({"move_type": "out_invoice", "partner_id": ccf.id, "invoice_date": "2026-01-05", "invoice_date_due": due,
        "currency_id": eur.id,
        "invoice_line_ids": [Command.create({"name": label, "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()]})]})
    m.action_post(); return m
inv(3000.0, "2026-01-25", "5 imprimantes")
inv(1250.0, "2026-02-05", "Maintenance")
level = env.ref("account_dunning.dunning_level_classic_2")
fr = level.with_context(lang="fr_FR")
fr.letter_subject = "Relance formelle de paiement"
fr.letter_text = ("<p>Madame, Monsieur,</p><p>Malgré notre première relance, nos services constatent que les factures ci-dessous "
    "restent impayées : {total_overdue} au total, la plus ancienne étant échue depuis le {oldest_due_date}.</p>"
    "<p>Nous vous prions de bien vouloir régler cette somme sans délai. Si une difficulté empêche ce règlement, "
    "merci de prendre contact avec notre service comptable.</p>")
# French terms of the templates (the real translations come with i18n/fr.po)
FR = {"Our reference:": "Notre référence :", "Customer number:": "N° client :", "Subject:": "Objet :", "Invoice": "Facture",
 "Due Date": "Échéance", "Original Amount": "Montant initial", "Amount Due": "Reste dû", "Days Overdue": "Jours de retard",
 "Interest": "Intérêts", "Total due": "Total dû", "Late-payment penalties": "Pénalités de retard", "Payment": "Règlement",
 "Bank transfer to": "Virement sur le compte", "Payment reference:": "Référence de paiement :", "Pay online:": "Payer en ligne :",
 "If you have paid in the meantime, please ignore this letter.": "Si votre règlement nous est parvenu entre-temps, merci de ne pas tenir compte de ce courrier.",
 "Kind regards,": "Nous vous prions d'agréer, Madame, Monsieur, nos salutations distinguées.",
 "<strong>The accounting department</strong>": "<strong>Le service comptabilité</strong>", "VAT:": "TVA :", "· Company ID:": "· SIRET :",
 "Unapplied payments and credit notes": "Paiements et avoirs non lettrés"}
for xid in ["account_dunning.report_dunning_letter_document", "account_dunning.report_dunning_layout"]:
    view = env.ref(xid)
    terms = view._fields["arch_db"].get_trans_terms(view.arch_db)
    view.update_field_translations("arch_db", {"fr_FR": {t: FR[t] for t in terms if t in FR}})

# README image only: French legal sentences (the real ones come with i18n/fr.po)
from odoo.addons.account_dunning.report.dunning_letter import ReportDunningLetter
from odoo.tools import format_amount, format_date, formatLang
def _fr_legal(self, letter, company):
    env = self.env
    interest = " + ".join(format_amount(env, t["interest"], t["currency"]) for t in letter["totals"])
    return {
        "legal_interest_text": "Conformément à l'article L441-10 du Code de commerce, des pénalités de retard sont exigibles "
            "dès le jour suivant la date d'échéance, au taux annuel de %s (taux de la Banque centrale européenne de %s %% "
            "majoré de %s points) : %s au %s (montant dû × taux × jours de retard / 365)." % (
            letter["interest_rate_label"], formatLang(env, company.dunning_ecb_rate), letter["interest_margin_label"],
            interest, format_date(env, letter["date"])),
        "legal_indemnity_text": "Une indemnité forfaitaire pour frais de recouvrement de %s est également due par facture "
            "payée en retard (article D441-5 du Code de commerce), soit %s pour %s facture(s) en retard." % (
            format_amount(env, company.dunning_recovery_indemnity, company.currency_id),
            format_amount(env, letter["indemnity"], company.currency_id), letter["late_invoices"]),
    }
ReportDunningLetter._get_legal_mentions = _fr_legal
# legal sentences are python translations: shown in English here unless fr.po is loaded
content, _t = env["ir.actions.report"]._render_qweb_pdf("account_dunning.action_report_dunning_letter", ccf.ids,
    data={"level_id": level.id, "date": "2026-03-01"})
open("/tmp/letter_r2_fr.pdf", "wb").write(content)
print("OK", len(content))
content, _t = env["ir.actions.report"]._render_qweb_pdf("account_dunning.action_report_dunning_statement", ccf.ids, data={"date": "2026-03-01"})
open("/tmp/statement_fr.pdf", "wb").write(content)
env.cr.rollback()
