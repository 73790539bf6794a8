import base64
import datetime
import json

import pytest
from django.utils import timezone

from apps.registrations import queries, services
from apps.registrations.models import OutboxMessage, OutboxStatus
from tests.registrations.factories import (
    PDF_BYTES,
    attach_pdf,
    distinct_data,
    make_event,
)

pytestmark = pytest.mark.usefixtures("id_schema")


def test_the_stored_packet_builds_its_create_packet_request(registrar):
    event = make_event(registrar)
    attach_pdf(event)
    event = services.event_submit(event=event, actor=registrar)
    packet = event.packets.get()

    request = queries.create_packet_request_for(packet)

    assert request["id"] == packet.application_id
    assert request["refId"] == packet.ref_id
    assert request["process"] == "CRVS_NEW"
    assert request["source"] == "CRVS1"
    assert json.loads(request["fields"]["fullName"])[0]["value"] == "Amina Bello"
    document = request["documents"]["proofOfDateOfBirth"]
    assert base64.b64decode(document["document"]) == PDF_BYTES
    operations = json.loads(request["metaInfo"]["operationsData"])
    assert {"label": "officerId", "value": "crvs.officer"} in operations
    # Every office's packets name the same machine: the office travels in metaData.
    meta_data = json.loads(request["metaInfo"]["metaData"])
    assert {"label": "officeCode", "value": event.office.code} in meta_data
    assert {"label": "officeName", "value": event.office.name} in meta_data


def test_only_registrars_see_events_and_only_their_offices(registrar, supervisor):
    make_event(registrar)
    assert queries.events_visible_to(registrar).count() == 1
    assert queries.events_visible_to(supervisor).count() == 0


def test_the_outbox_depth_counts_waiting_due_retrying_and_failed_sends(registrar):
    now = timezone.now()
    rows = []
    for n in range(4):
        event = services.event_submit(
            event=make_event(registrar, "birth", distinct_data("birth", n)),
            actor=registrar,
            now=now,
        )
        rows.append(OutboxMessage.objects.get(event=event))
    due, retrying, failed, sent = rows
    later = now + datetime.timedelta(minutes=5)
    OutboxMessage.objects.filter(pk=due.pk).update(next_attempt_at=now)
    OutboxMessage.objects.filter(pk=retrying.pk).update(
        failing_since=now, next_attempt_at=later
    )
    OutboxMessage.objects.filter(pk=failed.pk).update(status=OutboxStatus.FAILED)
    OutboxMessage.objects.filter(pk=sent.pk).update(status=OutboxStatus.SENT)

    depth = queries.outbox_depth(now=now)

    assert depth == {
        "waiting": 2,
        "due": 1,
        "retrying": 1,
        "failed": 1,
        "oldest_waiting_at": min(due.created_at, retrying.created_at),
    }


def test_an_empty_outbox_has_no_depth(db):
    assert queries.outbox_depth() == {
        "waiting": 0, "due": 0, "retrying": 0, "failed": 0, "oldest_waiting_at": None
    }  # fmt: skip
