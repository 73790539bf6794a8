"""Names as a registrar searches them: in any entry language, whatever the case,
accents or Arabic diacritics typed.

Each event keeps, in `VitalEvent.search_names`, every person's name in every entry
language reduced to a search key; a query is reduced the same way and matched as a
substring, so "amina", "Amína" and "أمينة" (with or without harakat) find "Amina"
and "أَمِينَة".
"""

import unicodedata

# Letters written several ways in Arabic names, folded to one: hamza forms of alef,
# alef wasla and madda to bare alef; alef maqsura to ya; ta marbuta to ha; hamza on
# waw and ya to the bare letters.
_ARABIC_FOLDS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
    }
)
# Marks dropped whatever the script: combining accents and harakat (Mn, Me), format
# characters such as bidi controls (Cf), and the Arabic tatweel (elongation, Lm).
_DROPPED_CATEGORIES = {"Mn", "Me", "Cf"}
_TATWEEL = "\u0640"
# Far more than any name; keeps the column bounded whatever was typed.
MOST_CHARACTERS = 2000


def search_key(text: str) -> str:
    """`text` reduced for matching: no accents or diacritics, one case, one space."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ARABIC_FOLDS))
    kept = "".join(
        ch
        for ch in decomposed
        if ch != _TATWEEL and unicodedata.category(ch) not in _DROPPED_CATEGORIES
    )
    # Folding again: a decomposed hamza form leaves its bare letter behind.
    return " ".join(kept.translate(_ARABIC_FOLDS).casefold().split())


def _names_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):  # one name per entry language
        return [v for v in value.values() if isinstance(v, str)]
    return []


def search_names(data: dict) -> str:
    """Every person's name in the event's data, each reduced, one per line."""
    keys = []
    for section in data.values():
        if not isinstance(section, dict):
            continue
        for field, value in section.items():
            if "name" not in field.lower():
                continue
            for name in _names_in(value):
                key = search_key(name)
                if key and key not in keys:
                    keys.append(key)
    return "\n".join(keys)[:MOST_CHARACTERS]
