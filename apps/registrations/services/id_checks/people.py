"""Where each person's national ID and particulars are in an event's form, and
what the form says of them."""

import datetime
import hashlib
import hmac
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.mosip import ida
from apps.registrations import config
from apps.registrations.forms import SEPARATOR, EventForm
from apps.registrations.models import EventType


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
        named = [
            self.name,
            self.date_of_birth,
            self.gender,
            *(f for f, _kind in self.ids),
        ]
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
        _parent("mother", _("Mother")),
        _parent("father", _("Father")),
        CheckedPerson("informant", _("Informant"), (("uin", ida.IdType.UIN),),
                      "full_name", "date_of_birth"),
    ),  # fmt: skip
    EventType.DEATH: (
        CheckedPerson(
            "deceased", _("Deceased"),
            (("uin", ida.IdType.UIN), ("vid", ida.IdType.VID)),
            "fullName", "dateOfBirth", "gender", blocking=True,
        ),
        CheckedPerson("informant", _("Informant"), (("uin", ida.IdType.UIN),),
                      "full_name"),
    ),  # fmt: skip
    EventType.MARRIAGE: (_spouse("spouse1", _("First spouse")),
                         _spouse("spouse2", _("Second spouse"))),
    EventType.DIVORCE: (_spouse("spouse1", _("First spouse")),
                        _spouse("spouse2", _("Second spouse"))),
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
    section, _sep, name = question_key.partition(SEPARATOR)
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
