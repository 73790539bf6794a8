"""A certificate's QR survives printing as an image: segno → PNG → zxing-cpp → verify."""

import io

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.certificates import content, services, verification
from tests.certificates.factories import CHILD_UIN, certifiable_event

EXPECTED = {
    "birth": {"Full name": "Amina Bello", "ID": CHILD_UIN, "Event": "Birth"},
    "death": {"Full name": "Ibrahim Sule", "Event": "Death"},
    "marriage": {
        "Full name": "John Okafor",
        "Other spouse": "Mary Adeyemi",
        "Marital status": "Married",
    },
    "divorce": {"Full name": "John Okafor", "Marital status": "Divorced"},
}


def _png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=4, border=4)
    return buffer.getvalue()


@pytest.mark.parametrize("event_type", ["birth", "death", "marriage", "divorce"])
def test_a_printed_code_scans_back_and_verifies(event_type, registrar, db):
    event = certifiable_event(registrar, event_type)
    key = services.issuer_key_ensure()
    number = f"{event.registration_number}-C01"
    text = services._qr_text(
        event,
        key=key,
        number=number,
        child_uin=CHILD_UIN if event_type == "birth" else "",
        now=event.submitted_at,
        expires=None,
    )
    upload = SimpleUploadedFile("photo.png", _png(text), "image/png")

    scanned = verification.read_qr_image(upload)
    outcome = verification.verify_text(scanned)

    assert scanned == text
    assert outcome.valid, outcome.message
    fields = dict(outcome.fields)
    for label, value in EXPECTED[event_type].items():
        assert fields[label] == value
    assert fields["Registration number"] == event.registration_number
    assert fields["Certificate number"] == number
    assert dict(outcome.signer)["Key id"] == key.kid


def test_a_photo_taken_at_an_angle_with_a_margin_still_scans(registrar, db):
    event = certifiable_event(registrar, "death")
    key = services.issuer_key_ensure()
    text = services._qr_text(
        event, key=key, number="N-1", child_uin="", now=event.submitted_at, expires=None
    )
    code = Image.open(io.BytesIO(_png(text))).convert("L")
    photo = Image.new("L", (code.width * 3, code.height * 3), 235)
    photo.paste(code.rotate(12, expand=True, fillcolor=235), (code.width, code.width))
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", quality=80)

    scanned = verification.read_qr_image(
        SimpleUploadedFile("photo.jpg", buffer.getvalue(), "image/jpeg")
    )

    assert verification.verify_text(scanned).valid


def test_the_issued_code_fits_a_qr_comfortably(registrar, db):
    event = certifiable_event(registrar, "marriage")
    key = services.issuer_key_ensure()
    text = services._qr_text(
        event,
        key=key,
        number="X" * 44,
        child_uin="",
        now=event.submitted_at,
        expires=event.submitted_at,
    )
    # Under ~1,500 Base45 characters scans reliably at print size (ecosystem §6).
    assert len(text) < 1500
    assert (
        content.KEY_OTHER_PARTY
        in verification.claim169.decode(
            text,
            public_keys={key.kid.encode(): services._private_key(key).public_key()},
            now=int(event.submitted_at.timestamp()),
        ).identity
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not an image at all", "not a picture"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not a picture"),
    ],
)
def test_it_explains_an_unreadable_upload(data, message, db):
    with pytest.raises(verification.ImageError, match=message):
        verification.read_qr_image(SimpleUploadedFile("x.png", data, "image/png"))


def test_it_explains_a_picture_without_a_code(db):
    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), "white").save(buffer, format="PNG")
    with pytest.raises(verification.ImageError, match="No QR code"):
        verification.read_qr_image(
            SimpleUploadedFile("blank.png", buffer.getvalue(), "image/png")
        )


def test_it_refuses_a_decompression_bomb_picture(db):
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000), 1).save(buffer, format="PNG")
    assert len(buffer.getvalue()) < 1_000_000
    with pytest.raises(verification.ImageError, match="too many pixels"):
        verification.read_qr_image(
            SimpleUploadedFile("big.png", buffer.getvalue(), "image/png")
        )
