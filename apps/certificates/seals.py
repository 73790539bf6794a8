"""Seal images uploaded in the back office, checked by parsing them.

A PNG or JPEG must decode whole within the pixel limit and is stored re-encoded (no
metadata, nothing after the picture); an SVG must be plain drawing: no scripts, event
handlers, embedded documents, entity declarations or references outside the file.
"""

import re
import xml.etree.ElementTree as ElementTree

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
            f"The seal is too large. Send a {accepted()}."
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
    refused = f"Send a plain drawing as a {accepted()}."
    # Entities are how XML expands a few bytes into gigabytes or reads local files.
    if b"<!DOCTYPE" in content.upper() or b"<!ENTITY" in content.upper():
        raise uploads.UploadRejectedError(
            f"The SVG declares a document type or entities. {refused}"
        )
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as error:
        raise uploads.UploadRejectedError(
            f"The SVG is not readable. {refused}"
        ) from error
    if root.tag not in (f"{_SVG_NS}svg", "svg"):
        raise uploads.UploadRejectedError(f"The file is not an SVG image. {refused}")
    for element in root.iter():
        found = _active(element)
        if found:
            raise uploads.UploadRejectedError(f"The SVG contains {found}. {refused}")


def _active(element: ElementTree.Element) -> str | None:
    tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
    if tag in _ACTIVE_ELEMENTS:
        return f"a <{tag}> element"
    for name, value in element.attrib.items():
        local = name.rsplit("}", 1)[-1].lower()
        if local.startswith("on"):
            return f"an event handler ({local})"
        if local == "href" and not value.strip().startswith("#"):
            return "a link to another file"
        if local == "attributename" and (
            value.lower().startswith("on") or value.lower().endswith("href")
        ):
            return "an animation that changes links or handlers"
        if local == "style" and _EXTERNAL_URL.search(value):
            return "a style loading another file"
    if tag == "style" and (
        _EXTERNAL_URL.search(element.text or "") or "@import" in (element.text or "")
    ):
        return "a style loading another file"
    return None
