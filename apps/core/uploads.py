"""Uploaded files checked by parsing them, not by their first bytes.

A file is accepted only when a real parser reads all of it: a PDF opens with pypdf, has
at least one page, ends at its last `%%EOF` and carries no active content (scripts,
automatic or launch actions, embedded files, XFA forms); an image decodes fully with
Pillow within a pixel limit and is stored re-encoded, which drops its metadata and
anything hidden after the picture. See docs/security/uploads.md.
"""

import io
import logging
import re
import warnings
import zlib
from dataclasses import dataclass

from django.conf import settings
from PIL import ExifTags, Image, ImageOps
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

PDF, JPEG, PNG = "pdf", "jpg", "png"
CONTENT_TYPES = {PDF: "application/pdf", JPEG: "image/jpeg", PNG: "image/png"}
_LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", "svg": "SVG"}
# A phone's multi-picture JPEG is a JPEG; only its first picture is kept.
_PILLOW_FORMATS = {"JPEG": JPEG, "MPO": JPEG, "PNG": PNG}

# Keys whose mere presence makes a PDF act on its own or carry other files.
_ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/AA", "/EmbeddedFiles", "/EF", "/RichMedia", "/XFA"}
)
# Action types that run code, open other programs or send data somewhere.
_ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/RichMediaExecute",
        "/GoToE",
        "/Rendition",
        "/Sound",
        "/Movie",
    }
)
# What browsers look for when they guess a type from content; never in an upload's head.
_MARKUP = re.compile(rb"<\s*(!doctype|html|head|body|script|iframe|svg)\b", re.I)

logger = logging.getLogger(__name__)


class UploadRejectedError(Exception):
    """The upload is not a file we accept; `str()` says why in plain words."""


@dataclass(frozen=True)
class CheckedFile:
    file_format: str  # one of PDF, JPEG, PNG
    content: bytes  # what to store: the PDF as sent, an image re-encoded

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.file_format]


def image_max_pixels() -> int:
    # 40 megapixels: a phone photo or an A4 page scanned at 600 dpi, well under
    # what a decompression bomb needs to exhaust memory.
    return settings.UPLOADS_IMAGE_MAX_PIXELS


def accepted(formats, max_bytes: int) -> str:
    """`PDF, JPEG or PNG, up to 5 MB` for the formats given."""
    labels = [_LABELS[f] for f in formats]
    kinds = (
        labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
    )
    if max_bytes >= 1024 * 1024:
        size = f"{max_bytes / (1024 * 1024):g} MB"
    else:
        size = f"{max_bytes / 1024:g} KB"
    return f"{kinds}, up to {size}"


def check_upload(
    content: bytes, *, formats, max_bytes: int, expected: str = ""
) -> CheckedFile:
    """The upload parsed as one of `formats`, or UploadRejectedError saying why.

    Every refusal ends "Send a {expected}" (by default the formats and the limit).
    """
    expected = expected or accepted(formats, max_bytes)
    if len(content) > max_bytes:
        raise UploadRejectedError(f"The file is too large. Send a {expected}.")
    if _MARKUP.search(content[:1024]):
        raise UploadRejectedError(f"The file holds a web page. Send a {expected}.")
    if content.startswith(b"%PDF-") and PDF in formats:
        return CheckedFile(PDF, _check_pdf(content, expected))
    image_formats = [f for f in formats if f != PDF]
    if image_formats:
        checked = _check_image(content, expected)
        if checked is not None and checked.file_format in image_formats:
            return checked
    raise UploadRejectedError(f"The file is not a readable {expected}.")


# PDF ---------------------------------------------------------------------------------


def _check_pdf(content: bytes, expected: str) -> bytes:
    # Whatever follows the last end-of-file marker is not part of the document.
    if not content.rstrip(b"\r\n\t\f\x00 ").endswith(b"%%EOF"):
        raise UploadRejectedError(f"The PDF has data after its end. Send a {expected}.")
    try:
        reader = PdfReader(io.BytesIO(content))
        # Restricted only against editing or printing, a PDF opens without a password
        # (an empty user password), and is then read and checked as any other.
        if reader.is_encrypted and not reader.decrypt(""):
            raise UploadRejectedError(
                f"The PDF is password-protected. Send an unprotected {expected}."
            )
        if len(reader.pages) < 1:
            raise UploadRejectedError(f"The PDF has no pages. Send a {expected}.")
        active = _active_content(reader)
    except UploadRejectedError:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError,
            IndexError, RecursionError, OSError) as exc:  # fmt: skip
        # Malformed and hostile files fail in many ways inside the parser.
        logger.info("Refused an unreadable PDF: %s", exc)
        raise UploadRejectedError(f"The file is not a readable {expected}.") from exc
    if active:
        raise UploadRejectedError(
            f"The PDF contains {active}, which the portal does not accept. "
            f"Save or print it again as a plain {expected}."
        )
    return content


