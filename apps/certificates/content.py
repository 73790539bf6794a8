"""What a certificate says: the printed rows and the signed Claim 169 identity map.

Pure functions over the event's stored data. Printed rows carry a label in the primary
and, where we have a translation, the secondary language; names are printed in every
language they were entered in.

The fixed wording is marked with `gettext_noop`: it stays English here and goes into
the message catalogues (locale/), from which a certificate prints it in its own
languages, the primary and the secondary entry languages (`in_language`), whatever the
reader's interface language; the verify page reads KEY_LABELS in the reader's
language (docs/languages.md).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from apps.certificates import config
from apps.registrations import config as reg_config
from apps.registrations.definitions import GENDER_CHOICES

TITLES = {
    "birth": gettext_noop("Birth certificate"),
    "death": gettext_noop("Death certificate"),
    "marriage": gettext_noop("Marriage certificate"),
    "divorce": gettext_noop("Divorce certificate"),
}

# The certifying sentence printed under each title.
STATEMENTS = {
    "birth": gettext_noop(
        "This certifies that the birth below is recorded in the civil register."
    ),
    "death": gettext_noop(
        "This certifies that the death below is recorded in the civil register."
    ),
    "marriage": gettext_noop(
        "This certifies that the marriage below is recorded in the civil register."
    ),
    "divorce": gettext_noop(
        "This certifies that the divorce below is recorded in the civil register."
    ),
}

GENDER_LABELS = dict(GENDER_CHOICES)
# Claim 169 key 9: 1 male, 2 female, 3 other.
GENDER_CODES = {"MLE": 1, "FLE": 2, "OTH": 3}
# Claim 169 key 14: 1 unmarried, 2 married, 3 divorced.
MARITAL_STATUS = {"marriage": 2, "divorce": 3}


@dataclass(frozen=True)
class Text:
    """A value as printed: its text, HTML language tag and direction."""

    value: str
    lang: str = ""
    dir: str = ""


@dataclass
class Row:
    label: str
    label_secondary: str
    values: list[Text] = field(default_factory=list)


def secondary_language() -> str:
    return reg_config.secondary_language()


SHIPPED_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def in_language(label: str, lang: str) -> str:
    """`label` in entry language `lang` (MOSIP's code) from the shipped catalogue;
    empty when the portal ships no words in that language or has none for this
    label."""
    tag = reg_config.HTML_LANG_TAGS.get(lang, lang)
    if tag not in SHIPPED_LANGUAGES:
        return ""
    with translation.override(tag):
        text = gettext(label)
    return text if text != label or tag == settings.LANGUAGE_CODE else ""


def in_primary(label: str) -> str:
    """The label as the certificate's primary language prints it (English when the
    portal ships no words in that language)."""
    return in_language(label, reg_config.primary_language()) or label


def translate(label: str, lang: str | None = None) -> str:
    """The label in the secondary language; empty prints the primary only."""
    lang = secondary_language() if lang is None else lang
    if lang == reg_config.primary_language():
        return ""
    return in_language(label, lang)


def _text(value: str, lang: str = "") -> Text:
    tag = reg_config.HTML_LANG_TAGS.get(lang, lang) if lang else ""
    return Text(value, tag, "rtl" if lang in reg_config.RTL_LANGUAGES else "")


def _section(data: dict, key: str) -> dict:
    return (data or {}).get(key) or {}


def _names(value) -> list[Text]:
    """A name in each language it was entered in, primary language first."""
    if isinstance(value, dict):
        order = reg_config.entry_languages()
        langs = sorted(value, key=lambda k: order.index(k) if k in order else 99)
        return [_text(str(value[lang]), lang) for lang in langs if value.get(lang)]
    return [_text(str(value))] if value else []


def primary_name(value) -> str:
    if isinstance(value, dict):
        return str(value.get(reg_config.primary_language()) or "") or next(
            (str(v) for v in value.values() if v), ""
        )
    return str(value or "")


def _date(value) -> str:
    try:
        return datetime.date.fromisoformat(str(value)).strftime("%d %B %Y")
    except ValueError:
        return str(value or "")


def _row(label: str, values) -> Row | None:
    if isinstance(values, str):
        values = [_text(values)] if values else []
    values = [v for v in values if v.value]
    if not values:
        return None
    return Row(in_primary(label), translate(label), values)


def _gender(code: str) -> list[Text]:
    if not code:
        return []
    label = str(GENDER_LABELS.get(code, code))
    texts = [_text(in_primary(label))]
    secondary = translate(label)
    if secondary:
        texts.append(_text(secondary, secondary_language()))
    return texts


def rows_for(event, *, child_uin: str = "") -> list[Row]:
    """The event's printed rows, in order."""
    data, kind = event.data, event.event_type
    rows: list[Row | None] = []
    if kind == "birth":
        child, birth = _section(data, "child"), _section(data, "birth")
        rows += [
            _row(gettext_noop("Full name"), _names(child.get("fullName"))),
            _row(gettext_noop("Sex"), _gender(child.get("gender", ""))),
            _row(gettext_noop("Date of birth"), _date(child.get("dateOfBirth"))),
            _row(gettext_noop("Time of birth"), birth.get("time_of_birth", "")),
            _row(gettext_noop("Place of birth"), birth.get("place", "")),
            _row(gettext_noop("Address"), _names(child.get("addressLine1"))),
            _row(gettext_noop("Mother"), _section(data, "mother").get("full_name", "")),
            _row(gettext_noop("Father"), _section(data, "father").get("full_name", "")),
            _row(gettext_noop("National ID number (UIN)"), child_uin),
        ]
    elif kind == "death":
        deceased, death = _section(data, "deceased"), _section(data, "death")
        rows += [
            _row(gettext_noop("Full name"), _names(deceased.get("fullName"))),
            _row(gettext_noop("Sex"), _gender(deceased.get("gender", ""))),
            _row(gettext_noop("Date of birth"), _date(deceased.get("dateOfBirth", ""))),
            _row(gettext_noop("Date of death"), _date(death.get("date"))),
            _row(gettext_noop("Place of death"), death.get("place", "")),
            _row(gettext_noop("Cause of death"), death.get("cause", "")),
            _row(gettext_noop("National ID number (UIN)"), deceased.get("uin", "")),
        ]
    else:
        s1, s2 = _section(data, "spouse1"), _section(data, "spouse2")
        rows += [
            _row(gettext_noop("First spouse"), _names(s1.get("fullName"))),
            _row(gettext_noop("Second spouse"), _names(s2.get("fullName"))),
        ]
        if kind == "marriage":
            marriage = _section(data, "marriage")
            witnesses = _section(data, "witnesses")
            names = [witnesses.get(k, "") for k in ("witness1_name", "witness2_name")]
            rows += [
                _row(gettext_noop("Date of marriage"), _date(marriage.get("date"))),
                _row(gettext_noop("Place of marriage"), marriage.get("place", "")),
                _row(gettext_noop("Witnesses"), ", ".join(n for n in names if n)),
            ]
        else:
            divorce = _section(data, "divorce")
            rows += [
                _row(
                    gettext_noop("Date of marriage"),
                    _date(divorce.get("marriage_date", "")),
                ),
                _row(gettext_noop("Court"), divorce.get("court", "")),
                _row(gettext_noop("Decree number"), divorce.get("decree_number", "")),
                _row(gettext_noop("Date of decree"), _date(divorce.get("decree_date"))),
            ]
    return [row for row in rows if row is not None]


