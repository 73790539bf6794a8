"""A lean WSGI entry for the hub's deliveries.

MOSIP's hub may publish hundreds of events a second, and a subscriber that answers
slowly only delays every later one. A delivery needs none of what Django's request
cycle offers (sessions, users, CSRF, messages, templates, security headers for
browsers), so `POST /websub/<slug>/` goes straight to `delivery.deliver`: a cached
secret, one HMAC, one INSERT. Everything else — intent verification, the admin
pages — goes through Django as usual. The behaviour is the same on either path; the
Django view (apps/websub/views.py) serves deliveries where this entry is not used.
"""

import re
from http import HTTPStatus

from apps.websub import delivery

PREFIX = "/websub/"
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_RESERVED = {"manage"}
_HEADERS = [("Content-Type", "text/plain"), ("Content-Length", "0")]


def _status_line(code: int) -> str:
    return f"{code} {HTTPStatus(code).phrase}"


def websub_fast_path(django_application):
    def application(environ, start_response):
        if environ.get("REQUEST_METHOD") == "POST":
            path = environ.get("PATH_INFO", "")
            if path.startswith(PREFIX) and path.endswith("/"):
                slug = path[len(PREFIX) : -1]
                if slug not in _RESERVED and _SLUG.fullmatch(slug):
                    answer = delivery.deliver(slug, environ, environ["wsgi.input"].read)
                    start_response(
                        _status_line(answer.status), _HEADERS + answer.headers
                    )
                    return [b""]
        return django_application(environ, start_response)

    return application
