"""The IDA client against answers made here as IDA makes them (docs/mosip/ida.md):
the request as IDA reads it (decrypted with IDA's key, HMAC and JWS checked), and
every kind of answer, signed with IDA's signing key or not."""

import base64
import datetime
import hashlib
import json
import re

import pytest
import requests
import responses
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import NameOID

from apps.mosip import ida
from apps.mosip.ida import crypto
from apps.mosip.ida.client import AUTH_PATH

IDA = "https://api.example.org"
OAEP = padding.OAEP(
    mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None
)


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _cert(key, cn):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )


def _pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Keys:
    def __init__(self):
        self.ida_key, self.sign_key, self.partner_key = _key(), _key(), _key()
        self.ida_cert = _cert(self.ida_key, "IDA-PARTNER")
        self.sign_cert = _cert(self.sign_key, "IDA-SIGN")
        self.partner_cert = _cert(self.partner_key, "crvs-auth")

    def partner(self, **overrides):
        values = {
            "ida_url": IDA,
            "licence_key": "L" * 50,
            "partner_id": "crvs-auth",
            "api_key": "123456",
            "private_key_pem": self.partner_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ).decode(),
            "certificate_pem": _pem(self.partner_cert),
            "ida_certificate_pem": _pem(self.ida_cert),
            "ida_signing_certificates": (_pem(self.sign_cert),),
        }
        values.update(overrides)
        return ida.AuthPartner(**values)


@pytest.fixture(scope="module")
def keys():
    return Keys()


AUTH_URL = re.compile(re.escape(f"{IDA}{AUTH_PATH}/") + r"[^/]+/[^/]+/[^/]+")


