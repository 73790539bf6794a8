"""Onboarding's calls to MOSIP, all through the portal's MOSIP client (apps.mosip).

The services speak in onboarding terms (ensure this role, this client, this
mapping); this module turns each into the client's per-API functions and makes the
"already exists" answers MOSIP gives on a re-run count as done."""

from apps.mosip import (
    esignet,
    ida,
    idschema,
    keymanager,
    masterdata,
    partners,
)
from apps.mosip import (
    keycloak_admin as kc,
)
from apps.mosip.config import MosipClient, MosipConfig, fetch_token, tokens
from apps.mosip.errors import MosipRejected

# Masterdata answers on a re-run that mean the mapping is already there
# (admin-services 1.2.0.1 ZoneUserErrorCode / UserDetailsErrorCode).
ZONE_ALREADY_MAPPED = "KER-USR-018"  # "duplicate request": same user, same zone
ZONE_MAPPED_ELSEWHERE = "KER-USR-021"  # the user is mapped to another zone
CENTRE_ALREADY_MAPPED = "KER-USR-013"
# PMS self-registration answers on a re-run: the e-mail (checked first) or the id
# is taken (docs/mosip/credential-partner.md §2).
PARTNER_EXISTS = ("PMS_PRT_011", "PMS_PRT_051")
CA_EXISTS = "KER-PCM-003"


def portal_config(connection, *, secret: str | None = None) -> MosipConfig:
    return MosipConfig(
        api_url=connection.api_url,
        keycloak_url=connection.keycloak_url,
        hub_url=connection.hub_url,
        client_id=connection.client_id,
        client_secret=connection.client_secret if secret is None else secret,
        app_id=connection.app_id,
        token_source=connection.token_source,
    )


def _client(config_or_client) -> MosipClient:
    if isinstance(config_or_client, MosipClient):
        return config_or_client
    return MosipClient(config_or_client)


def token_claims(config: MosipConfig) -> dict:
    """Claims of a freshly issued token (never cached): proves the credentials."""
    return dict(fetch_token(config).claims)


def forget_tokens() -> None:
    tokens.clear()


# Keycloak admin ------------------------------------------------------------------


def keycloak_admin(keycloak_url: str, admin):
    """A Keycloak admin session; the password lives only in this object."""
    return kc.connect(keycloak_url, admin.username, admin.password)


def kc_ensure_role(session, name: str) -> None:
    kc.role_ensure(session, name)


def kc_ensure_client(session, client_id: str, new_secret: str) -> tuple[str, bool]:
    """(secret, created): create the confidential client with `new_secret`, or
    read the secret of the one that already exists."""
    found = kc.client_find(session, client_id)
    if found is None:
        kc.client_create(session, client_id, secret=new_secret)
        return new_secret, True
    return kc.client_secret_get(session, found["id"]), False


def _ensure_realm_roles(session, user_id: str, roles: list[str]) -> None:
    held = set(kc.realm_roles_of(session, user_id))
    missing = [r for r in roles if r not in held]
    if missing:
        kc.realm_roles_assign(session, user_id, missing)


def kc_ensure_client_roles(session, client_id: str, roles: list[str]) -> None:
    found = kc.client_find(session, client_id)
    user = kc.service_account_user(session, found["id"])
    _ensure_realm_roles(session, user["id"], roles)


def kc_regenerate_secret(session, client_id: str) -> str:
    found = kc.client_find(session, client_id)
    if found is None:
        raise MosipRejected(f"Keycloak has no client {client_id}", code="KEYCLOAK-404")
    return kc.client_secret_regenerate(session, found["id"])


def kc_user_exists(session, username: str) -> bool:
    return kc.user_find(session, username) is not None


def kc_ensure_user(session, username: str, password: str) -> bool:
    if kc.user_find(session, username) is not None:
        return False
    kc.user_create(session, username, password, first_name="CRVS", last_name="Officer")
    return True


def kc_ensure_user_roles(session, username: str, roles: list[str]) -> None:
    user = kc.user_find(session, username)
    if user is None:
        raise MosipRejected(f"Keycloak has no user {username}", code="KEYCLOAK-404")
    _ensure_realm_roles(session, user["id"], roles)


# Masterdata (as a zone-mapped MOSIP admin) ------------------------------------------


