"""Demographic matching as IDA 1.2 does it by default (docs/mosip/ida.md §5.2).

No request chooses a strategy in 1.2: every attribute is matched EXACT, threshold
100. Name and gender are matched once per system language the request carries them
in (mandatory, then optional languages); date of birth and age once.

- name: both sides normalised (titles of that language removed, then the
  `ida.demo.common.normalization.regex.any[n]` rules), then split on white space,
  lower-cased: equal when both have as many words and every stored word is among
  the request's, in any order;
- gender: the same split-and-compare, without normalisation;
- dob: both read with `mosip.date-of-birth.pattern`; equal dates;
- age: the request's age at most the identity's age in whole years.

A stored value missing for a requested language stops the request with IDA-DEA-003;
mismatches make `authStatus` false with one IDA-DEA-001 each.
"""

import datetime
import re

from apps.mosip_sandbox import mosip_config
from apps.mosip_sandbox.ida import errors, identities

SERVICE = "id-authentication"
# The stock titles of masterdata (mosip-data, title.xlsx) that IDA's name normaliser
# strips, per language (docs/mosip/ida.md §5.2).
TITLES = {
    "eng": ("Mr", "Mrs", "Miss"),
    "fra": ("Monsieur", "Madame", "Mademoiselle"),
    "ara": ("السيد", "السيدة", "يغيب"),
}
# IDA's mapping (id-authentication-mapping.json): request attribute -> identity field.
MAPPING = {"name": "fullName", "dob": "dateOfBirth", "age": "dateOfBirth",
           "gender": "gender"}  # fmt: skip
SUPPORTED = ("name", "dob", "age", "gender")
_JAVA_SPACE = re.compile(r"[ \t\n\x0b\f\r]+")


def system_languages() -> list[str]:
    mandatory = mosip_config.listed("application", "mosip.mandatory-languages")
    optional = mosip_config.listed("application", "mosip.optional-languages")
    return mandatory + [lang for lang in optional if lang not in mandatory]


def requested_attributes(demographics: dict) -> list[str]:
    """The demographic attributes a request carries (IDA's isAuthTypeInfoAvailable:
    a non-empty value or list). Anything but an object carries none."""
    if not isinstance(demographics, dict):
        return []
    return [
        k
        for k, v in demographics.items()
        if k != "metadata" and v not in ("", [], None)
    ]


def binds(demographics) -> bool:
    """Whether IDA's JSON binding (IdentityDTO) takes the demographics: `name`,
    `gender` and the other language-tagged attributes as lists of objects, `dob`,
    `age`, `phoneNumber`, `emailId` and `postalCode` as plain values."""
    if demographics is None:
        return True
    if not isinstance(demographics, dict):
        return False
    for key, value in demographics.items():
        if value is None or key == "metadata":
            continue
        if key in ("dob", "age", "phoneNumber", "emailId", "postalCode"):
            if isinstance(value, dict | list):
                return False
        elif not isinstance(value, list) or not all(
            isinstance(item, dict) for item in value
        ):
            return False
    return True


def _java_trim(text: str) -> str:
    return text.strip("".join(chr(c) for c in range(0x21)))


def _remove_title(name: str, title: str) -> str:
    # The demo SDK's removeAllCases: while the title occurs in any case, remove its
    # first occurrence as written, lower-cased and upper-cased. A title present only
    # in mixed case would loop for ever on MOSIP; the sandbox stops instead.
    while title.lower() in name.lower():
        before = name
        for form in (title, title.lower(), title.upper()):
            index = name.find(form)
            if index >= 0:
                name = name[:index] + name[index + len(form) :]
        if name == before:
            break
    return name


def _common_rules() -> list[tuple[re.Pattern, str]]:
    separator = mosip_config.value(SERVICE, "ida.norm.sep", "=") or "="
    rules = []
    for index in range(1000):
        raw = mosip_config.value(
            SERVICE, f"ida.demo.common.normalization.regex.any[{index}]"
        )
        if raw is None:
            break
        pattern, _, replacement = raw.partition(separator)
        rules.append((re.compile(pattern), replacement))
    return rules


