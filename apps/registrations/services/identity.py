"""A person on an event's form proves who they are with MOSIP's e-Signet, and the
portal fills their answers from what e-Signet signed (docs/identity-verification.md).

The login is the OpenID Connect code flow with PKCE: `verification_start` keeps the
login's state, nonce and PKCE verifier in the registrar's session (`logins`, keyed by
state, bound to the event and the registrar) and gives the authorize URL;
`login_take` takes that entry back once, at the callback; `verification_complete`
redeems the code, verifies the id token and the userinfo JWS, and only then fills the
draft and records the verification. Any refusal raises
`IdentityVerificationError` and records nothing but an audit row."""

import datetime
import time
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.services import audit_record
from apps.mosip import esignet, esignet_proofs
from apps.mosip.errors import (
    MosipError,
    MosipInvalidProof,
    MosipRejected,
    MosipUnavailable,
)
from apps.onboarding import queries as onboarding
from apps.registrations import config, definitions
from apps.registrations.forms import SEPARATOR
from apps.registrations.models import IdentityVerification
from apps.registrations.services.common import event_locked
from apps.registrations.services.drafts import event_save_draft
from apps.registrations.validators import validate_uin

# Where pending logins live in the registrar's session, and the event of the latest
# login started (where a callback that matches no login is answered).
LOGINS_KEY = "identity_logins"
LAST_EVENT_KEY = "identity_last_event"
# A login not finished within this time is forgotten; e-Signet's own transaction
# lasts 300 s before the OTP and 120 s after it (docs/mosip/esignet.md §2).
LOGIN_SECONDS = 900
# At most this many logins wait at once in one session; the oldest goes first.
MAX_PENDING = 5
# What the portal asks e-Signet to share, and whether each is essential (gender is
# kept with the verification; no informant question takes it).
USERINFO_CLAIMS = {
    "name": True,
    "birthdate": True,
    "individual_id": True,
    "gender": False,
}
# The answers filled, as the registrar reads them.
FIELD_WORDS = {
    "full_name": gettext_lazy("name"),
    "date_of_birth": gettext_lazy("date of birth"),
    "uin": "UIN",
}


def filled_words(filled: dict) -> str:
    """The answers filled, in the form's order, as the registrar reads them."""
    return ", ".join(
        str(FIELD_WORDS[f]) for f in definitions.VERIFIED_ANSWERS if f in filled
    )


# e-Signet's answers at the redirect that mean the person stopped (its UI's
# redirectOnError, docs/mosip/esignet.md §4).
ERROR_WORDS = {
    "consent_request_rejected": gettext_lazy(
        "The informant declined to share their details with the portal."
    ),
    "access_denied": gettext_lazy("The informant did not allow sharing their details."),
}


_NOT_EDITABLE = gettext_lazy(
    "This event can no longer be edited: nothing was filled in."
)


