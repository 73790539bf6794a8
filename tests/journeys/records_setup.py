"""Records the later journeys start from, built inside the live portal's own
environment through the real services and the live pipeline (run by
`LivePortal.setup`, never imported by the test process).

National IDs come into being only the way MOSIP issues them here: a birth registered
in the portal and processed by the sandbox under CRVS_NEW. Each function prints one
JSON line last, which the journey reads (see tests/journeys/records.py).
"""

import datetime
import json

from django.utils import timezone

from apps.accounts.models import User
from apps.registrations import services
from apps.registrations.models import (
    EventStatus,
    EventStatusChange,
    OutboxMessage,
    Packet,
    VitalEvent,
)
from apps.registrations.pipeline.outbox import retry_delay_seconds
from apps.registrations.queries import national_id_pending
from tests.registrations.factories import attach_pdf, birth_data, make_event
from tests.waiting import wait_until


def _registrar() -> User:
    return User.objects.get(username="registrar")


def _submit_birth(name: str, gender: str, born: datetime.date) -> VitalEvent:
    data = birth_data(child_born=born.isoformat())
    data["child"]["fullName"] = {"eng": name}
    data["child"]["gender"] = gender
    # The mother is not an ID holder herself: no introducer to vouch for. Each
    # record's child has a mother of its own, so no two are taken for one birth.
    data["mother"].pop("uin")
    data["mother"]["full_name"] = f"Mother of {name}"
    registrar = _registrar()
    event = make_event(registrar, "birth", data)
    return services.event_submit(event=event, actor=registrar)


def _wait_for(events: list[VitalEvent], done, timeout: float) -> list[VitalEvent]:
    def all_done() -> bool:
        for event in events:
            event.refresh_from_db()
        return all(done(event) for event in events)

    wait_until(
        all_done,
        timeout,
        "the events got there",
        interval=0.3,
        observe=lambda: [(e.registration_number, e.status) for e in events],
    )
    return events


def id_holders(*people: str, days_old: int = 400) -> None:
    """Register the birth of each "Name/FLE" (or "/MLE"), `days_old` days ago, and
    wait until MOSIP has issued each a national ID; prints
    [{"registration_number", "uin"}, …]."""
    born = timezone.localdate() - datetime.timedelta(days=days_old)
    events = [
        _submit_birth(name, gender, born)
        for name, gender in (person.split("/") for person in people)
    ]
    # The UIN comes with the credential, which follows the workflow result.
    settled = _wait_for(
        events, lambda e: e.is_settled and not national_id_pending(e), timeout=120
    )
    failed = [
        e
        for e in settled
        if e.status != EventStatus.ID_ISSUED or not e.packets.get().uin
    ]
    if failed:
        raise RuntimeError(
            f"MOSIP issued no ID: {[(e.status, e.last_error_message) for e in failed]}"
        )
    print(
        json.dumps(
            [
                {
                    "registration_number": e.registration_number,
                    "uin": e.packets.get().uin,
                }
                for e in settled
            ]
        )
    )


def draft_birth(name: str) -> None:
    """A birth the registrar has started, with its evidence attached, and not yet
    submitted. Prints {"pk"}."""
    data = birth_data(
        child_born=(timezone.localdate() - datetime.timedelta(10)).isoformat()
    )
    data["child"]["fullName"] = {"eng": name}
    event = make_event(_registrar(), "birth", data)
    attach_pdf(event)
    print(json.dumps({"pk": event.pk}))


def stuck_birth(name: str, hours: float = 2) -> None:
    """A birth submitted while MOSIP is down (the journey switches the outage on
    first), as it stands after `hours` of that outage: the send failed, every
    timestamp is `hours` old, and the next retry is as far off as the capped backoff
    puts it. Prints {"registration_number", "application_id"}."""
    event = _submit_birth(name, "MLE", timezone.localdate() - datetime.timedelta(30))
    outbox = OutboxMessage.objects.get(event=event)

    def send_failed() -> str:
        outbox.refresh_from_db()
        return outbox.last_error_code

    wait_until(
        send_failed, 60, "the send failed", interval=0.3, observe=lambda: outbox.status
    )
    event.refresh_from_db()
    if event.status != EventStatus.SUBMITTED:
        raise RuntimeError(f"expected a submitted event, found {event.status}")

    ago = datetime.timedelta(hours=hours)
    now = timezone.now()
    # Querysets' update() leaves auto_now fields as given.
    VitalEvent.objects.filter(pk=event.pk).update(
        created_at=event.created_at - ago,
        draft_saved_at=event.draft_saved_at - ago,
        submitted_at=event.submitted_at - ago,
        updated_at=event.updated_at - ago,
    )
    for change in EventStatusChange.objects.filter(event=event):
        EventStatusChange.objects.filter(pk=change.pk).update(at=change.at - ago)
    packet = event.packets.get()
    Packet.objects.filter(pk=packet.pk).update(
        created_at=packet.created_at - ago, updated_at=packet.updated_at - ago
    )
    OutboxMessage.objects.filter(pk=outbox.pk).update(
        created_at=outbox.created_at - ago,
        failing_since=outbox.failing_since - ago,
        next_attempt_at=now
        + datetime.timedelta(seconds=retry_delay_seconds(attempts=99)),
    )
    print(
        json.dumps(
            {
                "registration_number": event.registration_number,
                "application_id": packet.application_id,
            }
        )
    )


def back_office_events() -> None:
    """What the back office journey looks at, recorded by the office's registrar: a
    divorce registered (stock MOSIP has no divorce process, so it is registered
    without a packet) and a birth still in draft. Prints {"registered": {"pk",
    "registration_number", "status"}, "draft": {"pk", "label"}}."""
    registrar = _registrar()
    registered = services.event_submit(
        event=make_event(registrar, "divorce"), actor=registrar
    )
    draft = make_event(registrar, "birth")
    print(
        json.dumps(
            {
                "registered": {
                    "pk": registered.pk,
                    "registration_number": registered.registration_number,
                    "status": registered.get_status_display(),
                },
                "draft": {"pk": draft.pk, "label": str(draft)},
            }
        )
    )
