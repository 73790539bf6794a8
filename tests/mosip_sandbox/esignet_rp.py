"""A relying party of the sandbox's e-Signet, written from docs/mosip/esignet.md with
PyJWT and cryptography, independently of the sandbox's code: it registers a client,
walks the login pages, signs its client assertion and verifies what comes back."""

import base64
import hashlib
import re
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

REDIRECT_URI = "https://portal.example/oidc/callback"
ACR_OTP = "mosip:idp:acr:generated-code"
CLIENT_SCOPES = "add_oidc_client update_oidc_client"


def request_time() -> str:
    now = time.time()
    return (
        time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now))
        + f".{int(now * 1000) % 1000:03d}Z"
    )


def admin_token(url: str, scope: str = CLIENT_SCOPES) -> str:
    response = requests.post(
        f"{url}/sandbox/api/tokens",
        json={"azp": "mosip-pms-client", "roles": ["PARTNER_ADMIN"], "scope": scope},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["access_token"]


def put_identity(
    url: str, uin: str, vid: str, status: str = "ACTIVATED", **fields
) -> None:
    """An ID repository record, written through the sandbox's state API."""
    identity = {
        "UIN": uin,
        "fullName": [
            {"language": "eng", "value": "Amina Yusuf Haddad"},
            {"language": "fra", "value": "Amina Youssouf Haddad"},
        ],
        "dateOfBirth": "1990/04/12",
        "gender": [
            {"language": "eng", "value": "Female"},
            {"language": "fra", "value": "Femme"},
        ],
        "phone": "9876543210",
        "email": "amina@example.org",
        **fields,
    }
    for collection, key, doc in (
        ("identities", uin, {"UIN": uin, "VID": vid, "status": status, "identity": identity,
                             "registrationId": "10001100010000120250101000000", "history": []}),
        ("vids", vid, {"VID": vid, "UIN": uin}),
    ):  # fmt: skip
        requests.post(
            f"{url}/sandbox/api/documents",
            json={"collection": collection, "key": key, "doc": doc},
            timeout=10,
        ).raise_for_status()


def sent_otp(url: str, individual_id: str) -> str:
    response = requests.get(
        f"{url}/sandbox/api/esignet/otps",
        params={"individualId": individual_id},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()["otps"][0]["otp"]


def page_error(response: requests.Response) -> str | None:
    match = re.search(r'data-error-code="([^"]*)"', response.text)
    return match[1] if match else None


def hidden(response: requests.Response, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', response.text)[1]


@dataclass
class RelyingParty:
    url: str
    client_id: str = field(
        default_factory=lambda: f"crvs-portal-{uuid.uuid4().hex[:8]}"
    )
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(
            public_exponent=65537, key_size=2048
        )
    )
    claims: tuple[str, ...] = ("name", "birthdate", "gender", "individual_id")

    def public_jwk(self) -> dict:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {**jwk, "kid": self.client_id, "use": "sig", "alg": "RS256"}

    def register(self, token: str | None = None, **overrides) -> requests.Response:
        request = {
            "clientId": self.client_id,
            "clientName": "CRVS portal",
            "publicKey": self.public_jwk(),
            "relyingPartyId": "crvs-portal-rp",
            "userClaims": list(self.claims),
            "authContextRefs": [ACR_OTP],
            "logoUri": "https://portal.example/logo.png",
            "redirectUris": [REDIRECT_URI],
            "grantTypes": ["authorization_code"],
            "clientAuthMethods": ["private_key_jwt"],
            **overrides,
        }
        return requests.post(
            f"{self.url}/v1/esignet/client-mgmt/oidc-client",
            json={"requestTime": request_time(), "request": request},
            headers={"Authorization": f"Bearer {token or admin_token(self.url)}"},
            timeout=10,
        )

    def discovery(self) -> dict:
        return requests.get(
            f"{self.url}/.well-known/openid-configuration", timeout=10
        ).json()

    def authorize_params(self, **overrides) -> dict:
        return {
            "client_id": self.client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": "openid profile",
            "response_type": "code",
            "state": "st-" + uuid.uuid4().hex[:8],
            "nonce": "n-" + uuid.uuid4().hex,
            "acr_values": ACR_OTP,
            "claims": '{"userinfo":{"individual_id":{"essential":true},"name":{"essential":true}}}',
            **overrides,
        }

    def login(self, individual_id: str, params: dict, otp: str | None = None):
        """Walk the login pages; the final response (a redirect on success)."""
        page = requests.get(f"{self.url}/authorize", params=params, timeout=10)
        if page_error(page):
            return page
        transaction = hidden(page, "transactionId")
        sent = requests.post(
            f"{self.url}/authorize/send-otp",
            data={"transactionId": transaction, "individualId": individual_id,
                  "otpChannels": ["email", "phone"]},
            timeout=10,
        )  # fmt: skip
        if page_error(sent):
            return sent
        verified = requests.post(
            f"{self.url}/authorize/authenticate",
            data={"transactionId": transaction, "individualId": individual_id,
                  "otp": otp or sent_otp(self.url, individual_id)},
            timeout=10,
        )  # fmt: skip
        if page_error(verified):
            return verified
        return requests.post(
            f"{self.url}/authorize/consent",
            data={"transactionId": transaction, "action": "allow"},
            allow_redirects=False,
            timeout=10,
        )

    def code_from(self, redirect: requests.Response, state: str) -> str:
        assert redirect.status_code == 302, redirect.text
        location = redirect.headers["Location"]
        assert location.startswith(REDIRECT_URI + "?")
        query = parse_qs(urlsplit(location).query)
        assert query["state"] == [state]
        return query["code"][0]

    def assertion(self, audience: str, **overrides) -> str:
        now = int(time.time())
        claims = {"iss": self.client_id, "sub": self.client_id, "aud": audience,
                  "iat": now, "exp": now + 60, "jti": uuid.uuid4().hex, **overrides}  # fmt: skip
        return jwt.encode(claims, self.key, algorithm="RS256")

    def token(
        self, code: str, *, assertion: str | None = None, v2: bool = True, **extra
    ):
        endpoint = (
            self.discovery()["token_endpoint"]
            if v2
            else f"{self.url}/v1/esignet/oauth/token"
        )
        return requests.post(
            endpoint,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT_URI,
                "client_id": self.client_id,
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion": assertion or self.assertion(endpoint),
                **extra,
            },
            timeout=10,
        )

    def jwks(self) -> jwt.PyJWKSet:
        keys = requests.get(self.discovery()["jwks_uri"], timeout=10).json()
        return jwt.PyJWKSet.from_dict(keys)

    def verify(self, token: str, **options) -> dict:
        kid = jwt.get_unverified_header(token)["kid"]
        key = self.jwks()[kid]
        return jwt.decode(token, key.key, algorithms=["RS256"], **options)


def pkce_pair() -> tuple[str, str]:
    verifier = base64.urlsafe_b64encode(uuid.uuid4().bytes * 2).rstrip(b"=").decode()
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()
