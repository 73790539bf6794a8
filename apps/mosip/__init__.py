"""The portal's MOSIP client: plain functions, one per remote API, no models.

Wire formats: docs/mosip/packet-api.md and docs/mosip/onboarding-websub.md. Every
call has a timeout; every failure is a named error from `apps.mosip.errors`:
`MosipAuthError` (bad credentials, 401 after one renewal), `MosipForbidden` (403,
missing role or audience), `MosipUnavailable` (timeout, connection error, 5xx,
429; transient), `MosipRejected` (`errors[]`, `.codes`), `MosipEmptyResponse`
(createPacket's silent failure; transient), `MosipBadResponse` (not MOSIP's
answer: usually a wrong URL), `MosipInvalidProof` (a token or signed claims that
do not verify), `MosipConfigError` (also a ValueError: settings that
cannot work, raised by `MosipConfig` before anything is sent). `error.transient`
says whether a retry can help. Logs (logger `apps.mosip`) carry method, path,
status, duration and MOSIP error codes: never tokens, secrets or request content.

Set-up::

    from apps.mosip.config import MosipClient, MosipConfig
    client = MosipClient(MosipConfig(api_url=..., client_id=..., client_secret=...,
                                     token_source="authmanager", app_id="regproc"))

`MosipClient` sends the token as `Cookie: Authorization=<jwt>`, caches tokens per
identity for the whole process (thread-safe), renews them before expiry and once on
a 401. `MosipConfig(username=..., password=...)` makes the identity a user (e.g. a
zone-mapped admin for masterdata) instead of the client's service account.

config
    MosipConfig(*, api_url, client_id, client_secret, keycloak_url="", hub_url="",
                app_id="regproc", token_source="authmanager", timeout=(5.0, 30.0),
                username="", password="", realm="mosip")
        (frozen; MosipConfigError for a URL that is not http(s), an unknown token
        source or a non-positive timeout; keycloak_url includes MOSIP 1.2's /auth
        prefix and defaults to {api_url}/auth, hub_url to {api_url}/hub)
    MosipClient(config).token() -> auth.Token; .request(method, url, **kw);
        .call(method, path, *, request=None, id="string", version="v1", params=None)
        .discard_token(token=None)
    fetch_token(config, session=None) -> auth.Token      (uncached)
    tokens: the process-wide TokenCache (tokens.clear())

auth
    authmanager_token(session, *, api_url, client_id, secret_key, app_id, timeout) -> Token
    authmanager_user_token(session, *, api_url, username, password, app_id, timeout) -> Token
    keycloak_client_token(session, *, keycloak_url, realm, client_id, client_secret, timeout) -> Token
    keycloak_password_token(session, *, keycloak_url, realm, client_id, username,
                            password, timeout, client_secret="") -> Token

authorize
    validate_token(client) -> TokenIdentity(user_id, roles)
    Token: .value, .expires_at, .claims, .roles, .username, .azp, .audience

keycloak_admin (Bearer, master-realm admin; password never stored)
    connect(keycloak_url, username, password, *, realm="mosip", timeout=...) -> KeycloakAdmin
    role_get(admin, name) -> dict | None;  role_create(admin, name, description="")
    role_ensure(admin, name, description="") -> dict
    client_find(admin, client_id) -> dict | None
    client_create(admin, client_id, *, secret=None, description="",
                  direct_access_grants=False) -> dict
    client_update(admin, client_uuid, changes: dict) -> None
    client_secret_get(admin, client_uuid) -> str
    client_secret_regenerate(admin, client_uuid) -> str
    service_account_user(admin, client_uuid) -> dict
    user_find(admin, username) -> dict | None
    user_create(admin, username, password, *, first_name="", last_name="",
                email=None, temporary=False) -> dict
    user_password_set(admin, user_id, password, *, temporary=False)
    realm_roles_of(admin, user_id) -> list[str]
    realm_roles_assign(admin, user_id, names)

masterdata (zone-mapped GLOBAL_ADMIN/ZONAL_ADMIN identity; creates are inactive)
    centre_type_create(client, *, code, name, lang="eng", descr="") -> dict
    centre_type_activate(client, code, active=True) -> str;  centre_types(client) -> list
    centre_create(client, centre: dict) -> dict (with generated "id")
    centre_activate(client, centre_id, active=True) -> str
    centre_get(client, centre_id, lang="eng") -> dict | None
    machine_type_create(client, *, code, name, lang="eng", description="") -> dict
    machine_type_activate(client, code, active=True) -> str
    machine_spec_create(client, *, spec_id, name, machine_type_code, lang="eng", ...) -> dict
    machine_spec_activate(client, spec_id, active=True) -> str;  machine_specs(client) -> list
    machine_create(client, machine: dict) -> dict (with generated "id")
    machine_activate(client, machine_id, active=True) -> str
    machine_get(client, machine_id) -> dict | None
    zone_user_create(client, *, user_id, zone_code, lang="eng") -> dict
    zone_user_activate(client, user_id, active=True) -> str
    user_centre_create(client, *, user_id, centre_id, name="", lang="eng") -> dict
    user_centre_activate(client, user_id, active=True) -> str
    user_get(client, user_id) -> dict | None
    zone_leafs(client, lang="eng") -> list[dict]

keymanager
    tpm_signing_public_key(client, server_profile="Prod") -> str (base64url X.509)

partners
    partner_register(client, *, partner_id, organization_name, address,
                     contact_number, email, policy_group,
                     partner_type="Credential_Partner", lang="eng") -> str
    ca_certificate_upload(client, *, certificate_pem, partner_domain="AUTH") -> str
    partner_certificate_upload(client, *, partner_id, certificate_pem,
                               partner_domain="AUTH") -> UploadedCertificate
        (.signed_certificate: the certificate MOSIP re-signed and encrypts for)
    credential_type_policy_map(client, *, partner_id, credential_type,
                               policy_name) -> str
    policy_groups(client) -> list[dict]
    policy_group_create(client, *, name, desc) -> dict
    policy_create(client, *, group, name, desc, policies, policy_type="DataShare",
                  version="1.0") -> dict
    policy_publish(client, *, policy_id, group_id) -> dict
    policy_map_request(client, *, partner_id, policy_name, use_case) -> str (mapping key)
    policy_map_decide(client, *, mapping_key, status="Approved") -> str
    api_key_generate(client, *, partner_id, policy_name, label) -> ApiKey
    misp_licence_issue(client, *, misp_id) -> MispLicence(licence_key, status, expires)
    oidc_client_create(client, *, name, policy_id, public_jwk, partner_id, logo_uri,
                       redirect_uris) -> OidcClient(client_id, status, ...)
    oidc_client_get(client, client_id) -> OidcClient (claims, acr_values,
                    redirect_uris)

ida (no token: the partner signs its requests, docs/mosip/ida.md)
    authenticate(partner: AuthPartner, individual_id, id_type, demographics) -> IdaAnswer
        (.outcome: verified, mismatch, not_found, deactivated, unreachable, refused;
         .problem says what to fix when refused; never raises for MOSIP's answers)
    fetch_partner_certificate(ida_url) -> PEM;  fetch_signing_certificates(ida_url) -> [PEM]

esignet (no MOSIP envelope, no cookie: OpenID Connect; docs/mosip/esignet.md)
    discover(base_url, *, timeout) -> Discovery(issuer, authorization_endpoint,
             token_endpoint, userinfo_endpoint, jwks_uri, claims_supported, ...)
    key_set(discovery, *, timeout) -> jwt.PyJWKSet
    new_flow() -> FlowSecrets(state, nonce, code_verifier; .code_challenge)
    authorize_url(discovery, *, client_id, redirect_uri, flow, userinfo_claims,
                  acr_values=(ACR_OTP,), claims_locales=(), scope="openid profile")
    client_assertion(*, client_id, private_key_pem, audience, now=None) -> str
    exchange_code(discovery, *, code, redirect_uri, client_id, private_key_pem,
                  code_verifier, timeout) -> Tokens(id_token, access_token)
    userinfo(discovery, access_token, *, timeout) -> str (the JWS, unverified)

esignet_proofs (no HTTP; MosipInvalidProof with the failed check as its code)
    verify_id_token(id_token, *, keys, issuer, client_id, nonce, access_token,
                    acr=None, now=None) -> dict
    verify_userinfo(jws, *, keys, subject) -> dict

idschema
    latest_id_schema(client, schema_version=0) -> PublishedIdSchema(id, id_version,
                     schema_json, effective_from, title; .schema, .identity_fields)

packets
    create_packet(client, request: dict) -> list[PacketInfo]
    workflow_instance(client, *, registration_id, process, source,
                      notification_info=None, additional_info_req_id="")
        -> WorkflowInstance(registration_id, workflow_instance_id, already_present)
        (RPR-WIS-001 is not an error: already_present=True)
    external_status_search(client, registration_ids) -> StatusSearch
    registration_status_search(client, registration_ids) -> StatusSearch
    packet_status_search(client, packet_ids) -> StatusSearch
    StatusSearch: .statuses {id: statusCode}, .not_found [ids], .errors
    (any number of ids: sent in batches of 100, the most MOSIP serves at once)

websub (hub at config.hub_url)
    register_topic(client, topic) -> bool
    subscribe(client, *, topic, callback, secret, lease_seconds=None) -> HubAnswer
    unsubscribe(client, *, topic, callback, secret="-") -> HubAnswer
    publish(client, topic, content: dict) -> HubAnswer
    credential_status_update(*, request_id, status, event_id,
                             publisher="CRVS_PORTAL") -> dict
    signature_matches(secret, body: bytes, header) -> bool   (X-Hub-Signature, no HTTP)

credentials (no HTTP)
    load_private_key(pem, password=None) -> RSAPrivateKey
    certificate_thumbprint(certificate_pem) -> bytes
    decrypt_ver_r2(encoded, private_key, *, certificate_pem=None) -> bytes
    decrypt_credential(encoded, private_key_pem) -> bytes   (the key as PEM)
    decrypt_credential_event(message, private_key, *, certificate_pem=None)
        -> Credential(registration_id, transaction_id, event_id, credential_type,
                      uin, vid, subject_registration_id, document)
    verify_vercred(document, public_key_pem) (URDNA2015 LD proof, PS256 JWS)
    CredentialError (ValueError) on anything unreadable.
"""
