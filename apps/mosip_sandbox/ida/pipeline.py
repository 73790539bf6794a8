"""One IDA request from the wire to its signed answer (docs/mosip/ida.md §3, §5, §6).

The order is IDA's: the servlet filter (body, `id`/`version`, `signature` and
`Authorization` headers, decryption and HMAC, partner and policy), then the
controller (validation, identity, OTP, demographics), then the filter again, which
signs whatever answer leaves, refusal or not, in the `response-signature` header.
"""

import hashlib
import json
import logging
import re
import secrets

from django.http import HttpResponse

from apps.mosip_sandbox import envelope, faults, mosip_config, spring
from apps.mosip_sandbox.ida import (
    demo,
    errors,
    identities,
    otp,
    partner_policy,
    protection,
    validation,
)

logger = logging.getLogger(__name__)
SERVICE = "id-authentication"
# mosip.kernel.tokenid.uin.salt / .partnercode.salt are deployment secrets.
_UIN_SALT = "sandbox-tokenid-uin-salt"
_PARTNER_SALT = "sandbox-tokenid-partnercode-salt"
TOKEN_LENGTH = 36  # mosip.kernel.tokenid.length
_VERSION = re.compile(r"\d\.\d(\.\d)?")


class ServerFailure(Exception):
    """An unchecked exception escaping IDA's filter: Spring answers HTTP 500."""


# --- answers -------------------------------------------------------------------


def _signed(request, body: dict) -> HttpResponse:
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    response = HttpResponse(raw, content_type="application/json")
    header = mosip_config.value(
        "application", "mosip.signed.response.header", "response-signature"
    )
    tamper = faults.current()["ida"]["tamper_response_signature"]
    response[header] = protection.sign_response(raw, tamper=tamper)
    return response


def auth_answer(meta: dict, *, status: bool, token: str | None, errs) -> dict:
    """AuthResponseDTO, fields in its order."""
    return {
        "transactionID": meta.get("transactionID"),
        "version": meta.get("version"),
        "id": meta.get("id"),
        "errors": errs or None,
        "responseTime": envelope.utc_timestamp(),
        "response": {"authStatus": status, "authToken": token},
    }


def otp_answer(meta: dict, *, masked: dict | None, errs) -> dict:
    """OtpResponseDTO, fields in its order."""
    return {
        "id": meta.get("id"),
        "version": meta.get("version"),
        "transactionID": meta.get("transactionID"),
        "responseTime": envelope.utc_timestamp(),
        "errors": errs or None,
        "response": masked,
    }


# --- the filter ------------------------------------------------------------------


def _read_body(request) -> dict | None:
    if not request.body:
        return None
    try:
        body = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise errors.IdaRefusal(
            errors.UNABLE_TO_PROCESS.item(), from_filter=True
        ) from exc
    if not isinstance(body, dict):
        raise errors.IdaRefusal(errors.UNABLE_TO_PROCESS.item(), from_filter=True)
    return body


def _check_id_and_version(body: dict, expected_id: str) -> None:
    """BaseIDAFilter.validateRequest."""
    given = body.get("id")
    if given in (None, ""):
        raise errors.filter_refusal(errors.MISSING_INPUT_PARAMETER, "id")
    if given != expected_id:
        raise errors.filter_refusal(errors.INVALID_INPUT_PARAMETER, "id")
    version = body.get("version")
    if version in (None, ""):
        raise errors.filter_refusal(errors.MISSING_INPUT_PARAMETER, "version")
    if not isinstance(version, str) or not _version_ok(version):
        raise errors.filter_refusal(errors.INVALID_INPUT_PARAMETER, "version")


def _version_ok(version: str) -> bool:
    return _VERSION.fullmatch(version) is not None


def _check_signature(request) -> None:
    """BaseAuthFilter.authenticateRequest: the `signature` header, then a non-empty
    `Authorization` header (its value is not checked)."""
    signature = request.headers.get("signature")
    if not signature:
        raise errors.filter_refusal(errors.MISSING_INPUT_PARAMETER, "signature header")
    if not protection.signature_valid(signature, request.body):
        raise errors.filter_refusal(errors.DSIGN_FALIED, "signature header")
    if not request.headers.get("Authorization"):
        raise errors.filter_refusal(
            errors.MISSING_INPUT_PARAMETER, "Authorization - header"
        )


