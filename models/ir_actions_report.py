# Copyright 2026 account_dunning contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""PDF rendering of flagged reports by WeasyPrint.

Only the reports whose ``dunning_pdf_engine`` is ``weasyprint`` (this
module's letter and statement) are rendered by WeasyPrint; every other
report keeps Odoo's standard engine (wkhtmltopdf). When the ``weasyprint``
package cannot be imported, the flagged reports fall back to the standard
engine too.

The QWeb templates of these reports receive ``dunning_engine ==
'weasyprint'`` and then use a self-contained layout (inline CSS, logo as a
data URI, CSS paged media for the header, footer and page numbers), so
WeasyPrint never fetches anything over HTTP. Any other resource (an image
pasted in a letter text) is resolved from the database by
:meth:`_dunning_url_fetcher`.
"""

import base64
import functools
import hashlib
import io
import logging
import re
import threading

from lxml import html as lxml_html

from odoo import fields, models, tools
from odoo.tools.mimetypes import guess_mimetype

_logger = logging.getLogger(__name__)

_weasyprint = None
ATTACHMENT_URL = re.compile(r"^/web/(?:image|content)/(\d+)")
COMPANY_LOGO_URL = re.compile(r"^/web/image/res\.company/(\d+)/logo")


_local = threading.local()
LOGO_CACHE_SIZE = 16

# User-agent stylesheet of the reports' documents: the HTML elements the
# templates and the letter texts (HTML fields) use. WeasyPrint's own covers
# the whole of HTML and matching it on every element is a fifth of a letter.
USER_AGENT_CSS = """
html, body, div, p, address, blockquote, center, h1, h2, h3, h4, h5, h6, ul, ol,
    dl, dt, dd, pre, hr, section, article, header, footer, figure { display: block }
head, style, script, meta, title, link { display: none }
p, ul, ol, dl, blockquote, pre { margin: 1em 0 }
blockquote { margin: 1em 40px }
ul, ol { padding-left: 40px }
ul { list-style-type: disc }
ol { list-style-type: decimal }
li { display: list-item }
dd { margin-left: 40px }
hr { border: 1px inset; margin: 0.5em auto; color: gray }
h1 { font-size: 2em; margin: 0.67em 0 }
h2 { font-size: 1.5em; margin: 0.83em 0 }
h3 { font-size: 1.17em; margin: 1em 0 }
h4 { margin: 1.33em 0 }
h1, h2, h3, h4, h5, h6, strong, b, th { font-weight: bold }
em, i, cite, var, address { font-style: italic }
u, ins { text-decoration: underline }
s, strike, del { text-decoration: line-through }
pre, code, tt, kbd, samp { font-family: monospace }
pre { white-space: pre }
small { font-size: smaller }
big { font-size: larger }
sub { vertical-align: sub; font-size: smaller }
sup { vertical-align: super; font-size: smaller }
center { text-align: center }
a { color: inherit }
table { display: table; box-sizing: border-box; border-spacing: 2px;
    border-collapse: separate; text-indent: 0 }
caption { display: table-caption; text-align: center }
colgroup { display: table-column-group } col { display: table-column }
thead { display: table-header-group; vertical-align: middle }
tbody { display: table-row-group; vertical-align: middle }
tfoot { display: table-footer-group; vertical-align: middle }
tr { display: table-row; vertical-align: inherit }
td, th { display: table-cell; vertical-align: inherit; padding: 1px }
th { text-align: center }
br::before { content: '\\A'; white-space: pre-line }
img { display: inline-block }
"""


def _weasyprint_state():
    """WeasyPrint state shared by the renderings of this thread: one font
    configuration (Pango font map: a new one per PDF costs about a third of
    the rendering and is never freed) and the parsed stylesheets."""
    state = getattr(_local, "state", None)
    if state is None:
        from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

        state = _local.state = {
            "font_config": FontConfiguration(),
            "stylesheets": {},
        }
    return state


def _html_class(state):
    """``weasyprint.HTML`` with the reports' user-agent stylesheet (one per
    thread); WeasyPrint's own class when it has no ``_ua_stylesheets``."""
    html_class = state.get("html_class")
    if html_class is None:
        weasyprint = get_weasyprint()
        html_class = weasyprint.HTML
        if hasattr(html_class, "_ua_stylesheets"):
            user_agent = weasyprint.CSS(
                string=USER_AGENT_CSS, font_config=state["font_config"]
            )

            class DunningHTML(weasyprint.HTML):
                def _ua_stylesheets(self, forms=False):
                    return [user_agent]

            html_class = DunningHTML
        state["html_class"] = html_class
    return html_class


