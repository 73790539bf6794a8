"""Sign-in throttling cannot be used to lock someone else out: failures count per
(username, address) and per address, a pair slows down before it locks, and staff
see and lift locks."""

import time

import pytest
import time_machine
from django.core.management import call_command
from django.test import RequestFactory

from apps.accounts.forms import LOCKED_OUT_MESSAGE
from apps.accounts.models import SignInLock
from apps.audit.models import AuditEvent
from apps.core.client_address import client_address
from tests.factories import PASSWORD

SIGN_IN = "/sign-in/"
WRONG = b"Please enter a correct username and password"
ATTACKER = "203.0.113.66"
OFFICE_NAT = "198.51.100.10"


def sign_in(client, username, password=PASSWORD, ip="127.0.0.1", **extra):
    return client.post(
        SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra
    )


def fail(client, username, ip, times):
    for _ in range(times):
        response = sign_in(client, username, "wrong password", ip=ip)
        assert response.status_code == 200 and WRONG in response.content


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 50
    settings.LOGIN_LOCKOUT_SECONDS = 900
    settings.LOGIN_SLOWDOWN_SECONDS = 0  # slow-down has its own tests
    settings.TRUSTED_PROXY_COUNT = 0


def test_the_victim_signs_in_from_a_clean_address_while_an_attacker_piles_up(
    client, registrar
):
    fail(client, registrar.username, ATTACKER, 5)
    assert (
        LOCKED_OUT_MESSAGE.encode()
        in sign_in(client, registrar.username, ip=ATTACKER).content
    )

    response = sign_in(client, registrar.username, ip="192.0.2.7")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(registrar.pk)


def test_made_up_usernames_from_an_office_do_not_lock_a_colleague(client, registrar):
    for n in range(5):
        fail(client, f"made-up-{n}", OFFICE_NAT, 1)
    fail(client, "typo-alice", OFFICE_NAT, 4)
    response = sign_in(client, registrar.username, ip=OFFICE_NAT)
    assert response.status_code == 302


def test_the_pair_locks_after_the_limit_even_for_the_right_password(client, registrar):
    fail(client, registrar.username, OFFICE_NAT, 4)
    assert sign_in(client, registrar.username, ip=OFFICE_NAT).status_code == 302
    client.logout()
    # The success started the pair afresh: five more failures to lock it.
    fail(client, registrar.username, OFFICE_NAT, 5)
    response = sign_in(client, registrar.username, ip=OFFICE_NAT)
    assert response.status_code == 429
    assert LOCKED_OUT_MESSAGE.encode() in response.content
    assert 890 <= int(response["Retry-After"]) <= 900
    assert "_auth_user_id" not in client.session
    lock = SignInLock.objects.get()
    assert (lock.scope, lock.username, lock.client_address) == (
        "pair",
        registrar.username,
        OFFICE_NAT,
    )
    assert AuditEvent.objects.filter(action="user.sign_in_locked").count() == 1


