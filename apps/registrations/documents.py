"""Uploaded evidence, accepted only when it parses as a PDF, JPEG or PNG."""

from apps.core import uploads
from apps.registrations import config
from apps.registrations.models import DocumentFormat

FORMATS = (DocumentFormat.PDF, DocumentFormat.JPG, DocumentFormat.PNG)


def accepted() -> str:
    """`PDF, JPEG or PNG, up to 5 MB`: what the form and every refusal say."""
    return uploads.accepted(FORMATS, config.document_max_bytes())


def check_document(content: bytes) -> uploads.CheckedFile:
    """The evidence as it is to be stored; UploadRejectedError says why not."""
    return uploads.check_upload(
        content, formats=FORMATS, max_bytes=config.document_max_bytes()
    )