def mosip_admin(connection, admin) -> MosipClient:
    """A client signed in as the MOSIP admin typed for this step; its password
    lives only in this object."""
    return MosipClient(
        MosipConfig(
            api_url=connection.api_url,
            keycloak_url=connection.keycloak_url,
            client_id=admin.client_id,
            client_secret=admin.client_secret,
            username=admin.username,
            password=admin.password,
            app_id="admin",
            token_source="keycloak",
        )
    )


def centre_create(session, request: dict) -> dict:
    return masterdata.centre_create(session, request)


def centre_activate(session, centre_id: str) -> None:
    masterdata.centre_activate(session, centre_id)


def centre_get(config, centre_id: str, lang: str) -> dict | None:
    return masterdata.centre_get(_client(config), centre_id, lang)


def machine_create(session, request: dict) -> dict:
    return masterdata.machine_create(session, request)


def machine_activate(session, machine_id: str) -> None:
    masterdata.machine_activate(session, machine_id)


def machine_get(config, machine_id: str) -> dict | None:
    return masterdata.machine_get(_client(config), machine_id)


def server_public_key(config_or_session) -> str:
    return keymanager.tpm_signing_public_key(_client(config_or_session))


def _already(codes: tuple[str, ...], call, *args, **kwargs) -> bool:
    """Run `call`; True when MOSIP says it was already done (one of `codes`)."""
    try:
        call(*args, **kwargs)
    except MosipRejected as exc:
        if set(exc.codes) & set(codes):
            return True
        raise
    return False


def zone_user_ensure(session, user_id: str, zone_code: str, lang: str) -> bool:
    """Map the user to the zone; True when MOSIP already had this very mapping
    (KER-USR-018). KER-USR-021 (another zone) is raised: it is not ours to undo."""
    return _already(
        (ZONE_ALREADY_MAPPED,), masterdata.zone_user_create, session,
        user_id=user_id, zone_code=zone_code, lang=lang,
    )  # fmt: skip


def zone_user_activate(session, user_id: str) -> None:
    masterdata.zone_user_activate(session, user_id)


def user_centre_ensure(session, user_id: str, centre_id: str, lang: str) -> bool:
    return _already(
        (CENTRE_ALREADY_MAPPED,), masterdata.user_centre_create, session,
        user_id=user_id, centre_id=centre_id, lang=lang,
    )  # fmt: skip


def user_centre_activate(session, user_id: str) -> None:
    masterdata.user_centre_activate(session, user_id)


def user_details(config, user_id: str) -> dict | None:
    return masterdata.user_get(_client(config), user_id)


# ID schema and partner (as the portal) ---------------------------------------------


def latest_id_schema(config) -> tuple[str, str]:
    schema = idschema.latest_id_schema(_client(config))
    return f"{schema.id_version:g}", schema.schema_json


def partner_identity(connection, partner_id: str, password: str) -> MosipClient:
    """The partner's own Keycloak user (user name = partner id), signed in through
    the portal's client with a password grant, as mosip-opencrvs's mediator does:
    PMS lets a non-admin act only for the partner named like its user."""
    return MosipClient(
        MosipConfig(
            api_url=connection.api_url,
            keycloak_url=connection.keycloak_url,
            client_id=connection.client_id,
            client_secret=connection.client_secret,
            username=partner_id,
            password=password,
            app_id="partner",
            token_source="keycloak",
        )
    )


def kc_enable_password_sign_in(session, client_id: str) -> None:
    """Let users sign in through the client (Direct Access Grants)."""
    found = kc.client_find(session, client_id)
    if found is None:
        raise MosipRejected(f"Keycloak has no client {client_id}", code="KEYCLOAK-404")
    if not found.get("directAccessGrantsEnabled"):
        kc.client_update(session, found["id"], {"directAccessGrantsEnabled": True})


def kc_set_user_password(session, username: str, password: str) -> bool:
    """Create the user with `password`, or set it on the existing one; True when
    created."""
    found = kc.user_find(session, username)
    if found is None:
        kc.user_create(session, username, password, first_name="Credential",
                       last_name="Partner")  # fmt: skip
        return True
    kc.user_password_set(session, found["id"], password)
    return False


