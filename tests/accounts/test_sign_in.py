import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from tests.factories import PASSWORD

SIGN_IN = "/sign-in/"


def sign_in(client, username, password=PASSWORD, ip="127.0.0.1", **extra):
    return client.post(
        SIGN_IN, {"username": username, "password": password, **extra}, REMOTE_ADDR=ip
    )


@pytest.mark.parametrize(
    "persona, home",
    [
        ("registrar", "/registrations/"),
        ("supervisor", "/dashboards/"),
        ("integration_admin", "/integration/"),
        ("staff_user", "/admin/"),
    ],
)
def test_it_lands_each_role_on_its_home(client, request, persona, home):
    user = request.getfixturevalue(persona)
    response = sign_in(client, user.username)
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == home
    assert client.get(home).status_code == 200


def test_it_shows_an_error_for_a_wrong_password(client, registrar):
    response = sign_in(client, registrar.username, "wrong password")
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert "_auth_user_id" not in client.session


def test_it_follows_a_safe_next_and_ignores_an_offsite_one(client, registrar):
    response = sign_in(client, registrar.username, next="/registrar/?tab=drafts")
    assert response["Location"] == "/registrar/?tab=drafts"
    client.post(reverse("accounts:logout"))
    response = sign_in(client, registrar.username, next="https://evil.example/")
    assert response["Location"] == reverse("accounts:home")


def test_sign_in_and_out_are_audited(client, registrar):
    sign_in(client, registrar.username)
    client.post(reverse("accounts:logout"))
    actions = list(
        AuditEvent.objects.filter(actor=registrar).values_list("action", flat=True)
    )
    assert actions == ["user.signed_out", "user.signed_in"]


def test_sign_out_needs_post(client, registrar):
    client.force_login(registrar)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session


def test_sign_in_form_enforces_csrf(csrf_client, registrar):
    response = sign_in(csrf_client, registrar.username)
    assert response.status_code == 403


def test_the_admin_login_goes_through_the_throttled_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")
