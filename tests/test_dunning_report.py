# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import html
import io
import re
from datetime import date, timedelta
from unittest.mock import patch

from pypdf import PdfReader

from odoo.tests import tagged

from odoo.addons.account_dunning.models import ir_actions_report

from .common import load_french, stub_render_letters
from .test_dunning_letter import LETTER, DunningLetterCommon, pdf_text

STATEMENT = "account_dunning.action_report_dunning_statement"


@tagged("post_install", "-at_install")
class TestDunningReport(DunningLetterCommon):
    def _render(self, report, partners, **data):
        content, report_type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, partners.ids, data=data or None)
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(content.startswith(b"%PDF"), "WeasyPrint renders a PDF")
        return content

    def _letter(self, partner, level=None, **data):
        return self._render(
            LETTER,
            partner,
            level_id=(level or self.level_2).id,
            date=self.letter_date,
            **data,
        )

    def test_interest_formula(self):
        # 3 000 x 14 % x 50 days / 365
        self.assertAlmostEqual(
            self.company._dunning_late_interest(3000.0, 50), 57.5342, places=4
        )
        self.assertEqual(self.company._dunning_late_interest(3000.0, -3), 0.0)
        self.assertEqual(self.company.dunning_interest_rate, 14.0)

    def test_letter_french(self):
        content = self._letter(self.ccf)
        text = "\n".join(pdf_text(content))
        for expected in (
            "Consulting Company France",
            "Madame Dupont",
            "Bonjour IT",
            "12 rue de la Paix",
            self.inv_1.name,
            self.inv_2.name,
            # dates and amounts formatted for French
            "10/01/2026",
            "1 mars 2026",
            "3 000,00 €",
            "1 234,56 €",
            "4 234,56 €",  # total due
            # unapplied credit note
            self.refund.name,
            "100,00 €",
            # placeholders of the letter text
            "Dear Madame Dupont, Consulting Company France owes 4 234,56 € "
            "since 10/01/2026",
            "{unknown}",
            # legal mentions: 14 % a year, as of 2026-03-01
            "L441-10",
            "D441-5",
            "14,00 %",
            "57,53 €",  # 3 000 x 14 % x 50 / 365
            "18,94 €",  # 1 234,56 x 14 % x 40 / 365
            "76,47 €",
            "80,00 €",  # 2 late invoices x 40 €
            "Relance formelle de paiement",  # subject in the customer's language
            "Lyon",
        ):
            self.assertIn(expected, text)

    def test_letter_english(self):
        self.dupont.lang = "en_US"
        text = "\n".join(pdf_text(self._letter(self.ccf)))
        for expected in (
            "Consulting Company France",
            self.inv_1.name,
            "01/10/2026",
            "March 1, 2026",
            "3,000.00 €",
            "4,234.56 €",
            "57.53 €",
            "80.00 €",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("3 000,00", text)

    def test_letter_subjects_and_no_legal_mentions(self):
        text = "\n".join(pdf_text(self._letter(self.ccf, self.level_1)))
        self.assertIn("Rappel amiable de paiement", text)
        self.assertNotIn("L441-10", text, "level 1 does not show legal mentions")
        self.level_3.show_legal_mentions = True
        text = "\n".join(pdf_text(self._letter(self.ccf, self.level_3)))
        self.assertIn("Mise en demeure de payer", text)
        self.assertIn("L441-10", text)
        self.company.dunning_legal_mentions = False
        text = "\n".join(pdf_text(self._letter(self.ccf, self.level_3)))
        self.assertNotIn("L441-10", text, "disabled for the company")
        self.level_3.letter_subject = "Dernier avis avant contentieux"
        text = "\n".join(pdf_text(self._letter(self.ccf, self.level_3)))
        self.assertIn("Dernier avis avant contentieux", text)

    def _letter_html(self, partner, level):
        content, _type = self.env["ir.actions.report"]._render_qweb_html(
            LETTER, partner.ids, data={"level_id": level.id, "date": self.letter_date}
        )
        return html.unescape(re.sub(r"\s+", " ", content.decode()))

    def test_formal_notice_letter(self):
        """The last shipped level is a formal notice: registered letter and
        formal closing; the first levels keep their closing."""
        # the default data belong to the main company
        classic = self.env.ref("account_dunning.dunning_strategy_classic").sudo()
        self.assertEqual(
            classic.level_ids.sorted("delay").mapped("formal_notice"),
            [False, False, True],
        )
        load_french(self.env)
        self.level_3.formal_notice = True
        registered = "Lettre recommandée avec accusé de réception"
        formal = (
            "Veuillez agréer, Madame, Monsieur, l'expression de nos "
            "salutations distinguées."
        )
        text = self._letter_html(self.ccf, self.level_3)
        self.assertIn(registered, text)
        self.assertIn(formal, text)
        self.assertNotIn("Cordialement", text)
        self.assertLess(text.index(registered), text.index("Consulting Company France"))
        for level in (self.level_1, self.level_2):
            text = self._letter_html(self.ccf, level)
            self.assertIn("Cordialement,", text)
            self.assertNotIn(registered, text)
            self.assertNotIn("Veuillez agréer", text)
        pdf = " ".join(" ".join(pdf_text(self._letter(self.ccf, self.level_3))).split())
        self.assertIn(registered, pdf)
        self.assertIn("salutations distinguées", pdf)

    def test_letter_reference_exposes_no_id(self):
        """Our reference: the customer's reference when it has one, else the
        batch number and the rank of the customer in the batch, never the
        customer's database id."""
        self._create_invoice(self.customer, 900.0, "2026-01-25")
        self.customer.ref = "C0042"
        references = {}

        def render_letters(send, reminders):
            for rem in reminders:
                references[rem.partner] = rem.content["letter"]["reference"]
            return stub_render_letters(send, reminders)

        send_model = type(self.env["dunning.send"])
        with patch.object(send_model, "_render_letters", render_letters):
            batch = self._launch(self.level_1, self.letter_date)
        rank = batch.line_ids.partner_id.ids.index(self.ccf.id) + 1
        self.assertEqual(
            references,
            {
                self.ccf: f"R1-{batch.code}-{rank}",
                self.customer: "R1-C0042-20260301",
            },
        )
        values = self.env[
            "report.account_dunning.report_dunning_letter"
        ]._get_report_values(
            self.ccf.ids, {"level_id": self.level_2.id, "date": self.letter_date}
        )
        self.assertEqual(values["letters"][0]["reference"], "R2-20260301")

    def test_letter_sixty_invoices(self):
        customer = self._create_customer("Technologies Aujourd'hui Big", lang="en_US")
        invoices = self.env["account.move"]
        for index in range(60):
            invoices |= self._create_invoice(
                customer, 100.0 + index, date(2026, 1, 1) + timedelta(days=index % 20)
            )
        content = self._letter(customer)
        pages = pdf_text(content)
        self.assertGreaterEqual(len(pages), 3)
        for page in pages:
            # company header, repeated table header and page number on each page
            self.assertIn(self.company.name, page)
            self.assertIn("Due Date", page)
            self.assertRegex(page, r"\d+ / %d" % len(pages))
        text = "\n".join(pages)
        for invoice in invoices:
            self.assertIn(invoice.name, text)
        self.assertIn("7,770.00 €", text)  # 60 x 100 + (0 + ... + 59)

    def test_batch_letters_file_name_and_merge(self):
        wizard = (
            self.env["dunning.launch.wizard"]
            .with_context(force_report_rendering=True)
            .create(
                {
                    "strategy_id": self.strategy.id,
                    "level_id": self.level_1.id,
                    "date": self.letter_date,
                }
            )
        )
        batch = wizard._launch()
        lines = batch.line_ids.filtered(lambda line: line.state == "sent")
        line = lines.filtered(lambda ln: ln.partner_id == self.ccf)
        self.assertEqual(
            line.letter_attachment_id.name, "Relance-Consulting Company France.pdf"
        )
        letter = line.letter_attachment_id.raw
        self.assertTrue(letter.startswith(b"%PDF"))
        self.assertIn("3 000,00 €", "\n".join(pdf_text(letter)))
        action = batch.action_print_letters()
        merged = self.env["ir.attachment"].search(
            [("res_model", "=", "dunning.batch"), ("res_id", "=", batch.id)]
        )
        self.assertIn(str(merged.id), action["url"])
        expected_pages = sum(
            len(PdfReader(io.BytesIO(ln.letter_attachment_id.raw)).pages)
            for ln in lines
        )
        reader = PdfReader(io.BytesIO(merged.raw))
        self.assertEqual(len(reader.pages), expected_pages)
        self.assertEqual(
            [item.title for item in reader.outline],
            lines.partner_id.mapped("display_name"),
            "one bookmark per customer",
        )

    def test_statement(self):
        self.inv_1.line_ids.filtered("date_maturity").dunning_marker_id = self.marker_r1
        self.inv_2.payment_state = "blocked"
        pages = pdf_text(self._render(STATEMENT, self.ccf, date="2026-03-01"))
        text = "\n".join(pages)
        for expected in (
            "Consulting Company France",
            self.inv_1.name,
            self.inv_2.name,
            self.refund.name,
            "R1",
            "4 134,56 €",  # 3 000 + 1 234,56 - 100
            "-100,00 €",
        ):
            self.assertIn(expected, text)
        # an empty debit or credit reads 0,00 €
        rows = [line for line in text.splitlines() if self.inv_1.name in line]
        self.assertRegex(rows[0], r"3 000,00 € 0,00 €")
        rows = [line for line in text.splitlines() if self.refund.name in line]
        self.assertRegex(rows[0], r"(?:^|\s)0,00 € 100,00 €")
        values = self.env[
            "report.account_dunning.report_dunning_statement"
        ]._get_report_values(self.ccf.ids, {"date": "2026-03-01"})
        statement = values["statements"][0]
        self.assertEqual(
            statement["aged"],
            {
                "not_due": 0.0,
                "1_30": -100.0,  # the credit note, 28 days
                "31_60": 4234.56,
                "61_90": 0.0,
                "90_plus": 0.0,
            },
        )
        self.assertEqual(
            [line["litigation"] for line in statement["lines"]], [False, True, False]
        )

    def test_test_mode_returns_html(self):
        content, report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            LETTER, self.ccf.ids, data={"level_id": self.level_2.id}
        )
        self.assertEqual(report_type, "html")
        self.assertIn(self.inv_1.name, content.decode())

    def test_fallback_without_weasyprint(self):
        with self._standard_engine() as run_wkhtmltopdf:
            content, _type = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(
                    LETTER, self.ccf.ids, data={"level_id": self.level_2.id}
                )
            )
        self.assertEqual(content, b"%PDF-1.4 standard")
        run_wkhtmltopdf.assert_called_once()
        bodies = run_wkhtmltopdf.call_args.args[0]
        self.assertIn(self.inv_1.name, bodies[0])
        # the same layout as WeasyPrint's, header and footer extracted by Odoo
        self.assertIn("o_dunning_doc", bodies[0])
        self.assertNotIn('class="header o_dunning_header"', bodies[0])
        self.assertIn("Bonjour IT", run_wkhtmltopdf.call_args.kwargs["header"])
        self.assertIn("topage", run_wkhtmltopdf.call_args.kwargs["footer"])

    def test_other_reports_untouched(self):
        invoice_report = self.env.ref("account.account_invoices")
        self.assertEqual(invoice_report.dunning_pdf_engine, "standard")
        self.assertFalse(invoice_report._dunning_use_weasyprint())
        letter = self.env.ref(LETTER)
        self.assertTrue(letter.dunning_use_weasyprint)
        # the web client reads it to download the PDF without wkhtmltopdf
        self.assertIn("dunning_use_weasyprint", letter._get_readable_fields())
        with patch.object(ir_actions_report, "get_weasyprint", return_value=None):
            letter.invalidate_recordset(["dunning_use_weasyprint"])
            self.assertFalse(letter.dunning_use_weasyprint)

    def test_letters_of_several_customers(self):
        self._create_invoice(self.customer, 900.0, "2026-01-25")
        pages = pdf_text(self._letter(self.ccf | self.customer))
        self.assertEqual(len(pages), 2, "one page per customer")
        self.assertIn("Consulting Company France", pages[0])
        self.assertIn("3 000,00 €", pages[0], "in French")
        self.assertIn("Technologies Aujourd'hui", pages[1])
        self.assertIn("1 / 1", pages[1], "page numbers restart for each letter")
