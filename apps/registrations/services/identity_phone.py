"""The informant verifies on their own phone (docs/identity-verification.md): the
registrar's screen shows a QR code of a portal address that sends the phone on to
e-Signet's login; e-Signet sends the phone back to the one callback, where no
registrar is signed in, so the login's secrets wait in a `PhoneLogin` row rather than
in the registrar's session. The callback finishes it with the registrar who started
it as the actor, and the registrar's page, which polls, shows the outcome.

The state is the only secret the QR carries: 256 random bits, valid for
`identity.LOGIN_SECONDS`, taken once."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.registrations.models import PhoneLogin
from apps.registrations.services import identity


def _expires_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=identity.LOGIN_SECONDS)


def phone_login_start(*, event, actor) -> PhoneLogin:
    """A login for `event`'s verified section that the informant finishes on their
    phone; IdentityVerificationError when one cannot start."""
    flow, url = identity.login_begin(event)
    with transaction.atomic():
        login = PhoneLogin.objects.create(
            state=flow.state, event=event, started_by=actor, nonce=flow.nonce,
            code_verifier=flow.code_verifier, authorize_url=url,
            started_at=timezone.now(),
        )  # fmt: skip
        audit_record(
            actor=actor, action="event.identity_phone_login_started", target=event,
            details={"phone_login": login.pk},
        )  # fmt: skip
    return login


def phone_login_of(*, event, actor, login_id: int) -> PhoneLogin | None:
    """The phone login `login_id` this registrar started for `event`, else None."""
    return PhoneLogin.objects.filter(pk=login_id, event=event, started_by=actor).first()


def phone_login_expired(login: PhoneLogin) -> bool:
    return login.started_at < _expires_before()


def phone_authorize_url(state: str) -> str | None:
    """e-Signet's login page for the phone that scanned `state`'s QR code, while
    the login waits; else None."""
    login = PhoneLogin.objects.filter(
        state=state, taken_at=None, started_at__gte=_expires_before()
    ).first()
    return login.authorize_url if login else None


def is_phone_state(state: str) -> bool:
    return bool(state) and PhoneLogin.objects.filter(state=state).exists()


def phone_login_finish(*, state: str, code: str, error: str = "") -> PhoneLogin:
    """e-Signet's answer at the callback, in the phone's browser: redeem it, fill the
    answers and record the verification with the registrar who started the login as
    the actor. The login is taken once; its outcome and message say what happened.
    IdentityVerificationError when `state` names no waiting login."""
    now = timezone.now()
    taken = PhoneLogin.objects.filter(state=state, taken_at=None).update(taken_at=now)
    login = (
        PhoneLogin.objects.select_related("event", "started_by")
        .filter(state=state)
        .first()
    )
    if not taken or login is None:
        raise identity.IdentityVerificationError(
            _(
                "This verification has been used already or is unknown: nothing "
                "was filled in. The registrar can start it again."
            ),
            code="state_mismatch",
        )
    pending = identity.PendingLogin(
        event_id=login.event_id, user_id=login.started_by_id, nonce=login.nonce,
        code_verifier=login.code_verifier, started_at=login.started_at.timestamp(),
        authorize_url=login.authorize_url,
    )  # fmt: skip
    try:
        if phone_login_expired(login):
            raise identity.IdentityVerificationError(
                _(
                    "The verification took too long: nothing was filled in. The "
                    "registrar can start it again."
                ),
                code="login_expired",
            )
        verification = identity.verification_complete(
            event=login.event, actor=login.started_by, pending=pending, code=code,
            error=error,
        )  # fmt: skip
    except identity.IdentityVerificationError as refusal:
        login.outcome = PhoneLogin.Outcome.REFUSED
        login.message = refusal.message
        login.save(update_fields=["outcome", "message"])
        return login
    login.outcome = PhoneLogin.Outcome.VERIFIED
    login.verification = verification
    login.save(update_fields=["outcome", "verification"])
    return login
