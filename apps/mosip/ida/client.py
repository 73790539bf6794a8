"""One demographic authentication with MOSIP's ID Authentication, and the
certificates a partner fetches from MOSIP's file server (docs/mosip/ida.md §1, §3,
§6). Whatever happens, `authenticate` answers an `IdaAnswer`: IDA's answer read,
or why there is none (MOSIP unreachable, a configuration problem, an answer whose
signature does not verify)."""

from __future__ import annotations

import datetime
import json
import logging
import secrets
import string
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import quote

import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from apps.mosip import transport
from apps.mosip.errors import MosipBadResponse, MosipError, MosipUnavailable
from apps.mosip.ida import crypto
from apps.mosip.ida.answers import IdaAnswer, Outcome, Problem, read_answer

logger = logging.getLogger("apps.mosip")

AUTH_ID = "mosip.identity.auth"  # ida.api.id.auth, mosip-config ida:380
AUTH_VERSION = "1.0"  # ida.api.version.auth, ida:392
AUTH_PATH = "/idauthentication/v1/auth"
PARTNER_CERTIFICATE_PATH = "/mosip-certs/ida-partner.cer"
SIGNING_CERTIFICATES_PATH = "/mosip-certs/ida-sign.json"
RESPONSE_SIGNATURE_HEADER = "response-signature"  # mosip.signed.response.header
# A form waits for this answer: short, and never without a limit.
DEFAULT_TIMEOUT: transport.Timeout = (3.0, 10.0)
_TRANSACTION_ALPHABET = string.ascii_letters + string.digits


class IdType(StrEnum):
    UIN = "UIN"
    VID = "VID"


@dataclass(frozen=True, kw_only=True)
class AuthPartner:
    """An authentication partner as PMS onboarded it: where IDA is, the MISP
    licence key, the partner id and API key, the partner's key and the certificate
    PMS re-signed for it, and IDA's certificates (encryption, signing)."""

    ida_url: str
    licence_key: str = field(repr=False)
    partner_id: str
    api_key: str = field(repr=False)
    private_key_pem: str = field(repr=False)
    certificate_pem: str
    ida_certificate_pem: str
    ida_signing_certificates: tuple[str, ...]
    timeout: transport.Timeout = DEFAULT_TIMEOUT

    @property
    def auth_url(self) -> str:
        segments = "/".join(
            quote(s, safe="") for s in (self.licence_key, self.partner_id, self.api_key)
        )
        return f"{self.ida_url.rstrip('/')}{AUTH_PATH}/{segments}"


@dataclass(frozen=True)
class Demographics:
    """What the form says of the person: the full name per language code
    ({"eng": "…"}), the date of birth, the gender code (as the ID schema keeps it,
    e.g. FLE) with the languages to send it in."""

    names: dict[str, str]
    date_of_birth: datetime.date | None = None
    gender: str = ""
    gender_languages: tuple[str, ...] = ()

    def block(self) -> dict:
        """IDA's `demographics` (core IdentityDTO): `name` and `gender` as
        [{"language", "value"}], `dob` as yyyy/MM/dd (mosip.date-of-birth.pattern)."""
        out: dict = {}
        names = [{"language": lang, "value": v.strip()}
                 for lang, v in self.names.items() if v and v.strip()]  # fmt: skip
        if names:
            out["name"] = names
        if self.date_of_birth:
            out["dob"] = self.date_of_birth.strftime("%Y/%m/%d")
        if self.gender:
            out["gender"] = [
                {"language": lang, "value": self.gender}
                for lang in self.gender_languages
            ]
        return out


def transaction_id() -> str:
    """IDA wants exactly 10 letters or digits (§5.4)."""
    return "".join(secrets.choice(_TRANSACTION_ALPHABET) for _ in range(10))


def request_time(moment: datetime.datetime | None = None) -> str:
    """yyyy-MM-dd'T'HH:mm:ss.SSS'Z', as MOSIP's own IDA client writes it."""
    return transport.utc_timestamp(moment)


