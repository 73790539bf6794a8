"""Uploaded evidence is accepted only when it parses (a PDF opens and has pages, an
image decodes fully within a pixel limit), carries no active content and nothing
after its end; images are stored re-encoded. It is never served raw: no URL maps the
media folder, the files sit outside every folder the web server serves, and the one way
out is the access-checked download view, which sends each file as an attachment."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse
from PIL import Image, ImageFile
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from apps.accounts.models import Role
from apps.registrations import services
from apps.registrations.models import EventDocument
from tests import files
from tests.factories import make_user
from tests.registrations.factories import (
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    load_id_schema,
    make_event,
)

PAGE = b"<html><script>alert(document.cookie)</script></html>"


@pytest.fixture
def uploaded(registrar, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_id_schema()
    event = make_event(registrar)
    document = services.event_attach_document(
        event=event,
        actor=registrar,
        kind="birth_notification",
        upload=SimpleUploadedFile("evidence.html", PDF_BYTES, "text/html"),
    )
    return event, document


def test_the_stored_name_never_keeps_the_uploaded_name_or_extension(uploaded):
    _, document = uploaded
    name = Path(document.file.name)
    assert name.suffix == ".pdf"
    assert "evidence" not in name.name


def test_no_url_serves_the_media_folder(uploaded, client, registrar):
    _, document = uploaded
    client.force_login(registrar)
    raw = "/" + settings.MEDIA_URL.strip("/") + "/" + document.file.name
    with pytest.raises(Resolver404):
        resolve(raw)
    assert client.get(raw).status_code == 404


def test_media_lies_outside_every_served_folder():
    media = Path(settings.MEDIA_ROOT).resolve()
    served = [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]
    served += [Path(d) for t in settings.TEMPLATES for d in t["DIRS"]]
    for folder in served:
        folder = folder.resolve()
        assert not media.is_relative_to(folder), (media, folder)
        assert not folder.is_relative_to(media), (media, folder)


def test_the_download_is_an_attachment_of_the_checked_type(uploaded, client, registrar):
    event, document = uploaded
    client.force_login(registrar)
    url = reverse(
        "registrations:document",
        kwargs={"pk": event.pk, "document_pk": document.pk},
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_the_download_is_access_checked(uploaded, client, office_b):
    event, document = uploaded
    url = reverse(
        "registrations:document",
        kwargs={"pk": event.pk, "document_pk": document.pk},
    )
    assert client.get(url).status_code == 302  # anonymous: to sign-in
    client.force_login(make_user(Role.REGISTRAR, office=office_b))
    assert client.get(url).status_code == 404


# What is accepted ---------------------------------------------------------------------


def _attach(registrar, content, name="evidence.pdf"):
    load_id_schema()
    return services.event_attach_document(
        event=make_event(registrar),
        actor=registrar,
        kind="birth_notification",
        upload=SimpleUploadedFile(name, content, "application/pdf"),
    )


def _refused(registrar, content) -> str:
    with pytest.raises(services.DocumentRejectedError) as refused:
        _attach(registrar, content)
    assert not EventDocument.objects.exists()
    return str(refused.value)


@pytest.mark.parametrize(
    "content",
    [
        # As found: the start of a PDF, then a web page with a script.
        b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n" + PAGE,
        b"%PDF-1.4\n" + PAGE,
        # A real PDF with the page after its end, near and far from the start.
        PDF_BYTES + PAGE,
        PDF_BYTES + b"%" + b"x" * 4096 + b"\n" + PAGE,
        # As found: a PNG signature, then a web page.
        b"\x89PNG\r\n\x1a\n" + PAGE,
        PNG_BYTES + PAGE,
        JPEG_BYTES + PAGE,
    ],
    ids=[
        "pdf-header-then-html",
        "pdf-version-then-html",
        "pdf-then-html",
        "pdf-then-far-html",
        "png-signature-then-html",
        "png-then-html",
        "jpeg-then-html",
    ],
)
def test_a_file_that_is_also_a_web_page_is_refused(registrar, content):
    message = _refused(registrar, content)
    assert "PDF, JPEG or PNG, up to 5 MB" in message


def test_a_page_hidden_past_the_head_of_an_image_is_dropped(registrar):
    image = files.image_bytes("PNG", size=(300, 300), compress_level=0)
    assert len(image) > 2048
    document = _attach(registrar, image + PAGE)
    stored = document.file.read()
    assert b"<script" not in stored
    assert files.same_picture(stored, image)


def _catalogue_with(**entries):
    return files.pdf_bytes(root={f"/{k}": v for k, v in entries.items()})


def _names_javascript():
    return DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {
                    NameObject("/Names"): ArrayObject(
                        [TextStringObject("run"), files.javascript_action()]
                    )
                }
            )
        }
    )


def _launch():
    return DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
        }
    )


def _embedded_file():
    return DictionaryObject(
        {
            NameObject("/EmbeddedFiles"): DictionaryObject(
                {NameObject("/Names"): ArrayObject([TextStringObject("a.exe")])}
            )
        }
    )


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (lambda: _catalogue_with(OpenAction=files.javascript_action()), "JavaScript"),
        (lambda: _catalogue_with(Names=_names_javascript()), "JavaScript"),
        (lambda: _catalogue_with(OpenAction=_launch()), "action"),
        (
            lambda: _catalogue_with(
                AA=DictionaryObject({NameObject("/WC"): files.javascript_action()})
            ),
            "automatic actions",
        ),
        (lambda: _catalogue_with(Names=_embedded_file()), "embedded files"),
    ],
    ids=["open-action-js", "document-js", "open-action-launch", "aa", "embedded"],
)
def test_a_pdf_with_active_content_is_refused(registrar, content, said):
    message = _refused(registrar, content())
    assert said in message
    assert "plain PDF" in message


def test_a_pdf_hiding_its_script_behind_escaped_names_is_refused(registrar):
    # /J#61vaScript is /JavaScript to every PDF reader; the xref no longer matches,
    # which readers (and pypdf) repair.
    content = _catalogue_with(OpenAction=files.javascript_action())
    content = content.replace(b"/JavaScript", b"/J#61vaScript")
    content = content.replace(b"/JS ", b"/J#53 ")
    assert b"/JavaScript" not in content and b"/JS " not in content
    assert "JavaScript" in _refused(registrar, content)


def test_a_pdf_that_opens_at_a_page_is_accepted(registrar):
    # An /OpenAction that is only a destination (a page and a zoom) runs nothing.
    fit = ArrayObject([NumberObject(0), NameObject("/Fit")])
    content = _catalogue_with(OpenAction=fit)
    assert _attach(registrar, content).file.read() == content


def test_a_pdf_without_pages_is_refused(registrar):
    writer = PdfWriter()
    out = io.BytesIO()
    writer.write(out)
    assert "no pages" in _refused(registrar, out.getvalue())


def _encrypted(content, *, user_password, owner_password):
    writer = PdfWriter(clone_from=io.BytesIO(content))
    writer.encrypt(user_password, owner_password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_password_protected_pdf_is_refused(registrar):
    content = _encrypted(PDF_BYTES, user_password="secret", owner_password="owner")
    assert "password" in _refused(registrar, content)


def test_a_pdf_restricted_only_against_editing_is_read_and_checked(registrar):
    # Opens without a password, like many issued documents: accepted when plain...
    plain = _encrypted(PDF_BYTES, user_password="", owner_password="owner")
    assert _attach(registrar, plain).file.read() == plain
    EventDocument.objects.all().delete()
    # ...and its content is checked like any other's.
    scripted = _catalogue_with(OpenAction=files.javascript_action())
    scripted = _encrypted(scripted, user_password="", owner_password="owner")
    assert "JavaScript" in _refused(registrar, scripted)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
@pytest.mark.parametrize("lenient", [False, True], ids=["strict", "as-weasyprint-sets"])
def test_a_truncated_image_is_refused(registrar, monkeypatch, fmt, lenient):
    # Importing WeasyPrint turns on Pillow's process-wide leniency for cut-off files.
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", lenient)
    image = files.image_bytes(fmt, size=(400, 400))
    message = _refused(registrar, image[: len(image) // 2])
    assert "cut off or damaged" in message
    assert "PDF, JPEG or PNG, up to 5 MB" in message


def test_a_decompression_bomb_is_refused(registrar):
    # 100 million pixels in a few kilobytes: decoded, several hundred MB of memory.
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG", optimize=True)
    assert len(out.getvalue()) < 100_000
    message = _refused(registrar, out.getvalue())
    assert "too many pixels" in message


def test_the_pixel_limit_is_a_setting(registrar, settings):
    settings.UPLOADS_IMAGE_MAX_PIXELS = 1000
    assert "too many pixels" in _refused(registrar, files.image_bytes(size=(40, 30)))


def test_an_image_is_stored_without_its_metadata(registrar):
    exif = Image.Exif()
    exif[0x010E] = "taken at 12 Home Street"  # ImageDescription
    image = files.image_bytes("JPEG", size=(64, 64), exif=exif, comment=b"secret")
    assert b"Home Street" in image
    stored = _attach(registrar, image).file.read()
    assert b"Home Street" not in stored
    assert b"secret" not in stored
    assert files.same_picture(stored, image)


def test_a_turned_photo_stays_upright(registrar):
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    image = files.image_bytes("JPEG", size=(60, 20), exif=exif)
    stored = _attach(registrar, image).file.read()
    with Image.open(io.BytesIO(stored)) as picture:
        assert picture.size == (20, 60)
        assert picture.getexif().get(0x0112) is None


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (PDF_BYTES, "application/pdf"),
        (PNG_BYTES, "image/png"),
        (JPEG_BYTES, "image/jpeg"),
    ],
)
def test_good_files_upload_and_are_served(client, registrar, content, content_type):
    load_id_schema()
    event = make_event(registrar)
    client.force_login(registrar)
    client.post(
        reverse("registrations:document-upload", kwargs={"pk": event.pk}),
        {
            "kind": "birth_notification",
            "file": SimpleUploadedFile("scan", content, "application/octet-stream"),
        },
    )
    document = event.documents.get()
    response = client.get(
        reverse(
            "registrations:document",
            kwargs={"pk": event.pk, "document_pk": document.pk},
        )
    )
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    served = b"".join(response.streaming_content)
    assert (
        served == content
        if content_type == "application/pdf"
        else (files.same_picture(served, content))
    )


def test_a_refused_upload_says_what_is_accepted(client, registrar):
    load_id_schema()
    event = make_event(registrar)
    client.force_login(registrar)
    response = client.post(
        reverse("registrations:document-upload", kwargs={"pk": event.pk}),
        {
            "kind": "birth_notification",
            "file": SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + PAGE),
        },
        follow=True,
    )
    assert "Send a PDF, JPEG or PNG, up to 5 MB." in response.content.decode()
    assert not event.documents.exists()
