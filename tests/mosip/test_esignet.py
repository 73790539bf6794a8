"""The portal's e-Signet client against a stand-in answering as docs/mosip/esignet.md
describes e-Signet: the authorize URL, private_key_jwt, and every reason an id token
or a userinfo JWS is refused."""

import base64
import hashlib
import json
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from apps.mosip import esignet, esignet_proofs
from apps.mosip.errors import (
    MosipBadResponse,
    MosipInvalidProof,
    MosipRejected,
    MosipUnavailable,
)

BASE = "https://esignet.example"
ISSUER = f"{BASE}/v1/esignet"  # what e-Signet puts in tokens (§2)
CLIENT = "pms-made-client-id"
TOKEN_URL = f"{BASE}/v1/esignet/oauth/v2/token"
USERINFO_URL = f"{BASE}/v1/esignet/oidc/userinfo"
JWKS_URL = f"{BASE}/.well-known/jwks.json"
DISCOVERY = {
    "issuer": BASE,
    "authorization_endpoint": f"{BASE}/authorize",
    "token_endpoint": TOKEN_URL,
    "userinfo_endpoint": USERINFO_URL,
    "jwks_uri": JWKS_URL,
    "claims_supported": ["name", "birthdate", "gender", "individual_id"],
    "acr_values_supported": [esignet.ACR_OTP],
    "claims_locales_supported": ["en"],
}


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


ESIGNET_KEY, IDA_KEY, CLIENT_KEY, IMPOSTOR = _key(), _key(), _key(), _key()


def _jwk(key, kid):
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    return {**jwk, "kid": kid, "use": "sig"}  # e-Signet's JWKS has no `alg`


def _pem(key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


KEYS = jwt.PyJWKSet.from_dict(
    {"keys": [_jwk(ESIGNET_KEY, "esignet-kid"), _jwk(IDA_KEY, "ida-kid")]}
)
ACCESS_TOKEN = "access.token.value"
NONCE = "nonce-of-this-login"
SUBJECT = "123456789012345678901234567890123456"


def at_hash(token: str) -> str:
    digest = hashlib.sha256(token.encode()).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def id_token(key=ESIGNET_KEY, kid="esignet-kid", **overrides) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER, "sub": SUBJECT, "aud": CLIENT, "iat": now, "exp": now + 3600,
        "auth_time": now, "nonce": NONCE, "acr": esignet.ACR_OTP,
        "at_hash": at_hash(ACCESS_TOKEN), **overrides,
    }  # fmt: skip
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def userinfo_jws(key=IDA_KEY, kid="ida-kid", **overrides) -> str:
    claims = {"sub": SUBJECT, "name": "Amina Yusuf Haddad",
              "birthdate": "1990/04/12", "individual_id": "3920716381", **overrides}  # fmt: skip
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def verify(token: str, **overrides):
    arguments = {
        "keys": KEYS, "issuer": ISSUER, "client_id": CLIENT, "nonce": NONCE,
        "access_token": ACCESS_TOKEN, "acr": esignet.ACR_OTP, **overrides,
    }  # fmt: skip
    return esignet_proofs.verify_id_token(token, **arguments)


def refused(call) -> str:
    with pytest.raises(MosipInvalidProof) as caught:
        call()
    assert not caught.value.transient
    return caught.value.code


@pytest.fixture
def discovery():
    return esignet.Discovery(
        issuer=BASE, authorization_endpoint=f"{BASE}/authorize",
        token_endpoint=TOKEN_URL, userinfo_endpoint=USERINFO_URL, jwks_uri=JWKS_URL,
    )  # fmt: skip


# Discovery and keys ----------------------------------------------------------------


def test_discovery_is_read_from_the_well_known_path(mocked):
    mocked.get(f"{BASE}/.well-known/openid-configuration", json=DISCOVERY)
    found = esignet.discover(BASE + "/")
    assert found.token_endpoint == TOKEN_URL
    assert found.issuer == BASE
    assert "individual_id" in found.claims_supported
    assert mocked.calls[0].request.req_kwargs["timeout"] == (5.0, 30.0)


def test_discovery_without_endpoints_is_not_esignet(mocked):
    mocked.get(f"{BASE}/.well-known/openid-configuration", json={"issuer": BASE})
    with pytest.raises(MosipBadResponse):
        esignet.discover(BASE)


def test_esignet_down_is_unavailable(mocked):
    mocked.get(
        f"{BASE}/.well-known/openid-configuration",
        body="no healthy upstream",
        status=503,
    )
    with pytest.raises(MosipUnavailable) as caught:
        esignet.discover(BASE)
    assert caught.value.transient


