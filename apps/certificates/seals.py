"""Seal images uploaded in the back office, checked by parsing them.

A PNG or JPEG must decode whole within the pixel limit and is stored re-encoded (no
metadata, nothing after the picture); an SVG must be plain drawing: no scripts, event
handlers, embedded documents, entity declarations or references outside the file.
"""

import re
import xml.etree.ElementTree as ElementTree

from django.utils.translation import gettext as _

from apps.core import uploads

SEAL_MAX_BYTES = 200 * 1024
SVG = "svg"
_SVG_NS = "{http://www.w3.org/2000/svg}"
# Elements that run code or pull in other documents.
_ACTIVE_ELEMENTS = frozenset(
    {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}
)
_EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.I)


def accepted() -> str:
    return uploads.accepted((uploads.PNG, uploads.JPEG, SVG), SEAL_MAX_BYTES)


def check_seal(content: bytes) -> tuple[bytes, str]:
    """The seal as it is to be stored and its file extension; UploadRejectedError
    says why not."""
    if len(content) > SEAL_MAX_BYTES:
        raise uploads.UploadRejectedError(
            _("The seal is too large. Send a %(accepted)s.") % {"accepted": accepted()}
        )
    # Markup is read as SVG (PNG and JPEG start with binary signatures).
    if content.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
        _check_svg(content)
        return content, SVG
    checked = uploads.check_upload(
        content,
        formats=(uploads.PNG, uploads.JPEG),
        max_bytes=SEAL_MAX_BYTES,
        expected=accepted(),
    )
    return checked.content, checked.file_format


def _check_svg(content: bytes) -> None:
    # Each refusal is one message, the advice a placeholder of it.
    advice = {
        "advice": _("Send a plain drawing as a %(accepted)s.")
        % {"accepted": accepted()}
    }
    # Entities are how XML expands a few bytes into gigabytes or reads local files.
    if b"<!DOCTYPE" in content.upper() or b"<!ENTITY" in content.upper():
        raise uploads.UploadRejectedError(
            _("The SVG declares a document type or entities. %(advice)s") % advice
        )
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as error:
        raise uploads.UploadRejectedError(
            _("The SVG is not readable. %(advice)s") % advice
        ) from error
    if root.tag not in (f"{_SVG_NS}svg", "svg"):
        raise uploads.UploadRejectedError(
            _("The file is not an SVG image. %(advice)s") % advice
        )
    for element in root.iter():
        refusal = _active(element, advice)
        if refusal:
            raise uploads.UploadRejectedError(refusal)


def _active(element: ElementTree.Element, advice: dict) -> str | None:
    """Why the element is refused, the advice included; None when it is plain."""
    tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
    if tag in _ACTIVE_ELEMENTS:
        return _("The SVG contains a <%(tag)s> element. %(advice)s") % {
            "tag": tag,
            **advice,
        }
    style_refusal = _("The SVG contains a style loading another file. %(advice)s")
    for name, value in element.attrib.items():
        local = name.rsplit("}", 1)[-1].lower()
        if local.startswith("on"):
            return _("The SVG contains an event handler (%(name)s). %(advice)s") % {
                "name": local,
                **advice,
            }
        if local == "href" and not value.strip().startswith("#"):
            return _("The SVG contains a link to another file. %(advice)s") % advice
        if local == "attributename" and (
            value.lower().startswith("on") or value.lower().endswith("href")
        ):
            return (
                _(
                    "The SVG contains an animation that changes links or handlers. "
                    "%(advice)s"
                )
                % advice
            )
        if local == "style" and _EXTERNAL_URL.search(value):
            return style_refusal % advice
    if tag == "style" and (
        _EXTERNAL_URL.search(element.text or "") or "@import" in (element.text or "")
    ):
        return style_refusal % advice
    return None