def partner_register(session, request: dict) -> bool:
    """True when MOSIP already had the partner (PMS_PRT_011 / PMS_PRT_051)."""
    return _already(
        PARTNER_EXISTS, partners.partner_register, session,
        partner_id=request["partnerId"],
        organization_name=request["organizationName"],
        address=request["address"], contact_number=request["contactNumber"],
        email=request["emailId"], partner_type=request["partnerType"],
        policy_group=request["policyGroup"], lang=request["langCode"],
    )  # fmt: skip


def ca_certificate_upload(session, certificate: str, domain: str = "AUTH") -> bool:
    """True when MOSIP already trusted the CA for `domain` (KER-PCM-003)."""
    return _already(
        (CA_EXISTS,), partners.ca_certificate_upload, session,
        certificate_pem=certificate, partner_domain=domain,
    )  # fmt: skip


def partner_upload_certificate(
    session, partner_id: str, certificate: str, domain: str = "AUTH"
):
    return partners.partner_certificate_upload(
        session, partner_id=partner_id, certificate_pem=certificate,
        partner_domain=domain,
    )  # fmt: skip


def credential_type_map(session, partner_id: str, credential_type: str, policy: str):
    partners.credential_type_policy_map(
        session, partner_id=partner_id, credential_type=credential_type,
        policy_name=policy,
    )  # fmt: skip


# Authentication partner (docs/mosip/ida.md §4) ---------------------------------------

# A policy request already in progress or approved for the partner (PMS_PRT_053); a
# mapping already decided (PMS_PM_034 approved, PMS_PM_035 rejected); a MISP that
# holds a licence already (PMS_MSP_416).
POLICY_REQUESTED = "PMS_PRT_053"
POLICY_DECIDED = ("PMS_PM_034", "PMS_PM_035")
LICENCE_EXISTS = "PMS_MSP_416"


def kc_ensure_partner_user(
    session, username: str, password: str, roles: list[str]
) -> None:
    """The partner's Keycloak user with `password` and `roles` (each realm role
    made first when the realm lacks it)."""
    for role in roles:
        kc.role_ensure(session, role)
    kc_set_user_password(session, username, password)
    kc_ensure_user_roles(session, username, roles)


def policy_map_request(session, partner_id: str, policy: str) -> str | None:
    """The mapping key; None when a request is already in progress or approved."""
    try:
        return partners.policy_map_request(
            session, partner_id=partner_id, policy_name=policy,
            use_case="Verify national IDs typed into civil registration forms",
        )  # fmt: skip
    except MosipRejected as exc:
        if POLICY_REQUESTED in exc.codes:
            return None
        raise


def policy_map_approve(session, mapping_key: str) -> bool:
    """True when it was decided already."""
    return _already(
        POLICY_DECIDED, partners.policy_map_decide, session, mapping_key=mapping_key
    )


def api_key_generate(session, partner_id: str, policy: str, label: str):
    return partners.api_key_generate(
        session, partner_id=partner_id, policy_name=policy, label=label
    )


def misp_licence(session, misp_id: str):
    """The MISP's new licence; None when MOSIP issued it one before (PMS_MSP_416)."""
    try:
        return partners.misp_licence_issue(session, misp_id=misp_id)
    except MosipRejected as exc:
        if LICENCE_EXISTS in exc.codes:
            return None
        raise


def ida_certificates(ida_url: str) -> tuple[str, list[str]]:
    """IDA's encryption certificate and signing certificates, from MOSIP's file
    server."""
    return (
        ida.fetch_partner_certificate(ida_url),
        ida.fetch_signing_certificates(ida_url),
    )


def ida_authenticate(partner: "ida.AuthPartner", individual_id, id_type, person):
    return ida.authenticate(partner, individual_id, id_type, person)


# The authentication partner's OIDC client (docs/mosip/esignet.md §9) ----------------


def policy_id(session, group: str, name: str) -> str | None:
    """The id of the published policy `name` of group `group`, as a partner admin
    reads it; None when there is none."""
    for entry in partners.policy_groups(session):
        if entry.get("policyGroup", {}).get("name") != group:
            continue
        for policy in entry.get("policies") or []:
            if policy.get("policyName") == name and policy.get("status") == "PUBLISHED":
                return str(policy["policyId"])
    return None


def oidc_client_create(session, **request) -> partners.OidcClient:
    return partners.oidc_client_create(session, **request)


def oidc_client_get(session, client_id: str) -> partners.OidcClient:
    return partners.oidc_client_get(session, client_id)


def esignet_discover(url: str) -> esignet.Discovery:
    return esignet.discover(url)