class IdentityVerificationError(Exception):
    """Why a verification was refused, in words for the registrar; nothing was
    filled and no verification was recorded."""

    def __init__(self, message: str, *, code: str = "", event_id: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.event_id = event_id


@dataclass(frozen=True)
class PendingLogin:
    event_id: int
    user_id: int
    nonce: str
    code_verifier: str
    started_at: float
    authorize_url: str


def section_of(event) -> str | None:
    """The section whose person may be verified, or None for this kind of event."""
    return definitions.VERIFIED_SECTIONS.get(event.event_type)


def _client():
    client = onboarding.esignet_client()
    if client is None:
        raise IdentityVerificationError(
            _(
                "Verification with national ID is not set up: an integration admin "
                "registers the portal with e-Signet (onboarding)."
            ),
            code="not_set_up",
        )
    return client


def _explained(exc: MosipError) -> IdentityVerificationError:
    if isinstance(exc, MosipUnavailable):
        return IdentityVerificationError(
            _(
                "e-Signet cannot be reached just now. Try again in a moment, or type "
                "the informant's details."
            ),
            code="unavailable",
        )
    if isinstance(exc, MosipInvalidProof):
        return IdentityVerificationError(
            _(
                "e-Signet's answer could not be trusted (%(reason)s) Nothing was "
                "filled in. Start the verification again."
            )
            % {"reason": exc.message},
            code=f"proof:{exc.code}",
        )
    if isinstance(exc, MosipRejected):
        return IdentityVerificationError(
            _("e-Signet refused the login (%(code)s). Start the verification again.")
            % {"code": exc.code},
            code=f"rejected:{exc.code}",
        )
    return IdentityVerificationError(
        _(
            "e-Signet answered something the portal cannot read. Start the "
            "verification again, or type the informant's details."
        ),
        code="bad_response",
    )


def login_begin(event) -> tuple[esignet.FlowSecrets, str]:
    """A new login for `event`'s verified section: its secrets (state, nonce, PKCE
    verifier) and e-Signet's authorize URL."""
    if section_of(event) is None:
        raise IdentityVerificationError(
            _("No one on this form is verified with e-Signet.")
        )
    if not event.is_editable:
        raise IdentityVerificationError(str(_NOT_EDITABLE), code="not_editable")
    client = _client()
    try:
        discovery = esignet.discover(client.esignet_url)
    except MosipError as exc:
        raise _explained(exc) from exc
    flow = esignet.new_flow()
    language = config.HTML_LANG_TAGS.get(config.primary_language())
    url = esignet.authorize_url(
        discovery,
        client_id=client.client_id,
        redirect_uri=client.redirect_uri,
        flow=flow,
        userinfo_claims=USERINFO_CLAIMS,
        claims_locales=(language,) if language else (),
    )
    return flow, url


def verification_start(*, event, actor, logins) -> str:
    """Begin a login for `event`'s verified section on this device; its state. The
    state, nonce, PKCE verifier and e-Signet's authorize URL go into `logins` (the
    session)."""
    flow, url = login_begin(event)
    now = time.time()
    pending = {
        state: entry
        for state, entry in (logins.get(LOGINS_KEY) or {}).items()
        if now - entry["started_at"] < LOGIN_SECONDS
    }
    while len(pending) >= MAX_PENDING:
        pending.pop(min(pending, key=lambda s: pending[s]["started_at"]))
    pending[flow.state] = {
        "event_id": event.pk, "user_id": actor.pk, "nonce": flow.nonce,
        "code_verifier": flow.code_verifier, "started_at": now, "authorize_url": url,
    }  # fmt: skip
    logins[LOGINS_KEY] = pending
    logins[LAST_EVENT_KEY] = event.pk
    return flow.state


def authorize_url_of(logins, state: str, *, event, actor) -> str | None:
    """e-Signet's login page for a login this registrar started for `event` and
    has not finished, else None."""
    entry = (logins.get(LOGINS_KEY) or {}).get(state)
    if (
        entry is None
        or entry["user_id"] != actor.pk
        or entry["event_id"] != event.pk
        or time.time() - entry["started_at"] >= LOGIN_SECONDS
    ):
        return None
    return entry["authorize_url"]


def login_take(logins, state: str, *, actor) -> PendingLogin:
    """The pending login of `state`, taken out of `logins` so it serves once; a
    state this session did not start, already used, or too old is refused."""
    pending = dict(logins.get(LOGINS_KEY) or {})
    entry = pending.pop(state, None) if state else None
    logins[LOGINS_KEY] = pending
    if entry is None or entry["user_id"] != actor.pk:
        raise IdentityVerificationError(
            _(
                "This answer from e-Signet does not belong to a verification "
                "started here, or was used already: nothing was filled in. Start "
                "the verification again."
            ),
            code="state_mismatch",
            event_id=logins.get(LAST_EVENT_KEY),
        )
    if time.time() - entry["started_at"] >= LOGIN_SECONDS:
        raise IdentityVerificationError(
            _("The verification took too long: nothing was filled in. Start it again."),
            code="login_expired",
            event_id=entry["event_id"],
        )
    return PendingLogin(**entry)


def _claim(claims: dict, name: str, language: str | None) -> str | None:
    """A claim e-Signet may send per language (`name#en`) when several were asked."""
    value = claims.get(name)
    if value is None and language:
        value = claims.get(f"{name}#{language}")
    return value if isinstance(value, str) and value.strip() else None


def answers_from(claims: dict, section_fields: set[str]) -> dict[str, str]:
    """The section's answers the verified claims give: the name, the date of birth
    (`YYYY/MM/DD` as IDA stores it, written as ISO), the UIN when the person logged
    in with one (a VID is never written where a UIN is asked)."""
    language = config.HTML_LANG_TAGS.get(config.primary_language())
    filled = {}
    for field_name, claim in definitions.VERIFIED_ANSWERS.items():
        if field_name not in section_fields:
            continue
        value = _claim(claims, claim, language)
        if value is None:
            continue
        if claim == "birthdate":
            try:
                value = datetime.datetime.strptime(value, "%Y/%m/%d").date().isoformat()
            except ValueError:
                continue
        if claim == "individual_id":
            try:
                validate_uin(value)
            except ValidationError:
                continue
        filled[field_name] = value.strip()
    return filled


def _fields_of(event, section: str) -> set[str]:
    for item in definitions.SECTIONS[event.event_type]:
        if item.key == section:
            return {
                getattr(f, "name", "") or getattr(f, "schema_id", "")
                for f in item.fields
            }
    return set()


def _checked(event, pending: PendingLogin, code: str, error: str):
    """(id token claims, userinfo claims, answers to fill) once e-Signet's answer to
    this login holds; IdentityVerificationError otherwise."""
    section = section_of(event)
    if not event.is_editable:
        raise IdentityVerificationError(str(_NOT_EDITABLE), code="not_editable")
    if pending.event_id != event.pk or section is None:
        raise IdentityVerificationError(
            _("This answer from e-Signet belongs to another event."),
            code="wrong_event",
        )
    if error or not code:
        if error in ERROR_WORDS:
            message = str(ERROR_WORDS[error])
        elif error:
            message = _("e-Signet ended the login (%(error)s).") % {"error": error}
        else:
            message = _("e-Signet ended the login (no code).")
        raise IdentityVerificationError(message, code=f"redirect:{error or 'no_code'}")
    client = _client()
    try:
        discovery = esignet.discover(client.esignet_url)
        tokens = esignet.exchange_code(
            discovery, code=code, redirect_uri=client.redirect_uri,
            client_id=client.client_id, private_key_pem=client.private_key,
            code_verifier=pending.code_verifier,
        )  # fmt: skip
        keys = esignet.key_set(discovery)
        identity = esignet_proofs.verify_id_token(
            tokens.id_token, keys=keys, issuer=client.token_issuer,
            client_id=client.client_id, nonce=pending.nonce,
            access_token=tokens.access_token, acr=esignet.ACR_OTP,
        )  # fmt: skip
        claims = esignet_proofs.verify_userinfo(
            esignet.userinfo(discovery, tokens.access_token),
            keys=keys,
            subject=identity["sub"],
        )
    except MosipError as exc:
        raise _explained(exc) from exc
    filled = answers_from(claims, _fields_of(event, section))
    if not filled:
        raise IdentityVerificationError(
            _("e-Signet shared none of the informant's details the form asks for."),
            code="no_claims",
        )
    return identity, claims, filled


def verification_complete(
    *, event, actor, pending: PendingLogin, code: str, error: str = ""
) -> IdentityVerification:
    """Redeem e-Signet's code, verify what comes back, fill the answers and record
    the verification; IdentityVerificationError (audited) when anything fails."""
    try:
        identity, claims, filled = _checked(event, pending, code, error)
    except IdentityVerificationError as refusal:
        audit_record(
            actor=actor, action="event.identity_verification_refused", target=event,
            details={"reason": refusal.code},
        )  # fmt: skip
        raise
    section = section_of(event)
    client = _client()
    with transaction.atomic():
        # Read under the lock, so an autosave that came in meanwhile is kept.
        event = event_locked(event)
        data = {**event.data, section: {**(event.data.get(section) or {}), **filled}}
        event = event_save_draft(event=event, actor=actor, data=data)
        verification = IdentityVerification.objects.create(
            event=event, section=section, issuer=identity["iss"],
            subject=identity["sub"], client_id=client.client_id,
            acr=str(identity.get("acr") or ""), verified_at=timezone.now(),
            verified_by=actor,
            claims={k: v for k, v in claims.items()
                    if k == "sub" or k.split("#")[0] in USERINFO_CLAIMS},
            filled=filled,
        )  # fmt: skip
        audit_record(
            actor=actor, action="event.identity_verified", target=event,
            details={"section": section, "verification": verification.pk,
                     "fields": sorted(filled)},
        )  # fmt: skip
    return verification


def verification_current(event) -> IdentityVerification | None:
    """The latest verification, while the event still holds the answers it filled:
    an answer changed after the login drops the verified mark."""
    latest = event.identity_verifications.first()
    return latest if latest is not None and latest.matches(event.data) else None


def verified_inputs(event, values) -> set[str]:
    """The inputs (by name) whose value in `values` is still what the latest
    verification filled: each shows the verified mark."""
    latest = event.identity_verifications.first()
    if latest is None:
        return set()
    names = {SEPARATOR.join((latest.section, f)): v for f, v in latest.filled.items()}
    return {name for name, value in names.items() if values.get(name) == value}


@dataclass(frozen=True)
class ShownVerification:
    verification: IdentityVerification
    holds: bool

    @property
    def fields(self) -> str:
        return ", ".join(
            str(FIELD_WORDS.get(f, f)) for f in sorted(self.verification.filled)
        )


def verifications_shown(event) -> list[ShownVerification]:
    """Every verification of the event, newest first, each with whether the
    event's answers still say what it filled."""
    return [
        ShownVerification(v, v.matches(event.data))
        for v in event.identity_verifications.select_related("verified_by")
    ]
