"""Registered events that look like the event about to be submitted.

Every check reads `MatchKey` through one of its indexes (models/duplicates.py): an
identifier, or a name with a date of birth, by (kind, value, born) across every
office; children's names by (kind, office, event date), a few days of one office,
whose names are then compared by trigram similarity: PostgreSQL's pg_trgm in the
database, the same measure computed here on other databases (`similarity`).
Which rules there are, and why, is in docs/duplicates.md.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.functions import Greatest

from apps.registrations.duplicates.facts import FactRow, compared
from apps.registrations.duplicates.keys import (
    Person,
    child_names,
    date_or_none,
    deceased_of,
    decree_of,
    mother_of,
    spouses_of,
)
from apps.registrations.models import (
    DuplicateCandidate,
    DuplicateRule,
    EventStatus,
    EventType,
    MatchKey,
    MatchKind,
    VitalEvent,
)

# A child's date of birth typed a few days off is still the same birth; twins
# (same mother, same day) are shown too, for the registrar to say so.
BIRTH_DAYS_APART = 3
# How alike two children's names must be (pg_trgm's similarity, 0 to 1): "Aminah
# Bello" and "Amina Bello" are 0.79 alike, "Amina Bello" and "Musa Bello" 0.35.
CHILD_NAME_SIMILARITY = 0.6
# The most earlier events shown and recorded for one event, strongest first.
MOST_CANDIDATES = 10
# Strongest rule first: an identifier, then a name with a date of birth, then a
# similar name.
RULE_ORDER = [
    DuplicateRule.MOTHER_UIN,
    DuplicateRule.DECEASED_ID,
    DuplicateRule.SAME_DECREE,
    DuplicateRule.MOTHER_NAME,
    DuplicateRule.DECEASED_NAME,
    DuplicateRule.SAME_COUPLE_MARRIED,
    DuplicateRule.SAME_COUPLE_DIVORCED,
    DuplicateRule.CHILD_NAME,
]


@dataclass
class Match:
    """An earlier registered event that looks like the one checked."""

    event: VitalEvent
    rule: str
    score: float = 1.0
    # The key facts of the event checked beside this one's.
    rows: list[FactRow] = field(default_factory=list)

    @property
    def rule_label(self) -> str:
        return DuplicateRule(self.rule).label

    @property
    def percent(self) -> int:
        return round(self.score * 100)


# Similarity ------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams of `text`: each word, lower-cased, padded with two spaces
    before and one after, cut into every run of three characters."""
    grams = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str, b: str) -> float:
    """pg_trgm's `similarity(a, b)`: trigrams shared over trigrams of either."""
    first, second = trigrams(a), trigrams(b)
    if not first or not second:
        return 0.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)


def _on_postgresql() -> bool:
    return connections[MatchKey.objects.db].vendor == "postgresql"


def _similar_names(
    keys: QuerySet[MatchKey], names: tuple[str, ...], threshold: float
) -> dict[int, float]:
    """Events among `keys` with a name at least `threshold` alike one of `names`:
    event id → the best similarity."""
    if _on_postgresql():
        scores = [TrigramSimilarity("value", name) for name in names]
        score = Greatest(*scores) if len(scores) > 1 else scores[0]
        rows = (
            keys.annotate(score=score)
            .filter(score__gte=threshold)
            .values_list("event_id", "score")
        )
    else:
        rows = (
            (event_id, max(similarity(value, name) for name in names))
            for event_id, value in keys.values_list("event_id", "value")
        )
    found: dict[int, float] = {}
    for event_id, score in rows:
        if score >= threshold:
            found[event_id] = max(score, found.get(event_id, 0.0))
    return found


# Rules -----------------------------------------------------------------------------


def _person(person: Person, uin_kind: str, name_kind: str) -> Q | None:
    """Keys of the same person: the same UIN, or a same name (in any entry language)
    with the same date of birth; None when the person has neither to go by."""
    same = Q()
    if person.uin:
        same |= Q(kind=uin_kind, value=person.uin)
    if person.names and person.born:
        same |= Q(kind=name_kind, value__in=person.names, born=person.born)
    return same or None


def _births(event: VitalEvent, data: dict) -> list[tuple[int, str, float]]:
    born = date_or_none((data.get("child") or {}).get("dateOfBirth"))
    if born is None:
        return []
    days = datetime.timedelta(days=BIRTH_DAYS_APART)
    near = MatchKey.objects.filter(event_date__range=(born - days, born + days))
    found = []
    mother = mother_of(data)
    if mother.uin:
        rows = near.filter(kind=MatchKind.MOTHER_UIN, value=mother.uin)
        found += [(pk, DuplicateRule.MOTHER_UIN, 1.0) for pk in _events(rows)]
    if mother.names and mother.born:
        rows = near.filter(
            kind=MatchKind.MOTHER_NAME, value__in=mother.names, born=mother.born
        )
        found += [(pk, DuplicateRule.MOTHER_NAME, 1.0) for pk in _events(rows)]
    if names := child_names(data):
        same_office = near.filter(kind=MatchKind.CHILD_NAME, office=event.office_id)
        similar = _similar_names(same_office, names, CHILD_NAME_SIMILARITY)
        found += [(pk, DuplicateRule.CHILD_NAME, s) for pk, s in similar.items()]
    return found


