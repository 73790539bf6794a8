"""Credential issuance to credential partners after a successful CRVS_NEW
(onboarding-websub.md §5.1).

Packet processing calls `issue_for_registration(...)`; for every partner configured
for the process (partners.credential_partners_for) it builds a `vercred`
credential (see `vercred`), encrypts it to the partner's uploaded certificate in
the `VER_R2` layout (see `ver_r2`) and publishes `<partnerId>/CREDENTIAL_ISSUED`
as MOSIP's EventModel with publisher `CREDENTIAL_SERVICE`.

A partner without an uploaded certificate gets nothing: MOSIP's credential service
fails to encrypt, and the failure stays on MOSIP's side (recorded in
`issued_credentials` with status FAILED).
"""

import json
import secrets
import uuid
from typing import Any

from cryptography import x509

from apps.mosip_sandbox import bus, envelope, partners
from apps.mosip_sandbox.credentials import ver_r2, vercred
from apps.mosip_sandbox.store import get_store

ISSUED = "issued_credentials"
# credential-requestor stage adds it to every request (§5.1).
TEMPLATE_TYPE_CODE = "RPR_UIN_CARD_TEMPLATE"


def issue_for_registration(
    *, registration_id: str, process: str, identity: dict[str, Any], uin: str, vid: str
) -> list[int]:
    """Publish the credential events; returns the hub message sequence numbers."""
    sequences = []
    for config in partners.credential_partners_for(process):
        seq = _issue(config, registration_id, identity, uin, vid)
        if seq is not None:
            sequences.append(seq)
    return sequences


def _issue(config, registration_id, identity, uin, vid) -> int | None:
    partner_id = config["partnerId"]
    transaction_id = str(uuid.uuid4())
    record = {
        "transactionId": transaction_id,
        "partnerId": partner_id,
        "registrationId": registration_id,
        "status": "FAILED",
        "statusUpdates": [],
    }
    partner = partners.get_partner(partner_id)
    if not partner or not partner.get("certificate"):
        get_store().put(ISSUED, transaction_id, record)
        return None
    # UIN and VID follow the policy's own switches, never the attribute list.
    attributes = {
        name: identity[name]
        for name in config.get("sharedAttributes", [])
        if name in identity and name not in ("UIN", "VID", "id")
    }
    credential = vercred.build(
        base_url=partners.public_base_url(),
        registration_id=registration_id,
        vid=vid,
        uin=uin if config.get("shareUin") else None,
        attributes=attributes,
    )
    certificate = x509.load_pem_x509_certificate(partner["certificate"].encode())
    encrypted = ver_r2.encrypt(json.dumps(credential).encode("utf-8"), certificate)
    now = envelope.utc_timestamp()
    topic = f"{partner_id}/CREDENTIAL_ISSUED"
    event = {
        "publisher": "CREDENTIAL_SERVICE",
        "topic": topic,
        "publishedOn": now,
        "event": {
            "id": str(uuid.uuid4()),
            "transactionId": transaction_id,
            "type": {"namespace": "mosip", "name": "mosip"},
            "timestamp": now,
            "dataShareUri": None,
            "data": {
                "registrationId": registration_id,
                "templateTypeCode": TEMPLATE_TYPE_CODE,
                "credential": encrypted,
                "proof": {"signature": vercred.event_signature(encrypted)},
                "credentialType": config.get("credentialType", "vercred"),
                "protectionKey": f"{secrets.randbelow(1_000_000):06d}",
            },
        },
    }
    record.update(status="ISSUED", eventId=event["event"]["id"])
    get_store().put(ISSUED, transaction_id, record)
    return bus.publish(topic, event, publisher="CREDENTIAL_SERVICE")


def record_status_update(message: Any) -> None:
    """What credential-request-generator does with CREDENTIAL_STATUS_UPDATE (§5.3):
    the status lands on the credential request whose id is `event.requestId`."""
    store = get_store()
    message = message_as_stored(message)
    store.append("credential_status_updates", {"message": message})
    event = message.get("event") if isinstance(message, dict) else None
    if not isinstance(event, dict):
        return
    with store.transaction():
        record = store.get(ISSUED, str(event.get("requestId")))
        if record is None:
            return
        record["status"] = str(event.get("status"))
        record["statusUpdates"].append(
            {"status": record["status"], "timestamp": event.get("timestamp")}
        )
        store.put(ISSUED, record["transactionId"], record)


def message_as_stored(message: Any) -> Any:
    # Decimals from the hub's parser are kept as their text.
    return json.loads(json.dumps(message, default=str))
