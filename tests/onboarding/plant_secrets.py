"""The IDA authentication partner's secrets (apps/onboarding IdaPartner): its and
its MISP's private keys, their Keycloak users' passwords, the API key and the MISP
licence key."""

import secrets

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.security.planting import pem_fragments, planter

_PEMS = [
    rsa.generate_private_key(public_exponent=65537, key_size=2048)
    .private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    .decode()
    for _ in range(2)
]


@planter
def ida_partner_secrets(request):
    from apps.onboarding.models import IdaPartner

    values = {
        "keycloak_password": secrets.token_urlsafe(24),
        "misp_keycloak_password": secrets.token_urlsafe(24),
        "api_key": f"{secrets.randbelow(10**6):06d}-api",
        "licence_key": secrets.token_urlsafe(36)[:50],
    }
    IdaPartner.objects.create(
        partner_id="planted-auth", organisation="Civil Registry",
        ida_url="http://testserver", policy_group="g", certificate="-",
        private_key=_PEMS[0], misp_private_key=_PEMS[1], **values,
    )  # fmt: skip
    return [*values.values(), *pem_fragments(_PEMS[0]), *pem_fragments(_PEMS[1])]
