"""Uploaded evidence is never served raw: no URL maps the media folder, the files sit
outside every folder the web server serves, and the one way out is the access-checked
download view, which sends each file as an attachment of the type its bytes show."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse

from apps.accounts.models import Role
from apps.registrations import services
from tests.factories import make_user
from tests.registrations.factories import PDF_BYTES, load_id_schema, make_event

# Bytes that start like a PDF and go on like a web page with a script.
POLYGLOT = PDF_BYTES + b"<html><script>alert(document.cookie)</script></html>"


@pytest.fixture
def uploaded(registrar, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_id_schema()
    event = make_event(registrar)
    document = services.event_attach_document(
        event=event,
        actor=registrar,
        kind="birth_notification",
        upload=SimpleUploadedFile("evidence.html", POLYGLOT, "text/html"),
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


def test_the_download_is_an_attachment_of_the_sniffed_type(uploaded, client, registrar):
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
    assert b"".join(response.streaming_content) == POLYGLOT


def test_the_download_is_access_checked(uploaded, client, office_b):
    event, document = uploaded
    url = reverse(
        "registrations:document",
        kwargs={"pk": event.pk, "document_pk": document.pk},
    )
    assert client.get(url).status_code == 302  # anonymous: to sign-in
    client.force_login(make_user(Role.REGISTRAR, office=office_b))
    assert client.get(url).status_code == 404
