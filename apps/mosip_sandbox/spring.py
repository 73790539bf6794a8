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
