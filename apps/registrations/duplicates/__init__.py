"""Duplicate detection: registered events that look like an event about to be
submitted, and the key facts shown to compare them (docs/duplicates.md).

Reads only; the submission service writes an event's keys and the registrar's
decision to register it anyway (services/submission.py)."""

from apps.registrations.duplicates.facts import FactRow, compared, key_facts
from apps.registrations.duplicates.keys import Key, event_keys
from apps.registrations.duplicates.matching import (
    BIRTH_DAYS_APART,
    CHILD_NAME_SIMILARITY,
    MOST_CANDIDATES,
    Match,
    likely_duplicates,
    similarity,
)
from apps.registrations.duplicates.recorded import flags_of

__all__ = [
    "BIRTH_DAYS_APART",
    "CHILD_NAME_SIMILARITY",
    "MOST_CANDIDATES",
    "FactRow",
    "Key",
    "Match",
    "compared",
    "event_keys",
    "flags_of",
    "key_facts",
    "likely_duplicates",
    "similarity",
]
