"""OIDC clients of auth partners, created through partner management, which creates
them in e-Signet with its own token (partner-management-services v1.2.0.1
ClientManagementController / ClientManagementServiceImpl; docs/mosip/esignet.md §9).

- `POST /v1/partnermanager/oidc/client` {"name", "policyId", "publicKey" (RSA JWK),
  "authPartnerId", "logoUri", "redirectUris", "grantTypes", "clientAuthMethods"}:
  no role list (the controller has no @PreAuthorize), any caller of a client in the
  partner-management audience. The client id is PMS's own: the SHA-256 of the JWK,
  base64url. Claims come from the policy's `allowedKycAttributes` through
  mosip-config's identity mapping, kept when e-Signet's discovery supports them; the
  ACRs from the policy's `allowedAuthTypes` through the amr-acr mapping. Answer
  {"clientId", "status": "ACTIVE"}.
- `GET /v1/partnermanager/oidc/client/{client_id}`: the client as PMS keeps it.

Collection `pms_oidc_clients`, key = client id: {id, name, policyId, rpId, logoUri,
redirectUris, publicKey (JSON text), claims, acrValues, grantTypes,
clientAuthMethods, status, createdBy, createdAt}.

Not modelled: the update (`PUT /oidc/client/{client_id}`) and the
OIDC_CLIENT_CREATED event PMS publishes for IDA."""

import base64
import hashlib
import json
import re

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from apps.mosip_sandbox import config, envelope, mosip_config, security, tokens
from apps.mosip_sandbox.esignet import fault_switches
from apps.mosip_sandbox.esignet import properties as esignet_properties
from apps.mosip_sandbox.esignet import views as esignet_views
from apps.mosip_sandbox.mosip_config.stock import IDENTITY_MAPPING_FILE
from apps.mosip_sandbox.partners import common, policies, policy_requests
from apps.mosip_sandbox.store import get_store

CLIENTS = "pms_oidc_clients"
AUTH_PARTNER_TYPE = "Auth_Partner"
AUTH_POLICY_TYPE = "Auth"
# PMS's own Keycloak client and the client scopes keycloak-init assigns it
# (mosip-infra v1.2.0.1 deployment/v3/external/iam/import-init-values.yaml:279-316):
# e-Signet's client management takes PMS's token for the scope.
PMS_CLIENT_ID = "mosip-pms-client"
PMS_CLIENT_SCOPES = (
    "add_oidc_client",
    "update_oidc_client",
    "get_certificate",
    "upload_certificate",
)
# Spring's default messages for the request's bean constraints, in field order.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#]+[^\s]*$")


def _bean_problem(payload: dict) -> tuple[str, str] | None:
    """The first violated constraint of ClientDetailCreateRequest: (field, message)."""

    def blank(value) -> bool:
        return not isinstance(value, str) or not value.strip()

    checks = [
        ("name", blank(payload.get("name")), "must not be blank"),
        ("name", len(str(payload.get("name"))) > 256, "size must be between 1 and 256"),
        ("policyId", blank(payload.get("policyId")), "must not be blank"),
        ("policyId", len(str(payload.get("policyId"))) > 36,
         "size must be between 1 and 36"),
        ("publicKey", not isinstance(payload.get("publicKey"), dict)
         or not payload["publicKey"], "must not be empty"),
        ("authPartnerId", blank(payload.get("authPartnerId")), "must not be blank"),
        ("authPartnerId", len(str(payload.get("authPartnerId"))) > 100,
         "size must be between 1 and 100"),
        ("logoUri", blank(payload.get("logoUri")), "must not be blank"),
        ("logoUri", not _URL.match(str(payload.get("logoUri"))),
         "must be a valid URL"),
    ]  # fmt: skip
    for field, high in (
        ("redirectUris", 5),
        ("grantTypes", 3),
        ("clientAuthMethods", 3),
    ):
        value = payload.get(field)
        checks.append((field, value is None, "must not be null"))
        checks.append(
            (field, isinstance(value, list) and not 1 <= len(value) <= high,
             f"size must be between 1 and {high}")
        )  # fmt: skip
    for field, violated, message in checks:
        if violated:
            return field, message
    return None


def jwk_text(jwk: dict) -> str | None:
    """The RSA JWK as PMS re-writes it before hashing it (jose4j): `kty`, the
    optional `kid`, `use`, `alg`, then `n` and `e`, compact; None when jose4j
    cannot read it as an RSA key."""
    members = {}
    for name in ("n", "e"):
        value = jwk.get(name)
        if not isinstance(value, str) or not value:
            return None
        try:
            base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        except ValueError:
            return None
    members["kty"] = "RSA"
    for name in ("kid", "use", "alg"):
        if isinstance(jwk.get(name), str):
            members[name] = jwk[name]
    members["n"], members["e"] = jwk["n"], jwk["e"]
    return json.dumps(members, separators=(",", ":"))