def _apply(text: str, rules) -> str:
    for pattern, replacement in rules:
        position = 0
        while True:
            found = pattern.search(text, position)
            if found is None or found.end() == found.start():
                break
            text = text[: found.start()] + replacement + text[found.end() :]
            position = found.start() + len(replacement)
    return text


def normalise_name(name: str, language: str) -> str:
    for title in sorted(TITLES.get(language, ()), key=len, reverse=True):
        name = _remove_title(name, title + ".")
        name = _remove_title(name, title)
    return _java_trim(_apply(name, _common_rules()))


def exact_match(requested: str, stored: str) -> bool:
    """The demo SDK's doExactMatch."""
    asked = [w for w in _JAVA_SPACE.split(requested.lower()) if w]
    held = [w for w in _JAVA_SPACE.split(stored.lower()) if w]
    return len(asked) == len(held) and all(word in asked for word in held)


def _date(text: str) -> datetime.date | None:
    pattern = mosip_config.value(SERVICE, "mosip.date-of-birth.pattern", "yyyy/MM/dd")
    python = str(pattern).replace("yyyy", "%Y").replace("MM", "%m").replace("dd", "%d")
    try:
        return datetime.datetime.strptime(text.strip(), python).date()
    except ValueError:
        return None


def _in_language(items: list[dict], language: str) -> str:
    found = [str(i.get("value") or "") for i in items if i.get("language") == language]
    return found[0] if found else ""


def _plain(items: list[dict]) -> str:
    return str(items[0].get("value") or "") if items else ""


def match(demographics: dict, identity_doc: dict) -> list[dict]:
    """The IDA-DEA-001 errors of the request's demographics against the identity
    (empty: every attribute matched). Raises IdaRefusal for IDA-DEA-003 and for a
    request date of birth IDA cannot read."""
    mismatches = []
    languages = system_languages()
    for attribute in ("name", "dob", "age", "gender"):
        asked = demographics.get(attribute)
        if asked in (None, "", []) or (
            attribute in ("name", "gender") and not isinstance(asked, list)
        ):
            continue
        stored = identities.values(identity_doc, MAPPING[attribute])
        if attribute in ("name", "gender"):
            for language in languages:
                value = _in_language(asked, language)
                if not value:
                    continue
                held = _in_language(stored, language)
                if not held.strip():
                    raise errors.refusal(errors.DEMO_MISSING_LANG, attribute, language)
                if attribute == "name":
                    same = exact_match(
                        normalise_name(value, language), normalise_name(held, language)
                    )
                else:
                    same = exact_match(value, held)
                if not same:
                    mismatches.append(
                        errors.DEMOGRAPHIC_DATA_MISMATCH_LANG.item(attribute, language)
                    )
            continue
        held = _plain(stored)
        if not held.strip():
            raise errors.refusal(errors.DEMO_MISSING, attribute)
        if not _single_value_matches(attribute, str(asked), held):
            mismatches.append(errors.DEMO_DATA_MISMATCH.item(attribute))
    return mismatches


def _single_value_matches(attribute: str, asked: str, held: str) -> bool:
    stored_date = _date(held)
    if stored_date is None:
        raise errors.IdaRefusal(
            {
                "errorCode": "IDA-IDV-001",
                "errorMessage": "Input Data Validation Failed",
            },
            from_filter=False,
        )
    if attribute == "dob":
        asked_date = _date(asked)
        if asked_date is None:
            raise errors.refusal(
                errors.INVALID_INPUT_PARAMETER, "request/demographics/dob"
            )
        return asked_date == stored_date
    today = datetime.date.today()
    years = (
        today.year
        - stored_date.year
        - ((today.month, today.day) < (stored_date.month, stored_date.day))
    )
    return int(asked) <= years
