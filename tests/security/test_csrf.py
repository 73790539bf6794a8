"""CSRF protection on every route: a POST without a token is refused with 403.

Every URL pattern is checked, including the ones that answer only GET: the CSRF check
runs before the view, so a route cannot forget it. The only exemptions are listed below
with their reason; an exempt route that is not listed, or a listed one outside
`/websub/`, fails.
"""

import pytest
from django.test import Client

from tests.security.routes import (
    allowed_personas,
    answering_view,
    concrete_url,
    persona_user,
    route_names,
)

CSRF_EXEMPT = {
    "websub:callback": (
        "MOSIP's hub cannot hold a CSRF token; each delivery is trusted only through "
        "its HMAC signature over the raw body"
    ),
}
# The CSRF failure page (templates/403_csrf.html), not a route's own 403.
REFUSED = b"The form could not be sent"
# Any 32 letters form a valid CSRF secret; cookie and header carry the same one.
TOKEN = "Csrfcheckstokenvaluefortheroutes"


@pytest.mark.parametrize("name", route_names())
def test_a_post_without_a_token_is_refused(name, request, db):
    url = concrete_url(name, request)
    exempt = getattr(answering_view(url), "csrf_exempt", False)
    if name in CSRF_EXEMPT:
        assert exempt, f"{name} is listed as exempt but is CSRF-protected"
        assert url.startswith("/websub/"), url
        return
    assert not exempt, f"{name} ({url}) is CSRF-exempt without a listed reason"

    persona = allowed_personas(url, request)[0]
    client = Client(enforce_csrf_checks=True)
    user = persona_user(persona, request)
    if user is not None:
        client.force_login(user)

    refused = client.post(url, {"field": "value"})
    assert refused.status_code == 403, (name, persona, refused.status_code)
    assert REFUSED in refused.content

    # The same request with a token passes the check: the 403 above was the CSRF
    # check's, not the route's own.
    client.cookies["csrftoken"] = TOKEN
    accepted = client.post(url, {"field": "value"}, HTTP_X_CSRFTOKEN=TOKEN)
    assert REFUSED not in accepted.content, (name, accepted.status_code)


def test_only_the_websub_receiver_is_exempt():
    assert set(CSRF_EXEMPT) == {"websub:callback"}
