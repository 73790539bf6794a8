"""The address a request came from, read correctly behind the documented reverse
proxy (README "Production")."""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The address `request` came from (see `from_meta`)."""
    return from_meta(request.META)


def from_meta(meta) -> str:
    """The client's address from a request's META (or a WSGI environ): REMOTE_ADDR
    unless TRUSTED_PROXY_COUNT proxies sit in front, each appending the address it
    saw to X-Forwarded-For. Then the entry that the outermost trusted proxy appended
    is the client; entries left of it are whatever the client sent and are never
    believed."""
    remote = meta.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < proxies:
        # Not through every trusted proxy: nothing in the header can be believed.
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
