"""Submission: the packet plan, the outbox rows, the send queued after commit."""

import datetime

from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.onboarding.id_schema import id_schema_current
from apps.registrations import config, duplicates, packet_requests, rollups, search
from apps.registrations.forms import EventForm, flatten
from apps.registrations.history import event_move
from apps.registrations.models import (
    DuplicateCandidate,
    DuplicateFlag,
    EventStatus,
    MatchKey,
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    Packet,
    PacketStatus,
    RetiredApplicationId,
    VitalEvent,
)
from apps.registrations.pipeline.wake import outbox_wake_sender
from apps.registrations.services.common import (
    DuplicateReasonRequiredError,
    EventInvalidError,
    event_date_of,
    event_locked,
    require_status,
    subject_name_of,
)
from apps.registrations.services.id_checks import (
    id_checks_before_submission,
    refuse_blocked_death,
)
from apps.registrations.services.identifiers import (
    application_id_allocate,
    registration_number_allocate,
)


def event_plan(*, event: VitalEvent, on: datetime.date) -> packet_requests.PacketPlan:
    """The MOSIP packets submitting `event` on `on` would send (shown before submitting)."""
    return packet_requests.plan_packets(
        event_type=event.event_type,
        data=event.data,
        process=config.mosip_process_for(event.event_type),
        on=on,
        infant_max_age_years=config.infant_max_age_years(),
    )


def _decided_by_mosip(packet: Packet) -> bool:
    """MOSIP reached its final word on this id: a second workflow for it would only
    answer RPR-WIS-001 (docs/mosip/packet-api.md §6), so a correction needs a new id."""
    return packet.processed_at is not None and packet.status in (
        PacketStatus.REJECTED,
        PacketStatus.FAILED,
    )


def _renumber(packet: Packet, ids: config.MosipIds, now) -> None:
    RetiredApplicationId.objects.create(
        packet=packet, application_id=packet.application_id, retired_at=now
    )
    packet.application_id = application_id_allocate(
        centre_id=ids.centre_id, machine_id=ids.machine_id, at=now
    )
    packet.centre_id, packet.machine_id = ids.centre_id, ids.machine_id
    packet.uin = packet.vid = packet.result_code = packet.result_message = ""
    packet.sent_at = packet.processed_at = None


def _sync_packets(
    event: VitalEvent,
    plan: packet_requests.PacketPlan,
    now,
    ids: config.MosipIds | None,
    *,
    first: bool,
) -> list[Packet]:
    """Packets for the plan, reusing each subject's AID from an earlier submission
    unless MOSIP already decided that id."""
    # A draft has never been submitted, so it has no packets yet.
    existing = {} if first else {p.subject: p for p in event.packets.all()}
    wanted = []
    fresh = set()
    for planned in plan.packets:
        packet = existing.pop(planned.subject, None)
        if packet is None:
            packet = Packet.objects.create(
                event=event,
                subject=planned.subject,
                process=planned.process,
                application_id=application_id_allocate(
                    centre_id=ids.centre_id, machine_id=ids.machine_id, at=now
                ),
                centre_id=ids.centre_id,
                machine_id=ids.machine_id,
            )
            fresh.add(packet.pk)
        else:
            fields = ["process", "status", "updated_at"]
            if _decided_by_mosip(packet):
                _renumber(packet, ids, now)
                fields += [
                    "application_id", "centre_id",
                    "machine_id", "uin", "vid", "result_code", "result_message",
                    "sent_at", "processed_at",
                ]  # fmt: skip
            packet.process = planned.process
            packet.status = PacketStatus.PENDING
            packet.save(update_fields=fields)
        fields = {
            "event": event,
            "status": OutboxStatus.PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "last_error": "",
            "last_error_code": "",
            "failing_since": None,
        }
        if packet.pk in fresh:
            # A packet made just now has no outbox row yet: no lookup needed.
            outbox = OutboxMessage.objects.create(
                packet=packet, kind=OutboxKind.SEND_PACKET, **fields
            )
        else:
            outbox, _ = OutboxMessage.objects.update_or_create(
                packet=packet, kind=OutboxKind.SEND_PACKET, defaults=fields
            )
        wanted.append(packet)
    if wanted:
        outbox_wake_sender()
    for dropped in existing.values():
        dropped.status = PacketStatus.WITHDRAWN
        dropped.save(update_fields=["status", "updated_at"])
        dropped.outbox_messages.filter(status=OutboxStatus.PENDING).update(
            status=OutboxStatus.FAILED, last_error="Withdrawn by a correction."
        )
    return wanted


def _check_duplicates(event: VitalEvent, reason: str) -> list[duplicates.Match]:
    """The earlier events this one looks like, none of which a reason was given for
    before; refused without a reason when there are any."""
    matches = duplicates.likely_duplicates(event, event.data)
    if matches and not reason:
        raise DuplicateReasonRequiredError(event, matches)
    return matches


def _flag_duplicates(event, matches, *, reason: str, actor, now) -> None:
    flag = DuplicateFlag.objects.create(
        event=event, reason=reason, flagged_by=actor, flagged_at=now
    )
    DuplicateCandidate.objects.bulk_create(
        DuplicateCandidate(flag=flag, candidate=m.event, rule=m.rule, score=m.score)
        for m in matches
    )
    audit_record(
        actor=actor,
        action="event.duplicate_flagged",
        target=event,
        details={
            "registration_number": event.registration_number,
            "candidates": [
                {
                    "event_id": m.event.pk,
                    "registration_number": m.event.registration_number,
                    "rule": m.rule,
                    "score": round(m.score, 3),
                }
                for m in matches
            ],
            # The registrar's own words, asked for to be kept here.
            "reason": reason,
        },
    )