def test_unreachable_esignet_is_unavailable(mocked):
    mocked.get(
        f"{BASE}/.well-known/openid-configuration",
        body=requests.ConnectionError("refused"),
    )
    with pytest.raises(MosipUnavailable):
        esignet.discover(BASE)


def test_the_key_set_takes_keys_without_alg(mocked, discovery):
    mocked.get(JWKS_URL, json={"keys": [_jwk(ESIGNET_KEY, "k1")]})
    keys = esignet.key_set(discovery)
    assert keys["k1"].key.public_numbers() == ESIGNET_KEY.public_key().public_numbers()


# The authorize URL -----------------------------------------------------------------


def test_the_authorize_url_asks_for_claims_acr_locale_and_pkce(discovery):
    flow = esignet.new_flow()
    url = esignet.authorize_url(
        discovery, client_id=CLIENT, redirect_uri="https://portal.example/cb",
        flow=flow, userinfo_claims={"name": True, "individual_id": True,
                                    "gender": False},
        claims_locales=("en",),
    )  # fmt: skip
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{BASE}/authorize"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert query["response_type"] == "code"
    assert query["scope"] == "openid profile"
    assert query["state"] == flow.state and query["nonce"] == flow.nonce
    assert query["code_challenge_method"] == "S256"
    challenge = hashlib.sha256(flow.code_verifier.encode()).digest()
    assert query["code_challenge"] == (
        base64.urlsafe_b64encode(challenge).rstrip(b"=").decode()
    )
    assert query["acr_values"] == esignet.ACR_OTP
    assert query["claims_locales"] == "en"
    claims = json.loads(query["claims"])
    assert claims["userinfo"]["individual_id"] == {"essential": True}
    assert claims["userinfo"]["gender"] == {"essential": False}
    assert claims["id_token"]["acr"]["values"] == [esignet.ACR_OTP]


def test_each_login_gets_its_own_state_nonce_and_verifier():
    first, second = esignet.new_flow(), esignet.new_flow()
    assert first.state != second.state and first.nonce != second.nonce
    assert first.code_verifier != second.code_verifier
    assert 43 <= len(first.code_verifier) <= 128


# The token endpoint ----------------------------------------------------------------


def test_the_code_is_exchanged_with_a_client_assertion_for_that_endpoint(
    mocked, discovery
):
    mocked.post(
        TOKEN_URL,
        json={"id_token": "i.d.t", "access_token": "a.c.t", "token_type": "Bearer"},
    )
    tokens = esignet.exchange_code(
        discovery, code="the-code", redirect_uri="https://portal.example/cb",
        client_id=CLIENT, private_key_pem=_pem(CLIENT_KEY), code_verifier="v" * 43,
    )  # fmt: skip
    assert tokens.id_token == "i.d.t"
    form = parse_qs(mocked.calls[0].request.body)
    assert form["grant_type"] == ["authorization_code"]
    assert form["code_verifier"] == ["v" * 43]
    assert form["client_assertion_type"] == [esignet.JWT_BEARER]
    assertion = jwt.decode(
        form["client_assertion"][0], CLIENT_KEY.public_key(), algorithms=["RS256"],
        audience=TOKEN_URL,
    )  # fmt: skip
    assert assertion["iss"] == assertion["sub"] == CLIENT
    assert assertion["exp"] - assertion["iat"] == esignet.ASSERTION_LIFETIME
    assert assertion["jti"]


@pytest.mark.parametrize(
    ("status", "code"),
    [(400, "invalid_transaction"), (400, "invalid_assertion"), (500, "pkce_failed")],
)
def test_an_oauth_error_is_a_refusal_under_its_code(mocked, discovery, status, code):
    mocked.post(
        TOKEN_URL, json={"error": code, "error_description": code}, status=status
    )
    with pytest.raises(MosipRejected) as caught:
        esignet.exchange_code(
            discovery, code="c", redirect_uri="https://portal.example/cb",
            client_id=CLIENT, private_key_pem=_pem(CLIENT_KEY), code_verifier="v" * 43,
        )  # fmt: skip
    assert caught.value.code == code


def test_a_token_endpoint_that_is_down_is_unavailable(mocked, discovery):
    mocked.post(TOKEN_URL, body="no healthy upstream", status=503)
    with pytest.raises(MosipUnavailable):
        esignet.exchange_code(
            discovery, code="c", redirect_uri="https://portal.example/cb",
            client_id=CLIENT, private_key_pem=_pem(CLIENT_KEY), code_verifier="v" * 43,
        )  # fmt: skip


