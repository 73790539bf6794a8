"""The portal as a relying party of e-Signet: the OIDC client partner management
creates in e-Signet for the portal's authentication partner (docs/mosip/esignet.md
§9; docs/identity-verification.md).

MOSIP lets one Auth_Partner with one approved Auth policy hold both an IDA API key and
OIDC clients (PMS creates a client for any Auth_Partner whose request for an Auth
policy was approved, and takes the client's claims and login methods from that
policy), so this step reuses the IDA step's partner, its Keycloak user and its
approved policy rather than registering a second partner."""

import base64
import hashlib
import json
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.onboarding import keys, remote
from apps.onboarding.models import EsignetClient, IdaPartner
from apps.onboarding.services.common import (
    MosipAdmin,
    OnboardingError,
    connection_required,
    mosip_step,
)

# Stock e-Signet signs its tokens as its domain plus its servlet path, while its
# discovery says the domain alone (docs/mosip/esignet.md §2).
STOCK_ISSUER_SUFFIX = "/v1/esignet"
LOGO_PATH = "/static/certificates/seal.svg"


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


def _client_still_good(as_partner, record: EsignetClient, redirect_uri: str) -> bool:
    if not (record.client_id and record.private_key):
        return False
    with mosip_step(_("Reading OIDC client %(client)s") % {"client": record.client_id}):
        found = remote.oidc_client_get(as_partner, record.client_id)
    return found.status == "ACTIVE" and redirect_uri in found.redirect_uris


def _policy_id(as_admin, partner: IdaPartner) -> str:
    with mosip_step(
        _("Reading policy %(policy)s (partner admin)")
        % {"policy": repr(partner.policy_name)}
    ):
        found = remote.policy_id(as_admin, partner.policy_group, partner.policy_name)
    if not found:
        raise OnboardingError(
            _(
                "MOSIP has no published policy %(policy)s in group %(group)s: the "
                "operator creates it (%(doc)s)."
            )
            % {
                "policy": repr(partner.policy_name),
                "group": repr(partner.policy_group),
                "doc": "docs/mosip/operator-changes.md",
            }
        )
    return found


def esignet_client_setup(
    *, actor, partner_admin: MosipAdmin | None, esignet_url: str, redirect_uri: str,
    token_issuer: str = "",
) -> EsignetClient:  # fmt: skip
    """Give the portal's authentication partner an OIDC client in e-Signet, the way
    MOSIP 1.2 does it (docs/mosip/esignet.md §9):

    1. e-Signet's discovery read (it must answer);
    2. the published Auth policy's id, read by the partner admin typed for the step
       (never stored): the IDA step's partner holds the approved request for it;
    3. a new RSA key, and the OIDC client PMS creates for it in e-Signet (PMS names
       it), asked for as the partner's own Keycloak user; a client already
       registered, active, with this redirect URI is kept.
    """
    partner = IdaPartner.objects.exclude(verified_at=None).order_by("-id").first()
    if partner is None:
        raise OnboardingError(
            _(
                "e-Signet: the IDA step comes first; its authentication partner and "
                "approved Auth policy are the ones e-Signet's client is created for."
            )
        )
    if partner_admin is None or not partner_admin.username:
        raise OnboardingError(
            _("e-Signet: a MOSIP partner admin is needed to read the Auth policy's id.")
        )
    if not redirect_uri or not urlsplit(redirect_uri).netloc:
        raise OnboardingError(
            _(
                "e-Signet: give the portal's address as browsers reach it, for the "
                "redirect URI."
            )
        )
    connection = connection_required()
    with mosip_step(
        _("Reading e-Signet's discovery document at %(url)s") % {"url": esignet_url}
    ):
        discovery = remote.esignet_discover(esignet_url)
    record, _created = EsignetClient.objects.update_or_create(
        partner_id=partner.partner_id,
        defaults={
            "policy_name": partner.policy_name,
            "esignet_url": esignet_url.rstrip("/"),
            "token_issuer": token_issuer.strip()
            or discovery.issuer.rstrip("/") + STOCK_ISSUER_SUFFIX,
        },
    )
    as_partner = remote.partner_identity(
        connection, partner.partner_id, partner.keycloak_password
    )
    as_admin = remote.mosip_admin(connection, partner_admin)
    record.policy_id = _policy_id(as_admin, partner)
    if not _client_still_good(as_partner, record, redirect_uri):
        _new_client(as_partner, record, redirect_uri)
    record.checked_at = timezone.now()
    with transaction.atomic():
        record.save()
        audit_record(
            actor=actor, action="onboarding.esignet_client_registered", target=record,
            details={"client_id": record.client_id, "partner_id": record.partner_id,
                     "redirect_uri": record.redirect_uri,
                     "policy": record.policy_name},
        )  # fmt: skip
    return record


def _new_client(as_partner, record: EsignetClient, redirect_uri: str) -> None:
    _public_key, private_key = keys.new_key_pair()
    jwk = public_jwk(private_key)
    origin = urlsplit(redirect_uri)
    with mosip_step(
        _("Creating the OIDC client of partner %(partner)s")
        % {"partner": record.partner_id}
    ):
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
