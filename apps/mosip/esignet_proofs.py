"""What e-Signet hands back, verified before anything in it is believed
(docs/mosip/esignet.md §5, §6, §7): the id token and the userinfo JWS, each against
the keys e-Signet publishes. Every refusal is `MosipInvalidProof` whose `code` names
the check:

- `untrusted_key`: signed under a key id the JWKS does not list;
- `bad_signature`: the signature does not verify (a forged or altered answer);
- `expired`, `not_yet_valid`, `too_old`: outside its lifetime (a clock skew of
  `LEEWAY` seconds allowed);
- `wrong_issuer`, `wrong_audience`, `missing_claim`;
- `nonce_mismatch`: not the id token of this login (a replayed one);
- `at_hash_mismatch`: not issued with this access token;
- `acr_mismatch`: the login did not use the factor asked for;
- `subject_mismatch`: userinfo about someone else than the id token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

import jwt

from apps.mosip.errors import MosipInvalidProof

ALGORITHMS = ["RS256"]
# Clock skew allowed between e-Signet and the portal, seconds.
LEEWAY = 30
# An id token is redeemed right after the login; one issued longer ago than this is
# not this login's.
MAX_AGE = 600


def _refuse(code: str, message: str) -> MosipInvalidProof:
    return MosipInvalidProof(message, code=code)


def _signing_key(token: str, keys: jwt.PyJWKSet, what: str):
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.PyJWTError as exc:
        raise _refuse("bad_signature", f"The {what} is not a signed token.") from exc
    try:
        return keys[kid].key
    except KeyError as exc:
        raise _refuse(
            "untrusted_key", f"The {what} is signed by a key e-Signet does not publish."
        ) from exc


def at_hash(access_token: str) -> str:
    """OpenID Connect Core §3.1.3.6 for RS256: the left half of SHA-256, base64url."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()


def verify_id_token(
    id_token: str,
    *,
    keys: jwt.PyJWKSet,
    issuer: str,
    client_id: str,
    nonce: str,
    access_token: str,
    acr: str | None = None,
    now: float | None = None,
) -> dict[str, Any]:
    """The id token's claims once its signature (a JWKS key, RS256), `iss` (the
    issuer e-Signet puts in tokens), `aud`, `exp`, `iat`, `nonce`, `at_hash` and,
    when given, `acr` hold."""
    key = _signing_key(id_token, keys, "identity token")
    moment = time.time() if now is None else now
    try:
        claims = jwt.decode(
            id_token,
            key,
            algorithms=ALGORITHMS,
            audience=client_id,
            issuer=issuer,
            leeway=LEEWAY,
            options={
                "require": ["iss", "sub", "aud", "exp", "iat", "nonce", "at_hash"],
                "verify_exp": False,
                "verify_iat": False,
            },
        )
    except jwt.InvalidSignatureError as exc:
        raise _refuse(
            "bad_signature", "The identity token's signature does not verify."
        ) from exc
    except jwt.InvalidIssuerError as exc:
        raise _refuse(
            "wrong_issuer", "The identity token comes from another issuer."
        ) from exc
    except jwt.InvalidAudienceError as exc:
        raise _refuse(
            "wrong_audience", "The identity token was issued to another client."
        ) from exc
    except jwt.MissingRequiredClaimError as exc:
        raise _refuse(
            "missing_claim", f"The identity token lacks {exc.claim}."
        ) from exc
    except jwt.PyJWTError as exc:
        raise _refuse(
            "bad_signature", f"The identity token is unreadable: {exc}"
        ) from exc
    _check_times(claims, moment)
    if not isinstance(claims["nonce"], str) or not hmac.compare_digest(
        claims["nonce"], nonce
    ):
        raise _refuse(
            "nonce_mismatch",
            "The identity token belongs to another login (its nonce differs).",
        )
    if not hmac.compare_digest(str(claims["at_hash"]), at_hash(access_token)):
        raise _refuse(
            "at_hash_mismatch",
            "The identity token was not issued with this access token.",
        )
    if not isinstance(claims["sub"], str) or not claims["sub"]:
        raise _refuse("missing_claim", "The identity token names no subject.")
    if acr is not None and acr not in str(claims.get("acr") or "").split():
        raise _refuse("acr_mismatch", "The login did not use the method asked for.")
    return claims


def _check_times(claims: dict[str, Any], now: float) -> None:
    try:
        expires, issued = float(claims["exp"]), float(claims["iat"])
    except (TypeError, ValueError) as exc:
        raise _refuse(
            "missing_claim", "The identity token's times are not numbers."
        ) from exc
    if expires <= now - LEEWAY:
        raise _refuse("expired", "The identity token has expired.")
    if issued > now + LEEWAY:
        raise _refuse("not_yet_valid", "The identity token is issued in the future.")
    if issued < now - MAX_AGE:
        raise _refuse(
            "too_old", "The identity token was issued too long ago for this login."
        )


def verify_userinfo(jws: str, *, keys: jwt.PyJWKSet, subject: str) -> dict[str, Any]:
    """The userinfo claims once the JWS verifies against the JWKS (the identity
    system's key) and its `sub` is the id token's: it carries no iss, aud or exp
    (§6), so the subject is what binds it to this login."""
    key = _signing_key(jws, keys, "identity details")
    try:
        claims = jwt.decode(
            jws,
            key,
            algorithms=ALGORITHMS,
            options={"require": ["sub"], "verify_aud": False, "verify_exp": False},
        )
    except jwt.InvalidSignatureError as exc:
        raise _refuse(
            "bad_signature", "The identity details' signature does not verify."
        ) from exc
    except jwt.PyJWTError as exc:
        raise _refuse(
            "bad_signature", f"The identity details are unreadable: {exc}"
        ) from exc
    if not isinstance(claims.get("sub"), str) or not hmac.compare_digest(
        claims["sub"], subject
    ):
        raise _refuse(
            "subject_mismatch",
            "The identity details are about another person than the login.",
        )
    return claims
