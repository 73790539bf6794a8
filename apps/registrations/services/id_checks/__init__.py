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

from apps.registrations.services.id_checks.checking import (
    REUSE_SECONDS,
    CheckShown,
    ask_mosip,
    current_checks,
    id_check_person,
    id_check_question,
    id_checks_bring_up_to_date,
)
from apps.registrations.services.id_checks.death_rule import (
    OVERRIDE_REASON_MIN,
    PROBLEM_WORDS,
    UNTRUSTED_WORDS,
    EventIdCheckBlocked,
    blocked_reason,
    blocking_check,
    checks_of,
    id_check_override,
    id_checks_before_submission,
    id_not_verified,
    mismatch_words,
    refuse_blocked_death,
)
from apps.registrations.services.id_checks.people import (
    BLOCKING_PERSON,
    CHECKED_PEOPLE,
    CheckedPerson,
    NameMissing,
    NothingToCheck,
    Particulars,
    id_question_key,
    particulars,
    person_of,
)

__all__ = [
    "BLOCKING_PERSON",
    "CHECKED_PEOPLE",
    "OVERRIDE_REASON_MIN",
    "PROBLEM_WORDS",
    "REUSE_SECONDS",
    "UNTRUSTED_WORDS",
    "CheckShown",
    "CheckedPerson",
    "EventIdCheckBlocked",
    "NameMissing",
    "NothingToCheck",
    "Particulars",
    "ask_mosip",
    "blocked_reason",
    "blocking_check",
    "checks_of",
    "current_checks",
    "id_check_override",
    "id_check_person",
    "id_check_question",
    "id_checks_before_submission",
    "id_checks_bring_up_to_date",
    "id_not_verified",
    "id_question_key",
    "mismatch_words",
    "particulars",
    "person_of",
    "refuse_blocked_death",
]
