"""Credential issuance to credential partners after a successful CRVS_NEW.

Interface used by packet processing: `issue_for_registration(...)` publishes one
`<partnerId>/CREDENTIAL_ISSUED` event per partner configured to receive credentials
for the process (onboarding-websub.md §5.1).
"""

from typing import Any


def issue_for_registration(
    *, registration_id: str, process: str, identity: dict[str, Any], uin: str, vid: str
) -> list[int]:
    """Publish the credential events; returns the hub message sequence numbers.

    Until credential partners are implemented, no partner receives anything."""
    return []
