"""Small real files for upload tests: each parses with the library that checks it."""

import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def pdf_bytes(*, root: dict | None = None) -> bytes:
    """A one-page PDF; `root` adds entries to its catalogue (e.g. an /OpenAction)."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    for key, value in (root or {}).items():
        writer._root_object[NameObject(key)] = writer._add_object(value)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def javascript_action(script: str = "app.alert(1)") -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(script),
        }
    )


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30), **options) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((10, 120, 200), (0, 0, size[0] // 2, size[1] // 2))
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


def pixels(content: bytes) -> tuple:
    """What a viewer shows: size, mode and every pixel."""
    with Image.open(io.BytesIO(content)) as image:
        return image.size, image.mode, image.tobytes()


def same_picture(a: bytes, b: bytes) -> bool:
    """Same size and mode, and on average the same pixel values (a JPEG decoded and
    encoded again is close to, not bit-identical with, what it was)."""
    (size_a, mode_a, data_a), (size_b, mode_b, data_b) = pixels(a), pixels(b)
    if (size_a, mode_a) != (size_b, mode_b):
        return False
    distance = sum(abs(x - y) for x, y in zip(data_a, data_b, strict=True))
    return distance / len(data_a) <= 3
