"""Keymanager: the server signing key a CRVS machine registers with
(docs/mosip/onboarding-websub.md §2.3)."""

from __future__ import annotations

from apps.mosip.config import MosipClient
from apps.mosip.errors import MosipBadResponse


def tpm_signing_public_key(client: MosipClient, server_profile: str = "Prod") -> str:
    """POST /v1/keymanager/tpmsigning/publickey: the server's signing public key
    (base64url X.509 SubjectPublicKeyInfo), which MOSIP's CRVS guide registers as
    both keys of a server-side machine. Roles: kernel's
    mosip.role.keymanager.posttpmsigningpublickey (REGISTRATION_OFFICER and admin
    roles, not ONLINE_REGISTRATION_CLIENT)."""
    response = client.call(
        "POST",
        "/v1/keymanager/tpmsigning/publickey",
        request={"serverProfile": server_profile},
    )
    key = (response or {}).get("publicKey")
    if not isinstance(key, str) or not key:
        raise MosipBadResponse("keymanager answered without a public key")
    return key
