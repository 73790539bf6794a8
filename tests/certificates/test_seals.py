"""A seal uploaded in the back office is parsed before it is stored: PNG and JPEG are
decoded whole and stored re-encoded, an SVG must be plain drawing. Every certificate
embeds the seal, so what is refused here never reaches a printed PDF or the preview."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.certificates.admin import CertificateProfileForm
from apps.certificates.models import CertificateProfile
from tests import files

PAGE = b"<html><script>alert(document.cookie)</script></html>"
SVG_OPEN = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
PLAIN_SVG = SVG_OPEN + b'<circle cx="5" cy="5" r="4" fill="#a00"/></svg>'


def _form(office, name, content):
    return CertificateProfileForm(
        data={
            "office": office.pk,
            "authority_name": "Civil Registration Authority",
            "signatory_title": "Registrar",
        },
        files={"seal": SimpleUploadedFile(name, content)},
    )


def _error(office, name, content) -> str:
    form = _form(office, name, content)
    assert not form.is_valid()
    assert not CertificateProfile.objects.exists()
    return " ".join(form.errors["seal"])


def test_a_png_seal_is_stored_re_encoded(office_a):
    png = files.image_bytes("PNG", size=(150, 150), compress_level=0)
    form = _form(office_a, "seal.png", png + PAGE)  # the page is past the file's head
    assert form.is_valid(), form.errors
    profile = form.save()
    stored = profile.seal.read()
    assert profile.seal.name.endswith(".png")
    assert b"<script" not in stored
    assert files.same_picture(stored, png)


def test_a_jpeg_seal_loses_its_metadata(office_a):
    exif = Image.Exif()
    exif[0x010E] = "Registrar's home, 12 Home Street"
    jpeg = files.image_bytes("JPEG", size=(64, 64), exif=exif)
    form = _form(office_a, "seal.jpeg", jpeg)
    assert form.is_valid(), form.errors
    assert b"Home Street" not in form.save().seal.read()


def test_a_plain_svg_seal_is_kept_as_sent(office_a):
    form = _form(office_a, "seal.svg", PLAIN_SVG)
    assert form.is_valid(), form.errors
    assert form.save().seal.read() == PLAIN_SVG


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"\x89PNG\r\n\x1a\n" + PAGE, "web page"),
        (files.image_bytes("PNG", size=(200, 200))[:400], "cut off or damaged"),
        (b"GIF89a" + b"\x00" * 40, "not a readable"),
    ],
    ids=["png-then-html", "truncated-png", "gif"],
)
def test_a_seal_that_is_not_a_whole_image_is_refused(office_a, content, said):
    message = _error(office_a, "seal.png", content)
    assert said in message
    assert "PNG, JPEG or SVG, up to 200 KB" in message


def test_a_decompression_bomb_seal_is_refused(office_a):
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG", optimize=True)
    assert "too many pixels" in _error(office_a, "seal.png", out.getvalue())


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"<script>alert(1)</script>", "<script>"),
        (b'<circle r="4" onload="alert(1)"/>', "event handler"),
        (b'<image xlink:href="file:///etc/passwd"/>', "link to another file"),
        (b'<image href="https://example.org/x.png"/>', "link to another file"),
        (b"<foreignObject><p>hi</p></foreignObject>", "<foreignObject>"),
        (b'<set attributeName="href" to="javascript:alert(1)"/>', "animation"),
        (b'<rect style="fill:url(https://example.org/x)"/>', "style loading"),
    ],
    ids=["script", "onload", "file-href", "web-href", "foreign", "set-href", "style"],
)
def test_an_svg_seal_with_active_content_is_refused(office_a, body, said):
    message = _error(office_a, "seal.svg", SVG_OPEN + body + b"</svg>")
    assert said in message
    assert "PNG, JPEG or SVG, up to 200 KB" in message


def test_an_svg_seal_declaring_entities_is_refused(office_a):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + SVG_OPEN + b"&b;</svg>"
    )
    assert "entities" in _error(office_a, "seal.svg", laughs)


def test_a_seal_over_the_size_limit_is_refused(office_a):
    message = _error(office_a, "seal.png", files.image_bytes("PNG") + b"\0" * 210_000)
    assert "too large" in message


def test_the_model_refuses_an_unparsable_seal_however_it_is_saved(office_a):
    from django.core.exceptions import ValidationError

    profile = CertificateProfile(office=office_a)
    profile.seal = SimpleUploadedFile("seal.png", b"\x89PNG\r\n\x1a\n" + PAGE)
    with pytest.raises(ValidationError) as refused:
        profile.full_clean()
    assert "seal" in refused.value.message_dict