def client_id_of(jwk_json: str) -> str:
    """CryptoUtil.encodeToURLSafeBase64(HMACUtils2.generateHash(...)): SHA-256,
    base64url without padding."""
    digest = hashlib.sha256(jwk_json.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def policy_claims(kyc_attributes: list[str]) -> list[str]:
    """AuthenticationContextRefUtil.getPolicySupportedClaims: each claim e-Signet
    supports whose identity-mapping fields include one of the attributes (any case)."""
    mapping = json.loads(mosip_config.file(IDENTITY_MAPPING_FILE) or "{}")
    identity = mapping.get("identity") or {}
    discovery = esignet_properties.inline("mosip.esignet.discovery.key-values") or {}
    wanted = {a.lower() for a in kyc_attributes}
    claims = []
    for claim in discovery.get("claims_supported") or []:
        fields = str((identity.get(claim) or {}).get("value") or "").split(",")
        if claim in identity and any(f.lower() in wanted for f in fields):
            claims.append(claim)
    return claims


def policy_acrs(auth_types: list[str]) -> list[str]:
    """AuthenticationContextRefUtil.getAuthFactors: the ACRs whose every AMR has all
    its factor types among the policy's auth types (lower case)."""
    mapping = esignet_properties.amr_acr_mapping()
    amrs = [
        name
        for name, factors in (mapping.get("amr") or {}).items()
        if all(str(f.get("type", "")).lower() in auth_types for f in factors)
    ]
    return [
        acr
        for acr, needed in (mapping.get("acr_amr") or {}).items()
        if all(amr in amrs for amr in needed)
    ]


class _Refused(Exception):
    def __init__(self, code: str | None, message: str | None):
        super().__init__(code)
        self.code = code
        self.message = message


def _pms_token(request) -> str:
    """PMS's own token (RestUtil.getToken: client credentials of mosip-pms-client),
    carrying the client scopes Keycloak assigns that client."""
    return tokens.issue(
        issuer_base=request.build_absolute_uri("/"),
        azp=PMS_CLIENT_ID,
        preferred_username=f"service-account-{PMS_CLIENT_ID}",
        roles=["PARTNER_ADMIN"],
        lifespan=config.ACCESS_TOKEN_LIFESPAN_SECONDS,
        scope=" ".join(PMS_CLIENT_SCOPES),
    )


def _create_in_esignet(request, record: dict) -> None:
    """callIdpService: e-Signet's `oidc-client` with PMS's token; PMS_KKS_001 when
    the call itself fails, e-Signet's own error code when it refuses."""
    if fault_switches.current()["down"]:
        raise _Refused(
            "PMS_KKS_001", "Error while accessing the API.Please check the logs."
        )
    wrapper = {
        "requestTime": envelope.utc_timestamp(),
        "request": {
            "clientId": record["id"], "clientName": record["name"],
            "relyingPartyId": record["rpId"], "logoUri": record["logoUri"],
            "publicKey": json.loads(record["publicKey"]),
            "userClaims": record["claims"], "authContextRefs": record["acrValues"],
            "redirectUris": record["redirectUris"], "grantTypes": record["grantTypes"],
            "clientAuthMethods": record["clientAuthMethods"],
        },
    }  # fmt: skip
    answer = esignet_views.client_management(
        f"Bearer {_pms_token(request)}",
        "POST",
        esignet_views.CLIENT_MGMT_PATH,
        json.dumps(wrapper).encode(),
        esignet_views.create_v1,
    )
    if answer.status_code != 200:
        raise _Refused(
            "PMS_KKS_001", "Error while accessing the API.Please check the logs."
        )
    body = json.loads(answer.content)
    if body.get("response") is None:
        errors = body.get("errors") or []
        if errors:
            raise _Refused(errors[0].get("errorCode"), errors[0].get("errorMessage"))
        raise _Refused("PMS_PRT_107", "Responese from the api is null")


def _policy_lists(policy: dict) -> tuple[list[str], list[str]]:
    """(KYC attributes, auth types), lower case, from the policy JSON; PMS_IDP_003
    when an auth type is mandatory."""
    document = policy.get("policies") or {}
    attributes = [
        str(item.get("attributeName", "")).lower()
        for item in document.get("allowedKycAttributes") or []
    ]
    auth_types = []
    for item in document.get("allowedAuthTypes") or []:
        if item.get("mandatory") is True:
            raise _Refused(
                "PMS_IDP_003",
                "Policy having mandatory auths. So client can't be created for the same.",
            )
        auth_types.append(str(item.get("authType", "")).lower())
    return attributes, auth_types


def _create(request, payload: dict) -> dict:
    """createOIDCClient, in MOSIP's order; _Refused with PMS's answer."""
    jwk_json = jwk_text(payload["publicKey"])
    if jwk_json is None:
        # jose4j's JoseException becomes a bare Exception: no code, no message.
        raise _Refused(None, None)
    client_id = client_id_of(jwk_json)
    store = get_store()
    if store.get(CLIENTS, client_id) is not None:
        raise _Refused("PMS_IDP_001", "Client public key already exists.")
    partner_id = payload["authPartnerId"]
    partner = common.get_partner(partner_id)
    if partner is None:
        raise _Refused(
            "PMS_PRT_058", f"AuthPartner doesn't exists with this Id - {partner_id}."
        )
    if partner["partnerType"].lower() != AUTH_PARTNER_TYPE.lower():
        raise _Refused(
            "PMS_PRT_059",
            f"Only Auth_partner can Create OIDC Client. {partner['partnerType']} is "
            "not allowed to create OIDC Client.",
        )
    policy = store.get(policies.POLICIES, payload["policyId"])
    if policy is None:
        raise _Refused("PMS_PRT_073", "Policy not exists.")
    if policy["policyType"] != AUTH_POLICY_TYPE:
        raise _Refused(
            "PMS_PRT_057",
            "Policy Type Mismatch. Only Auth policy can be used to create OIDC Client.",
        )
    requests_made = policy_requests.requests_for(partner_id, policy["id"])
    if not requests_made:
        raise _Refused("PMS_PRT_061", "Partner policy mapping not exists.")
    if requests_made[0]["statusCode"].lower() != policy_requests.APPROVED:
        raise _Refused(
            "PMS_IDP_002",
            "Partner policy mapping is not approved. Please check mapping status.",
        )
    attributes, auth_types = _policy_lists(policy)
    claims = policy_claims(attributes)
    if not claims:
        raise _Refused("PMS_IDP_005", "Partner has no user claims")
    acrs = policy_acrs(auth_types)
    if not acrs:
        raise _Refused("PMS_IDP_005", "Partner has no Authentication Context Refrences")
    record = {
        "id": client_id, "name": payload["name"], "policyId": policy["id"],
        "rpId": partner_id, "logoUri": payload["logoUri"],
        "redirectUris": list(payload["redirectUris"]), "publicKey": jwk_json,
        "claims": claims, "acrValues": acrs,
        "grantTypes": list(payload["grantTypes"]),
        "clientAuthMethods": list(payload["clientAuthMethods"]),
        "status": "ACTIVE", "createdBy": common.caller_id(request),
        "createdAt": envelope.utc_timestamp(),
    }  # fmt: skip
    _create_in_esignet(request, record)
    # publishClientData then reads the partner's certificate from keymanager;
    # a partner can only have an approved request once active, i.e. with its
    # certificate, so that read cannot fail here.
    store.put(CLIENTS, client_id, record)
    return record


def _answer(response=None, errors=None):
    return envelope.respond(
        id=None, version=None, response=response, errors=errors or []
    )


@csrf_exempt
@security.requires(common.SERVICE, None)
def create_client(request):
    if request.method != "POST":
        return common.method_not_allowed()
    try:
        body, payload = common.request_body(request)
    except envelope.BadJson:
        return envelope.bad_json_response()
    problem = ("request", "must not be null") if payload is None else None
    problem = problem or _bean_problem(payload)
    if problem:
        field, message = problem
        return _answer(
            errors=[
                envelope.error(
                    "PMS_COR_001",
                    f"Invalid request parameter - {message} :request.{field}",
                )
            ]
        )
    try:
        record = _create(request, payload)
    except _Refused as refused:
        return _answer(errors=[{"errorCode": refused.code, "message": refused.message}])
    return _answer({"clientId": record["id"], "status": record["status"]})


@security.requires(common.SERVICE, None)
def read_client(request, client_id: str):
    if request.method != "GET":
        return common.method_not_allowed()
    record = get_store().get(CLIENTS, client_id)
    if record is None:
        return _answer(
            errors=[envelope.error("PMS_IDP_004", "Client not exists with given id.")]
        )
    policy = get_store().get(policies.POLICIES, record["policyId"]) or {}
    return _answer(
        {
            "id": record["id"], "name": record["name"], "policyId": record["policyId"],
            "policyName": policy.get("name", ""), "relyingPartyId": record["rpId"],
            "logoUri": record["logoUri"], "redirectUris": record["redirectUris"],
            "publicKey": record["publicKey"], "claims": record["claims"],
            "acrValues": record["acrValues"], "status": record["status"],
            "grantTypes": record["grantTypes"],
            "clientAuthMethods": record["clientAuthMethods"],
        }
    )  # fmt: skip


urlpatterns = [
    path("v1/partnermanager/oidc/client", create_client),
    path("v1/partnermanager/oidc/client/<str:client_id>", read_client),
]
