"""MOSIP results delivered over WebSub, applied through the pipeline services.

The WebSub app verifies, parses (and for credentials decrypts) each delivery and
hands it to these handlers, registered in RegistrationsConfig.ready(). Each answers
"applied", "duplicate" or "orphan" (no packet with that application id here).
"""

from apps.registrations import pipeline


def credential_issued(payload) -> str:
    """A credential for a packet's subject: the UIN (and VID) MOSIP issued."""
    return pipeline.packet_record_national_id(
        application_id=payload.application_id,
        uin=payload.uin or "",
        vid=payload.vid or "",
    )


def workflow_completed(payload) -> str:
    """REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT: PROCESSED, REJECTED or FAILED."""
    return pipeline.packet_record_workflow_result(
        application_id=payload.application_id,
        status=payload.result_code,
        codes=[payload.error_code] if payload.error_code else [],
    )
