"""The key facts of an event, as a registrar compares two registrations side by side."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from apps.registrations import config
from apps.registrations.definitions import CODED_SCHEMA_FIELDS
from apps.registrations.models import EventType, VitalEvent

# (label, section, field) per event type: names, dates and identifiers, the facts
# that tell whether two registrations are of the same event.
FACTS = {
    EventType.BIRTH: [
        (_("Child"), "child", "fullName"),
        (_("Date of birth"), "child", "dateOfBirth"),
        (_("Sex"), "child", "gender"),
        (_("Place of birth"), "birth", "place"),
        (_("Mother"), "mother", "full_name"),
        (_("Mother's UIN"), "mother", "uin"),
        (_("Mother's date of birth"), "mother", "date_of_birth"),
        (_("Father"), "father", "full_name"),
    ],
    EventType.DEATH: [
        (_("Deceased"), "deceased", "fullName"),
        ("UIN", "deceased", "uin"),
        ("VID", "deceased", "vid"),
        (_("Date of birth"), "deceased", "dateOfBirth"),
        (_("Date of death"), "death", "date"),
        (_("Place of death"), "death", "place"),
    ],
    EventType.MARRIAGE: [
        (_("First spouse"), "spouse1", "fullName"),
        (_("First spouse's UIN"), "spouse1", "uin"),
        (_("First spouse's date of birth"), "spouse1", "date_of_birth"),
        (_("Second spouse"), "spouse2", "fullName"),
        (_("Second spouse's UIN"), "spouse2", "uin"),
        (_("Second spouse's date of birth"), "spouse2", "date_of_birth"),
        (_("Date of marriage"), "marriage", "date"),
        (_("Place of marriage"), "marriage", "place"),
    ],
    EventType.DIVORCE: [
        (_("First spouse"), "spouse1", "fullName"),
        (_("First spouse's UIN"), "spouse1", "uin"),
        (_("Second spouse"), "spouse2", "fullName"),
        (_("Second spouse's UIN"), "spouse2", "uin"),
        (_("Court"), "divorce", "court"),
        (_("Decree number"), "divorce", "decree_number"),
        (_("Date of decree"), "divorce", "decree_date"),
    ],
}


@dataclass(frozen=True)
class FactRow:
    label: str
    this: str
    that: str

    @property
    def same(self) -> bool:
        return bool(self.this) and self.this.casefold() == self.that.casefold()


def _shown(name: str, value) -> str:
    """A value as typed (a code as its label); a name in several entry languages,
    each once, joined."""
    if name in CODED_SCHEMA_FIELDS:
        return dict(CODED_SCHEMA_FIELDS[name]).get(value, str(value or ""))
    if isinstance(value, dict):
        # The entry languages' order; a database may keep JSON keys in its own.
        order = config.entry_languages()
        languages = sorted(
            value, key=lambda lang: order.index(lang) if lang in order else len(order)
        )
        seen = []
        for text in (value[lang] for lang in languages):
            if isinstance(text, str) and text.strip() and text.strip() not in seen:
                seen.append(text.strip())
        return " / ".join(seen)
    return str(value or "").strip()


def key_facts(event: VitalEvent, data: dict | None = None) -> list[tuple[str, str]]:
    """(label, value) of each key fact of `event`, blank where none was given."""
    data = event.data if data is None else data
    return [
        (label, _shown(name, (data.get(section) or {}).get(name)))
        for label, section, name in FACTS[event.event_type]
    ]


def compared(event: VitalEvent, other: VitalEvent) -> list[FactRow]:
    """The key facts of `event` beside those of `other`, a fact given by neither left
    out."""
    return [
        FactRow(label, this, that)
        for (label, this), (_label, that) in zip(
            key_facts(event), key_facts(other), strict=True
        )
        if this or that
    ]
