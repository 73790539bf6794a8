"""Every national ID typed into a form, checked with MOSIP's ID Authentication
against the name, date of birth and gender the form gives for that person
(docs/identity-verification.md, "ID Authentication").

A check runs when the registrar leaves a field of the person (the form's inline
check), again at submission for anything typed since, and is kept per (event,
person) in `IdCheck`. The same values checked again within `REUSE_SECONDS` reuse
the kept answer: a re-rendered field does not call MOSIP. An answer whose
signature does not verify is shown and never recorded. A death whose deceased's ID
does not match, or is deactivated, is not submitted until a supervisor allows it
(`id_check_override`); `refuse_blocked_death` enforces it in the submission."""

import datetime
import hashlib
import hmac
import threading
from dataclasses import dataclass, field

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.mosip import ida
from apps.onboarding import queries as onboarding
from apps.registrations import config
from apps.registrations.forms import SEPARATOR, EventForm
from apps.registrations.models import (
    BLOCKING_OUTCOMES,
    EventType,
    IdCheck,
    IdCheckOutcome,
    VitalEvent,
)

# A kept answer for the same values stands this long (a re-render, a second tab,
# the review right after the form).
REUSE_SECONDS = 300
# Outcomes that are MOSIP's word on the person, so worth reusing.
_MOSIP_ANSWERS = frozenset(
    {IdCheckOutcome.VERIFIED, IdCheckOutcome.MISMATCH, IdCheckOutcome.NOT_FOUND,
     IdCheckOutcome.DEACTIVATED}
)  # fmt: skip
OVERRIDE_REASON_MIN = 10


@dataclass(frozen=True)
class CheckedPerson:
    """Where one person's ID and particulars are in an event's form."""

    section: str
    title: str
    ids: tuple[tuple[str, ida.IdType], ...]  # (field, type), first typed wins
    name: str
    date_of_birth: str = ""
    gender: str = ""
    # A check that does not match, or a deactivated ID, stops the submission.
    blocking: bool = False

    def fields(self) -> set[str]:
        named = [self.name, self.date_of_birth, self.gender, *(f for f, _ in self.ids)]
        return {f for f in named if f}


def _parent(section: str, title: str) -> CheckedPerson:
    return CheckedPerson(section, title, (("uin", ida.IdType.UIN),), "full_name",
                         "date_of_birth")  # fmt: skip


def _spouse(section: str, title: str) -> CheckedPerson:
    return CheckedPerson(section, title, (("uin", ida.IdType.UIN),), "fullName",
                         "date_of_birth")  # fmt: skip


# Each person whose national ID the forms ask for (apps/registrations/definitions.py);
# a field a form does not have is left out of its check.
CHECKED_PEOPLE: dict[str, tuple[CheckedPerson, ...]] = {
    EventType.BIRTH: (
        _parent("mother", "Mother"),
        _parent("father", "Father"),
        CheckedPerson("informant", "Informant", (("uin", ida.IdType.UIN),),
                      "full_name", "date_of_birth"),
    ),  # fmt: skip
    EventType.DEATH: (
        CheckedPerson(
            "deceased", "Deceased",
            (("uin", ida.IdType.UIN), ("vid", ida.IdType.VID)),
            "fullName", "dateOfBirth", "gender", blocking=True,
        ),
        CheckedPerson("informant", "Informant", (("uin", ida.IdType.UIN),),
                      "full_name"),
    ),  # fmt: skip
    EventType.MARRIAGE: (_spouse("spouse1", "First spouse"),
                         _spouse("spouse2", "Second spouse")),
    EventType.DIVORCE: (_spouse("spouse1", "First spouse"),
                        _spouse("spouse2", "Second spouse")),
}  # fmt: skip
# The person whose check decides whether an event may be submitted.
BLOCKING_PERSON = {
    event_type: person.section
    for event_type, people in CHECKED_PEOPLE.items()
    for person in people
    if person.blocking
}


def person_of(event_type: str, question_key: str) -> CheckedPerson | None:
    """The checked person a form question belongs to (its ID or particulars)."""
    section, _, name = question_key.partition(SEPARATOR)
    for person in CHECKED_PEOPLE.get(event_type, ()):
        if person.section == section and name in person.fields():
            return person
    return None


def id_question_key(person: CheckedPerson) -> str:
    """The question where the person's check is shown: its UIN field."""
    return f"{person.section}{SEPARATOR}{person.ids[0][0]}"


@dataclass(frozen=True)
class Particulars:
    id_type: ida.IdType
    individual_id: str = field(repr=False)
    names: dict[str, str] = field(repr=False)
    date_of_birth: datetime.date | None = None
    gender: str = ""

    def fingerprint(self) -> str:
        """Identifies these values without keeping them (keyed with the portal's
        secret, so the kept digest cannot be matched against guessed UINs)."""
        text = "\x1f".join(
            [
                self.id_type,
                self.individual_id,
                *(f"{lang}={self.names[lang].strip()}" for lang in sorted(self.names)),
                self.date_of_birth.isoformat() if self.date_of_birth else "",
                self.gender,
            ]
        )
        return hmac.new(
            settings.SECRET_KEY.encode(), text.encode("utf-8"), hashlib.sha256
        ).hexdigest()

    def masked(self) -> str:
        return "*" * (len(self.individual_id) - 4) + self.individual_id[-4:]


