"""Answers that come from Spring itself rather than from a MOSIP controller."""

from functools import wraps

from django.http import JsonResponse

from apps.mosip_sandbox import envelope


def error_body(request, status: int, error: str) -> JsonResponse:
    return JsonResponse(
        {
            "timestamp": envelope.utc_timestamp(),
            "status": status,
            "error": error,
            "path": request.path,
        },
        status=status,
    )


# Django's error views, answered as Spring Boot answers them (JSON, not the portal's
# pages, whose links name the portal's URLs).
def bad_request(request, exception=None):
    return error_body(request, 400, "Bad Request")


def forbidden(request, exception=None):
    return error_body(request, 403, "Forbidden")


def not_found(request, exception=None):
    return error_body(request, 404, "Not Found")


def server_error(request):
    return error_body(request, 500, "Internal Server Error")


def allow_methods(*methods: str):
    """Spring MVC's 405 for any other method, with its `Allow` header. Put it under
    the auth guard: MOSIP's auth filter answers before the dispatcher does."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in methods:
                response = error_body(request, 405, "Method Not Allowed")
                response["Allow"] = ", ".join(methods)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
