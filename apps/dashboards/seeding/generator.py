"""Synthetic events, one at a time, with the history, packet and outbox rows they left."""

import datetime
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


def _pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


class EventGenerator:
    """Builds rows for one event at a time, keeping ids and numbers unique."""

    def __init__(self, *, offices, creators, now, days, seed, first_id, counters):
        self.rng = random.Random(seed)
        self.offices = offices
        self.weights = [1 / (rank + 1) for rank in range(len(offices))]
        self.creators = creators
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

    def _number(self, office, year):
        key = (office.pk, year)
        self.counters[key] = self.counters.get(key, 0) + 1
        return f"{office.code.upper()}-{year}-{self.counters[key]:06d}"

    def event(self):
        rng = self.rng
        pk = self.next_id
        self.next_id += 1
        office = rng.choices(self.offices, self.weights)[0]
        event_type = _pick(rng, TYPES)
        age = datetime.timedelta(days=self.days * rng.random())
        submitted = (self.now - age).replace(microsecond=0)
        if submitted.hour < 7 and age > datetime.timedelta(days=1):
            submitted += datetime.timedelta(hours=8)
        created = submitted - rng.randint(5, 90) * MINUTE
        local_submitted = timezone.localtime(submitted)
        event_date = local_submitted.date() - datetime.timedelta(
            days=self._delay_days(event_type)
        )
        no_packet = (
            (event_type == "death" and rng.random() < 0.1)
            or (event_type == "birth" and (local_submitted.date() - event_date).days > 365 and rng.random() < 0.5)
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
                certified_at = after + datetime.timedelta(days=rng.random() * 30)
                if certified_at < self.now:
                    history.append((status, "certified", certified_at, ""))
                    status = "certified"
                else:
                    certified_at = None
        updated = history[-1][2]
        year = local_submitted.year
        event = (
            pk, event_type, status, office.pk, self.creators[office.pk], "{}", "",
            self._number(office, year), year,
            "" if no_packet else PROCESSES[event_type],
            (
                "MOSIP has no process for this event type."
                if event_type in ("marriage", "divorce")
                else "No identity record to create or update."
            )
            if no_packet
            else "",
            code, MESSAGES.get(code, ""), created, updated, submitted, event_date,
            outcome_at, certified_at,
        )  # fmt: skip
        histories = [(pk, f, t, at, c, "") for f, t, at, c in history]
        packet = outbox = None
        if packet_status:
            sent = submitted + 2 * MINUTE if packet_status != "pending" else None
            packet = (
                pk, pk, SUBJECTS.get(event_type, "spouse1"),
                PROCESSES[event_type],
                f"99999{90000 + pk // 99999:05d}{pk % 99999 + 1:05d}"
                f"{submitted:%Y%m%d%H%M%S}",
                "99999", f"{90000 + pk // 99999:05d}", packet_status,
                "", "", code, MESSAGES.get(code, ""), sent,
                outcome_at if status not in ("submitted", "packet_created", "processing") else None,
                submitted, updated,
            )  # fmt: skip
            waiting = packet_status == "pending"
            stalled = waiting and age > datetime.timedelta(hours=2)
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
        wait = datetime.timedelta(
            hours=min(rng.lognormvariate(math.log(6), 1.2), 24 * 20)
        )
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
            final, code = "failed", _pick(rng, FAIL_CODES)
            outcome_at = submitted + (wait if steps else 10 * MINUTE)
        elif fate < 0.09:
            final, code = "rejected", _pick(rng, REJECT_CODES)
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