def read_request(keys: Keys, request) -> dict:
    """What IDA reads from the request: its signature checked with the x5c
    certificate, the session key opened with IDA's key, the HMAC compared."""
    body = request.body if isinstance(request.body, bytes) else request.body.encode()
    header_part, payload, signature = request.headers["signature"].split(".")
    assert payload == ""
    header = json.loads(_unb64(header_part))
    x5c = x509.load_der_x509_certificate(base64.b64decode(header["x5c"][0]))
    x5c.public_key().verify(
        _unb64(signature),
        f"{header_part}.{_b64(body)}".encode(),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    outer = json.loads(body)
    key = keys.ida_key.decrypt(_unb64(outer["requestSessionKey"]), OAEP)

    def opened(field):
        blob = _unb64(outer[field])
        return AESGCM(key).decrypt(blob[-16:], blob[:-16], None)

    plain = opened("request")
    assert opened("requestHMAC") == hashlib.sha256(plain).hexdigest().upper().encode()
    return {
        "outer": outer,
        "inner": json.loads(plain),
        "x5c": x5c,
        "headers": request.headers,
    }


def answer(keys, *, status=True, errors=None, token="a" * 36, sign_key=None,
           tamper=False, txn=None, signature=None, x5c=None):  # fmt: skip
    """A callback answering as IDA does, signed with IDA-SIGN unless told."""

    def callback(request):
        seen = read_request(keys, request)
        body = json.dumps({
            "transactionID": txn or seen["outer"]["transactionID"],
            "version": "1.0", "id": "mosip.identity.auth",
            "errors": errors, "responseTime": "2025-03-01T10:00:00.000Z",
            "response": {"authStatus": status, "authToken": token if status else None},
        }).encode()  # fmt: skip
        cert = x5c or keys.sign_cert
        header = _b64(json.dumps({
            "x5c": [base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()],
            "alg": "RS256"}).encode())  # fmt: skip
        signed = body + b" " if tamper else body
        sig = (sign_key or keys.sign_key).sign(
            f"{header}.{_b64(signed)}".encode(), padding.PKCS1v15(), hashes.SHA256()
        )
        headers = {} if signature == "none" else {
            "response-signature": signature or f"{header}..{_b64(sig)}"
        }  # fmt: skip
        return 200, headers, body

    return callback


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


PERSON = ida.Demographics(
    {"eng": "Amina Yusuf Haddad", "ara": "أمينة يوسف حداد"},
    datetime.date(2025, 3, 1),
    gender="FLE",
    gender_languages=("eng",),
)


def test_the_request_is_what_ida_reads(keys, mocked):
    seen = {}

    def callback(request):
        seen.update(read_request(keys, request))
        return answer(keys)(request)

    mocked.add_callback(responses.POST, AUTH_URL, callback=callback)
    result = ida.authenticate(keys.partner(), "2345678901", ida.IdType.UIN, PERSON)
    assert result.outcome == ida.Outcome.VERIFIED
    call = mocked.calls[0].request
    assert call.url == f"{IDA}{AUTH_PATH}/{'L' * 50}/crvs-auth/123456"
    outer, inner = seen["outer"], seen["inner"]
    assert outer["id"] == "mosip.identity.auth" and outer["version"] == "1.0"
    assert outer["individualId"] == "2345678901"
    assert outer["individualIdType"] == "UIN"
    assert outer["consentObtained"] is True
    assert re.fullmatch(r"[A-Za-z0-9]{10}", outer["transactionID"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", outer["requestTime"])
    assert outer["thumbprint"] == _b64(
        hashlib.sha256(keys.ida_cert.public_bytes(serialization.Encoding.DER)).digest()
    )
    assert inner["timestamp"] == outer["requestTime"]
    assert inner["demographics"] == {
        "name": [
            {"language": "eng", "value": "Amina Yusuf Haddad"},
            {"language": "ara", "value": "أمينة يوسف حداد"},
        ],
        "dob": "2025/03/01",
        "gender": [{"language": "eng", "value": "FLE"}],
    }
    assert seen["x5c"] == keys.partner_cert
    assert seen["headers"]["Authorization"]


def test_verified_carries_idas_token_and_transaction(keys, mocked):
    mocked.add_callback(responses.POST, AUTH_URL, callback=answer(keys, token="9" * 36))
    result = ida.authenticate(keys.partner(), "2345678901", ida.IdType.UIN, PERSON)
    assert result.outcome == ida.Outcome.VERIFIED
    assert result.auth_token == "9" * 36
    assert result.signed is True
    assert len(result.transaction_id) == 10


def _error(code, message, action=None):
    return {"errorCode": code, "errorMessage": message, "actionMessage": action}


def test_mismatches_name_the_attributes(keys, mocked):
    mocked.add_callback(responses.POST, AUTH_URL, callback=answer(keys, status=False, errors=[
        _error("IDA-DEA-001", "Demographic data name in eng did not match",
               "Please re-enter your name in eng"),
        _error("IDA-DEA-001", "Demographic data dob did not match",
               "Please re-enter your dob"),
    ]))  # fmt: skip
    result = ida.authenticate(keys.partner(), "2345678901", ida.IdType.UIN, PERSON)
    assert result.outcome == ida.Outcome.MISMATCH
    assert result.mismatches == (
        ida.Mismatch("name", "eng"),
        ida.Mismatch("dob"),
    )


def test_a_language_mosip_does_not_hold_is_a_mismatch_of_that_language(keys, mocked):
    mocked.add_callback(responses.POST, AUTH_URL, callback=answer(keys, status=False, errors=[
        _error("IDA-DEA-003", "Demographic data name in ara not available in database"),
    ]))  # fmt: skip
    result = ida.authenticate(keys.partner(), "2345678901", ida.IdType.UIN, PERSON)
    assert result.outcome == ida.Outcome.MISMATCH
    assert result.mismatches == (ida.Mismatch("name", "ara", held=False),)


@pytest.mark.parametrize(
    ("code", "message", "outcome"),
    [
        ("IDA-MLC-018", "UIN not available in database", ida.Outcome.NOT_FOUND),
        ("IDA-MLC-022", "UIN is deactivated/blocked", ida.Outcome.DEACTIVATED),
        ("IDA-MLC-023", "VID is expired/deactivated", ida.Outcome.DEACTIVATED),
        ("IDA-MLC-002", "Invalid UIN", ida.Outcome.NOT_FOUND),
    ],
)
def test_identity_answers(keys, mocked, code, message, outcome):
    mocked.add_callback(
        responses.POST, AUTH_URL,
        callback=answer(keys, status=False, errors=[_error(code, message)]),
    )  # fmt: skip
    result = ida.authenticate(keys.partner(), "2345678901", ida.IdType.UIN, PERSON)
    assert result.outcome == outcome
    assert result.error_codes == (code,)


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("IDA-MPA-007", ida.Problem.LICENCE),
        ("IDA-MPA-008", ida.Problem.LICENCE),
        ("IDA-MPA-009", ida.Problem.API_KEY),
        ("IDA-MPA-039", ida.Problem.API_KEY),
        ("IDA-MPA-019", ida.Problem.POLICY),
        ("IDA-MPA-006", ida.Problem.POLICY),
        ("IDA-MPA-021", ida.Problem.PARTNER_CERTIFICATE),
        ("IDA-MPA-001", ida.Problem.PARTNER_CERTIFICATE),
        ("IDA-MPA-016", ida.Problem.IDA_CERTIFICATE),
        ("IDA-MPA-003", ida.Problem.IDA_CERTIFICATE),
        ("IDA-MLC-001", ida.Problem.CLOCK),
        ("IDA-MLC-006", ida.Problem.REQUEST),
    ],
)
def test_refusals_of_the_filter_say_what_to_fix(keys, mocked, code, problem):
    """The filter wraps its cause in IDA-MLC-007 (docs/mosip/ida.md §6)."""
    errors = [
        _error("IDA-MLC-007", "Request could not be processed. Please try again"),
        _error(code, "cause"),
    ]
    mocked.add_callback(
        responses.POST, AUTH_URL, callback=answer(keys, status=False, errors=errors)
    )
    result = ida.authenticate(keys.partner(), "2345678901", ida.IdType.UIN, PERSON)
    assert result.outcome == ida.Outcome.REFUSED
    assert result.problem == problem
    assert f"{code}: cause" in result.detail
    assert result.signed is True


@pytest.mark.parametrize(
    "tampering",
    [
        {"sign_key": "other"},
        {"tamper": True},
        {"signature": "none"},
        {"signature": "not-a-jws"},
        {"x5c": "other"},
    ],
)
def test_an_answer_not_signed_by_idas_published_key_is_refused(keys, mocked, tampering):
    other = _key()
    if tampering.get("sign_key") == "other":
        tampering["sign_key"] = other
    if tampering.get("x5c") == "other":
        tampering = {"sign_key": other, "x5c": _cert(other, "IDA-SIGN")}
    mocked.add_callback(responses.POST, AUTH_URL, callback=answer(keys, **tampering))
    result = ida.authenticate(keys.partner(), "2345678901", ida.IdType.UIN, PERSON)
    assert result.outcome == ida.Outcome.REFUSED
    assert result.problem == ida.Problem.RESPONSE_SIGNATURE
    assert result.signed is False
    assert result.auth_token == ""


def test_without_a_published_signing_certificate_nothing_is_trusted(keys, mocked):
    mocked.add_callback(responses.POST, AUTH_URL, callback=answer(keys))
    partner = keys.partner(ida_signing_certificates=())
    result = ida.authenticate(partner, "2345678901", ida.IdType.UIN, PERSON)
    assert result.outcome == ida.Outcome.REFUSED
    assert result.problem == ida.Problem.RESPONSE_SIGNATURE


def test_an_answer_for_another_transaction_is_refused(keys, mocked):
    mocked.add_callback(
        responses.POST, AUTH_URL, callback=answer(keys, txn="ZZZZZZZZZZ")
    )
    result = ida.authenticate(keys.partner(), "2345678901", ida.IdType.UIN, PERSON)
    assert result.outcome == ida.Outcome.REFUSED
    assert result.problem == ida.Problem.BAD_RESPONSE


@pytest.mark.parametrize(
    "failure",
    [
        {"status": 503, "body": "no healthy upstream"},
        {"status": 500, "body": "{}"},
        {"body": requests.ConnectionError("refused")},
        {"body": requests.ReadTimeout("slow")},
    ],
)
def test_mosip_unreachable(keys, mocked, failure):
    mocked.add(responses.POST, AUTH_URL, **failure)
    result = ida.authenticate(keys.partner(), "2345678901", ida.IdType.UIN, PERSON)
    assert result.outcome == ida.Outcome.UNREACHABLE
    assert result.signed is False


def test_a_wrong_url_is_a_configuration_problem(keys, mocked):
    mocked.add(responses.POST, AUTH_URL, status=404, body="<html>not found</html>")
    result = ida.authenticate(keys.partner(), "2345678901", ida.IdType.UIN, PERSON)
    assert result.outcome == ida.Outcome.REFUSED
    assert result.problem == ida.Problem.BAD_RESPONSE


def test_unusable_keys_are_refused_before_anything_is_sent(keys, mocked):
    no_ida = keys.partner(ida_certificate_pem="")
    result = ida.authenticate(no_ida, "2345678901", ida.IdType.UIN, PERSON)
    assert result.problem == ida.Problem.IDA_CERTIFICATE
    broken = keys.partner(private_key_pem="not a key")
    result = ida.authenticate(broken, "2345678901", ida.IdType.UIN, PERSON)
    assert result.problem == ida.Problem.PARTNER_CERTIFICATE
    assert not mocked.calls


def test_a_vid_is_sent_as_a_vid(keys, mocked):
    seen = {}

    def callback(request):
        seen.update(read_request(keys, request))
        return answer(keys)(request)

    mocked.add_callback(responses.POST, AUTH_URL, callback=callback)
    ida.authenticate(keys.partner(), "1234567890123456", ida.IdType.VID,
                     ida.Demographics({"eng": "Amina"}))  # fmt: skip
    assert seen["outer"]["individualIdType"] == "VID"
    assert seen["inner"]["demographics"] == {
        "name": [{"language": "eng", "value": "Amina"}]
    }


def test_published_certificates_are_read_as_the_file_server_writes_them(keys, mocked):
    """ida-sign.json is mosip-file-server's pem-to-jwks.py output: a list of JWKs
    whose x5c is the certificate's base64 DER as a string."""
    der = keys.sign_cert.public_bytes(serialization.Encoding.DER)
    jwks = [
        {"kty": "RSA", "kid": "k1", "use": "sig", "x5c": base64.b64encode(der).decode()}
    ]
    mocked.add(responses.GET, f"{IDA}/mosip-certs/ida-sign.json", json=jwks)
    mocked.add(responses.GET, f"{IDA}/mosip-certs/ida-partner.cer",
               body=_pem(keys.ida_cert))  # fmt: skip
    assert ida.fetch_signing_certificates(IDA) == [_pem(keys.sign_cert)]
    assert ida.fetch_partner_certificate(IDA) == _pem(keys.ida_cert)


def test_a_file_server_that_publishes_nothing_usable_says_so(mocked):
    from apps.mosip.errors import MosipBadResponse

    mocked.add(responses.GET, f"{IDA}/mosip-certs/ida-sign.json", json=[])
    mocked.add(responses.GET, f"{IDA}/mosip-certs/ida-partner.cer", body="<html>")
    with pytest.raises(MosipBadResponse):
        ida.fetch_signing_certificates(IDA)
    with pytest.raises(MosipBadResponse):
        ida.fetch_partner_certificate(IDA)


def test_sealed_fields_open_with_the_session_key_only():
    key = AESGCM.generate_key(bit_length=256)
    iv = b"\x01" * 16
    sealed = _b64(AESGCM(key).encrypt(iv, b"data", None) + iv)
    assert crypto.unseal(sealed, key) == b"data"
    with pytest.raises(crypto.IdaCryptoError):
        crypto.unseal(sealed, AESGCM.generate_key(bit_length=256))