class NothingToCheck(Exception):
    """No usable ID typed for the person (none, or one the form refuses)."""


class NameMissing(Exception):
    """An ID is typed but no name to check it against."""


def _value(form: EventForm, section: str, name: str) -> str:
    """A valid value of the form (a refused one counts as not given)."""
    input_name = f"{section}{SEPARATOR}{name}"
    if input_name in form.errors:
        return ""
    return (form.cleaned_data.get(input_name) or "").strip()


def particulars(form: EventForm, person: CheckedPerson) -> Particulars:
    """What `form` (validated) says of `person`. NothingToCheck when no valid ID
    is typed, NameMissing when there is no name to check it against."""
    individual_id, id_type = "", ida.IdType.UIN
    for field_name, kind in person.ids:
        input_name = f"{person.section}{SEPARATOR}{field_name}"
        if input_name not in form.fields:
            continue
        value = _value(form, person.section, field_name)
        if value:
            individual_id, id_type = value, kind
            break
    if not individual_id:
        raise NothingToCheck(person.section)
    names = {}
    multilingual = f"{person.section}{SEPARATOR}{person.name}{SEPARATOR}"
    for lang in config.entry_languages():
        if f"{multilingual}{lang}" in form.fields:
            text = _value(form, person.section, f"{person.name}{SEPARATOR}{lang}")
            if text:
                names[lang] = text
    if f"{person.section}{SEPARATOR}{person.name}" in form.fields:
        text = _value(form, person.section, person.name)
        if text:
            # A name typed once is in the first entry language (as packets send it).
            names[config.primary_language()] = text
    if not names:
        raise NameMissing(person.section)
    born = None
    if person.date_of_birth:
        text = _value(form, person.section, person.date_of_birth)
        born = datetime.date.fromisoformat(text) if text else None
    gender = _value(form, person.section, person.gender) if person.gender else ""
    return Particulars(id_type, individual_id, names, born, gender)


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


UNTRUSTED_WORDS = (
    "MOSIP's answer could not be trusted (its signature did not verify), so nothing "
    "was recorded. Try again in a moment; if it persists, tell the integration admin."
)


def id_checks_before_submission(*, event: VitalEvent, form: EventForm, actor) -> None:
    """Before a submission: every typed ID checked for what the form says; a death
    whose deceased's answer could not be trusted is not submitted."""
    shown = id_checks_bring_up_to_date(event=event, form=form, actor=actor)
    section = BLOCKING_PERSON.get(event.event_type)
    if section and shown.get(section) and shown[section].state == "untrusted":
        raise EventIdCheckBlocked(f"The deceased's national ID: {UNTRUSTED_WORDS}")


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
            "The deceased's national ID has not been checked with MOSIP for what "
            "the form says now: review the event again."
        )
    check = blocking_check(event, form)
    if check is not None:
        raise EventIdCheckBlocked(blocked_reason(check), check)


def blocked_reason(check: IdCheck) -> str:
    if check.outcome == IdCheckOutcome.DEACTIVATED:
        what = f"The deceased's {check.id_type} is deactivated in MOSIP"
    else:
        what = (
            f"The deceased's {check.id_type} does not match MOSIP's record "
            f"({mismatch_words(check)})"
        )
    return (
        f"{what}: the death cannot be submitted unless a supervisor allows it, with "
        "a reason, from the event's page on the supervisor dashboard."
    )


PROBLEM_WORDS = {
    "not_set_up": "the IDA step of onboarding is not done",
    "licence": "MOSIP refuses the MISP licence key",
    "api_key": "MOSIP refuses the partner's API key",
    "policy": "the partner's policy does not allow this check",
    "partner_certificate": "MOSIP refuses the partner's signature",
    "ida_certificate": "IDA's encryption certificate has changed",
    "response_signature": "MOSIP's answer could not be trusted",
    "clock": "this server's clock is not MOSIP's",
    "request": "MOSIP refused a field of the request",
    "bad_response": "the IDA address does not answer as IDA",
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
    names = {"name": "name", "dob": "date of birth", "gender": "sex", "age": "age"}
    words = []
    for item in check.mismatches or []:
        attribute = names.get(item.get("attribute"), item.get("attribute"))
        language = config.LANGUAGE_NAMES.get(item.get("language"), item.get("language"))
        text = f"{attribute} in {language}" if language else attribute
        if not item.get("held", True):
            text += " (MOSIP holds none)"
        words.append(text)
    return ", ".join(words) or "details not given"


def id_check_override(*, check: IdCheck, actor, reason: str) -> IdCheck:
    """A supervisor allows a death blocked by `check`, with a reason kept in the
    audit trail. Only a blocking check of an event not yet submitted."""
    reason = (reason or "").strip()
    if len(reason) < OVERRIDE_REASON_MIN:
        raise ValueError(
            f"Give the reason for going on (at least {OVERRIDE_REASON_MIN} characters)."
        )
    if not getattr(actor, "is_supervisor", False):
        raise PermissionError("Only a supervisor may allow this.")
    with transaction.atomic():
        check = (
            IdCheck.objects.select_for_update().select_related("event").get(pk=check.pk)
        )
        if check.outcome not in BLOCKING_OUTCOMES:
            raise ValueError("This check does not stop the event.")
        if not check.event.is_editable:
            raise ValueError("The event was submitted already.")
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
