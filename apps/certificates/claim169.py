"""MOSIP Claim 169 QR codes (v1.2.2): encode and verify, with no Django in sight.

identity map (integer keys) → claim 169 of a CWT (RFC 8392) → COSE_Sign1 (RFC 9052)
with Ed25519 → zlib (Brotli accepted when reading) → Base45 (RFC 9285). We emit the strict form (plain map, integer
enums, tag 18 only, `alg` −8 in the protected header, key id in the unprotected one)
and accept the spec's lenient variants: tag 61 around the message or no tag at all,
claim 169 as a byte string holding the encoded map, and numeric strings for gender and
marital status. Every failure is a `VerificationError` with a message fit for anyone.
"""

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import brotli
import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from apps.certificates.base45 import Base45Error, b45decode, b45encode

COSE_SIGN1_TAG = 18
CWT_TAG = 61
# Ed25519 is EdDSA (−8) in the original COSE registry and −19 since RFC 9864.
ALG_EDDSA = -8
ACCEPTED_ALGS = frozenset({ALG_EDDSA, -19})
HEADER_ALG = 1
HEADER_KID = 4

# CWT claims (RFC 8392 §4) and the identity claim (IANA "identity-data").
CWT_ISS, CWT_SUB, CWT_EXP, CWT_NBF, CWT_IAT, CWT_CTI = 1, 2, 4, 5, 6, 7
CLAIM_169 = 169

# A QR code holds at most 4,296 alphanumeric characters (version 40-L).
MAX_TEXT_CHARS = 4400


def gettext_noop(message: str) -> str:
    """Marks a message for `makemessages` (which knows this name) without importing
    Django; the verify page translates `str(error)` when it shows it."""
    return message


# Same bound as the reference implementation: a zlib bomb stops here.
MAX_INFLATED_BYTES = 64 * 1024
# Seconds of clock difference tolerated on exp and nbf.
LEEWAY_SECONDS = 60


class VerificationError(Exception):
    """The QR text is not a valid certificate code; `str()` is a plain message."""


class MalformedError(VerificationError):
    pass


class TooLargeError(VerificationError):
    pass


class AlgorithmError(VerificationError):
    pass


class UnknownKeyError(VerificationError):
    pass


class BadSignatureError(VerificationError):
    pass


class ExpiredError(VerificationError):
    pass


class NotYetValidError(VerificationError):
    pass


@dataclass(frozen=True)
class Verified:
    kid: bytes
    alg: int
    claims: dict  # the CWT claims, claim 169 included as sent
    identity: dict  # claim 169 as a map, enums normalised to integers

    @property
    def issuer(self) -> str:
        return str(self.claims.get(CWT_ISS, ""))


def _dumps(value: Any) -> bytes:
    return cbor2.dumps(value, canonical=True)


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    return _dumps(["Signature1", protected, b"", payload])


def encode(
    identity: Mapping[int, Any],
    *,
    key: Ed25519PrivateKey,
    kid: bytes,
    issuer: str,
    issued_at: int,
    expires_at: int | None = None,
    token_id: bytes | None = None,
) -> str:
    """The Base45 text of a signed Claim 169 QR code for `identity`."""
    claims: dict[int, Any] = {CWT_ISS: issuer, CWT_IAT: issued_at}
    if expires_at is not None:
        claims[CWT_EXP] = expires_at
    if token_id is not None:
        claims[CWT_CTI] = token_id
    claims[CLAIM_169] = dict(identity)
    payload = _dumps(claims)
    protected = _dumps({HEADER_ALG: ALG_EDDSA})
    signature = key.sign(_sig_structure(protected, payload))
    message = cbor2.CBORTag(
        COSE_SIGN1_TAG, [protected, {HEADER_KID: kid}, payload, signature]
    )
    return b45encode(zlib.compress(_dumps(message), 9))


def _inflate(raw: bytes) -> bytes:
    # v1.2.2: zlib when the first byte is its magic 0x78, Brotli otherwise.
    if raw[:1] != b"\x78":
        return _unbrotli(raw)
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(raw, MAX_INFLATED_BYTES)
    except zlib.error as exc:
        raise MalformedError(
            gettext_noop("The code is damaged: it cannot be unpacked.")
        ) from exc
    if inflater.unconsumed_tail:
        raise TooLargeError(
            gettext_noop("The code unpacks to far more data than a certificate.")
        )
    if not inflater.eof:
        raise MalformedError(
            gettext_noop("The code is incomplete: part of it is missing.")
        )
    return data


def _unbrotli(raw: bytes) -> bytes:
    decompressor = brotli.Decompressor()
    try:
        data = decompressor.process(raw, output_buffer_limit=MAX_INFLATED_BYTES)
    except brotli.error as exc:
        raise MalformedError(
            gettext_noop("The code is damaged: it cannot be unpacked.")
        ) from exc
    if len(data) >= MAX_INFLATED_BYTES and not decompressor.is_finished():
        raise TooLargeError(
            gettext_noop("The code unpacks to far more data than a certificate.")
        )
    if not decompressor.is_finished():
        raise MalformedError(
            gettext_noop("The code is incomplete: part of it is missing.")
        )
    return data


