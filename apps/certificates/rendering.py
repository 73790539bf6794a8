"""Certificate documents: the HTML (preview and PDF source), the QR image, the PDF.

WeasyPrint fetches nothing remote: `LocalFetcher` serves our static and media files
and `data:` URLs, and refuses every other address. The stylesheet is parsed once per
process and the font configuration shared, which is most of the cost of a small PDF.
"""

import base64
import gc
import logging
import mimetypes
from functools import cache
from pathlib import Path
from urllib import request
from urllib.parse import unquote, urlsplit

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

# WeasyPrint and fontTools log every glyph subset at INFO; keep them quiet.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)

# Relative URLs in the certificate resolve against this; nothing is ever fetched from it.
BASE_URL = "https://certificate.invalid/"
STYLESHEET = "certificates/certificate.css"
DEFAULT_SEAL = "certificates/seal.svg"


class RefusedURL(ValueError):
    pass


def _local_path(url: str) -> Path:
    """The local file behind a static or media URL, or `RefusedURL`."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}/" != BASE_URL:
        raise RefusedURL("Only the portal's own static and media files are fetched.")
    path = unquote(parts.path)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    media_prefix = "/" + settings.MEDIA_URL.strip("/") + "/"
    if path.startswith(static_prefix):
        relative = path.removeprefix(static_prefix)
        found = finders.find(relative) if ".." not in relative.split("/") else None
        if not found:
            raise RefusedURL("No such static file.")
        return Path(found)
    if path.startswith(media_prefix):
        root = Path(settings.MEDIA_ROOT).resolve()
        candidate = (root / path.removeprefix(media_prefix)).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            raise RefusedURL("No such media file.")
        return candidate
    raise RefusedURL("Only the portal's own static and media files are fetched.")


@cache
def _weasyprint():
    import weasyprint  # imported late: loading Pango takes a moment

    class LocalFetcher(weasyprint.URLFetcher):
        """Serves local files and `data:` URLs, never the network.

        Made once per process: WeasyPrint's own fetcher sets up an HTTPS context each
        time it is created, tens of milliseconds per document for nothing we use.
        """

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                with request.DataHandler().data_open(request.Request(url)) as data:
                    body, content_type = data.read(), data.headers["Content-Type"]
            else:
                path = _local_path(url)
                body = path.read_bytes()
                content_type = mimetypes.guess_type(path.name)[0]
            return weasyprint.urls.URLFetcherResponse(
                url, body, {"Content-Type": content_type or "application/octet-stream"}
            )

    return weasyprint, LocalFetcher(allowed_protocols={"https", "data"})


def url_fetcher():
    return _weasyprint()[1]


@cache
def _shared():
    """The parsed stylesheet and the font configuration, loaded once per process."""
    weasyprint, _ = _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css_path = finders.find(STYLESHEET)
    stylesheet = weasyprint.CSS(
        string=Path(css_path).read_text(),
        base_url=BASE_URL + settings.STATIC_URL.strip("/") + "/" + STYLESHEET,
        url_fetcher=url_fetcher(),
        font_config=fonts,
    )
    return stylesheet, fonts


def qr_image(text: str) -> str:
    """The QR code as a PNG `data:` URL, one pixel per module.

    The stylesheet scales it up with `image-rendering: pixelated`, which stays sharp
    in print; an SVG path of the same code costs WeasyPrint several times more.
    """
    qr = segno.make(text, error="m", micro=False)
    return qr.png_data_uri(scale=1, border=2)


def seal_src(seal) -> str:
    """The seal as an image address both the preview page and the PDF can load.

    An uploaded seal is inlined as a `data:` URL (the portal does not serve media
    files to browsers); without one, the built-in seal comes from static files.
    """
    if not seal:
        return "/" + settings.STATIC_URL.strip("/") + "/" + DEFAULT_SEAL
    name = seal.name.lower()
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    with seal.open("rb") as handle:
        data = base64.b64encode(handle.read()).decode("ascii")
    return f"data:{content_type};base64,{data}"


def certificate_html(context: dict, *, for_pdf: bool) -> str:
    """The document, from the event type's template (each extends `certificate.html`).

    Rendered in the certificate's primary language (`lang`, an HTML tag such as "en"),
    not the reader's interface language: the template's fixed words, and any lazy
    label in the context, print in the language the certificate is issued in.
    """
    with translation.override(context.get("lang") or settings.LANGUAGE_CODE):
        return render_to_string(
            f"certificates/{context['event_type']}.html",
            {**context, "for_pdf": for_pdf},
        )


def certificate_pdf(context: dict) -> bytes:
    """The certificate as a PDF/A-3b document."""
    weasyprint, _ = _weasyprint()
    stylesheet, fonts = _shared()
    document = weasyprint.HTML(
        string=certificate_html(context, for_pdf=True),
        base_url=BASE_URL,
        url_fetcher=url_fetcher(),
    )
    # Layout builds tens of thousands of live objects; collecting while it runs
    # rescans them again and again (a third of the time in the slowest runs).
    # The garbage is collected once, after the PDF is written.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return document.write_pdf(
            stylesheets=[stylesheet], font_config=fonts, pdf_variant="pdf/a-3b"
        )
    finally:
        if collecting:
            gc.enable()


def warm_up() -> None:
    """Load Pango, fonts and the stylesheet ahead of the first certificate."""
    _shared()
