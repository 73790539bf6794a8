"""Synthetic events, one at a time, with the history, packet and outbox rows they left."""

import bisect
import datetime
import itertools
import math
import random

from django.utils import timezone

TYPES = [("birth", 55), ("death", 30), ("marriage", 10), ("divorce", 5)]
SUBJECTS = {"birth": "child", "death": "deceased"}
PROCESSES = {"birth": "CRVS_NEW", "death": "CRVS_DEATH"}
OUTCOME = {"birth": "id_issued"}
REJECT_CODES = [("PACKET_REJECTED", 70), ("RPR-RGS-003", 15), ("RPR-PKR-016", 15)]
FAIL_CODES = [("PACKET_FAILED", 50), ("KER-PUT-006", 30), ("RPR-WIS-000", 20)]
MESSAGES = {
    "PACKET_REJECTED": "Packet rejected in registration processing",
    "PACKET_FAILED": "Packet failed in registration processing",
    "RPR-RGS-003": "Invalid Sync Type",
    "RPR-PKR-016": "Additional info request id not found",
    "KER-PUT-006": "No available provider for given source and process",
    "RPR-WIS-000": "Unknown exception in workflow instance service",
}
PACKET_STATUS = {
    "submitted": "pending",
    "packet_created": "created",
    "processing": "processing",
    "id_issued": "processed",
    "record_updated": "processed",
    "certified": "processed",
    "rejected": "rejected",
    "failed": "failed",
}
# The columns of the rows `EventGenerator.event` returns, in their order.
EVENT_COLUMNS = [
    "id", "event_type", "status", "office_id", "created_by_id", "data",
    "subject_name", "registration_number", "registration_year", "mosip_process",
    "no_packet_reason", "last_error_code", "last_error_message", "created_at",
    "updated_at", "submitted_at", "event_date", "outcome_at", "certified_at",
]  # fmt: skip
HISTORY_COLUMNS = ["event_id", "from_status", "to_status", "at", "code", "note"]
PACKET_COLUMNS = [
    "id", "event_id", "subject", "process", "application_id", "centre_id",
    "machine_id", "status", "uin", "vid", "result_code", "result_message",
    "sent_at", "processed_at", "created_at", "updated_at",
]  # fmt: skip
OUTBOX_COLUMNS = [
    "event_id", "packet_id", "kind", "status", "attempts", "next_attempt_at",
    "last_error", "created_at", "updated_at",
]  # fmt: skip
MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
LOG_6 = math.log(6)
NO_PACKET_REASONS = {
    "birth": "No identity record to create or update.",
    "death": "No identity record to create or update.",
    "marriage": "MOSIP has no process for this event type.",
    "divorce": "MOSIP has no process for this event type.",
}
WAITING = frozenset(("submitted", "packet_created", "processing"))


def _table(weighted):
    """Values and cumulative weights: random.choices draws the same value from them
    as from the weights, without adding the weights up again at every draw."""
    values = [v for v, _ in weighted]
    return values, list(itertools.accumulate(w for _, w in weighted))


def _pick(rng, table):
    # random.choices(values, cum_weights=cumulative)[0], without its setup per draw.
    values, cumulative = table
    draw = rng.random() * cumulative[-1]
    return values[bisect.bisect(cumulative, draw, 0, len(values) - 1)]


TYPE_TABLE, REJECT_TABLE, FAIL_TABLE = map(_table, (TYPES, REJECT_CODES, FAIL_CODES))


