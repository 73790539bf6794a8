"""Sign-in throttling end to end, over real HTTP against a live portal: the form's
CSRF token, the lock-out after repeated failures (per username and per address), and
the way back in once the lock-out window has passed."""

import html
import re
import time

import requests

from apps.accounts.forms import LOCKED_OUT_MESSAGE
from tests.factories import PASSWORD

WRONG = "Please enter a correct username and password"


class Browser:
    def __init__(self, base_url: str):
        self.base = base_url
        self.session = requests.Session()

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


def test_repeated_failures_lock_the_account_until_the_window_passes(
    live_server, registrar, settings
):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_SECONDS = 2
    browser = Browser(live_server.url)
    for _ in range(3):
        response = browser.sign_in(registrar.username, "not the password")
        assert response.status_code == 200 and WRONG in response.text

    locked = browser.sign_in(registrar.username, PASSWORD)
    assert locked.status_code == 200
    assert html.escape(LOCKED_OUT_MESSAGE) in locked.text
    # Another account from the same address is refused too: the address counts.
    other = browser.sign_in("someone-else", PASSWORD)
    assert html.escape(LOCKED_OUT_MESSAGE) in other.text

    time.sleep(2.5)
    back_in = browser.sign_in(registrar.username, PASSWORD)
    assert back_in.status_code == 302
    assert browser.session.get(f"{live_server.url}/registrations/").status_code == 200