def _loads(data: bytes, damaged: str) -> Any:
    try:
        return cbor2.loads(data)
    except Exception as exc:  # cbor2 raises several kinds on hostile input
        raise MalformedError(damaged) from exc


def _unwrap_sign1(obj: Any) -> list:
    if isinstance(obj, cbor2.CBORTag) and obj.tag == CWT_TAG:
        obj = obj.value
    if isinstance(obj, cbor2.CBORTag):
        if obj.tag != COSE_SIGN1_TAG:
            raise MalformedError(
                gettext_noop("The code is not a signed message (COSE_Sign1).")
            )
        obj = obj.value
    # Inside a tag cbor2 gives immutable containers: a tuple and a frozendict.
    if not (
        isinstance(obj, list | tuple)
        and len(obj) == 4
        and isinstance(obj[0], bytes)
        and isinstance(obj[1], Mapping)
        and isinstance(obj[2], bytes)
        and isinstance(obj[3], bytes)
    ):
        raise MalformedError(
            gettext_noop("The code is not a signed message (COSE_Sign1).")
        )
    return list(obj)


def _normalise_identity(identity: Mapping) -> dict:
    out = dict(identity)
    for key in (9, 14):  # gender, marital status: the spec's example sends "1"
        value = out.get(key)
        if isinstance(value, str) and value.isdigit():
            out[key] = int(value)
    return out


def _verifies(key: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def decode(
    text: str,
    *,
    public_keys: Mapping[bytes, Ed25519PublicKey],
    now: int,
    leeway: int = LEEWAY_SECONDS,
) -> Verified:
    """Verify a QR text against the published keys; raise `VerificationError` if not valid."""
    text = (text or "").strip()
    if not text:
        raise MalformedError(gettext_noop("No code was given."))
    if len(text) > MAX_TEXT_CHARS:
        raise TooLargeError(
            gettext_noop("The text is longer than any QR code can hold.")
        )
    try:
        raw = b45decode(text)
    except Base45Error as exc:
        raise MalformedError(
            gettext_noop("This is not a certificate code: it is not Base45 text.")
        ) from exc
    message = _unwrap_sign1(
        _loads(
            _inflate(raw),
            gettext_noop("The code is damaged: its signed message cannot be read."),
        )
    )
    protected_bytes, unprotected, payload, signature = message
    protected = (
        _loads(
            protected_bytes,
            gettext_noop("The code is damaged: its header cannot be read."),
        )
        if protected_bytes
        else {}
    )
    if not isinstance(protected, Mapping):
        raise MalformedError(
            gettext_noop("The code is damaged: its header cannot be read.")
        )
    alg = protected.get(HEADER_ALG)
    if alg is None:
        # A missing alg in the protected header invites algorithm confusion.
        raise AlgorithmError(gettext_noop("The code does not say how it was signed."))
    if alg not in ACCEPTED_ALGS:
        raise AlgorithmError(
            gettext_noop("The code is signed with an algorithm we do not accept.")
        )
    kid = protected.get(HEADER_KID, unprotected.get(HEADER_KID))
    if isinstance(kid, str):
        kid = kid.encode()
    tbs = _sig_structure(protected_bytes, payload)
    if kid is None:
        # The key id is optional (some encoders leave it out): try each published key.
        kid = next(
            (k for k, key in public_keys.items() if _verifies(key, signature, tbs)),
            None,
        )
        if kid is None:
            raise UnknownKeyError(
                gettext_noop("The code was not signed with any key we know.")
            )
    else:
        key = public_keys.get(kid) if isinstance(kid, bytes) else None
        if key is None:
            raise UnknownKeyError(
                gettext_noop("The code was signed with a key we do not know.")
            )
        if not _verifies(key, signature, tbs):
            raise BadSignatureError(
                gettext_noop("The signature does not match: the code has been altered.")
            )
    claims = _loads(
        payload, gettext_noop("The code is damaged: its content cannot be read.")
    )
    if not isinstance(claims, Mapping) or CLAIM_169 not in claims:
        raise MalformedError(gettext_noop("The code carries no identity data."))
    exp, nbf = claims.get(CWT_EXP), claims.get(CWT_NBF)
    if isinstance(exp, int | float) and exp < now - leeway:
        raise ExpiredError(gettext_noop("The code has expired."))
    if isinstance(nbf, int | float) and nbf > now + leeway:
        raise NotYetValidError(gettext_noop("The code is not valid yet."))
    identity = claims[CLAIM_169]
    if isinstance(identity, bytes):
        identity = _loads(
            identity,
            gettext_noop("The code is damaged: its identity data cannot be read."),
        )
    if not isinstance(identity, Mapping):
        raise MalformedError(gettext_noop("The code carries no identity data."))
    return Verified(
        kid=kid, alg=alg, claims=dict(claims), identity=_normalise_identity(identity)
    )
