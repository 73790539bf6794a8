"""The public verify page's work: read a QR from text or a photo, check it, describe it."""

import datetime
import hashlib
import io
import time
import warnings
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from apps.certificates import claim169, config, content
from apps.certificates.models import IssuerKey
from apps.certificates.queries import issuer_public_keys

# A phone photo is at most a few tens of megapixels; more is an attack or an error.
MAX_IMAGE_PIXELS = 50_000_000
# zxing finds a printed QR well below this; larger photos are scaled down first.
DECODE_MAX_SIDE = 2400


def check_allowed(client_ip: str) -> bool:
    """Count a check from `client_ip`; False once it is over the per-minute limit.

    Reading photos costs CPU, and the page is open to anyone: a per-address budget
    keeps one client from starving the rest.
    """
    digest = hashlib.sha256(client_ip.encode()).hexdigest()[:32]
    key = f"certificate-checks:{digest}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=120)
        count = 1
    return count <= config.verify_checks_per_minute()


class ImageError(Exception):
    """The upload is not a readable picture of a QR code; `str()` says why."""


@dataclass
class Outcome:
    valid: bool
    message: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    signer: list[tuple[str, str]] = field(default_factory=list)


def read_qr_image(upload) -> str:
    """The text of the QR code in an uploaded picture."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > config.verify_upload_max_bytes():
        raise ImageError(_("The picture is too large. Send one under 8 MB."))
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ImageError(_("The picture has too many pixels to read."))
            image = image.convert("L")
            image.thumbnail((DECODE_MAX_SIDE, DECODE_MAX_SIDE))
    except ImageError:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ImageError(_("The picture has too many pixels to read.")) from exc
    except UnidentifiedImageError as exc:
        raise ImageError(_("The file is not a picture we can read.")) from exc
    except Exception as exc:  # truncated or hostile files fail in many ways
        raise ImageError(_("The file is not a picture we can read.")) from exc
    import zxingcpp

    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    texts = [barcode.text for barcode in found if barcode.valid and barcode.text]
    if not texts:
        raise ImageError(_("No QR code was found in the picture."))
    return texts[0]


def _date(value) -> str:
    text = str(value)
    if len(text) == 8 and text.isdigit():
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return text


# English here, translated when shown (gettext_noop puts them in the catalogs).
_GENDER = {1: gettext_noop("Male"), 2: gettext_noop("Female"), 3: gettext_noop("Other")}
_MARITAL = {
    1: gettext_noop("Unmarried"),
    2: gettext_noop("Married"),
    3: gettext_noop("Divorced"),
}
# Claim 169 key 24, the portal's event type.
_EVENTS = {
    "birth": gettext_noop("Birth"),
    "death": gettext_noop("Death"),
    "marriage": gettext_noop("Marriage"),
    "divorce": gettext_noop("Divorce"),
}


def _field_value(key: int, value) -> str:
    if key in (8, content.KEY_EVENT_DATE):
        return _date(value)
    if key == 9:
        return _(_GENDER[value]) if value in _GENDER else str(value)
    if key == 14:
        return _(_MARITAL[value]) if value in _MARITAL else str(value)
    if key == content.KEY_EVENT_TYPE:
        name = _EVENTS.get(str(value))
        return _(name) if name else str(value)
    if isinstance(value, bytes):
        # The English text is the same for one byte and several.
        size = ngettext("(%(count)s bytes)", "(%(count)s bytes)", len(value))
        return size % {"count": len(value)}
    return str(value)


def _when(seconds) -> str:
    if not isinstance(seconds, int | float):
        return ""
    try:
        moment = datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    except (OverflowError, OSError, ValueError):
        return str(seconds)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")


def _key_order(item) -> tuple:
    key = item[0]
    return (0, key, "") if isinstance(key, int) else (1, 0, str(key))


def _label(key) -> str:
    if key in content.KEY_LABELS:
        return _(content.KEY_LABELS[key])
    return _("Field %(key)s") % {"key": key}


def describe(verified: claim169.Verified) -> Outcome:
    fields = [
        (_label(key), _field_value(key, value))
        for key, value in sorted(verified.identity.items(), key=_key_order)
        if not (isinstance(key, int) and 50 <= key <= 65)  # biometrics are not shown
    ]
    claims = verified.claims
    key = IssuerKey.objects.filter(kid=verified.kid.decode(errors="replace")).first()
    signer = [
        (_("Issuer"), verified.issuer),
        (_("Key id"), verified.kid.decode(errors="replace")),
        (_("Algorithm"), "Ed25519 (EdDSA)"),
    ]
    if key is not None and key.retired_at:
        retired = _("retired %(date)s") % {"date": timezone.localdate(key.retired_at)}
        signer.append((_("Key"), retired))
    if iat := _when(claims.get(claim169.CWT_IAT)):
        signer.append((_("Signed at"), iat))
    if exp := _when(claims.get(claim169.CWT_EXP)):
        signer.append((_("Valid until"), exp))
    cti = claims.get(claim169.CWT_CTI)
    if isinstance(cti, bytes):
        signer.append((_("Certificate number"), cti.decode(errors="replace")))
    return Outcome(True, _("Valid: signed by the civil registry."), fields, signer)


def verify_text(text: str, *, now=None, public_keys=None) -> Outcome:
    now = now or timezone.now()
    try:
        verified = claim169.decode(
            text,
            public_keys=issuer_public_keys() if public_keys is None else public_keys,
            now=int(now.timestamp()),
        )
    except claim169.VerificationError as error:
        # claim169 stays free of Django: its messages are marked there with a
        # stand-in gettext_noop and translated here.
        return Outcome(False, _("Not valid. %(reason)s") % {"reason": _(str(error))})
    return describe(verified)
