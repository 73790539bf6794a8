"""Recognising uploaded evidence files by their content, not their name."""

from apps.registrations.models import DocumentFormat

# Leading bytes of each accepted format.
_SIGNATURES = (
    (b"%PDF-", DocumentFormat.PDF),
    (b"\xff\xd8\xff", DocumentFormat.JPG),
    (b"\x89PNG\r\n\x1a\n", DocumentFormat.PNG),
)
CONTENT_TYPES = {
    DocumentFormat.PDF: "application/pdf",
    DocumentFormat.JPG: "image/jpeg",
    DocumentFormat.PNG: "image/png",
}


def sniff_format(content: bytes) -> DocumentFormat | None:
    """The accepted format `content` is in, or None for anything else."""
    for signature, file_format in _SIGNATURES:
        if content.startswith(signature):
            return file_format
    return None