def _active_content(reader: PdfReader) -> str | None:
    """What active content the PDF carries (in words), or None.

    Walks every object reachable from the trailer, so nothing a viewer could reach
    escapes the check, however it is nested or compressed.
    """
    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            ref = (item.idnum, item.generation)
            if ref in seen:
                continue
            seen.add(ref)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            found = _active_in_dictionary(item)
            if found:
                return found
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None


def _active_in_dictionary(item: DictionaryObject) -> str | None:
    keys = set(item.keys()) & _ACTIVE_KEYS
    if keys & {"/JS", "/JavaScript"}:
        return "JavaScript"
    if keys & {"/EmbeddedFiles", "/EF"}:
        return "embedded files"
    if "/AA" in keys:
        return "automatic actions"
    if keys & {"/RichMedia", "/XFA"}:
        return "interactive media or forms"
    action = item.get("/S")
    if isinstance(action, NameObject) and action in _ACTIVE_ACTIONS:
        return "an action that runs a program or script"
    opening = item.get("/OpenAction")
    if opening is not None:
        opening = opening.get_object()
        # Opening at a page (a destination, or a go-to action) is harmless; any other
        # action on opening is not.
        if isinstance(opening, DictionaryObject) and opening.get("/S") != "/GoTo":
            if opening.get("/S") == "/JavaScript" or "/JS" in opening:
                return "JavaScript run on opening"
            return "an action run on opening"
    return None


# Images ------------------------------------------------------------------------------


def _check_image(content: bytes, expected: str) -> CheckedFile | None:
    """The image re-encoded, None if Pillow does not know the format."""
    limit = image_max_pixels()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content), formats=["JPEG", "PNG"])
            file_format = _PILLOW_FORMATS[image.format]
            width, height = image.size
            if width * height > limit:
                raise UploadRejectedError(
                    f"The image has too many pixels ({width} × {height}; at most "
                    f"{limit / 1_000_000:g} million). Send a smaller {expected}."
                )
            # WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, under which
            # a cut-off file decodes with its missing part grey: check the end first.
            if not _complete(content, file_format):
                raise UploadRejectedError(
                    f"The image is cut off or damaged. Send a complete {expected}."
                )
            image.load()  # decodes every pixel
            return CheckedFile(file_format, _reencode(image, file_format))
    except UploadRejectedError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise UploadRejectedError(
            f"The image has too many pixels. Send a smaller {expected}."
        ) from exc
    except Image.UnidentifiedImageError:
        return None
    except Exception as exc:  # truncated or hostile files fail in many ways
        logger.info("Refused an unreadable image: %s", exc)
        raise UploadRejectedError(f"The file is not a readable {expected}.") from exc


def _complete(content: bytes, file_format: str) -> bool:
    """Whether the file runs whole to its end marker (PNG: every chunk's checksum
    holds up to IEND; JPEG: an end-of-image marker follows the compressed data)."""
    if file_format == JPEG:
        scan = content.find(b"\xff\xda")
        return scan != -1 and content.find(b"\xff\xd9", scan) != -1
    position = 8  # after the signature
    while position + 12 <= len(content):
        length = int.from_bytes(content[position : position + 4])
        kind = content[position + 4 : position + 8]
        end = position + 8 + length
        if end + 4 > len(content):
            return False
        checksum = int.from_bytes(content[end : end + 4])
        if zlib.crc32(content[position + 4 : end]) != checksum:
            return False
        if kind == b"IEND":
            return True
        position = end + 4
    return False


def _reencode(image: Image.Image, file_format: str) -> bytes:
    """The visible picture only: no metadata, comments or bytes after its end.

    The colour profile, transparency and resolution stay (they are how the picture
    looks and prints); the EXIF orientation is applied to the pixels, since the tag
    that carried it is dropped.
    """
    kept = {k: image.info.get(k) for k in ("icc_profile", "transparency", "dpi")}
    kept = {k: v for k, v in kept.items() if v is not None}
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    image.info = {}  # text chunks, comments, EXIF, XMP: Pillow writes none of them now
    out = io.BytesIO()
    if file_format == PNG:
        image.save(out, format="PNG", **kept)
        return out.getvalue()
    kept.pop("transparency", None)
    if orientation in (None, 1):
        # Same quantisation and subsampling as sent: no visible loss.
        image.save(out, format="JPEG", quality="keep", **kept)
    else:
        ImageOps.exif_transpose(image).save(out, format="JPEG", quality=95, **kept)
    return out.getvalue()
