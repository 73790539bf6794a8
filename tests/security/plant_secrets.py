"""The secrets every installation holds: Django's keys, users' passwords and their
hashes, WebSub subscription secrets and the credential partner's private key."""

import secrets

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings as django_settings

from tests.factories import PASSWORD
from tests.security.planting import pem_fragments, planter

# Typed into every form field that may take a secret, by the leak check.
POSTED_SECRET = "posted-secret-" + secrets.token_urlsafe(18)


@planter
def django_keys(request):
    return [django_settings.SECRET_KEY, django_settings.FIELD_ENCRYPTION_KEY]


@planter
def passwords(request):
    hashes = [
        request.getfixturevalue(persona).password
        for persona in ("registrar", "supervisor", "integration_admin", "staff_user")
    ]
    # The hash's salt and digest, not its well-known algorithm prefix.
    return [PASSWORD, POSTED_SECRET, *(h.split("$", 1)[1] for h in hashes)]


@planter
def websub_secrets(request):
    from apps.websub.models import EventKind, Subscription

    current, previous = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    Subscription.objects.create(
        topic="crvs-partner/CREDENTIAL_ISSUED",
        kind=EventKind.CREDENTIAL_ISSUED,
        slug="planted-subscription",
        callback_url="http://testserver/websub/planted-subscription/",
        secret=current,
        previous_secret=previous,
    )
    return [current, previous]


_PARTNER_PEM = (
    rsa.generate_private_key(public_exponent=65537, key_size=2048)
    .private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    .decode()
)


@planter
def credential_partner_key(request):
    pem = _PARTNER_PEM
    settings = request.getfixturevalue("settings")
    settings.WEBSUB_CREDENTIAL_PARTNER_ID = "crvs-partner"
    settings.WEBSUB_CREDENTIAL_PARTNER_KEY = pem
    return pem_fragments(pem)
