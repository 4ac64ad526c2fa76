"""The PDF renderer: real WeasyPrint, real PDFs, and a fetcher that refuses everything but our
own assets. The SSRF corpus is placed in user text, escaped (as in production) and, in these
tests only, unescaped, so the fetcher is tested as the last wall on its own."""

import copy
import io
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import weasyprint
from django.utils.safestring import mark_safe
from pypdf import PdfReader

from mentoring.pdf import render_pdf

PROBE_TEMPLATES = Path(__file__).parent / "templates"


class Recorder(ThreadingHTTPServer):
    """An HTTP server on loopback that writes down every request it gets."""

    def __init__(self):
        self.requests: list[str] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                recorder.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"p { color: red }")

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def recorder():
    server = Recorder()
    server.thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def probe_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], PROBE_TEMPLATES]
    settings.TEMPLATES = templates


def ssrf_corpus(base: str) -> str:
    return "\n".join(
        [
            '<img src="file:///etc/passwd" alt="">',
            '<img src="/etc/passwd" alt="">',
            f'<img src="{base}/img.png" alt="">',
            '<link rel="attachment" href="file:///etc/hostname">',
            f'<a rel="attachment" href="{base}/attachment">attachment</a>',
            f"<style>@import url({base}/import.css); body {{ background: url({base}/bg) }}</style>",
            f'<link rel="stylesheet" href="{base}/sheet.css">',
            f'<p style="background:url({base}/inline-bg)">inline</p>',
            '<svg width="10" height="10"><image href="file:///etc/passwd"/></svg>',
            f'<object data="{base}/object"></object>',
            f'<iframe src="{base}/frame"></iframe>',
            "<img src=\"data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'>"
            f'<image href=\'{base}/nested\'/></svg>" alt="">',
        ]
    )


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def local_secrets() -> list[str]:
    secrets = ["root:x:0:0"]
    hostname = Path("/etc/hostname")
    if hostname.exists() and hostname.read_text().strip():
        secrets.append(hostname.read_text().strip())
    return secrets


def test_corpus_fetches_from_an_unguarded_weasyprint(recorder):
    """Control: without our fetcher, the same HTML does reach the recording server."""
    weasyprint.HTML(string=ssrf_corpus(recorder.base)).write_pdf()
    assert recorder.requests


@pytest.mark.parametrize("escaped", [True, False], ids=["escaped", "unescaped"])
def test_user_text_cannot_make_the_renderer_fetch_anything(recorder, probe_templates, escaped):
    corpus = ssrf_corpus(recorder.base)
    context = {"school_name": corpus, "user_text": corpus}
    if not escaped:
        context["raw_text"] = mark_safe(corpus)  # noqa: S308 -- the point of the test

    rendered = render_pdf(template_name="pdf_probe.html", context=context, language="nl")

    assert recorder.requests == []
    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert reader.attachments == {}
    text = pdf_text(rendered.pdf)
    assert "END-OF-PROBE" in text
    for secret in local_secrets():
        assert secret not in text
    if escaped:
        assert "file:///etc/passwd" in text  # shown as the text the user typed


def test_pdf_uses_the_shared_stylesheet_a4_and_page_numbers(probe_templates):
    rendered = render_pdf(
        template_name="pdf_probe.html",
        context={"school_name": "Het Baken College", "user_text": "Lesbezoek 3B"},
        language="nl",
    )
    reader = PdfReader(io.BytesIO(rendered.pdf))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points: base.css was loaded
    text = pdf_text(rendered.pdf)
    assert "Het Baken College" in text  # running header
    assert "1 / 1" in text  # page numbers from @page
    assert "Lesbezoek 3B" in text


@pytest.mark.parametrize(("language", "heading"), [("nl", "Jouw scholen"), ("en", "Your schools")])
def test_pdf_is_rendered_in_the_requested_language(probe_templates, language, heading):
    rendered = render_pdf(
        template_name="pdf_probe.html", context={"school_name": "X"}, language=language
    )
    assert f'<html lang="{language}">' in rendered.html
    assert heading in pdf_text(rendered.pdf)


def test_pdf_is_tagged_for_screen_readers(probe_templates):
    rendered = render_pdf(template_name="pdf_probe.html", context={}, language="nl")
    catalog = PdfReader(io.BytesIO(rendered.pdf)).trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "nl"


def test_no_fetch_reaches_the_network_even_for_a_listening_port(probe_templates):
    """A second check without HTTP: a raw socket that would see any connection attempt."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.5)
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    render_pdf(
        template_name="pdf_probe.html",
        context={"raw_text": mark_safe(ssrf_corpus(base))},  # noqa: S308
        language="nl",
    )
    with pytest.raises(TimeoutError):
        listener.accept()
    listener.close()
