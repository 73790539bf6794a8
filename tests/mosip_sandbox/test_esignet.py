"""e-Signet's code flow end to end over HTTP (docs/mosip/esignet.md): a client
registered through client management, the login pages with UIN or VID and OTP, the
token endpoint with private_key_jwt, the id token and the userinfo JWS verified
against the published JWKS."""

import base64
import hashlib
import time

import jwt
import pytest
import requests

from tests.mosip_sandbox.esignet_rp import (
    ACR_OTP,
    RelyingParty,
    admin_token,
    pkce_pair,
    put_identity,
)

UIN = "3920716381"
VID = "5817263549102837"


@pytest.fixture
def rp(mosip_sandbox):
    put_identity(mosip_sandbox.url, UIN, VID)
    party = RelyingParty(mosip_sandbox.url)
    response = party.register()
    assert response.status_code == 200
    assert response.json()["errors"] == []
    assert response.json()["response"] == {
        "clientId": party.client_id,
        "status": "ACTIVE",
    }
    return party


def test_discovery_names_the_ui_paths_and_the_service_paths(mosip_sandbox):
    url = mosip_sandbox.url
    document = requests.get(
        f"{url}/.well-known/openid-configuration", timeout=10
    ).json()
    same = requests.get(
        f"{url}/v1/esignet/oidc/.well-known/openid-configuration", timeout=10
    ).json()
    assert document == same
    assert document["issuer"] == url
    assert document["authorization_endpoint"] == f"{url}/authorize"
    assert document["token_endpoint"] == f"{url}/v1/esignet/oauth/v2/token"
    assert document["userinfo_endpoint"] == f"{url}/v1/esignet/oidc/userinfo"
    assert document["jwks_uri"] == f"{url}/.well-known/jwks.json"
    assert document["token_endpoint_auth_methods_supported"] == ["private_key_jwt"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    assert document["claims_parameter_supported"] is True
    assert "individual_id" in document["claims_supported"]
    assert ACR_OTP in document["acr_values_supported"]

    keys = requests.get(
        f"{url}/v1/esignet/oauth/.well-known/jwks.json", timeout=10
    ).json()
    assert keys == requests.get(document["jwks_uri"], timeout=10).json()
    assert len(keys["keys"]) == 2
    assert all(k["kty"] == "RSA" and "alg" not in k and k["x5c"] for k in keys["keys"])


@pytest.mark.parametrize("login_with", ["uin", "vid"])
def test_full_code_flow_yields_verified_tokens_and_claims(
    rp, mosip_sandbox, login_with
):
    individual_id = UIN if login_with == "uin" else VID
    params = rp.authorize_params(claims_locales="en fr")
    code = rp.code_from(rp.login(individual_id, params), params["state"])

    response = rp.token(code)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600

    issuer = f"{mosip_sandbox.url}/v1/esignet"
    id_token = rp.verify(body["id_token"], audience=rp.client_id, issuer=issuer)
    assert jwt.get_unverified_header(body["id_token"]) == {
        "alg": "RS256",
        "kid": jwt.get_unverified_header(body["id_token"])["kid"],
    }
    assert id_token["nonce"] == params["nonce"]
    assert id_token["acr"] == ACR_OTP
    assert (
        id_token["sub"] != UIN
        and id_token["sub"].isdigit()
        and len(id_token["sub"]) == 36
    )
    assert id_token["exp"] - id_token["iat"] == 3600
    assert abs(id_token["auth_time"] - time.time()) < 60
    digest = hashlib.sha256(body["access_token"].encode()).digest()[:16]
    assert id_token["at_hash"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    userinfo = requests.get(
        f"{mosip_sandbox.url}/v1/esignet/oidc/userinfo",
        headers={"Authorization": f"Bearer {body['access_token']}"},
        timeout=10,
    )
    assert userinfo.status_code == 200
    assert userinfo.headers["Content-Type"].startswith("application/jwt")
    claims = rp.verify(userinfo.text)
    assert claims["sub"] == id_token["sub"]
    assert claims["individual_id"] == individual_id
    assert claims["name#en"] == "Amina Yusuf Haddad"
    assert claims["name#fr"] == "Amina Youssouf Haddad"
    assert claims["birthdate"] == "1990/04/12"
    assert claims["gender#en"] == "Female"


def test_one_locale_gives_plain_claim_names_and_the_subject_is_per_partner(
    rp, mosip_sandbox
):
    params = rp.authorize_params(scope="openid profile")
    code = rp.code_from(rp.login(UIN, params), params["state"])
    body = rp.token(code).json()
    userinfo = requests.get(
        f"{mosip_sandbox.url}/v1/esignet/oidc/userinfo",
        headers={"Authorization": f"Bearer {body['access_token']}"},
        timeout=10,
    )
    claims = rp.verify(userinfo.text)
    assert claims["name"] == "Amina Yusuf Haddad"
    assert claims["gender"] == "Female"
    first_subject = claims["sub"]

    other = RelyingParty(mosip_sandbox.url)
    assert other.register(relyingPartyId="another-partner").json()["errors"] == []
    params = other.authorize_params()
    body = other.token(
        other.code_from(other.login(UIN, params), params["state"])
    ).json()
    assert (
        other.verify(
            body["id_token"], audience=other.client_id, options={"verify_iss": False}
        )["sub"]
        != first_subject
    )


def test_pkce_is_checked_on_the_v2_token_endpoint(rp):
    verifier, challenge = pkce_pair()
    params = rp.authorize_params(code_challenge=challenge, code_challenge_method="S256")
    code = rp.code_from(rp.login(UIN, params), params["state"])
    refused = rp.token(code, code_verifier="not-the-verifier")
    assert refused.status_code == 500
    assert refused.json() == {
        "error": "pkce_failed",
        "error_description": "pkce_failed",
    }
    assert rp.token(code, code_verifier=verifier).status_code == 200


def test_client_management_needs_the_add_oidc_client_scope(mosip_sandbox):
    party = RelyingParty(mosip_sandbox.url)
    refused = party.register(
        token=admin_token(mosip_sandbox.url, scope="profile email")
    )
    assert refused.status_code == 403
    assert 'error="insufficient_scope"' in refused.headers["WWW-Authenticate"]
    forged = party.register(token="x.y.z")
    assert forged.status_code == 401

    assert party.register().json()["errors"] == []
    duplicate = party.register().json()
    assert duplicate["errors"] == [
        {"errorCode": "duplicate_client_id", "errorMessage": "duplicate_client_id"}
    ]
    invalid = party.register(
        userClaims=["shoe_size"], authContextRefs=["mosip:idp:acr:knowledge"]
    )
    codes = {e["errorCode"] for e in invalid.json()["errors"]}
    assert codes == {"invalid_claim", "invalid_acr"}
