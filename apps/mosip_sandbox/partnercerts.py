"""Keymanager's partner certificate manager: the trust store of CA certificates per
partner domain, partner certificate checks, and MOSIP's re-signing of a partner
certificate (docs/mosip/credential-partner.md §1).

PMS calls these for `/partners/certificate/ca/upload` and `/partners/certificate/upload`
and passes keymanager's error codes through unchanged (`PartnerCertError`).

State (sandbox store):
- `pcm_ca_certs`, key `<domain>:<thumbprint>`: {certId, domain, subject, issuer, pem}
- `pcm_partner_certs`, key certId: {certId, domain, organizationName, pem,
  signedPem, thumbprint}
- settings `pcm_keys`: MOSIP's ROOT certificate and the PMS signing certificate it
  issues (`mosip.kernel.partner.sign.masterkey.application.id`), with their keys.
"""

import datetime
import hashlib
import threading
import uuid

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from apps.mosip_sandbox import envelope, mosip_config
from apps.mosip_sandbox.store import get_store

CA_CERTS = "pcm_ca_certs"
PARTNER_CERTS = "pcm_partner_certs"
YEAR_DAYS = 365
RSA_MIN_KEY_SIZE = 2048
SUCCESS_UPLOAD = "Upload Success."
PARTIAL_SUCCESS_UPLOAD = "Partial Upload Success."
UPLOAD_FAILED = "Upload Failed."
_lock = threading.Lock()


class PartnerCertError(Exception):
    """A keymanager refusal (PartnerCertManagerErrorConstants)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


INVALID_CERTIFICATE = ("KER-PCM-001", "Invalid Certificate uploaded.")
CERTIFICATE_EXIST = ("KER-PCM-003", "Certificate already exists in store.")
DATES_NOT_VALID = ("KER-PCM-004", "Certificate Dates are not valid.")
ROOT_CA_NOT_FOUND = ("KER-PCM-005", "Root CA Certificate not found.")
ROOT_INTER_CA_NOT_FOUND = (
    "KER-PCM-006",
    "Root CA/Intermediate CA Certificates not found.",
)
INVALID_CERT_VERSION = ("KER-PCM-007", "Certificate version not supported.")
ORG_NOT_MATCH = ("KER-PCM-008", "Partner Organization Name not Matched.")
INVALID_DOMAIN = ("KER-PCM-011", "Invalid Partner Domain.")
KEY_NOT_ALLOWED = (
    "KER-PCM-013",
    "Partner Certificate Key Size is less than allowed size.",
)
SIGNATURE_ALGO_NOT_ALLOWED = (
    "KER-PCM-014",
    "Partner Certificate Signature algorithm not supported.",
)
SELF_SIGNED_NOT_ALLOWED = (
    "KER-PCM-015",
    "Self Signed Certificate not allowed as partner.",
)


def _fail(error: tuple[str, str]):
    raise PartnerCertError(*error)


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def thumbprint(certificate: x509.Certificate) -> str:
    return hashlib.sha1(
        certificate.public_bytes(serialization.Encoding.DER)
    ).hexdigest()


def pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def parse_certificates(data: str) -> list[x509.Certificate]:
    """PEM certificate(s); anything else is KER-PCM-001."""
    try:
        certificates = x509.load_pem_x509_certificates(str(data).encode())
    except ValueError:
        _fail(INVALID_CERTIFICATE)
    if not certificates:
        _fail(INVALID_CERTIFICATE)
    return certificates


def _domain(partner_domain: str) -> str:
    allowed = mosip_config.listed("kernel", "mosip.kernel.partner.allowed.domains")
    domain = str(partner_domain or "").upper()
    if domain not in allowed:
        _fail(INVALID_DOMAIN)
    return domain


def _dates_valid(certificate: x509.Certificate) -> bool:
    now = _now()
    return certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc


def is_self_signed(certificate: x509.Certificate) -> bool:
    """Keymanager's test: the certificate verifies with its own public key."""
    return _signed_by(certificate, certificate)


def _signed_by(certificate: x509.Certificate, issuer: x509.Certificate) -> bool:
    key = issuer.public_key()
    if not isinstance(key, rsa.RSAPublicKey):
        return False
    try:
        key.verify(
            certificate.signature,
            certificate.tbs_certificate_bytes,
            padding.PKCS1v15(),
            certificate.signature_hash_algorithm,
        )
    except (InvalidSignature, TypeError, ValueError):
        return False
    return True


def _trusted(domain: str) -> list[x509.Certificate]:
    return [
        x509.load_pem_x509_certificate(doc["pem"].encode())
        for doc in get_store().find(CA_CERTS, domain=domain)
    ]


def trust_path(
    certificate: x509.Certificate, domain: str
) -> list[x509.Certificate] | None:
    """The chain from `certificate` up to a self-signed CA uploaded for `domain`
    (PKIX path building over the domain's trust store), or None."""
    store = _trusted(domain)
    chain = [certificate]
    current = certificate
    for _ in range(len(store) + 1):
        issuer = next(
            (
                ca
                for ca in store
                if ca.subject == current.issuer and _signed_by(current, ca)
            ),
            None,
        )
        if issuer is None:
            return None
        chain.append(issuer)
        if is_self_signed(issuer):
            return chain
        current = issuer
    return None


