"""The informant's side of an e-Signet login in the sandbox: its login pages walked
over HTTP (UIN or VID, the OTP the sandbox "sent", consent), for tests that drive the
portal's verification without a browser."""

import re
from urllib.parse import urlsplit

import requests

from tests.mosip_sandbox.esignet_rp import put_identity, sent_otp

UIN = "3920716381"
VID = "5817263549102837"


def informant_in_mosip(sandbox_url: str) -> None:
    """Amina Yusuf Haddad, born 1990/04/12, with a phone for the OTP."""
    put_identity(sandbox_url, UIN, VID)


def _hidden(page: requests.Response, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page.text)[1]


def _error(page: requests.Response) -> str | None:
    found = re.search(r'data-error-code="([^"]*)"', page.text)
    return found[1] if found else None


def log_in(authorize_url: str, individual_id: str = UIN, *, allow: bool = True) -> str:
    """Walk e-Signet's login pages as the informant; the portal URL e-Signet sends
    the browser back to (path and query)."""
    page = requests.get(authorize_url, timeout=10)
    assert _error(page) is None, page.text
    parts = urlsplit(authorize_url)
    base = f"{parts.scheme}://{parts.netloc}"
    transaction = _hidden(page, "transactionId")
    sent = requests.post(
        f"{base}/authorize/send-otp",
        data={"transactionId": transaction, "individualId": individual_id,
              "otpChannels": ["email", "phone"]},
        timeout=10,
    )  # fmt: skip
    assert _error(sent) is None, sent.text
    verified = requests.post(
        f"{base}/authorize/authenticate",
        data={"transactionId": transaction, "individualId": individual_id,
              "otp": sent_otp(base, individual_id)},
        timeout=10,
    )  # fmt: skip
    assert _error(verified) is None, verified.text
    back = requests.post(
        f"{base}/authorize/consent",
        data={"transactionId": transaction, "action": "allow" if allow else "cancel"},
        allow_redirects=False,
        timeout=10,
    )
    assert back.status_code == 302, back.text
    location = urlsplit(back.headers["Location"])
    return f"{location.path}?{location.query}"
