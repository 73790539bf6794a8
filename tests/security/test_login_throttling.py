"""Sign-in throttling end to end, over real HTTP against a live portal behind one
trusted reverse proxy (the test plays the proxy, appending the client's address to
X-Forwarded-For): the form's CSRF token, the slow-down and the lock of one (username,
address) pair, the victim signing in meanwhile from elsewhere, and the lift."""

import html
import re

import pytest
import requests
from django.core.management import call_command

from apps.accounts.forms import LOCKED_OUT_MESSAGE
from tests.factories import PASSWORD

WRONG = "Please enter a correct username and password"
ATTACKER = "203.0.113.66"
VICTIM = "198.51.100.10"


class Browser:
    def __init__(self, base_url: str, address: str):
        self.base = base_url
        self.session = requests.Session()
        # What the trusted proxy appends; a forged entry to its left is ignored.
        self.session.headers["X-Forwarded-For"] = f"{VICTIM}, {address}"

    def sign_in(self, username: str, password: str) -> requests.Response:
        form = self.session.get(f"{self.base}/sign-in/", timeout=10)
        token = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text
        ).group(1)
        return self.session.post(
            f"{self.base}/sign-in/",
            data={"username": username, "password": password,
                  "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.base}/sign-in/"},
            allow_redirects=False, timeout=10,
        )  # fmt: skip


@pytest.fixture(autouse=True)
def _behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_FAILURE_LIMIT = 4
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 50
    settings.LOGIN_LOCKOUT_SECONDS = 900


def test_an_attacker_locks_only_their_own_pair_and_an_admin_lifts_it(
    live_server, registrar, settings
):
    settings.LOGIN_SLOWDOWN_SECONDS = 0
    attacker = Browser(live_server.url, ATTACKER)
    for _ in range(4):
        response = attacker.sign_in(registrar.username, "not the password")
        assert response.status_code == 200 and WRONG in response.text

    locked = attacker.sign_in(registrar.username, PASSWORD)
    assert locked.status_code == 429
    assert html.escape(LOCKED_OUT_MESSAGE) in locked.text
    assert 890 <= int(locked.headers["Retry-After"]) <= 900

    victim = Browser(live_server.url, VICTIM)
    assert victim.sign_in(registrar.username, PASSWORD).status_code == 302
    assert victim.session.get(f"{live_server.url}/registrations/").status_code == 200

    call_command("sign_in_locks", "--lift-all")
    back_in = attacker.sign_in(registrar.username, PASSWORD)
    assert back_in.status_code == 302


def test_the_pair_is_slowed_down_before_the_lock(live_server, registrar, settings):
    settings.LOGIN_SLOWDOWN_SECONDS = 30
    attacker = Browser(live_server.url, ATTACKER)
    for _ in range(2):
        assert (
            attacker.sign_in(registrar.username, "not the password").status_code == 200
        )

    slowed = attacker.sign_in(registrar.username, PASSWORD)
    assert slowed.status_code == 429
    assert slowed.headers["Retry-After"] in {"29", "30"}
    assert "before trying again" in slowed.text
    assert html.escape(LOCKED_OUT_MESSAGE) not in slowed.text
