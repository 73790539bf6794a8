import base64
import json

import pytest

from apps.registrations import queries, services
from tests.registrations.factories import PDF_BYTES, attach_pdf, make_event

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
