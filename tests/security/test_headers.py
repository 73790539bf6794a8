"""Every route answers with the portal's security headers: a Content Security Policy
allowing only our own origin and no framing, no MIME sniffing, no framing by other
sites, and no referrer sent elsewhere. Checked for each route as a persona allowed in."""

import pytest
from django.test import Client

from tests.security.routes import (
    allowed_personas,
    concrete_url,
    persona_user,
    route_names,
)

REQUIRED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
CSP_MUST_HOLD = ("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")


@pytest.mark.parametrize("name", route_names())
def test_every_route_sends_the_security_headers(name, request, db):
    url = concrete_url(name, request)
    persona = allowed_personas(url, request)[0]
    client = Client()
    user = persona_user(persona, request)
    if user is not None:
        client.force_login(user)

    response = client.get(url)

    headers = {key: response.get(key) for key in REQUIRED}
    assert headers == REQUIRED, (name, persona, response.status_code)
    policy = response.get("Content-Security-Policy", "")
    missing = [rule for rule in CSP_MUST_HOLD if rule not in policy]
    assert not missing, (name, policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
