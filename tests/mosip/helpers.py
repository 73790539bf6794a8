"""Shared pieces for the MOSIP client's unit tests: tokens shaped like Keycloak's
and a config pointing at a fake MOSIP that `responses` answers."""

import time
import uuid

import jwt

API = "https://mosip.test"
SECRET = "client-secret-do-not-log"


def make_jwt(
    *,
    lifetime: int = 3600,
    roles: tuple[str, ...] = ("ONLINE_REGISTRATION_CLIENT",),
    username: str = "service-account-crvs-client",
    azp: str = "crvs-client",
) -> str:
    now = int(time.time())
    return jwt.encode(
        {
            "exp": now + lifetime,
            "iat": now,
            "jti": str(uuid.uuid4()),
            "azp": azp,
            "aud": "account",
            "preferred_username": username,
            "realm_access": {"roles": list(roles)},
        },
        "test-signing-key-not-verified-by-the-client",
        algorithm="HS256",
    )


def authmanager_answer(token: str) -> dict:
    return {
        "body": (
            '{"id":"string","version":"string","responsetime":"2025-03-01T10:00:00.000Z",'
            '"metadata":null,"response":{"status":"Success","message":"ok"},"errors":null}'
        ),
        "content_type": "application/json",
        "headers": {"Set-Cookie": f"Authorization={token}; Path=/; HttpOnly; Secure"},
    }


def envelope(response=None, errors=None) -> dict:
    return {
        "id": None,
        "version": None,
        "responsetime": "2025-03-01T10:00:00.412Z",
        "metadata": None,
        "response": response,
        "errors": errors,
    }
