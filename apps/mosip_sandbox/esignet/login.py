"""The login pages at e-Signet's authorize path. e-Signet's own UI is a single-page
application calling its authorization APIs; the sandbox serves plain forms that make
the same calls in the same order (oauth-details, send-otp, authenticate, auth-code)
and end in the redirect the UI makes (docs/mosip/esignet.md §4).

Every page answers HTTP 200, as the UI's do; an error shows in the element with id
`error`, its code in `data-error-code`."""

from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseRedirect
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt

from apps.mosip_sandbox import spring
from apps.mosip_sandbox.esignet import authorization, properties
from apps.mosip_sandbox.esignet.fault_switches import guard
from apps.mosip_sandbox.esignet.responses import EsignetError
from apps.mosip_sandbox.store import get_store

_AUTHORIZE_PARAMS = (
    "client_id", "scope", "response_type", "redirect_uri", "display", "prompt",
    "nonce", "state", "acr_values", "claims", "claims_locales", "ui_locales",
    "code_challenge", "code_challenge_method", "max_age",
)  # fmt: skip


def _page(title: str, body: str, error: str | None = None) -> HttpResponse:
    shown = (
        f'<p id="error" role="alert" data-error-code="{escape(error)}">'
        f"Error: {escape(error)}</p>"
        if error
        else ""
    )
    return HttpResponse(
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)} - e-Signet (MOSIP sandbox)</title></head><body>"
        f"<h1>{escape(title)}</h1>{shown}{body}</body></html>"
    )


def _client_name(transaction: dict) -> str:
    return transaction["clientName"].get("eng") or transaction["clientName"].get(
        "@none", ""
    )


def _login_form(transaction: dict, error: str | None = None) -> HttpResponse:
    otp_ready = any(
        all(f.get("type") == authorization.OTP_FACTOR for f in factors)
        for factors in transaction["authFactors"]
    )
    if not otp_ready:
        return _page(
            "Log in",
            "<p>This client's authentication methods need a wallet, a device or a "
            "password, which the sandbox does not offer: only OTP.</p>",
            "auth_factor_mismatch",
        )
    channels = properties.listed("mosip.esignet.authenticator.ida.otp-channels")
    hidden = "".join(
        f'<input type="hidden" name="otpChannels" value="{escape(c)}">'
        for c in channels
    )
    return _page(
        "Log in",
        f"<p>{escape(_client_name(transaction))} asks you to log in with your national "
        f"ID.</p>"
        f'<form method="post" action="/authorize/send-otp">'
        f'<input type="hidden" name="transactionId" '
        f'value="{escape(transaction["transactionId"])}">{hidden}'
        f'<p><label>UIN or VID <input name="individualId" autocomplete="off" '
        f"required></label></p><button>Get OTP</button></form>",
        error,
    )


def _otp_form(transaction_id: str, individual_id: str, sent: dict, error=None):
    where = ", ".join(
        escape(v) for v in (sent.get("maskedMobile"), sent.get("maskedEmail")) if v
    )
    return _page(
        "Enter the OTP",
        f"<p>An OTP was sent to {where or 'your registered contact'}.</p>"
        f'<form method="post" action="/authorize/authenticate">'
        f'<input type="hidden" name="transactionId" value="{escape(transaction_id)}">'
        f'<input type="hidden" name="individualId" value="{escape(individual_id)}">'
        f'<p><label>OTP <input name="otp" inputmode="numeric" autocomplete="one-time-code" '
        f"required></label></p><button>Verify</button></form>",
        error,
    )


@guard
@spring.allow_methods("GET")
def authorize(request):
    params = {
        name: request.GET[name] for name in _AUTHORIZE_PARAMS if name in request.GET
    }
    try:
        transaction = authorization.start(params)
    except EsignetError as error:
        return _page("Log in", "<p>The request cannot be processed.</p>", error.code)
    return _login_form(transaction)


@guard
@csrf_exempt
@spring.allow_methods("POST")
def send_otp(request):
    transaction_id = request.POST.get("transactionId", "")
    individual_id = request.POST.get("individualId", "").strip()
    try:
        sent = authorization.send_otp(
            transaction_id, individual_id, request.POST.getlist("otpChannels")
        )
    except EsignetError as error:
        return _retry_login(transaction_id, error.code)
    return _otp_form(transaction_id, individual_id, sent)


def _retry_login(transaction_id: str, code: str) -> HttpResponse:
    transaction = get_store().get("esignet_transactions", transaction_id)
    if transaction is None or transaction.get("stage") != "preauth":
        return _page("Log in", "<p>The login has ended.</p>", code)
    return _login_form(transaction, code)


@guard
@csrf_exempt
@spring.allow_methods("POST")
def authenticate(request):
    transaction_id = request.POST.get("transactionId", "")
    individual_id = request.POST.get("individualId", "").strip()
    try:
        transaction = authorization.authenticate(
            transaction_id, individual_id, request.POST.get("otp", "").strip()
        )
    except EsignetError as error:
        if error.code in ("IDA-OTA-004", "IDA-OTA-003", "invalid_challenge_format"):
            return _otp_form(transaction_id, individual_id, {}, error.code)
        return _retry_login(transaction_id, error.code)
    claims = transaction["essentialClaims"] + transaction["voluntaryClaims"]
    items = "".join(f"<li>{escape(c)}</li>" for c in claims) or "<li>your identity</li>"
    return _page(
        "Share your details",
        f"<p>{escape(_client_name(transaction))} will receive:</p><ul>{items}</ul>"
        f'<form method="post" action="/authorize/consent">'
        f'<input type="hidden" name="transactionId" value="{escape(transaction_id)}">'
        f'<button name="action" value="allow">Allow</button> '
        f'<button name="action" value="cancel">Cancel</button></form>',
    )


@guard
@csrf_exempt
@spring.allow_methods("POST")
def consent(request):
    transaction_id = request.POST.get("transactionId", "")
    transaction = get_store().get("esignet_transactions", transaction_id)
    if request.POST.get("action") != "allow":
        if transaction is None:
            return _page("Log in", "<p>The login has ended.</p>", "invalid_transaction")
        query = urlencode(
            {
                "error_description": "Consent request rejected",
                "state": transaction.get("state"),
                "error": "consent_request_rejected",
            }
        )
        return HttpResponseRedirect(f"{transaction['redirectUri']}?{query}")
    accepted = (transaction or {}).get("essentialClaims", []) + (transaction or {}).get(
        "voluntaryClaims", []
    )
    try:
        transaction, code = authorization.issue_code(transaction_id, accepted)
    except EsignetError as error:
        return _page("Log in", "<p>The login has ended.</p>", error.code)
    # The UI joins the parameters as they are, without encoding them.
    state = f"state={transaction['state']}&" if transaction.get("state") else ""
    return HttpResponseRedirect(f"{transaction['redirectUri']}?{state}code={code}")
