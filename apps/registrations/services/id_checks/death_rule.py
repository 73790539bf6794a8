"""The death rule: a death whose deceased's ID does not match, or is deactivated,
waits for a supervisor's override; and the words the pages use for checks."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.services import audit_record
from apps.registrations import config
from apps.registrations.forms import EventForm
from apps.registrations.models import (
    BLOCKING_OUTCOMES,
    IdCheck,
    IdCheckOutcome,
    VitalEvent,
)
from apps.registrations.services.id_checks.checking import (
    CheckShown,
    current_checks,
    id_checks_bring_up_to_date,
)
from apps.registrations.services.id_checks.people import (
    BLOCKING_PERSON,
    CHECKED_PEOPLE,
    CheckedPerson,
)

OVERRIDE_REASON_MIN = 10

# The death rule -------------------------------------------------------------------


class EventIdCheckBlocked(Exception):
    """A death whose deceased's ID does not match or is deactivated, not allowed
    by a supervisor; or whose ID was not checked for what the form says now."""

    def __init__(self, message: str, check: IdCheck | None = None):
        super().__init__(message)
        self.check = check


def blocking_check(event: VitalEvent, form: EventForm) -> IdCheck | None:
    """The check that stops `event` from being submitted, if any."""
    section = BLOCKING_PERSON.get(event.event_type)
    if section is None:
        return None
    shown = current_checks(event, form).get(section)
    check = shown.check if shown else None
    if check is None or check.outcome not in BLOCKING_OUTCOMES or check.overridden:
        return None
    return check


UNTRUSTED_WORDS = gettext_lazy(
    "MOSIP's answer could not be trusted (its signature did not verify), so nothing "
    "was recorded. Try again in a moment; if it persists, tell the integration admin."
)


def id_checks_before_submission(*, event: VitalEvent, form: EventForm, actor) -> None:
    """Before a submission: every typed ID checked for what the form says; a death
    whose deceased's answer could not be trusted is not submitted."""
    shown = id_checks_bring_up_to_date(event=event, form=form, actor=actor)
    section = BLOCKING_PERSON.get(event.event_type)
    if section and shown.get(section) and shown[section].state == "untrusted":
        raise EventIdCheckBlocked(
            _(
                "The deceased's national ID: MOSIP's answer could not be trusted "
                "(its signature did not verify), so nothing was recorded. Try again "
                "in a moment; if it persists, tell the integration admin."
            )
        )


def refuse_blocked_death(event: VitalEvent, form: EventForm) -> None:
    """Raise EventIdCheckBlocked when the death may not be submitted: the
    deceased's current check does not match or is deactivated and no supervisor
    allowed it, or the ID typed has no check for what the form says now."""
    section = BLOCKING_PERSON.get(event.event_type)
    if section is None:
        return
    shown = current_checks(event, form).get(section)
    if shown is not None and shown.check is None and shown.state == "not_checked":
        raise EventIdCheckBlocked(
            _(
                "The deceased's national ID has not been checked with MOSIP for what "
                "the form says now: review the event again."
            )
        )
    check = blocking_check(event, form)
    if check is not None:
        raise EventIdCheckBlocked(blocked_reason(check), check)


def blocked_reason(check: IdCheck) -> str:
    if check.outcome == IdCheckOutcome.DEACTIVATED:
        return _(
            "The deceased's %(id_type)s is deactivated in MOSIP: the death cannot "
            "be submitted unless a supervisor allows it, with a reason, from the "
            "event's page on the supervisor dashboard."
        ) % {"id_type": check.id_type}
    return _(
        "The deceased's %(id_type)s does not match MOSIP's record (%(mismatches)s): "
        "the death cannot be submitted unless a supervisor allows it, with a "
        "reason, from the event's page on the supervisor dashboard."
    ) % {"id_type": check.id_type, "mismatches": mismatch_words(check)}


PROBLEM_WORDS = {
    "not_set_up": gettext_lazy("the IDA step of onboarding is not done"),
    "licence": gettext_lazy("MOSIP refuses the MISP licence key"),
    "api_key": gettext_lazy("MOSIP refuses the partner's API key"),
    "policy": gettext_lazy("the partner's policy does not allow this check"),
    "partner_certificate": gettext_lazy("MOSIP refuses the partner's signature"),
    "ida_certificate": gettext_lazy("IDA's encryption certificate has changed"),
    "response_signature": gettext_lazy("MOSIP's answer could not be trusted"),
    "clock": gettext_lazy("this server's clock is not MOSIP's"),
    "request": gettext_lazy("MOSIP refused a field of the request"),
    "bad_response": gettext_lazy("the IDA address does not answer as IDA"),
}


def checks_of(event: VitalEvent) -> list[CheckShown]:
    """The event's kept checks, person by person, as they were made (no form:
    whether they still hold for the event's data is `current_checks`)."""
    people = {p.section: p for p in CHECKED_PEOPLE.get(event.event_type, ())}
    return [
        CheckShown(
            people.get(c.section) or CheckedPerson(c.section, c.section, (), ""), c
        )
        for c in event.id_checks.select_related("overridden_by")
    ]


def id_not_verified(shown: list[CheckShown]) -> bool:
    """Some ID of the event is not verified by MOSIP (whatever the reason)."""
    return any(s.outcome != IdCheckOutcome.VERIFIED for s in shown)


def mismatch_words(check: IdCheck) -> str:
    names = {
        "name": _("name"),
        "dob": _("date of birth"),
        "gender": _("sex"),
        "age": _("age"),
    }
    words = []
    for item in check.mismatches or []:
        attribute = names.get(item.get("attribute"), item.get("attribute"))
        language = config.LANGUAGE_NAMES.get(item.get("language"), item.get("language"))
        if language:
            text = _("%(attribute)s in %(language)s") % {
                "attribute": attribute,
                "language": language,
            }
        else:
            text = str(attribute)
        if not item.get("held", True):
            # Translators: a detail MOSIP has no value for, e.g. "sex".
            text = _("%(mismatch)s (MOSIP holds none)") % {"mismatch": text}
        words.append(text)
    return ", ".join(words) or _("details not given")


def id_check_override(*, check: IdCheck, actor, reason: str) -> IdCheck:
    """A supervisor allows a death blocked by `check`, with a reason kept in the
    audit trail. Only a blocking check of an event not yet submitted."""
    reason = (reason or "").strip()
    if len(reason) < OVERRIDE_REASON_MIN:
        raise ValueError(
            _("Give the reason for going on (at least %(min)s characters).")
            % {"min": OVERRIDE_REASON_MIN}
        )
    if not getattr(actor, "is_supervisor", False):
        raise PermissionError("Only a supervisor may allow this.")
    with transaction.atomic():
        check = (
            IdCheck.objects.select_for_update().select_related("event").get(pk=check.pk)
        )
        if check.outcome not in BLOCKING_OUTCOMES:
            raise ValueError(_("This check does not stop the event."))
        if not check.event.is_editable:
            raise ValueError(_("The event was submitted already."))
        check.overridden_by = actor
        check.overridden_at = timezone.now()
        check.override_reason = reason[:500]
        check.save(update_fields=["overridden_by", "overridden_at", "override_reason"])
        audit_record(
            actor=actor, action="registrations.id_check_overridden",
            target=check.event,
            details={"section": check.section, "outcome": check.outcome,
                     "id_type": check.id_type, "reason": check.override_reason,
                     "transaction_id": check.transaction_id},
        )  # fmt: skip
    return check