def test_userinfo_is_fetched_with_the_access_token(mocked, discovery):
    mocked.get(USERINFO_URL, body="a.b.c", content_type="application/jwt")
    assert esignet.userinfo(discovery, "the-access") == "a.b.c"
    assert mocked.calls[0].request.headers["Authorization"] == "Bearer the-access"


def test_a_refused_access_token_is_invalid_token(mocked, discovery):
    mocked.get(USERINFO_URL, status=401, headers={"WWW-Authenticate": 'error="x"'})
    with pytest.raises(MosipRejected) as caught:
        esignet.userinfo(discovery, "the-access")
    assert caught.value.code == "invalid_token"


# The id token ----------------------------------------------------------------------


def test_a_genuine_id_token_verifies():
    claims = verify(id_token())
    assert claims["sub"] == SUBJECT


def test_a_token_signed_by_another_key_under_esignets_kid_is_refused():
    assert refused(lambda: verify(id_token(key=IMPOSTOR))) == "bad_signature"


def test_a_token_under_an_unpublished_kid_is_refused():
    assert refused(lambda: verify(id_token(kid="unknown"))) == "untrusted_key"


def test_an_expired_token_is_refused():
    past = int(time.time()) - 7200
    token = id_token(iat=past, exp=past + 3600)
    assert refused(lambda: verify(token)) == "expired"


def test_a_token_issued_in_the_future_is_refused():
    later = int(time.time()) + 3600
    assert refused(lambda: verify(id_token(iat=later, exp=later + 60))) == (
        "not_yet_valid"
    )


def test_a_token_issued_long_before_the_login_is_refused():
    old = int(time.time()) - esignet_proofs.MAX_AGE - 120
    assert refused(lambda: verify(id_token(iat=old, exp=old + 36000))) == "too_old"


def test_a_replayed_token_of_another_login_is_refused_by_its_nonce():
    assert refused(lambda: verify(id_token(nonce="an-earlier-login"))) == (
        "nonce_mismatch"
    )


def test_a_token_without_nonce_is_refused():
    assert refused(lambda: verify(id_token(nonce=None))) == "missing_claim"


def test_the_discovery_issuer_is_not_the_token_issuer():
    # Stock e-Signet: discovery says the domain, tokens carry domain + /v1/esignet.
    assert refused(lambda: verify(id_token(iss=BASE))) == "wrong_issuer"


def test_a_token_for_another_client_is_refused():
    assert refused(lambda: verify(id_token(aud="someone-else"))) == "wrong_audience"


def test_a_token_issued_with_another_access_token_is_refused():
    assert refused(lambda: verify(id_token(at_hash=at_hash("other")))) == (
        "at_hash_mismatch"
    )


def test_a_login_with_another_factor_is_refused():
    token = id_token(acr="mosip:idp:acr:static-code")
    assert refused(lambda: verify(token)) == "acr_mismatch"


# The userinfo JWS ------------------------------------------------------------------


def test_genuine_userinfo_verifies_and_is_bound_by_subject():
    claims = esignet_proofs.verify_userinfo(userinfo_jws(), keys=KEYS, subject=SUBJECT)
    assert claims["individual_id"] == "3920716381"


def test_userinfo_signed_by_another_key_is_refused():
    jws = userinfo_jws(key=IMPOSTOR)
    assert (
        refused(lambda: esignet_proofs.verify_userinfo(jws, keys=KEYS, subject=SUBJECT))
        == "bad_signature"
    )


def test_userinfo_altered_after_signing_is_refused():
    header, payload, signature = userinfo_jws().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    forged = base64.urlsafe_b64encode(
        json.dumps({**claims, "name": "Someone Else"}).encode()
    ).rstrip(b"=")
    jws = ".".join([header, forged.decode(), signature])
    assert (
        refused(lambda: esignet_proofs.verify_userinfo(jws, keys=KEYS, subject=SUBJECT))
        == "bad_signature"
    )


def test_userinfo_about_another_subject_is_refused():
    jws = userinfo_jws(sub="another-person")
    assert (
        refused(lambda: esignet_proofs.verify_userinfo(jws, keys=KEYS, subject=SUBJECT))
        == "subject_mismatch"
    )


def test_userinfo_that_is_not_a_jws_is_refused():
    assert (
        refused(
            lambda: esignet_proofs.verify_userinfo(
                "not-a-jws", keys=KEYS, subject=SUBJECT
            )
        )
        == "bad_signature"
    )
