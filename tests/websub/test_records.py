"""With the registrations app's own handlers: bad input leaves a real submitted
event and its packet exactly as they were; MOSIP's real result then applies."""

import hashlib
import hmac
import json
import uuid

import pytest
import requests

from apps.registrations import mosip_calls
from apps.registrations import services as registrations
from apps.registrations import tasks as registration_tasks
from apps.registrations.models import Packet
from apps.websub import tasks
from apps.websub.models import InboxEvent
from tests.registrations.factories import birth_data, load_id_schema, make_event
from tests.websub.conftest import (
    CREDENTIAL_TOPIC,
    publish_raw,
    publish_result,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot(packet: Packet):
    packet.refresh_from_db()
    event = packet.event
    event.refresh_from_db()
    return (
        packet.status,
        packet.uin,
        packet.vid,
        packet.result_code,
        event.status,
        event.outcome_at,
    )


def test_bad_input_changes_no_record_and_the_real_result_applies(
    portal, hub, registrar
):
    load_id_schema()
    # Each test onboards afresh, with a new client secret.
    mosip_calls.forget_client()
    event = registrations.event_submit(
        event=make_event(registrar, "birth", birth_data()), actor=registrar
    )
    for outbox in event.outbox_messages.all():
        registration_tasks.send_packet(outbox.pk)
    packet = event.packets.get()
    before = snapshot(packet)
    assert packet.status in ("created", "processing")
    sub = portal["workflow_completed"]
    forged = json.dumps(
        {"instanceId": packet.application_id, "resultCode": "REJECTED"}
    ).encode()
    signature = "sha256=" + hmac.new(b"guess", forged, hashlib.sha256).hexdigest()
    response = requests.post(
        sub.callback_url,
        data=forged,
        headers={"X-Hub-Signature": signature},
        timeout=10,
    )
    assert response.status_code == 202
    publish_raw(
        hub.url,
        CREDENTIAL_TOPIC,
        {
            "publisher": "CREDENTIAL_SERVICE",
            "topic": CREDENTIAL_TOPIC,
            "event": {
                "id": str(uuid.uuid4()),
                "transactionId": str(uuid.uuid4()),
                "data": {
                    "registrationId": packet.application_id,
                    "credential": "bm90LWEtY3JlZGVudGlhbA",
                },
            },
        },
    )
    assert wait_until(lambda: InboxEvent.objects.count() == 1)
    tasks.sweep_inbox.apply()
    assert InboxEvent.objects.get().status == "undecryptable"
    assert snapshot(packet) == before

    publish_result(hub.url, packet.application_id, "REJECTED")
    assert wait_until(lambda: InboxEvent.objects.count() == 2)
    tasks.sweep_inbox.apply()
    packet.refresh_from_db()
    assert (packet.status, packet.result_code) == ("rejected", "PACKET_REJECTED")
    assert snapshot(packet) != before