def test_a_spraying_address_is_locked_at_its_own_limit(client, registrar, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    for n in range(8):
        fail(client, f"sprayed-{n}", ATTACKER, 1)
    response = sign_in(client, registrar.username, ip=ATTACKER)
    assert response.status_code == 429
    assert LOCKED_OUT_MESSAGE.encode() in response.content
    assert SignInLock.objects.get().scope == "address"
    # Everyone else still signs in.
    assert sign_in(client, registrar.username, ip=OFFICE_NAT).status_code == 302


def test_a_pair_slows_down_before_it_locks(client, registrar, settings):
    settings.LOGIN_SLOWDOWN_SECONDS = 2
    with time_machine.travel(time.time(), tick=False) as clock:
        fail(client, registrar.username, OFFICE_NAT, 2)  # half the limit
        response = sign_in(client, registrar.username, ip=OFFICE_NAT)
        assert response.status_code == 429
        assert response["Retry-After"] == "2"
        assert b"Please wait 2 seconds before trying again" in response.content
        assert "_auth_user_id" not in client.session
        # Another address is not slowed.
        assert sign_in(client, "bob", "wrong password", ip=ATTACKER).status_code == 200

        clock.shift(2)
        fail(client, registrar.username, OFFICE_NAT, 1)
        assert sign_in(client, registrar.username, ip=OFFICE_NAT)["Retry-After"] == "4"
        clock.shift(4)
        assert sign_in(client, registrar.username, ip=OFFICE_NAT).status_code == 302


def test_the_slow_down_does_not_count_as_failures(client, registrar, settings):
    settings.LOGIN_SLOWDOWN_SECONDS = 60
    fail(client, registrar.username, OFFICE_NAT, 2)
    for _ in range(10):
        assert (
            sign_in(client, registrar.username, "x", ip=OFFICE_NAT).status_code == 429
        )
    assert not SignInLock.objects.exists()


def test_staff_lift_a_lock_in_the_admin(client, registrar, staff_user):
    fail(client, registrar.username, ATTACKER, 5)
    lock = SignInLock.objects.get()
    admin = client.__class__()
    admin.force_login(staff_user)
    page = admin.get("/admin/accounts/signinlock/?state=active")
    assert page.status_code == 200 and registrar.username.encode() in page.content
    # Deleting the record would leave the lock holding: only lifting is offered.
    assert b"delete_selected" not in page.content

    response = admin.post(
        "/admin/accounts/signinlock/",
        {"action": "lift_locks", "_selected_action": [lock.pk]},
        follow=True,
    )
    assert b"Lifted 1 sign-in lock(s)." in response.content
    lock.refresh_from_db()
    assert lock.lifted_by == staff_user and not lock.is_active
    lifted = AuditEvent.objects.get(action="user.sign_in_lock_lifted")
    assert lifted.actor == staff_user
    assert sign_in(client, registrar.username, ip=ATTACKER).status_code == 302


def test_the_command_lists_and_lifts_locks(client, registrar, capsys):
    fail(client, registrar.username, ATTACKER, 5)
    lock = SignInLock.objects.get()
    call_command("sign_in_locks")
    assert (
        f"{lock.pk}\tpair\t{registrar.username}\t{ATTACKER}" in capsys.readouterr().out
    )
    call_command("sign_in_locks", "--lift", str(lock.pk))
    assert f"Lifted {lock.pk}" in capsys.readouterr().out
    assert AuditEvent.objects.filter(action="user.sign_in_lock_lifted").count() == 1
    assert sign_in(client, registrar.username, ip=ATTACKER).status_code == 302
    call_command("sign_in_locks")
    assert capsys.readouterr().out == ""


def test_forwarded_for_is_ignored_unless_proxies_are_trusted(client, registrar):
    # Each attempt claims a fresh address; without trusted proxies none is believed.
    for n in range(5):
        sign_in(
            client, registrar.username, "wrong", ip=ATTACKER,
            HTTP_X_FORWARDED_FOR=f"10.9.9.{n}",
        )  # fmt: skip
    assert sign_in(client, registrar.username, ip=ATTACKER).status_code == 429


def test_with_one_trusted_proxy_the_address_it_appended_counts(
    client, registrar, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    # The attacker forges a left-hand entry naming the victim's address; the proxy
    # appends the attacker's real one, and that is what counts.
    for _ in range(5):
        sign_in(
            client, registrar.username, "wrong", ip=proxy,
            HTTP_X_FORWARDED_FOR=f"{OFFICE_NAT}, {ATTACKER}",
        )  # fmt: skip
    assert (
        sign_in(
            client, registrar.username, ip=proxy, HTTP_X_FORWARDED_FOR=ATTACKER
        ).status_code
        == 429
    )
    assert SignInLock.objects.get().client_address == ATTACKER
    victim = sign_in(
        client, registrar.username, ip=proxy, HTTP_X_FORWARDED_FOR=OFFICE_NAT
    )
    assert victim.status_code == 302


@pytest.mark.parametrize(
    "proxies, forwarded, expected",
    [
        (0, "1.1.1.1", "10.0.0.2"),
        (1, "", "10.0.0.2"),
        (1, "1.1.1.1", "1.1.1.1"),
        (1, "6.6.6.6, 1.1.1.1", "1.1.1.1"),
        (2, "6.6.6.6, 1.1.1.1, 10.0.0.1", "1.1.1.1"),
        (2, "1.1.1.1", "10.0.0.2"),  # fewer entries than proxies: not believed
        (1, "not-an-address", "10.0.0.2"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_address(request) == expected


def test_a_lock_ends_on_its_own_after_the_window(client, registrar):
    with time_machine.travel(time.time(), tick=False) as clock:
        fail(client, registrar.username, ATTACKER, 5)
        assert sign_in(client, registrar.username, ip=ATTACKER).status_code == 429
        clock.shift(901)
        assert not SignInLock.objects.get().is_active
        assert sign_in(client, registrar.username, ip=ATTACKER).status_code == 302
