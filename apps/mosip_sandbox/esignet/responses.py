"""e-Signet's answers (docs/mosip/esignet.md §8): its own response wrapper for the
internal APIs (client management, the UI's authorization APIs), OAuth error objects
for `/oauth/...`, and the bare 401 of `/oidc/userinfo`.

e-Signet looks each error code up in its message bundle and then answers with the code
itself as the description, so description and code are always equal."""

from django.http import HttpResponse, JsonResponse

from apps.mosip_sandbox import envelope


class EsignetError(Exception):
    """An e-Signet error code. `bad_request` marks the InvalidRequestException
    family, which `/oauth/...` answers with 400 (any other code: 500)."""

    def __init__(self, code: str, *, bad_request: bool = False):
        super().__init__(code)
        self.code = code
        self.bad_request = bad_request


def invalid_request(code: str) -> EsignetError:
    return EsignetError(code, bad_request=True)


def wrapped(response=None, errors: list[dict] | None = None) -> JsonResponse:
    """e-Signet's ResponseWrapper: always HTTP 200, `errors` an empty list on success."""
    return JsonResponse(
        {
            "responseTime": envelope.utc_timestamp(),
            "response": response,
            "errors": errors or [],
        }
    )


def wrapped_error(code: str, message: str | None = None) -> JsonResponse:
    return wrapped(errors=[{"errorCode": code, "errorMessage": message or code}])


def oauth_error(error: EsignetError) -> JsonResponse:
    return JsonResponse(
        {"error": error.code, "error_description": error.code},
        status=400 if error.bad_request else 500,
    )


def userinfo_refused(code: str = "invalid_token") -> HttpResponse:
    response = HttpResponse(status=401)
    response["WWW-Authenticate"] = f'error="{code}"'
    return response
