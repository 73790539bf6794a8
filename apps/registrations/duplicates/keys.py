"""The values of an event that another registration of the same event would share.

Pure functions of an event's type and data, so that the submission service, the
checks on a draft and the migration that keys events recorded earlier all derive the
same keys. Names are reduced as the registrar's search reduces them
(apps/registrations/search.py): one key per name per entry language, whatever the
case, accents or Arabic diacritics typed. A UIN or VID is kept as its digits.
"""

import datetime
from dataclasses import dataclass

from apps.registrations.models import EventType, MatchKind
from apps.registrations.search import search_key

# A key's value column holds at most this much; a longer name is cut, alike on
# both sides of a comparison.
VALUE_MAX_CHARS = 200


@dataclass(frozen=True)
class Key:
    kind: str
    value: str
    born: datetime.date | None = None
    person: int = 0


@dataclass(frozen=True)
class Person:
    """One person as the checks compare people: identifier, names, date of birth."""

    uin: str = ""
    names: tuple[str, ...] = ()
    born: datetime.date | None = None


def date_or_none(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def number_key(value) -> str:
    """A national ID number as typed, spaces dropped; blank when it holds anything
    but digits (a draft may hold what the form would refuse)."""
    digits = "".join(str(value or "").split())
    return digits if digits.isascii() and digits.isdigit() else ""


def name_keys(value) -> tuple[str, ...]:
    """Each entry language's name, reduced; one name typed once gives one key."""
    names = value.values() if isinstance(value, dict) else [value]
    keys = []
    for name in names:
        if isinstance(name, str) and (key := search_key(name)[:VALUE_MAX_CHARS]):
            if key not in keys:
                keys.append(key)
    return tuple(keys)


def text_key(value) -> str:
    """A court's name or a decree number, compared as names are: case, accents,
    spacing and the punctuation between its parts set aside."""
    key = search_key(str(value or ""))
    return "".join(ch for ch in key if ch.isalnum())


def person_in(section: dict | None, *, name: str, uin: str, born: str) -> Person:
    section = section or {}
    return Person(
        uin=number_key(section.get(uin)),
        names=name_keys(section.get(name)),
        born=date_or_none(section.get(born)),
    )


def mother_of(data: dict) -> Person:
    return person_in(
        data.get("mother"), name="full_name", uin="uin", born="date_of_birth"
    )


def deceased_of(data: dict) -> tuple[Person, str]:
    """The deceased, and the VID typed for them (blank when none)."""
    section = data.get("deceased") or {}
    person = person_in(section, name="fullName", uin="uin", born="dateOfBirth")
    return person, number_key(section.get("vid"))


def spouses_of(data: dict) -> tuple[Person, Person]:
    return tuple(
        person_in(data.get(key), name="fullName", uin="uin", born="date_of_birth")
        for key in ("spouse1", "spouse2")
    )


def child_names(data: dict) -> tuple[str, ...]:
    return name_keys((data.get("child") or {}).get("fullName"))


def decree_of(data: dict) -> str:
    """Court and decree number as one value; blank unless both are given."""
    section = data.get("divorce") or {}
    court, number = (
        text_key(section.get("court")),
        text_key(section.get("decree_number")),
    )
    return f"{court}/{number}"[:VALUE_MAX_CHARS] if court and number else ""


def _person_keys(person: Person, uin_kind: str, name_kind: str, number=0):
    keys = []
    if person.uin:
        keys.append(Key(uin_kind, person.uin, person=number))
    if person.born:
        keys += [Key(name_kind, n, person.born, number) for n in person.names]
    return keys


def event_keys(event_type: str, data: dict) -> list[Key]:
    """Every key of an event of `event_type` holding `data`."""
    data = data or {}
    if event_type == EventType.BIRTH:
        return [
            *(Key(MatchKind.CHILD_NAME, name) for name in child_names(data)),
            *_person_keys(mother_of(data), MatchKind.MOTHER_UIN, MatchKind.MOTHER_NAME),
        ]
    if event_type == EventType.DEATH:
        deceased, vid = deceased_of(data)
        keys = _person_keys(deceased, MatchKind.DECEASED_ID, MatchKind.DECEASED_NAME)
        if vid:
            keys.append(Key(MatchKind.DECEASED_ID, vid))
        return keys
    if event_type in (EventType.MARRIAGE, EventType.DIVORCE):
        uin_kind, name_kind = (
            (MatchKind.MARRIED_UIN, MatchKind.MARRIED_NAME)
            if event_type == EventType.MARRIAGE
            else (MatchKind.DIVORCED_UIN, MatchKind.DIVORCED_NAME)
        )
        keys = []
        for number, spouse in enumerate(spouses_of(data), start=1):
            keys += _person_keys(spouse, uin_kind, name_kind, number)
        if event_type == EventType.DIVORCE and (decree := decree_of(data)):
            keys.append(Key(MatchKind.DECREE, decree))
        return keys
    return []
