"""The one way to make a PDF: a Django template and a context, rendered to HTML, then by
WeasyPrint to PDF.

WeasyPrint behaves like a browser running on our server: anything in the HTML that names a
URL (an image, a stylesheet, an @import, an attachment) would be fetched. Reports carry
text that users typed, so the fetcher here refuses everything except our own PDF assets,
named exactly in PDF_ASSETS: no file:, no data:, no network, no redirects. User text is
escaped by the template engine as well; the fetcher is the second wall, not the only one.
"""

import mimetypes
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse, URLFetchingError

# A URL prefix that is never a real location; templates get it from {% pdf_asset %}.
ASSET_URL_PREFIX = "mentoring-asset:"

# Static files a PDF may load, by exact name. Add a file here to make it loadable.
PDF_ASSETS = frozenset({"pdf/base.css"})


@dataclass(frozen=True)
class RenderedPdf:
    html: str
    pdf: bytes


class AssetOnlyURLFetcher(URLFetcher):
    """Answers only for PDF_ASSETS; every other URL is refused before any I/O."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=(), allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        name = url.removeprefix(ASSET_URL_PREFIX) if url.startswith(ASSET_URL_PREFIX) else None
        if name not in PDF_ASSETS:
            raise URLFetchingError(f"Refused to fetch {url[:200]!r} while rendering a PDF.")
        path = finders.find(name)
        if path is None:
            raise URLFetchingError(f"PDF asset {name!r} is listed but missing.")
        with open(path, "rb") as asset:
            body = asset.read()
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})


def asset_url(name: str) -> str:
    if name not in PDF_ASSETS:
        raise ValueError(f"{name!r} is not in PDF_ASSETS.")
    return ASSET_URL_PREFIX + name


def render_pdf(*, template_name: str, context: dict, language: str) -> RenderedPdf:
    """Render `template_name` with `context` in `language` and return both HTML and PDF."""
    with translation.override(language):
        html = render_to_string(template_name, {**context, "pdf_language": language})
        # base_url=None: a relative URL has nothing to resolve against, so it is dropped.
        document = HTML(string=html, base_url=None, url_fetcher=AssetOnlyURLFetcher())
        pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    return RenderedPdf(html=html, pdf=pdf)
