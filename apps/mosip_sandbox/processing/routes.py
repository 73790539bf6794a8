"""The camel routes of the CRVS processes (fixtures/camel-routes), as transitions.

`next_step(route, stage, tags)` gives the stage after a successful `stage`, or a
completion: PROCESSED, or FAILED with the route's reason. A stage that fails leads to
`on_failure(route, stage)`: complete-as-rejected only after demo-dedupe, FAILED
everywhere else (isValid=false in every other route).
"""

from apps.mosip_sandbox.processing.stages import TAG_NOT_AVAILABLE

PROCESSED = ("complete", "PROCESSED", None)
NOT_INFANT = (
    "complete",
    "FAILED",
    "INFANT packet is allowed but received the MINOR/ADULT packet hence rejecting the packet",
)
NO_OPERATOR = ("complete", "FAILED", "Officer and supervisor ids are not available")


def _available(tags: dict, name: str) -> bool:
    return tags.get(f"META_INFO-OPERATIONS_DATA-{name}", TAG_NOT_AVAILABLE) not in (
        "",
        TAG_NOT_AVAILABLE,
    )


def _after_cmd(tags: dict, check_age: bool):
    if check_age and tags.get("AGE_GROUP") != "INFANT":
        return NOT_INFANT
    if _available(tags, "officerId"):
        return "OperatorValidatorStage"
    if _available(tags, "supervisorId"):
        return "SupervisorValidatorStage"
    return NO_OPERATOR


def _crvs_new(stage: str, tags: dict):
    if stage == "CMDValidatorStage":
        return _after_cmd(tags, check_age=True)
    if stage == "OperatorValidatorStage":
        return (
            "SupervisorValidatorStage"
            if _available(tags, "supervisorId")
            else "DemodedupeStage"
        )
    return {
        "PacketValidatorStage": "PacketClassifierStage",
        "PacketClassifierStage": "CMDValidatorStage",
        # Introducer validation is commented out of the CRVS routes.
        "SupervisorValidatorStage": "DemodedupeStage",
        "DemodedupeStage": "UinGeneratorStage",
        "UinGeneratorStage": "FinalizationStage",
        "FinalizationStage": "CredentialRequestorStage",
        "CredentialRequestorStage": PROCESSED,
    }[stage]


def _crvs_death(stage: str, tags: dict):
    # Also the shape of the marital-status update route: no dedupe, no credential.
    if stage == "CMDValidatorStage":
        return _after_cmd(tags, check_age=False)
    if stage == "OperatorValidatorStage":
        return (
            "SupervisorValidatorStage"
            if _available(tags, "supervisorId")
            else "UinGeneratorStage"
        )
    return {
        "PacketValidatorStage": "PacketClassifierStage",
        "PacketClassifierStage": "CMDValidatorStage",
        "SupervisorValidatorStage": "UinGeneratorStage",
        "UinGeneratorStage": "FinalizationStage",
        "FinalizationStage": PROCESSED,
    }[stage]


ROUTES = {"crvs_new": _crvs_new, "crvs_death": _crvs_death, "crvs_update": _crvs_death}


def next_step(route: str, stage: str, tags: dict):
    return ROUTES[route](stage, tags)


def on_failure(route: str, stage: str) -> str:
    return (
        "REJECTED" if route == "crvs_new" and stage == "DemodedupeStage" else "FAILED"
    )
