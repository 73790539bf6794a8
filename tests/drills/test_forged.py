"""Drill: forged deliveries sent straight to the live portal's WebSub receiver over
HTTP, while genuine results keep coming from MOSIP's hub. Not one forgery changes a
record: the inbox, the events, their packets and UINs, their history and the audit
trail are the same before and after; each is held in quarantine and counted (or,
for no subscription of ours or an abusive size, refused outright), with the status
the receiver gives it on purpose (apps/websub/receiver.py: a 202 for whatever the
hub might really have sent, so a forger cannot halt the real subscription either).
"""

import base64
import hashlib
import hmac
import json
import socket
import uuid
from collections import Counter
from urllib.parse import urlsplit

import pytest
import requests

from tests.drills.websub_drill import COMPLETED, QUICK_BROKER, inside
from tests.registrations.factories import uin

pytestmark = pytest.mark.drill

FIRST, LATER = 3, 3
FORGED_UIN = uin("987654321")
ONE_MB = 1024 * 1024


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def result(application_id: str, code: str) -> bytes:
    return json.dumps(
        {
            "instanceId": application_id,
            "resultCode": code,
            "workflowType": "CRVS_NEW",
            "errorCode": None if code == "PROCESSED" else f"PACKET_{code}",
        }
    ).encode()


def credential(topic: str, application_id: str) -> bytes:
    """A CREDENTIAL_ISSUED event naming a UIN of the forger's choosing."""
    subject = {"UIN": FORGED_UIN, "id": f"http://forged/credentials/{application_id}"}
    forged = json.dumps({"credentialSubject": subject}).encode()
    return json.dumps(
        {
            "publisher": "CREDENTIAL_SERVICE",
            "topic": topic,
            "event": {
                "id": str(uuid.uuid4()),
                "transactionId": str(uuid.uuid4()),
                "data": {
                    "registrationId": application_id,
                    "credential": base64.urlsafe_b64encode(forged).decode(),
                },
            },
        }
    ).encode()


def post(url: str, topic: str, body: bytes, signature: str | None, **headers):
    sent = {"Content-Type": "application/json", **headers}
    sent.setdefault("Link", f'<http://hub/hub>; rel="hub", <{topic}>; rel="self"')
    if signature is not None:
        sent["X-Hub-Signature"] = signature
    return requests.post(url, data=body, headers=sent, timeout=30).status_code


def post_declaring(url: str, length: int) -> int:
    """A POST that declares a body far beyond anything MOSIP sends and sends only
    its start: the receiver must answer without reading the rest."""
    target = urlsplit(url)
    with socket.create_connection((target.hostname, target.port), timeout=15) as conn:
        conn.sendall(
            f"POST {target.path} HTTP/1.1\r\nHost: {target.netloc}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {length}\r\n"
            "X-Hub-Signature: sha256=00\r\n\r\n".encode()
            + b"{" * 4096
        )
        status_line = conn.makefile("rb").readline().decode()
    return int(status_line.split()[1])


def forge(subs: dict, portal_url: str, application_ids: list[str]) -> list[tuple]:
    """(name, send, expected status, where it ends up) for each forgery."""
    workflow, credentials = subs["workflow_completed"], subs["credential_issued"]
    url, topic, secret = (
        workflow["callback_url"],
        workflow["topic"],
        workflow["secret"],
    )
    target = application_ids[0]
    rejected = result(target, "REJECTED")
    genuine_looking = result(target, "PROCESSED")
    tampered = result(target, "FAILED")
    malformed = b'{"instanceId": "' + target.encode() + b'", "resultCode": '
    too_large = result(target, "REJECTED").replace(b"CRVS_NEW", b"X" * (2 * ONE_MB))
    forged_uin = credential(credentials["topic"], target)
    other_topic = f'<http://hub/hub>; rel="hub", <{credentials["topic"]}>; rel="self"'
    return [
        ("wrong_hmac", lambda: post(url, topic, rejected, sign("guessed", rejected)),
         202, "bad_signature"),
        ("no_signature", lambda: post(url, topic, rejected, None),
         202, "missing_signature"),
        ("other_subscriptions_secret",
         lambda: post(url, topic, rejected, sign(credentials["secret"], rejected)),
         202, "bad_signature"),
        ("signature_of_another_body",
         lambda: post(url, topic, tampered, sign(secret, genuine_looking)),
         202, "bad_signature"),
        ("unknown_callback",
         lambda: post(f"{portal_url}/websub/{uuid.uuid4().hex[:22]}/", topic,
                      rejected, sign(secret, rejected)),
         410, "unknown_subscription"),
        ("unknown_topic",
         lambda: post(url, topic, rejected, sign(secret, rejected), Link=other_topic),
         202, "wrong_topic"),
        ("malformed_json", lambda: post(url, topic, malformed, sign(secret, malformed)),
         202, "malformed"),
        ("oversized_body", lambda: post(url, topic, too_large, sign(secret, too_large)),
         202, "too_large"),
        ("beyond_any_hub_body", lambda: post_declaring(url, 64 * ONE_MB),
         413, "too_large"),
        ("forged_uin_for_a_real_application",
         lambda: post(credentials["callback_url"], credentials["topic"], forged_uin,
                      sign("guessed", forged_uin)),
         202, "bad_signature"),
    ]  # fmt: skip


