"""No secret or private key ever appears in a page, a header, a log line or an error
message.

Known secrets are planted first (tests/security/planting.py; each app adds its own).
Then every route is requested by every persona: GET, and a POST that types a secret into
every field name that may take one, so a form that re-renders a secret on a validation
error is caught (and such unexpected input must never cause a server error). The 404, 403 and 500 pages are checked the same way, and so is every
log record emitted meanwhile, with its traceback.
"""

import logging

import pytest
from django.test import Client

from tests.security.plant_secrets import POSTED_SECRET
from tests.security.planting import leaks, plant_all
from tests.security.routes import PERSONAS, concrete_url, persona_user, route_names

# Field names under which forms take secrets, across the portal's forms.
SECRET_FIELDS = (
    "password",
    "password1",
    "password2",
    "new_password1",
    "new_password2",
    "old_password",
    "secret",
    "client_secret",
    "admin_password",
    "officer_password",
    "private_key",
    "private_key_pem",
)
_formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")


def _response_text(response) -> str:
    headers = "\n".join(
        f"{k}: {v}" for k, v in response.items() if k.lower() != "set-cookie"
    )
    if response.streaming:
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return headers + "\n" + body.decode("utf-8", errors="replace")


def _log_text(records) -> str:
    return "\n".join(_formatter.format(record) for record in records)


@pytest.fixture
def planted(request, db, caplog):
    caplog.set_level(logging.DEBUG)
    values = plant_all(request)
    assert POSTED_SECRET in values
    return values


def _as(persona, request) -> Client:
    client = Client(raise_request_exception=False)
    user = persona_user(persona, request)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", route_names())
def test_no_route_shows_or_logs_a_secret(name, request, planted, caplog):
    url = concrete_url(name, request)
    found = {}
    for persona in PERSONAS:
        response = _as(persona, request).get(url)
        found[f"GET {url} as {persona}"] = leaks(_response_text(response), planted)
    form = {field: POSTED_SECRET for field in SECRET_FIELDS}
    form["username"] = "nobody"
    server_errors = []
    for persona in PERSONAS:
        response = _as(persona, request).post(url.split("?")[0], form)
        found[f"POST {url} as {persona}"] = leaks(_response_text(response), planted)
        if response.status_code >= 500:
            server_errors.append((persona, response.status_code))
    found["logs"] = leaks(_log_text(caplog.records), planted)
    assert not {where: what for where, what in found.items() if what}
    # Unexpected input is a clear answer, never a server error.
    assert not server_errors, server_errors


def test_a_failed_sign_in_shows_no_password(client, planted, registrar, caplog):
    response = client.post(
        "/sign-in/", {"username": registrar.username, "password": POSTED_SECRET}
    )
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    in_page = leaks(_response_text(response), planted)
    in_logs = leaks(_log_text(caplog.records), planted)
    assert not in_page and not in_logs, (in_page, in_logs)


def test_error_pages_show_no_secret(request, planted, caplog, settings):
    settings.ROOT_URLCONF = "tests.security.urls_with_fault"
    pages = {}
    for persona in PERSONAS:
        client = _as(persona, request)
        pages[f"404 as {persona}"] = client.get("/no-such-page/")
        pages[f"500 as {persona}"] = client.get("/fault/")
    pages["403"] = _as("registrar", request).get("/integration/")
    statuses = {where: response.status_code for where, response in pages.items()}
    assert statuses == {
        **{f"404 as {p}": 404 for p in PERSONAS},
        **{f"500 as {p}": 500 for p in PERSONAS},
        "403": 403,
    }
    found = {where: leaks(_response_text(r), planted) for where, r in pages.items()}
    assert not {where: what for where, what in found.items() if what}
    # The failure was logged, with its traceback, and without the secret.
    logged = _log_text(caplog.records)
    assert "RuntimeError: the view failed" in logged
    in_logs = leaks(logged, planted)
    assert not in_logs
