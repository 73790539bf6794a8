"""The portal as a relying party of e-Signet: an auth partner in partner management,
its request for the operator's Auth policy, and the OIDC client PMS creates for it
in e-Signet (docs/mosip/esignet.md §9; docs/identity-verification.md)."""

import base64
import hashlib
import json
import secrets
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.onboarding import keys, remote
from apps.onboarding.models import (
    DEFAULT_ESIGNET_POLICY_NAME,
    CredentialPartner,
    EsignetClient,
)
from apps.onboarding.services.common import (
    KeycloakAdmin,
    MosipAdmin,
    OnboardingError,
    connection_required,
    mosip_step,
)

# postpartnerspolicymap and the certificate upload list AUTH_PARTNER.
AUTH_PARTNER_ROLES = ["AUTH_PARTNER"]
# Stock e-Signet signs its tokens as its domain plus its servlet path, while its
# discovery says the domain alone (docs/mosip/esignet.md §2).
STOCK_ISSUER_SUFFIX = "/v1/esignet"
LOGO_PATH = "/static/certificates/seal.svg"
# PMS wants a partner's e-mail unique among partners, and to match
# `pmp.partner.valid.email.address.regex` (a domain with a top-level name).
DEFAULT_EMAIL = "registry-esignet@example.org"
POLICY_USE = "Registrars verify informants with their national ID (e-Signet login)."


def default_partner_id(client_id: str) -> str:
    return f"{client_id}-esignet"


def public_jwk(private_key_pem: str) -> dict:
    """The RSA public JWK registered for the client, its `kid` the RFC 7638
    thumbprint."""
    key = serialization.load_pem_private_key(private_key_pem.encode(), password=None)
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    canonical = json.dumps(
        {"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}, separators=(",", ":")
    )
    thumbprint = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest())
    return {
        "kty": "RSA",
        "kid": thumbprint.rstrip(b"=").decode(),
        "use": "sig",
        "alg": "RS256",
        "n": jwk["n"],
        "e": jwk["e"],
    }


def _partner_material(existing, credential: CredentialPartner, partner_id: str):
    """The auth partner's certificate, issued by the credential partner's CA: the
    kept one while that CA issued it, else a new one."""
    if existing and existing.partner_certificate and existing.partner_private_key:
        if keys.certificate_organisation(existing.partner_certificate) == (
            credential.organisation
        ):
            return existing.partner_certificate, existing.partner_private_key
    return keys.new_partner_certificate(
        partner_id,
        credential.organisation,
        credential.ca_certificate,
        credential.ca_private_key,
    )


def _register_partner(as_partner, partner_id, credential, group, email, certificate):
    with mosip_step(f"Registering auth partner {partner_id}"):
        remote.partner_register(
            as_partner,
            {
                "partnerId": partner_id, "organizationName": credential.organisation,
                "address": "Civil Registry HQ", "contactNumber": "+000000000",
                "emailId": email, "partnerType": "Auth_Partner", "policyGroup": group,
                "langCode": "eng",
            },
        )  # fmt: skip
    with mosip_step(f"Uploading the certificate of auth partner {partner_id}"):
        return remote.partner_upload_certificate(as_partner, partner_id, certificate)


def _approved_policy(as_partner, as_admin, record: EsignetClient) -> str:
    """Request the policy as the partner, approve it as the partner admin; the
    policy's id. The mapping key is kept at once: a re-run finds the request in
    progress (PMS_PRT_053) and approves that one."""
    with mosip_step(
        f"Requesting policy {record.policy_name!r} for partner {record.partner_id}"
    ):
        key = remote.policy_request(
            as_partner, record.partner_id, record.policy_name, POLICY_USE
        )
    if key:
        record.mapping_key = key
        record.save(update_fields=["mapping_key"])
    if not record.mapping_key:
        raise OnboardingError(
            f"Partner {record.partner_id} asked for policy {record.policy_name!r} "
            "before, and the portal did not keep the request: a partner admin "
            "approves it in partner management, then run this step again."
        )
    with mosip_step("Approving the policy request (partner admin)"):
        remote.policy_request_approve(as_admin, record.mapping_key)
    with mosip_step(f"Reading policy {record.policy_name!r} (partner admin)"):
        found = remote.policy_id(as_admin, record.policy_group, record.policy_name)
    if not found:
        raise OnboardingError(
            f"MOSIP has no published policy {record.policy_name!r} in group "
            f"{record.policy_group!r}: the operator creates it (docs/mosip/"
            "operator-changes.md)."
        )
    return found


def _client_still_good(as_partner, record: EsignetClient, redirect_uri: str) -> bool:
    if not (record.client_id and record.private_key):
        return False
    with mosip_step(f"Reading OIDC client {record.client_id}"):
        found = remote.oidc_client_get(as_partner, record.client_id)
    return found.status == "ACTIVE" and redirect_uri in found.redirect_uris


