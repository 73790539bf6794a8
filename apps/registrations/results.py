"""MOSIP results delivered over WebSub, applied through the pipeline services.

Each handler gets a verified, parsed payload and answers "applied", "duplicate" or
"orphan" (no packet with that application id here).
"""

from apps.registrations import pipeline


def credential_issued(payload: dict) -> str:
    """A credential for a packet's subject: the UIN (and VID) MOSIP issued."""
    return pipeline.packet_record_national_id(
        application_id=payload["application_id"],
        uin=payload["uin"],
        vid=payload.get("vid") or "",
    )


def workflow_completed(payload: dict) -> str:
    """REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT: `instanceId` is the
    application id, `resultCode` PROCESSED, REJECTED or FAILED (§7.3)."""
    error_code = payload.get("errorCode")
    return pipeline.packet_record_workflow_result(
        application_id=payload["instanceId"],
        status=payload["resultCode"],
        codes=[error_code] if error_code else [],
    )
