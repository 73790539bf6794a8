"""Reads for certificates: who may see what, when an event can be certified, keys."""

import base64
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from apps.certificates.forms import IssueForm
from apps.certificates.models import Certificate, CertificateProfile, IssuerKey
from apps.registrations.models import EventStatus, PacketStatus, PacketSubject
from apps.registrations.queries import events_visible_to
from apps.registrations.services import CERTIFIABLE_STATUSES

WAITING_STATUSES = {
    EventStatus.SUBMITTED,
    EventStatus.PACKET_CREATED,
    EventStatus.PROCESSING,
}


@dataclass(frozen=True)
class Eligibility:
    can_issue: bool  # a first certificate may be issued now
    can_reissue: bool  # reprints and certified copies may be printed
    reason: str = ""  # why not, in words for the registrar
    child_uin: str = ""
    # Nothing for the registrar to do: MOSIP's answer will change this by itself.
    pending: bool = False


def certificate_eligibility(event) -> Eligibility:
    """Whether the event's certificate may be printed, and why not if it may not.

    Birth waits for the child's national ID; death, marriage and divorce wait until
    MOSIP has processed every packet sent for them. An event registered without a
    packet can be certified at once.
    """
    packets = [p for p in event.packets.all() if p.status != PacketStatus.WITHDRAWN]
    child = next((p for p in packets if p.subject == PacketSubject.CHILD), None)
    child_uin = child.uin if child else ""
    if event.status == EventStatus.CERTIFIED:
        return Eligibility(False, True, "", child_uin)
    if event.status == EventStatus.DRAFT:
        return Eligibility(False, False, _("The event has not been registered yet."))
    if event.status in WAITING_STATUSES:
        return Eligibility(
            False, False, _("MOSIP has not finished processing it yet."), pending=True
        )
    if event.status not in CERTIFIABLE_STATUSES:
        return Eligibility(
            False, False, _("MOSIP did not accept it: correct and resubmit it first.")
        )
    pending = [
        p
        for p in packets
        if p.status != PacketStatus.PROCESSED and p.processed_at is None
    ]
    if pending:
        who = ", ".join(p.get_subject_display().lower() for p in pending)
        return Eligibility(
            False,
            False,
            _("Waiting for MOSIP to process: %(subjects)s.") % {"subjects": who},
            pending=True,
        )
    if child is not None and not child_uin:
        return Eligibility(
            False,
            False,
            _("The child's national ID number has not arrived yet."),
            pending=True,
        )
    return Eligibility(True, False, "", child_uin)


def certificates_of(event):
    return event.certificates.select_related("issued_by").order_by("sequence")


def certificate_for_user(user, event_pk: int, certificate_pk: int) -> Certificate:
    return get_object_or_404(
        Certificate.objects.select_related("event"),
        pk=certificate_pk,
        event__in=events_visible_to(user).filter(pk=event_pk),
    )


def profile_for(office) -> CertificateProfile:
    """The office's wording, else the default row, else built-in defaults."""
    profile = (
        CertificateProfile.objects.filter(office=office).first()
        or CertificateProfile.objects.filter(office__isnull=True).first()
    )
    return profile or CertificateProfile()


def issuer_key_active() -> IssuerKey | None:
    return IssuerKey.objects.filter(is_active=True).first()


def issuer_public_keys() -> dict[bytes, Ed25519PublicKey]:
    """Every key that ever signed, by key id: retired keys still verify old prints."""
    return {
        key.kid.encode(): Ed25519PublicKey.from_public_bytes(
            base64.b64decode(key.public_key)
        )
        for key in IssuerKey.objects.all()
    }


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def issuer_key_set() -> dict:
    """The public keys as a JSON Web Key Set (RFC 8037 OKP keys)."""
    keys = []
    for key in IssuerKey.objects.order_by("created_at", "id"):
        keys.append(
            {
                "kty": "OKP",
                "crv": "Ed25519",
                "alg": "EdDSA",
                "use": "sig",
                "kid": key.kid,
                "x": _b64url(base64.b64decode(key.public_key)),
                "status": "active" if key.is_active else "retired",
            }
        )
    return {"keys": keys}


def section_context(event) -> dict:
    """What the certificate part of an event's page shows."""
    return {
        "event": event,
        "eligibility": certificate_eligibility(event),
        "certificates": certificates_of(event),
        "reprint_form": IssueForm(initial={"kind": "reprint"}),
    }
