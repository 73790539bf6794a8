"""Every write for certificates: issuing (first issue, reprint, certified copy) and keys.

A certificate is rendered with no transaction open (rendering takes seconds) and
stored inside the transaction that locks its event. Under the lock the event is
checked again: if another certificate was printed for it, or the event changed, since
the render, the render is done again; so numbers and sequences stay unique, only one
first issue is ever kept, and the PDF's SHA-256 in the audit trail is that of the very
file kept.
"""

import base64
import datetime
import hashlib
import secrets
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from apps.audit.services import audit_record
from apps.certificates import claim169, config, content, queries, rendering
from apps.certificates.models import Certificate, CertificateKind, IssuerKey
from apps.registrations import config as reg_config
from apps.registrations import services as registrations
from apps.registrations.models import VitalEvent


class CertificateError(Exception):
    """The certificate cannot be printed; `str()` says why."""


# Keys ---------------------------------------------------------------------------


def _new_key(now) -> IssuerKey:
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return IssuerKey.objects.create(
        kid=f"crvs-{now:%Y%m%d}-{secrets.token_hex(3)}",
        private_key=base64.b64encode(seed).decode("ascii"),
        public_key=base64.b64encode(public).decode("ascii"),
        is_active=True,
    )


def issuer_key_rotate(*, actor, now=None) -> IssuerKey:
    """Sign from now on with a new key; earlier keys stay published for verifying."""
    now = now or timezone.now()
    with transaction.atomic():
        old = list(IssuerKey.objects.select_for_update().filter(is_active=True))
        IssuerKey.objects.filter(pk__in=[k.pk for k in old]).update(
            is_active=False, retired_at=now
        )
        key = _new_key(now)
        audit_record(
            actor=actor,
            action="certificates.key_rotated",
            target=key,
            details={"kid": key.kid, "retired": [k.kid for k in old]},
        )
    return key


def issuer_key_ensure(*, actor=None) -> IssuerKey:
    """The signing key, created on first use."""
    key = queries.issuer_key_active()
    if key is None:
        try:
            key = issuer_key_rotate(actor=actor)
        except IntegrityError:
            # Another request made the first key at the same moment: use that one.
            key = queries.issuer_key_active()
    return key


def _private_key(key: IssuerKey) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(key.private_key))


# Documents ------------------------------------------------------------------------


def _labelled(label: str, value: str) -> content.Row:
    return content.Row(
        content.in_primary(label), content.translate(label), [content.Text(value)]
    )


def document_context(
    event: VitalEvent,
    *,
    child_uin: str = "",
    number: str = "",
    kind: str = CertificateKind.ORIGINAL,
    issued_at=None,
    qr_text: str = "",
) -> dict:
    """Everything the certificate template prints; no number and no QR for a preview.

    Built in the certificate's primary language, not the reader's: a label that is a
    lazy translation (a model choice) is read, and looked up in `content.translate`,
    in the language it is printed in.
    """
    lang = reg_config.HTML_LANG_TAGS.get(reg_config.primary_language(), "en")
    with translation.override(lang):
        return _document_context(
            event,
            lang=lang,
            child_uin=child_uin,
            number=number,
            kind=kind,
            issued_at=issued_at,
            qr_text=qr_text,
        )


def _document_context(
    event: VitalEvent, *, lang, child_uin, number, kind, issued_at, qr_text
) -> dict:
    profile = queries.profile_for(event.office)
    secondary = content.secondary_language()
    title = content.TITLES[event.event_type]
    number_rows = [
        _labelled(gettext_noop("Registration number"), event.registration_number or ""),
        _labelled(
            gettext_noop("Date of registration"),
            timezone.localdate(event.submitted_at).strftime("%d %B %Y")
            if event.submitted_at
            else "",
        ),
    ]
    if number:
        number_rows.append(_labelled(gettext_noop("Certificate number"), number))
    if issued_at:
        number_rows.append(
            _labelled(
                gettext_noop("Issued on"),
                timezone.localdate(issued_at).strftime("%d %B %Y"),
            )
        )
    # The kind's English label is the catalogues' key for the certificate's languages.
    with translation.override(settings.LANGUAGE_CODE):
        kind_label = (
            "" if kind == CertificateKind.ORIGINAL else str(CertificateKind(kind).label)
        )
    return {
        "lang": lang,
        "secondary_lang": reg_config.HTML_LANG_TAGS.get(secondary, secondary),
        "secondary_dir": "rtl" if secondary in reg_config.RTL_LANGUAGES else "ltr",
        "profile": profile,
        "office_name": profile.office_name or event.office.name,
        "title": content.in_primary(title),
        "title_secondary": content.translate(title),
        "event_type": event.event_type,
        "statement": content.in_primary(content.STATEMENTS[event.event_type]),
        "statement_secondary": content.translate(content.STATEMENTS[event.event_type]),
        "kind_label": content.in_primary(kind_label) if kind_label else "",
        "kind_label_secondary": content.translate(kind_label) if kind_label else "",
        "rows": [r for r in content.rows_for(event, child_uin=child_uin)],
        "number_rows": [r for r in number_rows if r.values[0].value],
        "certificate_number": number,
        "seal_url": rendering.seal_src(profile.seal),
        "qr_image": rendering.qr_image(qr_text) if qr_text else "",
        "scan_secondary": content.translate("Scan to verify"),
        "verify_url": config.issuer().rstrip("/") + reverse("certificates:verify"),
        "preview": not number,
    }


