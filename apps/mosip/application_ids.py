"""MOSIP's application id (registration id): how it is built (docs/mosip/packet-api.md §4).

No HTTP: the portal allocates ids itself and MOSIP checks their shape."""

import datetime
import re

# The sequence is five digits: it runs from 1 to this, then starts again at 1.
AID_SEQUENCE_MAX = 99999


def application_id_format(
    *, centre_id: str, machine_id: str, sequence: int, at: datetime.datetime
) -> str:
    """29-digit AID: centre (5) + machine (5) + sequence (5) + UTC yyyyMMddHHmmss (§4)."""
    if not (
        re.fullmatch(r"[0-9]{5}", centre_id) and re.fullmatch(r"[0-9]{5}", machine_id)
    ):
        raise ValueError("MOSIP centre and machine ids are 5 digits each.")
    if not 0 < sequence <= AID_SEQUENCE_MAX:
        raise ValueError("The AID sequence runs from 1 to 99999.")
    stamp = at.astimezone(datetime.UTC).strftime("%Y%m%d%H%M%S")
    return f"{centre_id}{machine_id}{sequence:05d}{stamp}"