class EventGenerator:
    """Builds rows for one event at a time, keeping ids and numbers unique."""

    def __init__(self, *, offices, creators, now, days, seed, first_id, counters):
        self.rng = random.Random(seed)
        self.offices = _table(
            [(office.pk, 1 / (rank + 1)) for rank, office in enumerate(offices)]
        )
        self.codes = {office.pk: office.code.upper() for office in offices}
        self.creators = creators
        # Offices' local dates, read from one zone rather than looked up per event.
        self.zone = timezone.get_current_timezone()
        self.now, self.days = now, days
        self.next_id = first_id
        self.counters = counters

    def _delay_days(self, event_type):
        r, u = self.rng.random(), self.rng.random()
        if event_type in ("marriage", "divorce"):
            return int(u * 60)
        early = 0.65 if event_type == "birth" else 0.8
        if r < early:
            return int(u * 31)
        if r < early + (0.25 if event_type == "birth" else 0.15):
            return 31 + int(u * 335)
        return 366 + int(u * 3000)

    def _number(self, office_id, year):
        key = (office_id, year)
        self.counters[key] = self.counters.get(key, 0) + 1
        return f"{self.codes[office_id]}-{year}-{self.counters[key]:06d}"

    def event(self):
        rng = self.rng
        pk = self.next_id
        self.next_id += 1
        office_id = _pick(rng, self.offices)
        event_type = _pick(rng, TYPE_TABLE)
        age = datetime.timedelta(days=self.days * rng.random())
        submitted = (self.now - age).replace(microsecond=0)
        if submitted.hour < 7 and age > DAY:
            submitted += 8 * HOUR
        created = submitted - rng.randint(5, 90) * MINUTE
        local_submitted = submitted.astimezone(self.zone)
        local_day = local_submitted.date()
        delay = self._delay_days(event_type)
        event_date = local_day - delay * DAY
        no_packet = (
            (event_type == "death" and rng.random() < 0.1)
            or (event_type == "birth" and delay > 365 and rng.random() < 0.5)
            # Stock MOSIP has no marriage or divorce process: registered here only.
            or event_type in ("marriage", "divorce")
        )  # fmt: skip
        history = [("", "draft", created, "")]
        packet_status = None
        code = ""
        outcome_at = certified_at = None
        if no_packet:
            status = "registered"
            history.append(("draft", "registered", submitted, ""))
        else:
            status, code, outcome_at = self._pipeline(
                event_type, submitted, age, history
            )
            packet_status = PACKET_STATUS[status]
        if status in ("id_issued", "record_updated", "registered") and event_type in (
            "birth",
            "death",
        ):
            if rng.random() < 0.6:
                after = outcome_at or submitted
                certified_at = after + rng.random() * 30 * DAY
                if certified_at < self.now:
                    history.append((status, "certified", certified_at, ""))
                    status = "certified"
                else:
                    certified_at = None
        # Rows carry timestamps as ISO text, written once per moment: the same few
        # moments recur across an event's rows, and formatting them is most of the
        # cost of a row. Every moment but the packet's sending is in the history.
        text = {at: at.isoformat() for _, _, at, _ in history}.get
        updated = text(history[-1][2])
        year = local_submitted.year
        event = (
            pk, event_type, status, office_id, self.creators[office_id], "{}", "",
            self._number(office_id, year), year,
            "" if no_packet else PROCESSES[event_type],
            NO_PACKET_REASONS[event_type] if no_packet else "",
            code, MESSAGES.get(code, ""), text(created), updated, text(submitted),
            event_date, text(outcome_at), text(certified_at),
        )  # fmt: skip
        histories = [(pk, f, t, text(at), c, "") for f, t, at, c in history]
        packet = outbox = None
        if packet_status:
            sent = submitted + 2 * MINUTE if packet_status != "pending" else None
            sent = sent and (text(sent) or sent.isoformat())
            submitted = text(submitted)
            machine = f"{90000 + pk // 99999:05d}"
            packet = (
                pk, pk, SUBJECTS.get(event_type, "spouse1"),
                PROCESSES[event_type],
                f"99999{machine}{pk % 99999 + 1:05d}{_digits(submitted)}",
                "99999", machine, packet_status,
                "", "", code, MESSAGES.get(code, ""), sent,
                None if status in WAITING else text(outcome_at),
                submitted, updated,
            )  # fmt: skip
            waiting = packet_status == "pending"
            stalled = waiting and age > 2 * HOUR
            outbox = (
                pk, pk, "send_packet",
                ("failed" if stalled else "pending") if waiting else "sent",
                8 if stalled else 0, submitted,
                "MOSIP unavailable" if stalled else "", submitted, updated,
            )  # fmt: skip
        return event, histories, packet, outbox

    def _pipeline(self, event_type, submitted, age, history):
        """Walk the event through MOSIP as far as its age and fate allow."""
        rng = self.rng
        fate = rng.random()
        wait = min(rng.lognormvariate(LOG_6, 1.2), 24 * 20) * HOUR
        steps = [
            ("packet_created", submitted + 2 * MINUTE),
            ("processing", submitted + 5 * MINUTE),
        ]
        if fate < 0.02:
            # Stuck: stops at one of the waiting states for good.
            steps = steps[: rng.randint(0, 2)]
            final, code, outcome_at = None, "", None
        elif fate < 0.03:
            steps = steps[: rng.choice([0, 2])]
            final, code = "failed", _pick(rng, FAIL_TABLE)
            outcome_at = submitted + (wait if steps else 10 * MINUTE)
        elif fate < 0.09:
            final, code = "rejected", _pick(rng, REJECT_TABLE)
            outcome_at = submitted + wait
        else:
            final, code = OUTCOME.get(event_type, "record_updated"), ""
            outcome_at = submitted + wait
        status = "submitted"
        history.append(("draft", "submitted", submitted, ""))
        for step, at in [*steps, (final, outcome_at)]:
            if step is None or at > self.now:
                break
            history.append((status, step, at, code if step == final else ""))
            status = step
        if status != final:
            outcome_at, code = None, ""
        return status, code, outcome_at


def _digits(iso):
    """YYYYMMDDhhmmss of an ISO timestamp, as MOSIP's application ids end."""
    return iso[:4] + iso[5:7] + iso[8:10] + iso[11:13] + iso[14:16] + iso[17:19]