def _parsed_stylesheet(state, text):
    """``weasyprint.CSS`` of ``text``, parsed once per thread."""
    key = hashlib.sha1(text.encode()).hexdigest()
    css = state["stylesheets"].get(key)
    if css is None:
        if len(state["stylesheets"]) >= 8:
            state["stylesheets"].clear()
        css = state["stylesheets"][key] = get_weasyprint().CSS(
            string=text, font_config=state["font_config"]
        )
    return css


@functools.lru_cache(maxsize=LOGO_CACHE_SIZE)
def _flat_jpeg(raw):
    """``raw`` image as a JPEG on a white background: embedded as it is in
    every PDF, where a PNG with transparency is decoded and compressed again
    for each PDF (image and alpha mask)."""
    from PIL import Image  # noqa: PLC0415

    image = Image.open(io.BytesIO(raw))
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95, subsampling=0)
    return out.getvalue()


def _html_lang(element):
    """``lang`` attribute (``fr-FR``) of the document of a record's block."""
    return element.get("data-oe-lang", "en").replace("_", "-")


def get_weasyprint():
    """The ``weasyprint`` module, or ``None`` when it is not installed."""
    global _weasyprint  # noqa: PLW0603 - cached lazy import
    if _weasyprint is None:
        # WeasyPrint logs its rendering steps and every unsupported CSS rule
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        try:
            import weasyprint  # noqa: PLC0415
        except ImportError:
            _weasyprint = False
        else:
            _weasyprint = weasyprint
    return _weasyprint or None


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    dunning_pdf_engine = fields.Selection(
        selection=[
            ("standard", "Odoo (wkhtmltopdf)"),
            ("weasyprint", "WeasyPrint"),
        ],
        string="PDF Engine",
        default="standard",
        help="WeasyPrint renders the report without wkhtmltopdf (A4, page "
        "numbers, repeated table headers). When WeasyPrint is not installed "
        "the report falls back to Odoo's standard engine.",
    )

    dunning_use_weasyprint = fields.Boolean(
        string="Rendered by WeasyPrint",
        compute="_compute_dunning_use_weasyprint",
        help="The report is rendered by WeasyPrint (engine chosen and "
        "WeasyPrint installed).",
    )

    def _compute_dunning_use_weasyprint(self):
        for report in self:
            report.dunning_use_weasyprint = report._dunning_use_weasyprint()

    def _get_readable_fields(self):
        # read by the web client, which then downloads the PDF without
        # checking wkhtmltopdf
        return super()._get_readable_fields() | {"dunning_use_weasyprint"}

    def _dunning_use_weasyprint(self):
        self.ensure_one()
        return (
            self.dunning_pdf_engine == "weasyprint"
            and self.report_type == "qweb-pdf"
            and get_weasyprint() is not None
        )

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        report_sudo = self._get_report(report_ref)
        if not report_sudo._dunning_use_weasyprint():
            return super()._render_qweb_pdf_prepare_streams(
                report_ref, data, res_ids=res_ids
            )
        return self._dunning_weasyprint_streams(report_sudo, data or {}, res_ids)

    def _dunning_weasyprint_streams(self, report_sudo, data, res_ids):
        """Streams ``{res_id: {'stream', 'attachment'}}`` like the standard
        method, one WeasyPrint document per record."""
        html = self.with_context(debug=False)._render_qweb_html(
            report_sudo.report_name, res_ids, data={**data, "report_type": "pdf"}
        )[0]
        documents, stylesheet = self._dunning_split_html(html)
        pdfs = self._dunning_write_pdfs(documents, stylesheet)
        if res_ids and len(pdfs) == len(res_ids) and len(set(res_ids)) == len(res_ids):
            return {
                res_id: {"stream": io.BytesIO(pdf), "attachment": None}
                for res_id, pdf in zip(res_ids, pdfs, strict=True)
            }
        # no record, or the documents cannot be matched to the records
        pdf = pdfs[0] if len(pdfs) == 1 else self._dunning_write_pdfs([html])[0]
        return {False: {"stream": io.BytesIO(pdf), "attachment": None}}

    def _dunning_render_letters(self, letters):
        """PDF (bytes) of the follow-up letter of each of ``letters`` (values of
        ``report.account_dunning.report_dunning_letter._get_letter_values``),
        in the same order: one QWeb rendering for all the letters, then one
        WeasyPrint document per customer, all sharing the font configuration,
        the stylesheet and the images (the company logo is decoded and
        encoded once)."""
        if not letters:
            return []
        report = self._get_report("account_dunning.action_report_dunning_letter")
        partner_ids = [letter["partner"].id for letter in letters]
        data = {"letters": letters}
        if not report._dunning_use_weasyprint():
            # standard engine (WeasyPrint not installed): one call per letter
            return [
                self._render_qweb_pdf(report, [partner_id], data={"letters": [letter]})[
                    0
                ]
                for partner_id, letter in zip(partner_ids, letters, strict=True)
            ]
        html = self.with_context(debug=False)._render_qweb_html(
            report.report_name, partner_ids, data={**data, "report_type": "pdf"}
        )[0]
        documents, stylesheet = self._dunning_split_html(html)
        if len(documents) != len(letters):
            raise ValueError(f"{len(letters)} letters rendered as {len(documents)}")
        if (
            tools.config["test_enable"] or tools.config["test_file"]
        ) and not self.env.context.get("force_report_rendering"):
            # like _render_qweb_pdf in tests: the HTML, no PDF engine
            return [document.encode() for document in documents]
        return self._dunning_write_pdfs(documents, stylesheet)

    def _dunning_split_html(self, html):
        """``(documents, stylesheet)``: one HTML document per ``.o_dunning_doc``
        element (one per record), without the report's head (assets of the
        standard engine) nor the ``<style class="o_dunning_style">`` elements,
        whose text is returned apart (WeasyPrint gets it parsed once, see
        :meth:`_dunning_write_pdfs`)."""
        if isinstance(html, bytes):
            html = html.decode()
        root = lxml_html.fromstring(html)
        docs = root.xpath("//*[contains(concat(' ', @class, ' '), ' o_dunning_doc ')]")
        if not docs:
            return [html], ""
        styles = root.xpath("//style[@class='o_dunning_style']")
        stylesheet = styles[0].text or "" if styles else ""
        for style in styles:
            style.getparent().remove(style)
        return [
            f'<!DOCTYPE html><html lang="{_html_lang(doc)}">'
            f"<head><meta charset=\"utf-8\"/></head><body>"
            f"{lxml_html.tostring(doc, encoding='unicode')}</body></html>"
            for doc in docs
        ], stylesheet

    def _dunning_write_pdfs(self, documents, stylesheet=""):
        """PDF of each HTML document, rendered by WeasyPrint with the state
        shared by the documents (and by every rendering of the thread): the
        font configuration (a new one per PDF costs time and leaks memory),
        the parsed stylesheet and, for the documents of one call, the images."""
        state = _weasyprint_state()
        html_class = _html_class(state)
        stylesheets = [_parsed_stylesheet(state, stylesheet)] if stylesheet else []
        url_fetcher = self._dunning_get_url_fetcher()
        images = {}
        pdfs = []
        for html in documents:
            if isinstance(html, bytes):
                html = html.decode()
            document = html_class(
                string=html, base_url="http://odoo.invalid/", url_fetcher=url_fetcher
            )
            pdfs.append(
                document.write_pdf(
                    stylesheets=stylesheets,
                    font_config=state["font_config"],
                    cache=images,
                )
            )
        return pdfs

    def _dunning_get_url_fetcher(self):
        """URL fetcher resolving resources without HTTP (see
        :meth:`_dunning_fetch_resource`), for WeasyPrint >= 70 (fetcher
        classes) and older versions (fetcher functions)."""
        weasyprint = get_weasyprint()
        urls = weasyprint.urls
        report = self
        if not hasattr(urls, "URLFetcherResponse"):

            def fetch_function(url):
                if url.startswith("data:"):
                    return urls.default_url_fetcher(url)
                content, mimetype = report._dunning_fetch_resource(url)
                return {"string": content, "mime_type": mimetype}

            return fetch_function

        class OdooURLFetcher(urls.URLFetcher):
            def fetch(self, url, headers=None):
                if url.startswith("data:"):
                    return super().fetch(url, headers)
                content, mimetype = report._dunning_fetch_resource(url)
                return urls.URLFetcherResponse(
                    url, body=content, headers={"Content-Type": mimetype}
                )

        return OdooURLFetcher(allowed_protocols=("data", "http", "https"))

    def _dunning_fetch_resource(self, url):
        """``(content, mimetype)`` of a resource of the report, without HTTP:
        images or files of the database (``/web/image/<id>``,
        ``/web/content/<id>``) read with the access rights of the current
        user. Anything else is empty."""
        path = re.sub(r"^https?://[^/]+", "", url)
        match = COMPANY_LOGO_URL.match(path)
        if match:
            company = self.env["res.company"].browse(int(match.group(1))).exists()
            if company and company.has_access("read") and company.logo:
                raw = base64.b64decode(company.logo)
                mimetype = guess_mimetype(raw, default="image/png")
                if mimetype in ("image/png", "image/gif", "image/webp"):
                    try:
                        return _flat_jpeg(raw), "image/jpeg"
                    except Exception:  # noqa: BLE001 - the image as it is
                        _logger.debug("logo of %s not converted", company)
                return raw, mimetype
        match = ATTACHMENT_URL.match(path)
        if match:
            attachment = self.env["ir.attachment"].browse(int(match.group(1))).exists()
            if attachment and attachment.has_access("read"):
                return attachment.raw or b"", attachment.mimetype
        _logger.debug("WeasyPrint: resource %s not loaded", url)
        return b"", "text/plain"