def send_all(forgeries) -> dict[str, int]:
    return {name: send() for name, send, _, _ in forgeries}


def test_forged_deliveries_change_nothing_and_genuine_ones_keep_working(
    drill_portal, drill_report
):
    portal = drill_portal(
        "forged", CELERY_BEAT_INTERVALS="websub-sweep-inbox=1", **QUICK_BROKER
    )
    subs = {sub["kind"]: sub for sub in inside(portal, "subscriptions()")}
    assert subs["workflow_completed"]["topic"] == COMPLETED
    # The drill signs with the real secrets where a forgery needs one genuine part;
    # they must never reach the portal's logs.
    portal.secrets += [sub["secret"] for sub in subs.values()]

    first = inside(portal, f"submit_births({FIRST}, 'Genuine')")
    settled = inside(portal, f"wait_settled({FIRST}, timeout=240)")
    assert settled["settled"], settled
    before = inside(portal, "records()")
    genuine_uins = {p[0]: p[2] for p in before["packets"]}
    quarantined_before = Counter(settled["quarantine"])

    # Every kind of forgery, each against a birth MOSIP really issued an ID for.
    forgeries = forge(subs, portal.url, first)
    answered = send_all(forgeries)
    assert answered == {name: status for name, _, status, _ in forgeries}
    # The portal stores a delivery before it answers, so a forgery that got in is in
    # the inbox already; what a sweep would make of it shows in the genuine births
    # settled below, through many sweeps.
    after = inside(portal, "records()")
    changed = [key for key in before if before[key] != after[key]]
    assert not changed, {key: (before[key], after[key]) for key in changed}
    held = Counter(inside(portal, "state()")["quarantine"]) - quarantined_before
    assert held == Counter(reason for _, _, _, reason in forgeries)

    # Genuine results keep coming while a second round of forgeries aims at the
    # births being processed now.
    later = inside(portal, f"submit_births({LATER}, 'Later')")
    again = send_all(forge(subs, portal.url, later)) | {
        f"{name}-first": status
        for name, status in send_all(forge(subs, portal.url, first[1:])).items()
    }
    assert set(again.values()) <= {202, 410, 413}
    state = inside(portal, f"wait_settled({FIRST + LATER}, timeout=300)")
    assert state["settled"], state
    final = inside(portal, "records()")
    uins = {p[0]: p[2] for p in final["packets"]}
    assert FORGED_UIN not in uins.values()
    assert {aid: uins[aid] for aid in first} == genuine_uins
    assert len(set(uins.values())) == FIRST + LATER
    assert state["national_id_audit"] == FIRST + LATER
    assert state["national_id_audit_most"] == 1
    assert state["id_issued_changes"] == FIRST + LATER
    assert {status for _, _, status, _, _ in final["inbox"]} <= {"applied", "duplicate"}
    held_total = sum(Counter(state["quarantine"]).values()) - sum(
        quarantined_before.values()
    )
    assert held_total == len(answered) + len(again)

    drill_report(
        "forged",
        forged_sent=len(answered) + len(again),
        refused=held_total,
        side_effects=len(changed),
        genuine_applied=sum(
            1 for _, _, status, _, _ in final["inbox"] if status == "applied"
        ),
        with_uin=state["with_uin"],
        answered=",".join(f"{n}={s}" for n, s in sorted(answered.items())),
    )
