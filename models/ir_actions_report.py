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
import io
import logging
import re

from lxml import html as lxml_html

from odoo import fields, models
from odoo.tools.mimetypes import guess_mimetype

_logger = logging.getLogger(__name__)

_weasyprint = None
ATTACHMENT_URL = re.compile(r"^/web/(?:image|content)/(\d+)")
COMPANY_LOGO_URL = re.compile(r"^/web/image/res\.company/(\d+)/logo")


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
        data = {**data, "report_type": "pdf", "dunning_engine": "weasyprint"}
        html = (
            self.with_context(debug=False)
            ._render_qweb_html(report_sudo.report_name, res_ids, data=data)[0]
        )
        documents = self._dunning_split_html(html)
        streams = {}
        if res_ids and len(documents) == len(res_ids) and len(set(res_ids)) == len(
            res_ids
        ):
            for res_id, document in zip(res_ids, documents, strict=True):
                streams[res_id] = {
                    "stream": io.BytesIO(self._dunning_write_pdf(document)),
                    "attachment": None,
                }
            return streams
        # no record, or the documents cannot be matched to the records
        pdf = self._dunning_write_pdf(html)
        return {False: {"stream": io.BytesIO(pdf), "attachment": None}}

    def _dunning_split_html(self, html):
        """One HTML document per ``.o_dunning_doc`` element (one per record),
        with the head of the whole report."""
        if isinstance(html, bytes):
            html = html.decode()
        root = lxml_html.fromstring(html)
        docs = root.xpath("//*[contains(concat(' ', @class, ' '), ' o_dunning_doc ')]")
        if len(docs) < 2:
            return [html]
        head = root.find("head")
        head_html = lxml_html.tostring(head, encoding="unicode") if head is not None else ""
        lang = root.get("lang") or "en"
        return [
            f'<!DOCTYPE html><html lang="{lang}">{head_html}<body>'
            f"{lxml_html.tostring(doc, encoding='unicode')}</body></html>"
            for doc in docs
        ]

    def _dunning_write_pdf(self, html):
        weasyprint = get_weasyprint()
        if isinstance(html, bytes):
            html = html.decode()
        document = weasyprint.HTML(
            string=html,
            base_url="http://odoo.invalid/",
            url_fetcher=self._dunning_get_url_fetcher(),
        )
        # images (the logo) are decoded once per transaction
        cache = self.env.cr.cache.setdefault("account_dunning_weasyprint", {})
        return document.write_pdf(cache=cache)

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
                return raw, guess_mimetype(raw, default="image/png")
        match = ATTACHMENT_URL.match(path)
        if match:
            attachment = self.env["ir.attachment"].browse(int(match.group(1))).exists()
            if attachment and attachment.has_access("read"):
                return attachment.raw or b"", attachment.mimetype
        _logger.debug("WeasyPrint: resource %s not loaded", url)
        return b"", "text/plain"