def _decipher(body: dict) -> dict:
    """IdAuthFilter.decipherRequest: HMAC first, then the request, with one session
    key; the HMAC must be the upper-case hex SHA-256 of the request text."""
    unable = errors.IdaRefusal(errors.UNABLE_TO_PROCESS.item(), from_filter=True)
    try:
        encrypted_request = protection.b64url_decode(body["request"])
    except (ValueError, TypeError) as exc:
        raise unable from exc
    if body.get("requestHMAC") is None:
        raise errors.filter_refusal(errors.MISSING_INPUT_PARAMETER, "requestHMAC")
    try:
        encrypted_hmac = protection.b64url_decode(body["requestHMAC"])
    except (ValueError, TypeError) as exc:
        raise unable from exc
    session_key = body.get("requestSessionKey")
    thumbprint = body.get("thumbprint")
    if session_key is None or thumbprint is None:
        # IDA passes a null on and fails with a NullPointerException.
        raise ServerFailure("requestSessionKey or thumbprint missing")
    try:
        key_bytes = protection.b64url_decode(str(session_key))
    except ValueError as exc:
        raise unable from exc
    try:
        thumb = protection.thumbprint_bytes(str(thumbprint))
    except protection.UnreadableThumbprint as exc:
        raise ServerFailure("thumbprint") from exc
    try:
        hmac_text = protection.decrypt(key_bytes, encrypted_hmac, thumb)
        plain = protection.decrypt(key_bytes, encrypted_request, thumb)
    except protection.Undecryptable as exc:
        raise errors.filter_refusal(errors.INVALID_ENCRYPTION) from exc
    text = plain.decode("utf-8", errors="replace")
    if hmac_text.decode("utf-8", errors="replace") != protection.request_hmac(text):
        raise errors.filter_refusal(errors.HMAC_VALIDATION_FAILED)
    try:
        inner = json.loads(text)
    except ValueError as exc:
        raise unable from exc
    if not isinstance(inner, dict):
        raise unable
    return inner


def _partner(request, segments: list[str]) -> tuple[str, str, str, str]:
    """IdAuthFilter.getAuthPart: the last three path segments after the context
    path; and the thumbprint of the signature header's certificate."""
    header = protection.jws_header(request.headers.get("signature", "")) or {}
    cert = protection.x5c_certificate(header)
    if cert is None:
        raise errors.filter_refusal(errors.PARTNER_CERTIFICATE_NOT_FOUND_IN_REQ_HEADER)
    if len(segments) < 3:
        raise errors.filter_refusal(errors.URI_PATH_PARAMS_MISSING)
    licence_key, partner_id, api_key = segments[-3:]
    return licence_key, partner_id, api_key, protection.certificate_thumbprint_hex(cert)


# --- the services ------------------------------------------------------------------


def _token_id(identity_token: str, partner_code: str) -> str:
    """Keymanager's TokenIDGenerator: a partner-specific, stable 36-digit token."""
    uin_hash = hashlib.sha256((identity_token + _UIN_SALT).encode()).hexdigest().upper()
    digest = hashlib.sha256((_PARTNER_SALT + partner_code + uin_hash).encode())
    return str(int.from_bytes(digest.hexdigest().upper().encode(), "big"))[
        :TOKEN_LENGTH
    ]


def _auth_token(policy: dict, found, partner_id: str) -> str | None:
    if mosip_config.value(SERVICE, "static.token.enable", "true") != "true":
        return None
    kind = partner_policy.auth_token_type(policy).lower()
    if kind == "partner":
        return _token_id(found.token, partner_id)
    if kind == "policy":
        return _token_id(found.token, policy["id"])
    return str(int.from_bytes(secrets.token_bytes(32), "big"))[:TOKEN_LENGTH]


def _id_type(body: dict) -> str:
    given = body.get("individualIdType")
    return str(given) if given else validation.derive_id_type(body.get("individualId"))


def _canonical(id_type: str) -> str:
    return {"UIN": "UIN", "VID": "VID", "HANDLE": "HANDLE"}.get(
        str(id_type).upper(), "UIN"
    )