def upload_ca(certificate_data: str, partner_domain: str) -> dict:
    """uploadCACertificate: each certificate is stored when new, dated today, and
    either self-signed (a root) or issued by a CA already in the domain's store."""
    certificates = parse_certificates(certificate_data)
    domain = _domain(partner_domain)
    single = len(certificates) == 1
    found_error = uploaded = False
    store = get_store()
    for certificate in certificates:
        key = f"{domain}:{thumbprint(certificate)}"
        problem = None
        if store.get(CA_CERTS, key) is not None:
            problem = CERTIFICATE_EXIST
        elif not _dates_valid(certificate):
            problem = DATES_NOT_VALID
        elif (
            not is_self_signed(certificate) and trust_path(certificate, domain) is None
        ):
            problem = ROOT_CA_NOT_FOUND
        if problem:
            if single:
                _fail(problem)
            found_error = True
            continue
        store.put(
            CA_CERTS,
            key,
            {
                "certId": str(uuid.uuid4()),
                "domain": domain,
                "subject": certificate.subject.rfc4514_string(),
                "issuer": certificate.issuer.rfc4514_string(),
                "pem": pem(certificate),
            },
        )
        uploaded = True
    if uploaded and (single or not found_error):
        status = SUCCESS_UPLOAD
    elif uploaded:
        status = PARTIAL_SUCCESS_UPLOAD
    else:
        status = UPLOAD_FAILED
    return {"status": status, "timestamp": envelope.utc_timestamp()}


def _organisation(certificate: x509.Certificate) -> str:
    values = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(values[0].value) if values else ""


def _int_property(name: str, default: int) -> int:
    try:
        return int(mosip_config.value("kernel", name, str(default)))
    except (TypeError, ValueError):
        return default


def _duration_years() -> int:
    return _int_property("mosip.kernel.partner.issuer.certificate.duration.years", 1)


def upload_partner(
    certificate_data: str, organization_name: str, partner_domain: str
) -> dict:
    """uploadPartnerCertificate, in keymanager's order of checks; on success MOSIP
    re-signs the partner's public key with its PMS key and keeps both."""
    certificate = parse_certificates(certificate_data)[0]
    domain = _domain(partner_domain)
    if not _dates_valid(certificate):
        _fail(DATES_NOT_VALID)
    grace = _int_property(
        "mosip.kernel.partner.issuer.certificate.allowed.grace.duration", 30
    )
    needed_days = _duration_years() * YEAR_DAYS - grace
    remaining = (certificate.not_valid_after_utc - _now()).days
    if needed_days >= 0 and remaining < needed_days:
        _fail(DATES_NOT_VALID)
    if is_self_signed(certificate):
        _fail(SELF_SIGNED_NOT_ALLOWED)
    if trust_path(certificate, domain) is None:
        _fail(ROOT_INTER_CA_NOT_FOUND)
    if certificate.version != x509.Version.v3:
        _fail(INVALID_CERT_VERSION)
    organisation = _organisation(certificate)
    if not organisation or organisation != organization_name:
        _fail(ORG_NOT_MATCH)
    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < RSA_MIN_KEY_SIZE:
        _fail(KEY_NOT_ALLOWED)
    algorithm = certificate.signature_hash_algorithm
    if algorithm is None or algorithm.name not in ("sha256", "sha384", "sha512"):
        _fail(SIGNATURE_ALGO_NOT_ALLOWED)
    signed = _resign(certificate)
    certificate_id = str(uuid.uuid4())
    get_store().put(
        PARTNER_CERTS,
        certificate_id,
        {
            "certId": certificate_id,
            "domain": domain,
            "organizationName": organization_name,
            "thumbprint": thumbprint(certificate),
            "pem": pem(certificate),
            "signedPem": pem(signed),
        },
    )
    return {
        "certificateId": certificate_id,
        "signedCertificate": signed,
        "timestamp": envelope.utc_timestamp(),
    }


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "MOSIP sandbox"),
        ]
    )


def _issue(subject, public_key, issuer_name, signing_key, days, *, ca: bool):
    now = _now()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    return builder.sign(signing_key, hashes.SHA256())


def _private_pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def mosip_keys() -> dict:
    """MOSIP's ROOT certificate and the PMS signing key it certifies."""
    with _lock:
        stored = get_store().get("settings", "pcm_keys")
        if stored is None:
            root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            root = _issue(
                _name("ROOT"), root_key.public_key(), _name("ROOT"), root_key,
                5 * YEAR_DAYS, ca=True,
            )  # fmt: skip
            application = mosip_config.value(
                "kernel", "mosip.kernel.partner.sign.masterkey.application.id", "PMS"
            )
            pms_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pms = _issue(
                _name(application), pms_key.public_key(), root.subject, root_key,
                3 * YEAR_DAYS, ca=True,
            )  # fmt: skip
            stored = {
                "rootPem": pem(root),
                "pmsPem": pem(pms),
                "pmsKey": _private_pem(pms_key),
            }
            get_store().put("settings", "pcm_keys", stored)
    return stored


def _resign(certificate: x509.Certificate) -> x509.Certificate:
    """reSignPartnerKey: the partner's subject and public key, issued by the PMS
    certificate, valid from now for the issuer certificate duration."""
    keys = mosip_keys()
    pms = x509.load_pem_x509_certificate(keys["pmsPem"].encode())
    pms_key = serialization.load_pem_private_key(keys["pmsKey"].encode(), None)
    return _issue(
        certificate.subject, certificate.public_key(), pms.subject, pms_key,
        YEAR_DAYS * _duration_years(), ca=False,
    )  # fmt: skip
