"""MOSIP's own view of a token (docs/mosip/packet-api.md §2): who it belongs to and its roles."""

from dataclasses import dataclass

from apps.mosip import transport
from apps.mosip.config import MosipClient


@dataclass(frozen=True)
class TokenIdentity:
    """Who MOSIP says the token belongs to (validateToken)."""

    user_id: str
    roles: list[str]


def validate_token(client: MosipClient) -> TokenIdentity:
    """GET /v1/authmanager/authorize/admin/validateToken with the client's cookie:
    MOSIP's own view of the token's user and roles (what the WebSub hub checks)."""
    response = client.request(
        "GET", f"{client.config.api_url}/v1/authmanager/authorize/admin/validateToken"
    )
    body = transport.unwrap(response) or {}
    roles = [r for r in str(body.get("role") or "").split(",") if r]
    return TokenIdentity(user_id=str(body.get("userId") or ""), roles=roles)