def _authenticate(body: dict, inner: dict, partner_id: str, policy: dict) -> dict:
    meta = _meta(body, "ida.api.id.auth")
    full = {**body, "request": inner}
    found_errors = validation.auth_request_errors(full)
    id_type = _id_type(body)
    found_errors += validation.individual_id_errors(
        body.get("individualId"), id_type, "individualId"
    )
    if found_errors:
        raise errors.IdaRefusal(*found_errors, from_filter=False)
    kind = _canonical(id_type)
    found = identities.find(body["individualId"], kind)
    demographics = inner.get("demographics")
    if not isinstance(demographics, dict):
        demographics = {}
    unsupported = [
        a for a in demo.requested_attributes(demographics) if a not in demo.SUPPORTED
    ]
    if unsupported:
        logger.warning("IDA sandbox does not match %s", ", ".join(unsupported))
        raise errors.refusal(errors.UNABLE_TO_PROCESS)
    failures = []
    if inner.get("otp"):
        otp.check_transaction(body["transactionID"], kind, found.token, partner_id)
        if not otp.validate(
            str(inner["otp"]), body["individualId"], body["transactionID"]
        ):
            failures.append(errors.INVALID_OTP.item())
    if not failures and demo.requested_attributes(demographics):
        failures = demo.match(demographics, found.identity)
    token = _auth_token(policy, found, partner_id)
    return auth_answer(meta, status=not failures, token=token, errs=failures)


def _meta(body: dict | None, id_property: str) -> dict:
    return {
        "id": mosip_config.value(SERVICE, id_property),
        "version": "1.0",
        "transactionID": (body or {}).get("transactionID"),
    }


def authenticate(request, segments: list[str]) -> HttpResponse:
    """`POST /idauthentication/v1/auth/{MISP-LK}/{partnerId}/{apiKey}`."""
    meta: dict = {}
    try:
        body = _read_body(request)
        meta = _meta(body, "ida.api.id.auth")
        if body is None:
            raise errors.refusal(errors.UNABLE_TO_PROCESS)
        _check_id_and_version(body, meta["id"])
        _check_signature(request)
        inner = _decipher(body) if body.get("request") is not None else None
        licence, partner_id, api_key, thumbprint = _partner(request, segments)
        policy = partner_policy.validate_and_get_policy(
            partner_id, api_key, licence, thumbprint
        )
        if inner is None:
            raise errors.refusal(errors.UNABLE_TO_PROCESS)
        if not demo.binds(inner.get("demographics")):
            # The filter reads the request as IDA's DTO to check the policy.
            raise errors.IdaRefusal(errors.UNABLE_TO_PROCESS.item(), from_filter=True)
        partner_policy.check_auth_types(
            policy,
            demo=bool(demo.requested_attributes(inner.get("demographics") or {})),
            otp=bool(inner.get("otp")),
        )
        if len(segments) != 4:
            return spring.not_found(request)
        return _signed(request, _authenticate(body, inner, partner_id, policy))
    except errors.IdaRefusal as refused:
        return _signed(
            request, auth_answer(meta, status=False, token=None, errs=refused.entries())
        )
    except ServerFailure:
        return spring.server_error(request)


def request_otp(request, segments: list[str]) -> HttpResponse:
    """`POST /idauthentication/v1/otp/{MISP-LK}/{partnerId}/{apiKey}`."""
    meta: dict = {}
    try:
        body = _read_body(request)
        meta = _meta(body, "ida.api.id.otp")
        if body is None:
            raise errors.refusal(errors.UNABLE_TO_PROCESS)
        _check_id_and_version(body, meta["id"])
        _check_signature(request)
        licence, partner_id, api_key, thumbprint = _partner(request, segments)
        policy = partner_policy.validate_and_get_policy(
            partner_id, api_key, licence, thumbprint
        )
        partner_policy.check_otp_request_allowed(policy)
        if len(segments) != 3:
            return spring.not_found(request)
        return _signed(request, _generate_otp(body, meta, partner_id))
    except errors.IdaRefusal as refused:
        return _signed(request, otp_answer(meta, masked=None, errs=refused.entries()))
    except ServerFailure:
        return spring.server_error(request)


def _generate_otp(body: dict, meta: dict, partner_id: str) -> dict:
    found_errors = validation.otp_request_errors(body)
    id_type = _id_type(body)
    found_errors += validation.individual_id_errors(
        body.get("individualId"), id_type, "individualId"
    )
    if found_errors:
        raise errors.IdaRefusal(*found_errors, from_filter=False)
    kind = _canonical(id_type)
    found = identities.find(body["individualId"], kind)
    if otp.flooded(found.token):
        raise errors.refusal(errors.OTP_REQUEST_FLOODED)
    phone = _first(identities.values(found.identity, "phone"))
    email = _first(identities.values(found.identity, "email"))
    masked = otp.generate(
        individual_id=body["individualId"],
        id_type=kind,
        transaction_id=body["transactionID"],
        partner_id=partner_id,
        token=found.token,
        channels=[str(c) for c in body["otpChannel"]],
        phone=phone,
        email=email,
    )
    return otp_answer(meta, masked=masked, errs=None)


def _first(items: list[dict]) -> str:
    return str(items[0]["value"] or "") if items else ""