def esignet_client_setup(
    *, actor, keycloak_admin: KeycloakAdmin | None, partner_admin: MosipAdmin | None,
    esignet_url: str, redirect_uri: str, policy_name: str = DEFAULT_ESIGNET_POLICY_NAME,
    partner_id: str = "", email: str = DEFAULT_EMAIL, token_issuer: str = "",
) -> EsignetClient:  # fmt: skip
    """Make the portal e-Signet's relying party the way MOSIP 1.2 does it
    (docs/mosip/esignet.md §9):

    1. e-Signet's discovery read (it must answer);
    2. Keycloak (admin typed for the step): the auth partner's user, named like the
       partner id, password generated and kept encrypted, role AUTH_PARTNER;
    3. as that user: self-registration as Auth_Partner in the credential partner's
       policy group, and a certificate issued by the portal's CA;
    4. the request for the operator's Auth policy, approved by the partner admin
       typed for the step (never stored);
    5. a new RSA key, and the OIDC client PMS creates for it in e-Signet (PMS names
       it); a client already registered, active, with this redirect URI is kept.
    """
    credential = CredentialPartner.objects.order_by("-id").first()
    if credential is None or not credential.ca_certificate:
        raise OnboardingError(
            "e-Signet: register the credential partner first; its CA issues the auth "
            "partner's certificate."
        )
    if keycloak_admin is None or partner_admin is None or not partner_admin.username:
        raise OnboardingError(
            "e-Signet: the Keycloak admin (for the partner's user) and a MOSIP "
            "partner admin (to approve its policy request) are needed."
        )
    if not redirect_uri or not urlsplit(redirect_uri).netloc:
        raise OnboardingError(
            "e-Signet: give the portal's address as browsers reach it, for the "
            "redirect URI."
        )
    connection = connection_required()
    partner_id = (partner_id or default_partner_id(connection.client_id)).strip()
    with mosip_step(f"Reading e-Signet's discovery document at {esignet_url}"):
        discovery = remote.esignet_discover(esignet_url)
    existing = EsignetClient.objects.filter(partner_id=partner_id).first()
    certificate, certificate_key = _partner_material(existing, credential, partner_id)
    record, _ = EsignetClient.objects.update_or_create(
        partner_id=partner_id,
        defaults={
            "keycloak_password": (existing and existing.keycloak_password)
            or secrets.token_urlsafe(24),
            "partner_certificate": certificate,
            "partner_private_key": certificate_key,
            "policy_group": credential.policy_group,
            "policy_name": (policy_name or DEFAULT_ESIGNET_POLICY_NAME).strip(),
            "esignet_url": esignet_url.rstrip("/"),
            "token_issuer": token_issuer.strip()
            or discovery.issuer.rstrip("/") + STOCK_ISSUER_SUFFIX,
        },
    )
    with mosip_step(f"Creating Keycloak user {partner_id} for the auth partner"):
        session = remote.keycloak_admin(connection.keycloak_url, keycloak_admin)
        remote.kc_enable_password_sign_in(session, connection.client_id)
        remote.kc_set_user_password(
            session, partner_id, record.keycloak_password, names=("e-Signet", "Partner")
        )
        remote.kc_ensure_user_roles(session, partner_id, AUTH_PARTNER_ROLES)
    as_partner = remote.partner_identity(
        connection, partner_id, record.keycloak_password
    )
    as_admin = remote.mosip_admin(connection, partner_admin)
    uploaded = _register_partner(
        as_partner, partner_id, credential, record.policy_group, email, certificate,
    )  # fmt: skip
    record.signed_certificate = uploaded.signed_certificate
    record.policy_id = _approved_policy(as_partner, as_admin, record)
    if not _client_still_good(as_partner, record, redirect_uri):
        _new_client(as_partner, record, redirect_uri)
    record.checked_at = timezone.now()
    with transaction.atomic():
        record.save()
        audit_record(
            actor=actor, action="onboarding.esignet_client_registered", target=record,
            details={"client_id": record.client_id, "partner_id": partner_id,
                     "redirect_uri": record.redirect_uri,
                     "policy": record.policy_name},
        )  # fmt: skip
    return record


def _new_client(as_partner, record: EsignetClient, redirect_uri: str) -> None:
    _, private_key = keys.new_key_pair()
    jwk = public_jwk(private_key)
    origin = urlsplit(redirect_uri)
    with mosip_step(f"Creating the OIDC client of partner {record.partner_id}"):
        created = remote.oidc_client_create(
            as_partner, name="CRVS portal", policy_id=record.policy_id,
            public_jwk=jwk, partner_id=record.partner_id,
            logo_uri=f"{origin.scheme}://{origin.netloc}{LOGO_PATH}",
            redirect_uris=[redirect_uri],
        )  # fmt: skip
        registered = remote.oidc_client_get(as_partner, created.client_id)
    record.client_id = created.client_id
    record.private_key = private_key
    record.public_jwk = jwk
    record.redirect_uri = redirect_uri
    record.claims = list(registered.claims)
    record.registered_at = timezone.now()