def build_request(
    partner: AuthPartner,
    individual_id: str,
    id_type: IdType,
    demographics: Demographics,
    *,
    txn: str,
    now: datetime.datetime | None = None,
) -> bytes:
    """The request body (core AuthRequestDTO) with its identity block encrypted."""
    stamp = request_time(now)
    plain = json.dumps(
        {"timestamp": stamp, "demographics": demographics.block()},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    sealed = crypto.seal(plain, crypto.load_certificate(partner.ida_certificate_pem))
    body = {
        "id": AUTH_ID,
        "version": AUTH_VERSION,
        "requestTime": stamp,
        "transactionID": txn,
        "individualId": individual_id,
        "individualIdType": str(id_type),
        "consentObtained": True,
        "thumbprint": sealed.thumbprint,
        "requestSessionKey": sealed.request_session_key,
        "request": sealed.request,
        "requestHMAC": sealed.request_hmac,
    }
    return json.dumps(body, separators=(",", ":")).encode("utf-8")


def _refused(problem: Problem, detail: str, txn: str, **kwargs) -> IdaAnswer:
    return IdaAnswer(
        Outcome.REFUSED, transaction_id=txn, problem=problem, detail=detail, **kwargs
    )


def _trusted(partner: AuthPartner) -> list[x509.Certificate]:
    out = []
    for text in partner.ida_signing_certificates:
        try:
            out.append(crypto.load_certificate(text))
        except crypto.IdaCryptoError:
            continue
    return out


def authenticate(
    partner: AuthPartner,
    individual_id: str,
    id_type: IdType,
    demographics: Demographics,
    *,
    session: requests.Session | None = None,
) -> IdaAnswer:
    """Demographic authentication of `individual_id` (a UIN or VID) against what
    the form says: POST /idauthentication/v1/auth/{licence}/{partner}/{API key},
    signed, with `Authorization` set (IDA requires the header and does not read it,
    §3). The answer counts only when its `response-signature` verifies with IDA's
    published signing certificate."""
    txn = transaction_id()
    try:
        body = build_request(partner, individual_id, id_type, demographics, txn=txn)
    except crypto.IdaCryptoError as exc:
        return _refused(
            Problem.IDA_CERTIFICATE, f"IDA's encryption certificate: {exc}", txn
        )
    try:
        signature = crypto.sign(
            body,
            crypto.load_private_key(partner.private_key_pem),
            crypto.load_certificate(partner.certificate_pem),
        )
    except crypto.IdaCryptoError as exc:
        return _refused(Problem.PARTNER_CERTIFICATE, f"the partner's key: {exc}", txn)
    headers = {
        "Content-Type": "application/json",
        "signature": signature,
        # MOSIP's own IDA client sends the header's name as its value (IDA
        # esignet-integration-impl HelperService): IDA checks it is there only.
        "Authorization": "Authorization",
    }
    try:
        response = transport.send(
            session or requests.Session(), "POST", partner.auth_url,
            data=body, headers=headers, timeout=partner.timeout,
        )  # fmt: skip
        if response.status_code == 429 or response.status_code >= 500:
            raise MosipUnavailable(f"IDA answered HTTP {response.status_code}")
        if response.status_code >= 300:
            raise MosipBadResponse(
                f"IDA answered HTTP {response.status_code}: is the IDA URL right?"
            )
    except MosipUnavailable as exc:
        return IdaAnswer(Outcome.UNREACHABLE, transaction_id=txn, detail=str(exc))
    except MosipError as exc:
        return _refused(Problem.BAD_RESPONSE, str(exc), txn)
    try:
        crypto.verify_response(
            response.content,
            response.headers.get(RESPONSE_SIGNATURE_HEADER),
            _trusted(partner),
        )
    except crypto.UntrustedResponse as exc:
        logger.warning("ida answer refused: %s", exc)
        return _refused(Problem.RESPONSE_SIGNATURE, str(exc), txn)
    try:
        answer = json.loads(response.content)
    except ValueError:
        return _refused(Problem.BAD_RESPONSE, "IDA's answer is not JSON", txn)
    if not isinstance(answer, dict):
        return _refused(Problem.BAD_RESPONSE, "IDA's answer is not an object", txn)
    if answer.get("transactionID") not in (None, txn):
        return _refused(
            Problem.BAD_RESPONSE, "IDA answered another transaction", txn, signed=True
        )
    result = read_answer(answer, transaction_id=txn, signed=True)
    logger.info(
        "ida auth %s %s", result.outcome, ",".join(c for c in result.error_codes if c)
    )
    return result


# MOSIP's file server ---------------------------------------------------------------


def _get_text(url: str, timeout: transport.Timeout, session) -> str:
    response = transport.send(
        session or requests.Session(), "GET", url, timeout=timeout
    )
    transport.check_status(response)
    return response.text


def fetch_partner_certificate(
    ida_url: str, *, timeout: transport.Timeout = DEFAULT_TIMEOUT, session=None
) -> str:
    """IDA's encryption certificate (key IDA / PARTNER) as MOSIP's file server
    publishes it (`/mosip-certs/ida-partner.cer`, §1), PEM; MosipBadResponse when
    the file is not a certificate."""
    text = _get_text(
        f"{ida_url.rstrip('/')}{PARTNER_CERTIFICATE_PATH}", timeout, session
    )
    try:
        certificate = crypto.load_certificate(text.strip())
    except crypto.IdaCryptoError as exc:
        raise MosipBadResponse(
            f"{PARTNER_CERTIFICATE_PATH} is not a certificate: is the IDA URL right?"
        ) from exc
    return _pem(certificate)


def _pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def fetch_signing_certificates(
    ida_url: str, *, timeout: transport.Timeout = DEFAULT_TIMEOUT, session=None
) -> list[str]:
    """Every certificate of IDA's signing key (IDA / SIGN) MOSIP's file server
    publishes in `/mosip-certs/ida-sign.json`: a JSON list of JWKs whose `x5c` is
    the certificate's base64 DER (mosip-file-server pem-to-jwks.py), PEM each."""
    text = _get_text(
        f"{ida_url.rstrip('/')}{SIGNING_CERTIFICATES_PATH}", timeout, session
    )
    try:
        keys = json.loads(text)
    except ValueError as exc:
        raise MosipBadResponse(f"{SIGNING_CERTIFICATES_PATH} is not JSON") from exc
    if isinstance(keys, dict):
        keys = keys.get("keys")
    out = []
    for key in keys if isinstance(keys, list) else []:
        chain = key.get("x5c") if isinstance(key, dict) else None
        first = chain[0] if isinstance(chain, list) and chain else chain
        if isinstance(first, str):
            try:
                out.append(_pem(crypto.load_certificate(first)))
            except crypto.IdaCryptoError:
                continue
    if not out:
        raise MosipBadResponse(
            f"{SIGNING_CERTIFICATES_PATH} holds no certificate: is the IDA URL right?"
        )
    return out
