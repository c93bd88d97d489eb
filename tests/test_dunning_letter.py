# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Letters rendered by the chunk (``ir.actions.report._dunning_render_letters``)."""

import base64
import io
import re
from contextlib import contextmanager
from unittest.mock import patch

from PIL import Image, ImageDraw
from pypdf import PdfReader

from odoo.tests import tagged

from odoo.addons.account_dunning.models import ir_actions_report

from .common import DunningCommon

LETTER = "account_dunning.action_report_dunning_letter"


def pdf_text(content):
    """Text of every page of a PDF, with non-breaking spaces as spaces."""
    reader = PdfReader(io.BytesIO(content))
    pages = [page.extract_text() for page in reader.pages]
    return [re.sub(r"[\u00a0\u202f\u2009]", " ", page) for page in pages]


class DunningLetterCommon(DunningCommon):
    """The seeds' scenario: Bonjour IT (Lyon, legal mentions) reminds
    Consulting Company France (contact Madame Dupont, in French)."""

    @classmethod
    def _create_company(cls, **create_values):
        # a French company in euros (without the French localization)
        create_values.setdefault("currency_id", cls.env.ref("base.EUR").id)
        return super()._create_company(**create_values)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.company.write(
            {
                "city": "Lyon",
                "country_id": cls.env.ref("base.fr").id,
                "dunning_legal_mentions": True,
                "dunning_ecb_rate": 4.0,
                "dunning_interest_margin": 10.0,
                "dunning_recovery_indemnity": 40.0,
            }
        )
        cls.level_2.write(
            {
                "show_legal_mentions": True,
                "letter_text": "<p>Dear {contact}, {customer} owes {total_overdue} "
                "since {oldest_due_date}; interest {interest}, {unknown}.</p>",
            }
        )
        # the seeds' scenario: Bonjour IT reminds Consulting Company France
        cls.company.name = "Bonjour IT"
        cls.ccf = cls._create_customer(
            "Consulting Company France",
            lang="fr_FR",
            street="12 rue de la Paix",
            zip="75002",
            city="Paris",
        )
        cls.dupont = cls.env["res.partner"].create(
            {
                "name": "Madame Dupont",
                "parent_id": cls.ccf.id,
                "email": "contact@consulting-test.fr",
                "lang": "fr_FR",
            }
        )
        cls.ccf.dunning_contact_id = cls.dupont
        cls.inv_1 = cls._create_invoice(cls.ccf, 3000.0, "2026-01-10")
        cls.inv_2 = cls._create_invoice(cls.ccf, 1234.56, "2026-01-20")
        cls.refund = cls._create_invoice(
            cls.ccf, 100.0, "2026-02-01", move_type="out_refund"
        )
        cls.letter_date = "2026-03-01"
        cls.company.logo = base64.b64encode(cls._logo_png())

    @contextmanager
    def _standard_engine(self):
        """WeasyPrint missing, wkhtmltopdf mocked: yields the mock of
        ``_run_wkhtmltopdf``."""
        report_model = self.env.registry["ir.actions.report"]
        with (
            patch.object(ir_actions_report, "get_weasyprint", return_value=None),
            patch.object(report_model, "get_wkhtmltopdf_state", return_value="ok"),
            patch.object(
                report_model, "_run_wkhtmltopdf", return_value=b"%PDF-1.4 standard"
            ) as run_wkhtmltopdf,
        ):
            yield run_wkhtmltopdf

    @staticmethod
    def _logo_png():
        """A 300 x 80 logo with transparency, as companies upload them."""
        image = Image.new("RGBA", (300, 80), (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        draw.rectangle((10, 10, 70, 70), fill=(192, 57, 43, 255))
        draw.text((90, 30), "Bonjour IT", fill=(33, 37, 41, 255))
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()


@tagged("post_install", "-at_install")
class TestDunningLetter(DunningLetterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.inv_customer = cls._create_invoice(cls.customer, 900.0, "2026-01-25")
        cls.other = cls._create_customer("Papeterie Martin", lang="en_US")
        cls.inv_other = cls._create_invoice(cls.other, 456.0, "2026-02-10")
        cls.partners = cls.ccf | cls.customer | cls.other

    def _letters(self, partners):
        """Letter values of ``partners``, built once (as the execution does)."""
        return self.env[
            "report.account_dunning.report_dunning_letter"
        ]._get_report_values(
            partners.ids, {"level_id": self.level_2.id, "date": self.letter_date}
        )["letters"]

    def _render_letters(self, letters):
        """``_dunning_render_letters`` without any engine evaluation."""
        engine_cls = type(self.env["dunning.engine"])
        with patch.object(
            engine_cls, "_evaluate", side_effect=AssertionError("engine evaluated")
        ):
            return (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._dunning_render_letters(letters)
            )

    def test_chunk_each_letter_only_its_customer(self):
        letters = self._letters(self.other | self.ccf | self.customer)
        pdfs = self._render_letters(letters)
        self.assertEqual(len(pdfs), 3)
        expected = [
            (self.other, self.inv_other, "456.00 €"),
            (self.ccf, self.inv_1, "3 000,00 €"),
            (self.customer, self.inv_customer, "900.00 €"),
        ]
        for pdf, (partner, invoice, amount) in zip(pdfs, expected, strict=True):
            self.assertTrue(pdf.startswith(b"%PDF"))
            pages = pdf_text(pdf)
            self.assertEqual(len(pages), 1)
            text = pages[0]
            self.assertIn(partner.name, text)
            self.assertIn(invoice.name, text)
            self.assertIn(amount, text)
            self.assertIn("1 / 1", text, "its own page numbers")
            for other in self.partners - partner:
                self.assertNotIn(other.name, text)
            others = (self.inv_other | self.inv_1 | self.inv_customer) - invoice
            for other_invoice in others:
                self.assertNotIn(other_invoice.name, text)
        self.assertIn("Relance formelle de paiement", pdf_text(pdfs[1])[0], "French")
        self.assertEqual(self._render_letters([]), [])

    def test_chunk_same_letter_as_printed_from_the_customer(self):
        (pdf,) = self._render_letters(self._letters(self.ccf))
        printed = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                LETTER,
                self.ccf.ids,
                data={"level_id": self.level_2.id, "date": self.letter_date},
            )[0]
        )
        self.assertEqual(pdf_text(pdf), pdf_text(printed))

    def test_shared_weasyprint_state(self):
        letters = self._letters(self.partners)
        self._render_letters(letters[:1])
        weasyprint = ir_actions_report.get_weasyprint()
        font_cls = weasyprint.text.fonts.FontConfiguration
        with (
            patch.object(
                font_cls,
                "__init__",
                side_effect=AssertionError("new font configuration"),
            ),
            patch.object(
                weasyprint.CSS,
                "__init__",
                side_effect=AssertionError("CSS parsed again"),
            ),
        ):
            pdfs = self._render_letters(letters)
        self.assertEqual(len(pdfs), 3)

    def test_logo_embedded_as_jpeg(self):
        (pdf,) = self._render_letters(self._letters(self.ccf))
        page = PdfReader(io.BytesIO(pdf)).pages[0]
        images = [
            xobject.get_object()
            for xobject in page["/Resources"]["/XObject"].values()
            if xobject.get_object()["/Subtype"] == "/Image"
        ]
        # the company logo, embedded as it is, and the QR code of the
        # customer's follow-up page
        logos = [image for image in images if image["/Filter"] == "/DCTDecode"]
        self.assertEqual(len(logos), 1, "the company logo, embedded as it is")
        self.assertNotIn("/SMask", logos[0])
        self.assertEqual(len(images), 2, "the logo and the QR code")

    def test_test_mode_returns_html(self):
        letters = self._letters(self.ccf | self.other)
        documents = self.env["ir.actions.report"]._dunning_render_letters(letters)
        self.assertEqual(len(documents), 2)
        self.assertIn(self.inv_1.name, documents[0].decode())
        self.assertNotIn(self.inv_1.name, documents[1].decode())
        self.assertIn(self.inv_other.name, documents[1].decode())

    def test_standard_engine_same_layout(self):
        letters = self._letters(self.ccf | self.other)
        with self._standard_engine() as run_wkhtmltopdf:
            pdfs = self._render_letters(letters)
        self.assertEqual(pdfs, [b"%PDF-1.4 standard"] * 2)
        self.assertEqual(run_wkhtmltopdf.call_count, 2, "one call per letter")
        first, second = (call.args[0][0] for call in run_wkhtmltopdf.call_args_list)
        self.assertIn(self.inv_1.name, first)
        self.assertNotIn(self.inv_1.name, second)
        self.assertIn(self.inv_other.name, second)
        # the header and footer of the same layout, extracted by Odoo
        kwargs = run_wkhtmltopdf.call_args.kwargs
        self.assertIn("Bonjour IT", kwargs["header"])
        self.assertIn("topage", kwargs["footer"])