def _qr_text(event, *, key: IssuerKey, number: str, child_uin: str, now, expires):
    identity = content.identity_for(
        event, certificate_number=number, child_uin=child_uin
    )
    return claim169.encode(
        identity,
        key=_private_key(key),
        kid=key.kid.encode(),
        issuer=config.issuer(),
        issued_at=int(now.timestamp()),
        expires_at=int(expires.timestamp()) if expires else None,
        token_id=number.encode(),
    )


AUDIT_ACTIONS = {
    CertificateKind.ORIGINAL: "certificate.issued",
    CertificateKind.REPRINT: "certificate.reprinted",
    CertificateKind.CERTIFIED_COPY: "certificate.copied",
}


# Renders done again when other certificates for the same event keep being printed
# between a render and its commit; past this the registrar is asked to try again.
RENDER_ATTEMPTS = 5


@dataclass(frozen=True)
class _Rendered:
    """A certificate rendered for an event as it stood when it was read."""

    event_updated_at: datetime.datetime
    sequence: int
    number: str
    child_uin: str
    expires: datetime.datetime | None
    pdf: bytes


def _refuse_if_ineligible(eligibility: queries.Eligibility, kind: str) -> None:
    if kind == CertificateKind.ORIGINAL and not eligibility.can_issue:
        raise CertificateError(
            eligibility.reason or _("The certificate has already been issued.")
        )
    if kind != CertificateKind.ORIGINAL and not eligibility.can_reissue:
        raise CertificateError(_("Issue the certificate before reprinting it."))


def _next_sequence(event: VitalEvent) -> int:
    return max(event.certificates.values_list("sequence", flat=True), default=0) + 1


def _render(event, *, eligibility, key: IssuerKey, kind: str, now) -> _Rendered:
    sequence = _next_sequence(event)
    number = f"{event.registration_number}-C{sequence:02d}"
    days = config.qr_validity_days()
    expires = now + datetime.timedelta(days=days) if days else None
    qr_text = _qr_text(
        event,
        key=key,
        number=number,
        child_uin=eligibility.child_uin,
        now=now,
        expires=expires,
    )
    pdf = rendering.certificate_pdf(
        document_context(
            event,
            child_uin=eligibility.child_uin,
            number=number,
            kind=kind,
            issued_at=now,
            qr_text=qr_text,
        )
    )
    return _Rendered(
        event_updated_at=event.updated_at,
        sequence=sequence,
        number=number,
        child_uin=eligibility.child_uin,
        expires=expires,
        pdf=pdf,
    )


def _still_current(rendered: _Rendered, event: VitalEvent, eligibility) -> bool:
    """The locked event is the one rendered: unchanged, no certificate printed since."""
    return (
        event.updated_at == rendered.event_updated_at
        and eligibility.child_uin == rendered.child_uin
        and _next_sequence(event) == rendered.sequence
    )


def certificate_issue(
    *,
    event: VitalEvent,
    actor,
    kind: str = CertificateKind.ORIGINAL,
    reason="",
    now=None,
) -> Certificate:
    """Print a certificate of `kind` for the event; a reprint needs a reason."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if kind == CertificateKind.REPRINT and not reason:
        raise CertificateError(_("Give the reason for the reprint."))
    key = issuer_key_ensure(actor=actor)
    for _attempt in range(RENDER_ATTEMPTS):
        event = VitalEvent.objects.select_related("office").get(pk=event.pk)
        eligibility = queries.certificate_eligibility(event)
        _refuse_if_ineligible(eligibility, kind)
        rendered = _render(event, eligibility=eligibility, key=key, kind=kind, now=now)
        with transaction.atomic():
            event = (
                VitalEvent.objects.select_for_update()
                .select_related("office")
                .get(pk=event.pk)
            )
            eligibility = queries.certificate_eligibility(event)
            _refuse_if_ineligible(eligibility, kind)
            if _still_current(rendered, event, eligibility):
                return _certificate_save(
                    event, rendered, actor=actor, kind=kind, reason=reason, key=key,
                    now=now,
                )  # fmt: skip
    raise CertificateError(
        _(
            "Other certificates for this event were being printed at the same time: "
            "print it again."
        )
    )


def _certificate_save(
    event, rendered: _Rendered, *, actor, kind, reason, key, now
) -> Certificate:
    """Keep the rendered PDF and record it; called with the event locked."""
    number = rendered.number
    certificate = Certificate(
        event=event,
        number=number,
        sequence=rendered.sequence,
        kind=kind,
        reason=reason[:300],
        issued_by=actor,
        issued_at=now,
        expires_at=rendered.expires,
        issuer_key=key,
        pdf_sha256=hashlib.sha256(rendered.pdf).hexdigest(),
    )
    certificate.pdf.save(f"{number}.pdf", ContentFile(rendered.pdf), save=False)
    storage, name = certificate.pdf.storage, certificate.pdf.name
    try:
        certificate.save()
        audit_record(
            actor=actor,
            action=AUDIT_ACTIONS[kind],
            target=event,
            details={
                "certificate_number": number,
                "kind": kind,
                "pdf_sha256": certificate.pdf_sha256,
                "kid": key.kid,
                "certificate_id": certificate.pk,
            },
        )
        if kind == CertificateKind.ORIGINAL:
            registrations.event_mark_certified(
                event=event, actor=actor, certificate_number=number, at=now
            )
    except Exception:
        storage.delete(name)
        raise
    return certificate
