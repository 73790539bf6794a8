"""Credential issuance after a successful process, as reg-proc's
CredentialRequestorStage and the credential service do it
(docs/mosip/credential-partner.md §3; docs/mosip/onboarding-websub.md §5.1).

Who gets a credential is reg-proc configuration: the entries of the file named by
`mosip.registration.processor.credential.partner-profiles` whose `id` is listed in
`mosip.registration.processor.credential.default.partner-ids` and whose `process` is
null or contains the packet's process. For each, the credential service needs the
partner's published policy mapped to the entry's `credentialType` in PMS, and the
partner's (MOSIP re-signed) certificate; the credential carries exactly the policy's
shareable attributes under their `attributeName` (UIN and VID only when shared). It
is a `vercred` (see `vercred`), encrypted for the re-signed certificate in the
`VER_R2` layout (see `ver_r2`), published on `<partnerId>/CREDENTIAL_ISSUED` as
MOSIP's EventModel with publisher `CREDENTIAL_SERVICE`.

A request the credential service cannot serve (no mapping, policy not published,
no certificate) fails on MOSIP's side: it is recorded in `issued_credentials` with
status FAILED and a reason, and nothing is published.
"""

import json
import logging
import secrets
import uuid
from typing import Any

from cryptography import x509

from apps.mosip_sandbox import bus, envelope, mosip_config, partners
from apps.mosip_sandbox.credentials import ver_r2, vercred
from apps.mosip_sandbox.partners import policies
from apps.mosip_sandbox.store import get_store

ISSUED = "issued_credentials"
# credential-requestor stage adds it to every request (§5.1).
TEMPLATE_TYPE_CODE = "RPR_UIN_CARD_TEMPLATE"
SERVICE = "registration-processor"
PROFILES = "mosip.registration.processor.credential.partner-profiles"
DEFAULT_IDS = "mosip.registration.processor.credential.default.partner-ids"
log = logging.getLogger(__name__)


def credential_partner_entries() -> list[dict[str, Any]]:
    """The partners of the configured credential-partners file (empty when the file
    is missing or not JSON, as reg-proc then requests nothing)."""
    name = mosip_config.value(SERVICE, PROFILES)
    text = mosip_config.file(name) if name else None
    try:
        partners_list = json.loads(text).get("partners") if text else None
    except (ValueError, AttributeError):
        return []
    return [p for p in partners_list or [] if isinstance(p, dict)]


def requested_partners(process: str) -> list[dict[str, Any]]:
    """CredentialRequestorStage's filter: default partner ids, then process."""
    defaults = mosip_config.listed(SERVICE, DEFAULT_IDS)
    return [
        entry
        for entry in credential_partner_entries()
        if entry.get("id") in defaults
        and (entry.get("process") is None or process in (entry.get("process") or []))
    ]


def issue_for_registration(
    *, registration_id: str, process: str, identity: dict[str, Any], uin: str, vid: str
) -> list[int]:
    """Publish the credential events; returns the hub message sequence numbers."""
    sequences = []
    for entry in requested_partners(process):
        seq = _issue(entry, registration_id, identity, uin, vid)
        if seq is not None:
            sequences.append(seq)
    return sequences


def shared_attributes(
    policy: dict[str, Any], identity: dict[str, Any], uin: str, vid: str
) -> dict[str, Any]:
    """The policy's shareable attributes with values, under their attribute names."""
    known = {**identity, "UIN": uin, "VID": vid}
    shared: dict[str, Any] = {}
    for item in (policy.get("policies") or {}).get("shareableAttributes") or []:
        name = item.get("attributeName")
        sources = item.get("source") or [{"attribute": name}]
        source = (sources[0] or {}).get("attribute") or name
        if name and source in known and known[source] not in (None, ""):
            shared[name] = known[source]
    return shared


def _failed(record: dict, reason: str) -> None:
    record.update(status="FAILED", reason=reason)
    get_store().put(ISSUED, record["transactionId"], record)
    log.info("credential for %s not issued: %s", record["partnerId"], reason)


def _issue(entry, registration_id, identity, uin, vid) -> int | None:
    partner_id = str(entry.get("partnerId") or "")
    credential_type = str(entry.get("credentialType") or "")
    transaction_id = str(uuid.uuid4())
    record = {
        "transactionId": transaction_id,
        "partnerId": partner_id,
        "registrationId": registration_id,
        "credentialType": credential_type,
        "status": "FAILED",
        "statusUpdates": [],
    }
    partner = partners.get_partner(partner_id)
    if partner is None:
        _failed(record, "the partner is not registered in PMS")
        return None
    policy = policies.credential_type_policy(partner_id, credential_type)
    if policy is None or policy.get("status") != "PUBLISHED":
        _failed(record, f"no published policy mapped for {credential_type!r}")
        return None
    if not partner.get("signedCertificate"):
        _failed(record, "the partner has no certificate")
        return None
    credential = vercred.build(
        base_url=partners.public_base_url(),
        registration_id=registration_id,
        attributes=shared_attributes(policy, identity, uin, vid),
    )
    certificate = x509.load_pem_x509_certificate(partner["signedCertificate"].encode())
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
                "templateTypeCode": entry.get("template") or TEMPLATE_TYPE_CODE,
                "credential": encrypted,
                "proof": {"signature": vercred.event_signature(encrypted)},
                "credentialType": credential_type,
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