def _yyyymmdd(value) -> str:
    try:
        return datetime.date.fromisoformat(str(value)).strftime("%Y%m%d")
    except ValueError:
        return ""


# Keys 24–49 are left to closed ecosystems (v1.2.2 §3.1); these are the portal's,
# read back by its own verify page.
KEY_EVENT_TYPE = 24
KEY_REGISTRATION_NUMBER = 25
KEY_EVENT_DATE = 26
KEY_OTHER_PARTY = 27
KEY_CERTIFICATE_NUMBER = 28

KEY_LABELS = {
    1: gettext_noop("ID"),
    3: gettext_noop("Language"),
    4: gettext_noop("Full name"),
    8: gettext_noop("Date of birth"),
    9: gettext_noop("Sex"),
    10: gettext_noop("Address"),
    13: gettext_noop("Nationality"),
    14: gettext_noop("Marital status"),
    15: gettext_noop("Guardian"),
    19: gettext_noop("Full name (secondary language)"),
    20: gettext_noop("Secondary language"),
    22: gettext_noop("Legal status"),
    23: gettext_noop("Country of issuance"),
    KEY_EVENT_TYPE: gettext_noop("Event"),
    KEY_REGISTRATION_NUMBER: gettext_noop("Registration number"),
    KEY_EVENT_DATE: gettext_noop("Date of the event"),
    KEY_OTHER_PARTY: gettext_noop("Other spouse"),
    KEY_CERTIFICATE_NUMBER: gettext_noop("Certificate number"),
}


def identity_for(event, *, certificate_number: str, child_uin: str = "") -> dict:
    """The Claim 169 identity map of the certificate's subject."""
    data, kind = event.data, event.event_type
    subject_key = {"birth": "child", "death": "deceased"}.get(kind, "spouse1")
    subject = _section(data, subject_key)
    uin = child_uin if kind == "birth" else str(subject.get("uin") or "")
    name = subject.get("fullName")
    primary, secondary = reg_config.primary_language(), secondary_language()
    identity: dict = {
        1: uin or event.registration_number,
        3: primary,
        4: primary_name(name),
        KEY_EVENT_TYPE: kind,
        KEY_REGISTRATION_NUMBER: event.registration_number,
        KEY_CERTIFICATE_NUMBER: certificate_number,
    }
    if isinstance(name, dict) and secondary and name.get(secondary):
        identity[19], identity[20] = str(name[secondary]), secondary
    if dob := _yyyymmdd(subject.get("dateOfBirth", "")):
        identity[8] = dob
    if gender := GENDER_CODES.get(subject.get("gender", "")):
        identity[9] = gender
    if kind == "birth":
        address = primary_name(subject.get("addressLine1"))
        if address:
            identity[10] = address
        if mother := _section(data, "mother").get("full_name"):
            identity[15] = str(mother)
    if kind == "death":
        identity[22] = "deceased"
    if kind in MARITAL_STATUS:
        identity[14] = MARITAL_STATUS[kind]
        other = primary_name(_section(data, "spouse2").get("fullName"))
        if other:
            identity[KEY_OTHER_PARTY] = other
    if country := config.country_of_issuance():
        identity[23] = country
    if event.event_date:
        identity[KEY_EVENT_DATE] = event.event_date.strftime("%Y%m%d")
    return identity