def _deaths(event: VitalEvent, data: dict) -> list[tuple[int, str, float]]:
    deceased, vid = deceased_of(data)
    found = []
    numbers = [n for n in (deceased.uin, vid) if n]
    if numbers:
        rows = MatchKey.objects.filter(kind=MatchKind.DECEASED_ID, value__in=numbers)
        found += [(pk, DuplicateRule.DECEASED_ID, 1.0) for pk in _events(rows)]
    if deceased.names and deceased.born:
        rows = MatchKey.objects.filter(
            kind=MatchKind.DECEASED_NAME,
            value__in=deceased.names,
            born=deceased.born,
        )
        found += [(pk, DuplicateRule.DECEASED_NAME, 1.0) for pk in _events(rows)]
    return found


def _couple_events(
    data: dict, uin_kind: str, name_kind: str
) -> dict[int, datetime.date | None]:
    """Events where both spouses of `data` are found, one as each spouse: event id →
    its date (of marriage or of decree)."""
    first, second = (_person(s, uin_kind, name_kind) for s in spouses_of(data))
    if first is None or second is None:
        return {}

    def found(same: Q) -> dict[int, set[int]]:
        people: dict[int, set[int]] = {}
        rows = MatchKey.objects.filter(same).values_list("event_id", "person")
        for event_id, person in rows:
            people.setdefault(event_id, set()).add(person)
        return people

    firsts, seconds = found(first), found(second)
    couples = [
        pk
        for pk in firsts.keys() & seconds.keys()
        if any(a != b for a in firsts[pk] for b in seconds[pk])
    ]
    dates = MatchKey.objects.filter(event_id__in=couples).values_list(
        "event_id", "event_date"
    )
    return dict(dates)


def _still_in_force(
    earlier: dict[int, datetime.date | None],
    undone_by: dict[int, datetime.date | None],
    date: datetime.date | None,
) -> list[int]:
    """`earlier` events (a marriage, or a divorce) not undone by one of `undone_by`
    (a divorce, or a remarriage) dated between that event and `date`."""
    kept = []
    for pk, since in earlier.items():
        undone = (
            since is not None
            and date is not None
            and any(
                other is not None and since <= other <= date
                for other in undone_by.values()
            )
        )
        if not undone:
            kept.append(pk)
    return kept


def _marriages(event: VitalEvent, data: dict) -> list[tuple[int, str, float]]:
    date = date_or_none((data.get("marriage") or {}).get("date"))
    married = _couple_events(data, MatchKind.MARRIED_UIN, MatchKind.MARRIED_NAME)
    if not married:
        return []
    divorced = _couple_events(data, MatchKind.DIVORCED_UIN, MatchKind.DIVORCED_NAME)
    return [
        (pk, DuplicateRule.SAME_COUPLE_MARRIED, 1.0)
        for pk in _still_in_force(married, divorced, date)
    ]


def _divorces(event: VitalEvent, data: dict) -> list[tuple[int, str, float]]:
    found = []
    if decree := decree_of(data):
        rows = MatchKey.objects.filter(kind=MatchKind.DECREE, value=decree)
        found += [(pk, DuplicateRule.SAME_DECREE, 1.0) for pk in _events(rows)]
    divorced = _couple_events(data, MatchKind.DIVORCED_UIN, MatchKind.DIVORCED_NAME)
    if divorced:
        date = date_or_none((data.get("divorce") or {}).get("decree_date"))
        married = _couple_events(data, MatchKind.MARRIED_UIN, MatchKind.MARRIED_NAME)
        found += [
            (pk, DuplicateRule.SAME_COUPLE_DIVORCED, 1.0)
            for pk in _still_in_force(divorced, married, date)
        ]
    return found


def _events(keys: QuerySet[MatchKey]) -> set[int]:
    return set(keys.values_list("event_id", flat=True))


RULES = {
    EventType.BIRTH: _births,
    EventType.DEATH: _deaths,
    EventType.MARRIAGE: _marriages,
    EventType.DIVORCE: _divorces,
}


def likely_duplicates(event: VitalEvent, data: dict | None = None) -> list[Match]:
    """Registered events (any status but draft) that look like `event` holding `data`
    (its stored data by default), strongest rule first, at most MOST_CANDIDATES.
    Neither the event itself nor an event the registrar already gave a reason for
    (when this one was submitted before, and is now corrected) is among them."""
    data = event.data if data is None else data
    found = RULES[event.event_type](event, data or {})
    if not found:
        return []
    skipped = {event.pk} | _already_accepted(event)
    best: dict[int, tuple[str, float]] = {}
    for pk, rule, score in found:
        if pk in skipped:
            continue
        if pk not in best or _rank(rule, score) < _rank(*best[pk]):
            best[pk] = (rule, score)
    if not best:
        return []
    events = (
        VitalEvent.objects.filter(pk__in=best)
        .exclude(status=EventStatus.DRAFT)
        .select_related("office")
    )
    matches = [Match(e, *best[e.pk]) for e in events]
    matches.sort(key=lambda m: (*_rank(m.rule, m.score), m.event.pk))
    shown = VitalEvent(event_type=event.event_type, data=data)
    for match in matches[:MOST_CANDIDATES]:
        match.rows = compared(shown, match.event)
    return matches[:MOST_CANDIDATES]


def _rank(rule: str, score: float) -> tuple[int, float]:
    return RULE_ORDER.index(rule), -score


def _already_accepted(event: VitalEvent) -> set[int]:
    if event.pk is None or event.status == EventStatus.DRAFT:
        return set()  # never submitted, so never flagged
    return set(
        DuplicateCandidate.objects.filter(flag__event=event).values_list(
            "candidate_id", flat=True
        )
    )
