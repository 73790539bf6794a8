"""Asking MOSIP about a person's ID, keeping its answer, and reading what is kept."""

import datetime
import threading
from dataclasses import dataclass

import requests
from django.db import transaction
from django.utils import timezone

from apps.mosip import ida
from apps.onboarding import queries as onboarding
from apps.registrations import config
from apps.registrations.forms import EventForm
from apps.registrations.models import (
    IdCheck,
    IdCheckOutcome,
    VitalEvent,
)
from apps.registrations.services.id_checks.people import (
    CHECKED_PEOPLE,
    CheckedPerson,
    NameMissing,
    NothingToCheck,
    Particulars,
    particulars,
    person_of,
)

# A kept answer for the same values stands this long (a re-render, a second tab,
# the review right after the form).
REUSE_SECONDS = 300
# Outcomes that are MOSIP's word on the person, so worth reusing.
_MOSIP_ANSWERS = frozenset(
    {IdCheckOutcome.VERIFIED, IdCheckOutcome.MISMATCH, IdCheckOutcome.NOT_FOUND,
     IdCheckOutcome.DEACTIVATED}
)  # fmt: skip


# MOSIP ------------------------------------------------------------------------------

_sessions = threading.local()


def _session() -> requests.Session:
    """One HTTP session per thread: a check reuses the connection to IDA."""
    session = getattr(_sessions, "session", None)
    if session is None:
        session = _sessions.session = requests.Session()
    return session


def ask_mosip(values: Particulars) -> ida.IdaAnswer:
    partner = onboarding.ida_partner()
    if partner is None:
        return ida.IdaAnswer(
            ida.Outcome.REFUSED, problem=ida.Problem.NOT_SET_UP,
            detail="The portal is not onboarded with MOSIP's ID Authentication.",
        )  # fmt: skip
    person = ida.Demographics(
        names=values.names,
        date_of_birth=values.date_of_birth,
        gender=values.gender,
        gender_languages=tuple(config.entry_languages()[:1]) if values.gender else (),
    )
    return ida.authenticate(
        partner, values.individual_id, values.id_type, person, session=_session()
    )


# Checks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckShown:
    """What the form shows at a person's UIN field: the kept check, or why there
    is none (`state`: "name_missing", "untrusted")."""

    person: CheckedPerson
    check: IdCheck | None = None
    state: str = ""
    detail: str = ""

    @property
    def outcome(self) -> str:
        return self.check.outcome if self.check else self.state


def _record(
    event: VitalEvent, person: CheckedPerson, values: Particulars,
    answer: ida.IdaAnswer, actor,
) -> IdCheck:  # fmt: skip
    outcome = IdCheckOutcome(answer.outcome.value)
    fingerprint = values.fingerprint()
    with transaction.atomic():
        found = (
            IdCheck.objects.select_for_update()
            .filter(event=event, section=person.section)
            .first()
        )
        check = found or IdCheck(event=event, section=person.section)
        # An override stands for the answer it was given on, and no other.
        if check.fingerprint != fingerprint or check.outcome != outcome:
            check.overridden_by = check.overridden_at = None
            check.override_reason = ""
        check.id_type = str(values.id_type)
        check.id_masked = values.masked()
        check.fingerprint = fingerprint
        check.outcome = outcome
        check.mismatches = [
            {"attribute": m.attribute, "language": m.language, "held": m.held}
            for m in answer.mismatches
        ]
        check.detail = answer.detail[:500]
        check.problem = str(answer.problem or "")
        check.error_codes = [c for c in answer.error_codes if c]
        check.auth_token = answer.auth_token[:100]
        check.transaction_id = answer.transaction_id[:20]
        check.checked_at = timezone.now()
        check.checked_by = actor if getattr(actor, "is_authenticated", False) else None
        check.save()
    return check


def _reusable(check: IdCheck | None, fingerprint: str) -> bool:
    return (
        check is not None
        and check.fingerprint == fingerprint
        and check.outcome in _MOSIP_ANSWERS
        and check.checked_at
        >= timezone.now() - datetime.timedelta(seconds=REUSE_SECONDS)
    )


def id_check_person(
    *, event: VitalEvent, form: EventForm, person: CheckedPerson, actor
) -> CheckShown | None:
    """Check `person`'s ID as `form` (validated) gives it, or reuse the kept answer
    for the same values; None when no usable ID is typed (a check kept for an ID
    since removed is dropped)."""
    try:
        values = particulars(form, person)
    except NothingToCheck:
        IdCheck.objects.filter(event=event, section=person.section).delete()
        return None
    except NameMissing:
        return CheckShown(person, state="name_missing")
    kept = IdCheck.objects.filter(event=event, section=person.section).first()
    if _reusable(kept, values.fingerprint()):
        return CheckShown(person, kept)
    answer = ask_mosip(values)
    if (
        answer.outcome == ida.Outcome.REFUSED
        and not answer.signed
        and (answer.problem == ida.Problem.RESPONSE_SIGNATURE)
    ):
        # Not MOSIP's word: shown, never recorded.
        return CheckShown(person, state="untrusted", detail=answer.detail)
    return CheckShown(person, _record(event, person, values, answer, actor))


def id_check_question(
    *, event: VitalEvent, form: EventForm, question_key: str, actor
) -> CheckShown | None:
    """The form's inline check: the registrar left `question_key`; when it belongs
    to a person whose ID is checked, that person's check."""
    person = person_of(event.event_type, question_key)
    if person is None:
        return None
    return id_check_person(event=event, form=form, person=person, actor=actor)


def current_checks(event: VitalEvent, form: EventForm) -> dict[str, CheckShown]:
    """Each person's kept check that still holds for what `form` says, by section,
    without calling MOSIP (a stale one counts as none)."""
    kept = {c.section: c for c in event.id_checks.all()}
    shown = {}
    for person in CHECKED_PEOPLE.get(event.event_type, ()):
        check = kept.get(person.section)
        try:
            values = particulars(form, person)
        except NothingToCheck:
            continue
        except NameMissing:
            shown[person.section] = CheckShown(person, state="name_missing")
            continue
        if check is not None and check.fingerprint == values.fingerprint():
            shown[person.section] = CheckShown(person, check)
        else:
            shown[person.section] = CheckShown(person, state="not_checked")
    return shown


def id_checks_bring_up_to_date(
    *, event: VitalEvent, form: EventForm, actor
) -> dict[str, CheckShown]:
    """Check every person whose kept check does not hold for `form` (typed without
    the inline check, or changed since): before the review and the submission."""
    out = {}
    for person in CHECKED_PEOPLE.get(event.event_type, ()):
        shown = id_check_person(event=event, form=form, person=person, actor=actor)
        if shown is not None:
            out[person.section] = shown
    return out