def _write_match_keys(event: VitalEvent) -> None:
    """The keys later submissions are checked against, from the data as submitted."""
    MatchKey.objects.filter(event=event).delete()
    MatchKey.objects.bulk_create(
        MatchKey(
            event=event,
            kind=key.kind,
            value=key.value,
            born=key.born,
            person=key.person,
            office_id=event.office_id,
            event_date=event.event_date,
        )
        for key in duplicates.event_keys(event.event_type, event.data)
    )


def _submit_locked(
    event: VitalEvent, *, actor, now, action: str, duplicate_reason: str = ""
) -> VitalEvent:
    # Where the event is counted now (a resubmission: its first day and outcome).
    counted = rollups.cell_of(event)
    form = EventForm(
        data=flatten(event.data),
        event_type=event.event_type,
        schema=id_schema_current(),
    )
    if not form.is_valid():
        raise EventInvalidError(form.errors)
    refuse_blocked_death(event, form)
    event.data = form.cleaned_event_data()
    event.subject_name = subject_name_of(event.event_type, event.data)
    event.search_names = search.search_names(event.data)
    event.event_date = event_date_of(event.event_type, event.data)
    today = timezone.localdate(now)
    plan = event_plan(event=event, on=today)
    # Reads before the counters: a counter row stays locked until commit, and every
    # submission of the office (or centre and machine) waits for it.
    ids = config.mosip_ids_for_office(event.office) if plan.packets else None
    to_status = EventStatus.SUBMITTED if plan.packets else EventStatus.REGISTERED
    first = event.status == EventStatus.DRAFT
    # Counted below, once the submission's day and dates are set.
    event_move(
        event, to_status, actor=actor, note=plan.no_packet_reason[:500], recount=False
    )
    sent = _sync_packets(event, plan, now, ids, first=first)
    if not event.registration_number:
        event.registration_number = registration_number_allocate(
            office=event.office, year=today.year
        )
        event.registration_year = today.year
    # Checked once the numbering holds this office's counter row (and the packets
    # their centre's): another submission of the same event from this office waits
    # for this one to commit, then finds it.
    reason = duplicate_reason.strip()
    matches = _check_duplicates(event, reason)
    event.mosip_process = plan.process
    event.no_packet_reason = plan.no_packet_reason
    event.last_error_code = event.last_error_message = ""
    event.submitted_at = now
    event.save()
    rollups.rollups_shift(counted, rollups.cell_of(event))
    _write_match_keys(event)
    if matches:
        _flag_duplicates(event, matches, reason=reason, actor=actor, now=now)
    audit_record(
        actor=actor,
        action=action,
        target=event,
        details={
            "registration_number": event.registration_number,
            "process": plan.process,
            "application_ids": [p.application_id for p in sent],
        },
    )
    return event


def _check_ids(event: VitalEvent, actor) -> None:
    """MOSIP is asked about the IDs typed before the event row is locked: no
    transaction waits on it."""
    form = EventForm(
        data=flatten(event.data),
        event_type=event.event_type,
        schema=id_schema_current(),
    )
    if form.is_valid():
        id_checks_before_submission(event=event, form=form, actor=actor)


def event_submit(
    *, event: VitalEvent, actor, duplicate_reason: str = "", now=None
) -> VitalEvent:
    """Register a draft: number it, and queue its MOSIP packets if it needs any.

    Every national ID typed is checked with MOSIP first; a death blocked by its
    deceased's check raises EventIdCheckBlocked, before duplicates are looked at,
    since only a supervisor can clear it. When registered events look like this one
    (duplicates.likely_duplicates), it is registered only with `duplicate_reason`,
    the registrar's reason for registering it anyway, kept with the event and in the
    audit trail; without one, DuplicateReasonRequiredError and nothing is written."""
    _check_ids(event, actor)
    with transaction.atomic():
        event = event_locked(event)
        require_status(event, {EventStatus.DRAFT}, "submit")
        return _submit_locked(
            event,
            actor=actor,
            now=now or timezone.now(),
            action="event.submitted",
            duplicate_reason=duplicate_reason,
        )


def event_correct_and_resubmit(
    *, event: VitalEvent, actor, duplicate_reason: str = "", now=None
) -> VitalEvent:
    """Send a rejected or failed event again after the registrar corrected it.

    The registration number stays the same. A packet MOSIP never decided keeps its
    application id, so MOSIP sees the same packet overwritten (§3.7); one MOSIP
    rejected or failed goes under a new id, the old one kept on the packet, because
    MOSIP does not process an id a second time (its status says REREGISTER).

    Duplicates are checked again, as for a first submission; events a reason was
    given for before need none again.
    """
    _check_ids(event, actor)
    with transaction.atomic():
        event = event_locked(event)
        require_status(event, {EventStatus.REJECTED, EventStatus.FAILED}, "resubmit")
        return _submit_locked(
            event,
            actor=actor,
            now=now or timezone.now(),
            action="event.resubmitted",
            duplicate_reason=duplicate_reason,
        )


# Documents ------------------------------------------------------------------------
