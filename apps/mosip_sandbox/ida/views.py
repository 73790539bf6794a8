"""IDA's endpoints, thin: each hands the request to `pipeline` or answers a
certificate (docs/mosip/ida.md §1, §2)."""

import json
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from apps.mosip_sandbox import envelope, faults, mosip_config, security, spring
from apps.mosip_sandbox.ida import keys, pipeline, protection

INTERNAL = "id-authentication-internal"


def _ida_faults():
    """The IDA fault switches; None to go on, or the ingress's 503."""
    switches = faults.current()["ida"]
    if switches["latency_ms"]:
        time.sleep(switches["latency_ms"] / 1000)
    if switches["unavailable"]:
        return faults._unavailable()
    return None


def _segments(prefix: list[str], rest: str) -> list[str]:
    # IdAuthFilter.getAuthPart splits what follows the service's context path:
    # /idauthentication/v1 for authentication (so "auth" is the first segment),
    # /idauthentication/v1/otp for the OTP service.
    return [*prefix, *[part for part in rest.split("/") if part]]


@csrf_exempt
@spring.allow_methods("POST")
def authenticate(request, rest: str):
    return _ida_faults() or pipeline.authenticate(request, _segments(["auth"], rest))


@csrf_exempt
@spring.allow_methods("POST")
def request_otp(request, rest: str):
    return _ida_faults() or pipeline.request_otp(request, _segments([], rest))


def _denied(status: int, code: str):
    message = "Authentication Failed" if status == 401 else "Forbidden"
    return envelope.respond(
        id=None, version=None, errors=[envelope.error(code, message)], status=status
    )


@spring.allow_methods("GET")
def get_certificate(request):
    """`GET /idauthentication/v1/internal/getCertificate?applicationId=IDA&referenceId=`
    keymanager's controller inside IDA's internal service: the caller's client in that
    service's audience, a role of `mosip.role.keymanager.getgetcertificate`. This is
    what MOSIP's file server fetches to publish `ida-partner.cer`."""
    if stopped := _ida_faults():
        return stopped
    claims = security.authenticate(request)
    if claims is None:
        return _denied(401, "KER-ATH-401")
    if claims.get("azp") not in security.allowed_audience(INTERNAL):
        return _denied(403, "KER-ATH-403")
    roles = set(claims.get("realm_access", {}).get("roles", []))
    accepted = mosip_config.listed(
        "id-authentication", "mosip.role.keymanager.getgetcertificate"
    )
    if not roles.intersection(accepted):
        return _denied(403, "KER-ATH-403")
    application = request.GET.get("applicationId")
    pem = (
        keys.certificate_pem(request.GET.get("referenceId", ""))
        if application == "IDA"
        else None
    )
    if pem is None:
        return envelope.respond(
            id=None,
            version=None,
            # The sandbox's IDA keymanager holds application IDA only.
            errors=[
                envelope.error(
                    "KER-KMS-002",
                    "ApplicationId not found in Key Policy. "
                    "Key/CSR generation not allowed.",
                )
            ],
        )
    cert = x509.load_pem_x509_certificate(pem.encode())
    return envelope.respond(
        id=None,
        version=None,
        response={
            "certificate": pem,
            "certSignRequest": None,
            "issuedAt": envelope.utc_timestamp(cert.not_valid_before_utc),
            "expiryAt": envelope.utc_timestamp(cert.not_valid_after_utc),
            "timestamp": envelope.utc_timestamp(),
        },
    )


@spring.allow_methods("GET")
def partner_certificate_file(request):
    """`GET /mosip-certs/ida-partner.cer`: the certificate partners encrypt to, as
    MOSIP's file server publishes it (fetched from getCertificate at its start)."""
    return HttpResponse(keys.partner_certificate_pem(), content_type="text/plain")


@spring.allow_methods("GET")
def sign_certificates_file(request):
    """`GET /mosip-certs/ida-sign.json`: IDA's signing certificates as the file
    server's pem-to-jwks.py writes them: a JSON list of RSA JWKs with `kid`, `exp`,
    `x5t#256` (the JWK thumbprint), `x5c` (one base64 DER string) and `use`."""
    cert = keys.sign_certificate()
    numbers = cert.public_key().public_numbers()

    def b64(number: int) -> str:
        return protection.b64url_encode(
            number.to_bytes((number.bit_length() + 7) // 8, "big")
        )

    jwk = {"e": b64(numbers.e), "kty": "RSA", "n": b64(numbers.n)}
    canonical = json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode()
    digest = hashes.Hash(hashes.SHA256())
    digest.update(canonical)
    pem_body = "".join(keys.sign_certificate_pem().splitlines()[1:-1])
    entry = {
        **jwk,
        "kid": protection.b64url_encode(keys.sha256_thumbprint(cert)),
        "exp": envelope.utc_timestamp(cert.not_valid_after_utc),
        "x5t#256": protection.b64url_encode(digest.finalize()),
        "x5c": pem_body,
        "use": "sig",
    }
    return HttpResponse(json.dumps([entry], indent=4), content_type="text/plain")
