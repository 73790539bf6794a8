"""Building a credential partner in the sandbox as MOSIP's APIs require it: a CA
and a partner certificate issued by it, PMS objects made by a partner admin, and
reg-proc's credential-partner configuration (docs/mosip/credential-partner.md)."""

import datetime
import json

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from apps.mosip_sandbox.mosip_config.stock import FILES, STOCK

PARTNER_ID = "crvs-partner"
ORGANISATION = "Civil Registry"
GROUP = "crvs-policy-group"
POLICY = "crvs-credential-policy"
PROFILES = "registration-processor-credential-partners.json"
DEFAULT_IDS = "mosip.registration.processor.credential.default.partner-ids"
DEFAULT_ATTRIBUTES = ("UIN", "VID", "fullName", "dateOfBirth", "gender")
PARTNER = {
    "partnerId": PARTNER_ID,
    "organizationName": ORGANISATION,
    "address": "1 Registry Road",
    "contactNumber": "+212500000000",
    "emailId": "registry@example.org",
    "partnerType": "Credential_Partner",
    "policyGroup": GROUP,
    "langCode": "eng",
}


def _now():
    return datetime.datetime.now(datetime.UTC)


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def certificate(subject, key, issuer=None, issuer_key=None, *, days=730, ca=False):
    issuer = issuer or subject
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now() - datetime.timedelta(days=1))
        .not_valid_after(_now() + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    return builder.sign(issuer_key or key, hashes.SHA256())


def name(common_name: str, organisation: str | None = None) -> x509.Name:
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organisation is not None:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    return x509.Name(attributes)


def pem(cert) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


class Chain:
    """A CA and a partner certificate it issued (O= the organisation)."""

    def __init__(self, organisation: str = ORGANISATION, *, days: int = 730):
        self.ca_key = new_key()
        self.ca = certificate(name("CRVS CA", organisation), self.ca_key, ca=True)
        self.key = new_key()
        self.cert = certificate(
            name(PARTNER_ID, organisation), self.key, self.ca.subject, self.ca_key,
            days=days,
        )  # fmt: skip
        self.ca_pem = pem(self.ca)
        self.pem = pem(self.cert)


def cookie(url, username, roles, email=None, azp="mosip-admin-client") -> dict:
    token = requests.post(
        f"{url}/sandbox/api/tokens",
        json={"azp": azp, "username": username, "roles": list(roles),
              **({"email": email} if email else {})},
        timeout=10,
    ).json()["access_token"]  # fmt: skip
    return {"Cookie": f"Authorization={token}"}


def admin(url) -> dict:
    return cookie(url, "partneradmin", ["PARTNER_ADMIN", "POLICYMANAGER"])


def as_partner(url, partner_id=PARTNER_ID) -> dict:
    return cookie(url, partner_id, ["CREDENTIAL_PARTNER"])


def call(url, method, path, headers, request=None) -> dict:
    response = requests.request(
        method, f"{url}{path}", headers=headers, timeout=10,
        json=None if request is None else {
            "id": "string", "version": "1.0", "requesttime": "2025-03-01T10:00:00.000Z",
            "metadata": {}, "request": request},
    )  # fmt: skip
    return response.json()


def create_group(url, group=GROUP) -> dict:
    return call(url, "POST", "/v1/policymanager/policies/group/new", admin(url),
                {"name": group, "desc": "CRVS credential partners"})  # fmt: skip


def shareable(names) -> list[dict]:
    return [
        {"attributeName": n, "source": [{"attribute": n}], "encrypted": False}
        for n in names
    ]


def create_policy(url, group=GROUP, policy=POLICY, attributes=DEFAULT_ATTRIBUTES,
                  policy_type="DataShare") -> dict:  # fmt: skip
    policies = {
        "dataSharePolicies": {"typeOfShare": "direct", "transactionsAllowed": "2",
                              "shareDomain": "datashare.datashare",
                              "encryptionType": "partnerBased", "source": "IDRepository",
                              "validForInMinutes": "30"},
        "shareableAttributes": shareable(attributes),
    }  # fmt: skip
    return call(url, "POST", "/v1/policymanager/policies", admin(url), {
        "policyGroupName": group, "name": policy, "desc": "credential for the CRVS",
        "policyType": policy_type, "version": "1.0", "policies": policies})  # fmt: skip


def group_id(url, group=GROUP) -> str:
    groups = call(url, "GET", "/v1/policymanager/policies/group/all", admin(url))
    (found,) = [g for g in groups["response"] if g["policyGroup"]["name"] == group]
    return found["policyGroup"]["id"]


def publish(url, policy_id, group=GROUP) -> dict:
    path = (
        f"/v1/policymanager/policies/{policy_id}/group/{group_id(url, group)}/publish"
    )
    return call(url, "POST", path, admin(url))


def published_policy(url, group=GROUP, policy=POLICY, attributes=DEFAULT_ATTRIBUTES):
    create_group(url, group)
    created = create_policy(url, group, policy, attributes)
    assert created["errors"] is None, created
    published = publish(url, created["response"]["id"], group)
    assert published["errors"] is None, published
    return published["response"]


def register(url, headers=None, **overrides) -> dict:
    return call(url, "POST", "/v1/partnermanager/partners",
                headers or as_partner(url), {**PARTNER, **overrides})  # fmt: skip


def upload_ca(url, ca_pem, headers=None, domain="AUTH") -> dict:
    return call(url, "POST", "/v1/partnermanager/partners/certificate/ca/upload",
                headers or admin(url), {"certificateData": ca_pem, "partnerDomain": domain})  # fmt: skip


def upload(url, cert_pem, partner_id=PARTNER_ID, headers=None) -> dict:
    return call(url, "POST", "/v1/partnermanager/partners/certificate/upload",
                headers or as_partner(url, partner_id),
                {"partnerId": partner_id, "certificateData": cert_pem,
                 "partnerDomain": "AUTH"})  # fmt: skip


def map_credential_type(url, partner_id=PARTNER_ID, credential_type="vercred",
                        policy=POLICY, headers=None) -> dict:  # fmt: skip
    path = (f"/v1/partnermanager/partners/{partner_id}/credentialtype/"
            f"{credential_type}/policies/{policy}")  # fmt: skip
    return call(url, "POST", path, headers or as_partner(url, partner_id))


def configure_issuance(url, partner_id=PARTNER_ID, *, default=True,
                       process=("CRVS_NEW",), credential_type="vercred") -> None:  # fmt: skip
    """What the operator changes in reg-proc (docs/mosip/operator-changes.md): the partner in the
    credential-partners file and, when `default`, in the default partner ids."""
    partners = json.loads(FILES[PROFILES])["partners"]
    partners.append({
        "id": partner_id, "partnerId": partner_id, "credentialType": credential_type,
        "template": "RPR_UIN_CARD_TEMPLATE", "appIdBasedCredentialIdSuffix": None,
        "process": list(process), "metaInfoFields": None})  # fmt: skip
    stock_ids = STOCK["registration-processor"][DEFAULT_IDS]
    change = {
        "files": {PROFILES: json.dumps({"partners": partners})},
        "registration-processor": {
            DEFAULT_IDS: f"{stock_ids},{partner_id}" if default else stock_ids
        },
    }
    requests.patch(
        f"{url}/sandbox/api/config", json=change, timeout=10
    ).raise_for_status()


def credential_partner(url, *, attributes=DEFAULT_ATTRIBUTES, default=True) -> Chain:
    """Everything MOSIP needs before it issues credentials to PARTNER_ID."""
    chain = Chain()
    published_policy(url, attributes=attributes)
    assert register(url)["errors"] is None
    assert upload_ca(url, chain.ca_pem)["errors"] is None
    uploaded = upload(url, chain.pem)
    assert uploaded["errors"] is None, uploaded
    chain.signed_pem = uploaded["response"]["signedCertificateData"]
    assert map_credential_type(url)["errors"] is None
    configure_issuance(url, default=default)
    return chain
