"""Stock values of mosip-config v1.2.4.2's `esignet-default.properties` that the
sandbox acts on, written as the file writes them (Spring's `#{...}` inline lists and
maps, `${...}` placeholders). docs/mosip/esignet.md §2 gives the line of each.

`mosip.esignet.domain.url` is left out on purpose: it names the host e-Signet is
deployed at, so the sandbox answers with its own address unless an operator sets it.
"""

_SCOPE_CLAIMS = (
    "{'profile' : {'name','address','gender','birthdate','picture','email',"
    "'phone_number'},'email' : {'email'}, 'phone' : {'phone_number'}}"
)

ESIGNET_STOCK: dict[str, str] = {
    "mosip.esignet.auth-txn-id-length": "10",
    "mosip.esignet.supported-id-regex": "\\S*",
    "mosip.esignet.id-token-expire-seconds": "3600",
    "mosip.esignet.access-token-expire-seconds": "3600",
    "mosip.esignet.authentication-expire-in-secs": "120",
    "mosip.esignet.auth-challenge.OTP.format": "alpha-numeric",
    "mosip.esignet.auth-challenge.OTP.min-length": "6",
    "mosip.esignet.auth-challenge.OTP.max-length": "6",
    "mosip.esignet.send-otp.attempts": "3",
    "mosip.esignet.authenticate.attempts": "3",
    "mosip.esignet.security.auth.post-urls": (
        "{'${server.servlet.path}/client-mgmt/**' : {'SCOPE_add_oidc_client'} , "
        "'${server.servlet.path}/system-info/**' : { 'SCOPE_upload_certificate'},"
        "'${server.servlet.path}/binding/wallet-binding' : { 'SCOPE_wallet_binding'}, "
        "'${server.servlet.path}/binding/binding-otp' : { 'SCOPE_send_binding_otp'}}"
    ),
    "mosip.esignet.security.auth.put-urls": (
        "{'${server.servlet.path}/client-mgmt/**' : { 'SCOPE_update_oidc_client'} }"
    ),
    "mosip.esignet.authenticator.ida.otp-channels": "email,phone",
    "mosip.esignet.supported.authorize.scopes": (
        "{'Manage-Identity-Data','Manage-VID','Manage-Authentication',"
        "'Manage-Service-Requests','Manage-Credentials'}"
    ),
    "mosip.esignet.supported.openid.scopes": "{'profile','email','phone'}",
    "mosip.esignet.openid.scope.claims": _SCOPE_CLAIMS,
    "mosip.esignet.supported.credential.scopes": (
        "{'mock_identity_vc_ldp', 'mosip_identity_vc_ldp'}"
    ),
    "mosip.esignet.supported.response.types": "{'code'}",
    "mosip.esignet.supported.grant.types": "{'authorization_code'}",
    "mosip.esignet.supported.ui.displays": "{'page','popup','touch','wap'}",
    "mosip.esignet.supported.ui.prompts": "{'none','login','consent','select_account'}",
    "mosip.esignet.supported.client.assertion.types": (
        "{'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'}"
    ),
    "mosip.esignet.supported.client.auth.methods": "{'private_key_jwt'}",
    "mosip.esignet.supported-pkce-methods": "{'S256'}",
    "mosip.esignet.cache.expire-in-seconds": (
        "{'clientdetails' : 86400, 'preauth': 300,"
        "'authenticated': ${mosip.esignet.authentication-expire-in-secs}, "
        "'authcodegenerated': 60, "
        "'userinfo': ${mosip.esignet.access-token-expire-seconds}, "
        "'linkcodegenerated' : ${mosip.esignet.link-code-expire-in-secs}, "
        "'linked': 120, 'linkedcode': ${mosip.esignet.link-code-expire-in-secs}, "
        "'linkedauth' : ${mosip.esignet.authentication-expire-in-secs}, "
        "'consented': 60, 'authtokens': 86400, 'bindingtransaction': 600, "
        "'vcissuance': ${mosip.esignet.access-token-expire-seconds}, "
        "'apiRateLimit' : 180, 'blocked': 300  }"
    ),
    "mosip.esignet.link-code-expire-in-secs": "60",
    "mosip.esignet.discovery.issuer-id": (
        "${mosip.esignet.domain.url}${server.servlet.path}"
    ),
    "mosip.esignet.jwks-uri": "${mosip.esignet.domain.url}/.well-known/jwks.json",
    "mosip.esignet.token.endpoint": (
        "${mosip.esignet.domain.url}${server.servlet.path}/oauth/v2/token"
    ),
    "mosip.esignet.oauth.key-values": (
        "{'issuer': '${mosip.esignet.domain.url}' ,"
        " 'authorization_endpoint': '${mosip.esignet.domain.url}/authorize' , "
        " 'token_endpoint': '${mosip.esignet.token.endpoint}' , "
        " 'jwks_uri' : '${mosip.esignet.jwks-uri}' , "
        " 'token_endpoint_auth_methods_supported' : "
        "${mosip.esignet.supported.client.auth.methods}, "
        " 'token_endpoint_auth_signing_alg_values_supported' : {'RS256'},"
        " 'scopes_supported' : ${mosip.esignet.supported.openid.scopes}, "
        " 'response_modes_supported' : { 'query' }, "
        " 'grant_types_supported' : ${mosip.esignet.supported.grant.types},"
        " 'response_types_supported' : ${mosip.esignet.supported.response.types}}"
    ),
    "mosip.esignet.discovery.key-values": (
        "{'issuer': '${mosip.esignet.domain.url}' ,"
        " 'authorization_endpoint': '${mosip.esignet.domain.url}/authorize' , "
        " 'token_endpoint': '${mosip.esignet.token.endpoint}' ,"
        " 'userinfo_endpoint' : "
        "'${mosip.esignet.domain.url}${server.servlet.path}/oidc/userinfo' ,"
        " 'jwks_uri' : '${mosip.esignet.jwks-uri}' , "
        " 'scopes_supported' : ${mosip.esignet.supported.openid.scopes}, "
        " 'response_types_supported' : ${mosip.esignet.supported.response.types}, "
        " 'response_modes_supported' : { 'query' }, "
        " 'token_endpoint_auth_methods_supported' : "
        "${mosip.esignet.supported.client.auth.methods}, "
        " 'token_endpoint_auth_signing_alg_values_supported' : {'RS256'}, "
        " 'userinfo_signing_alg_values_supported' : {'RS256'}, "
        " 'userinfo_encryption_alg_values_supported' : {'RSAXXXXX'},"
        " 'userinfo_encryption_enc_values_supported' : {'A128GCM'}, "
        " 'id_token_signing_alg_values_supported' : {'RS256'}, "
        " 'claim_types_supported': {'normal'}, "
        " 'claims_parameter_supported' : true, "
        " 'display_values_supported' : ${mosip.esignet.supported.ui.displays}, "
        " 'subject_types_supported' : { 'pairwise' }, "
        " 'claims_supported' : {'name','address','gender','birthdate','picture',"
        "'email','phone_number','individual_id'}, "
        " 'acr_values_supported' : {'mosip:idp:acr:static-code', "
        "'mosip:idp:acr:generated-code', 'mosip:idp:acr:linked-wallet', "
        "'mosip:idp:acr:biometrics', 'mosip:idp:acr:knowledge'},"
        " 'request_parameter_supported' : false, "
        " 'claims_locales_supported' : {'en'}, "
        " 'ui_locales_supported' : {'en'} }"
    ),
}

# amr-acr-mapping.json of mosip-config v1.2.4.2, served by the config server.
AMR_ACR_MAPPING_FILE = "amr-acr-mapping.json"
AMR_ACR_MAPPING = """{
  "amr" : {
    "PWD" : [{"type" : "PWD" }],
    "PIN" :  [{ "type": "PIN" }],
    "OTP" :  [{ "type": "OTP" }],
    "Wallet" :  [{ "type": "WLA" }],
    "L1-bio-device" :  [{ "type": "BIO", "count": 1 }]
  },
  "acr_amr" : {
    "mosip:idp:acr:password" : ["PWD"],
    "mosip:idp:acr:static-code" : ["PIN"],
    "mosip:idp:acr:generated-code" : ["OTP"],
    "mosip:idp:acr:linked-wallet" : [ "Wallet" ],
    "mosip:idp:acr:biometrics" : [ "L1-bio-device" ]
  }
}
"""
