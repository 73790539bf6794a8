"""Named errors for every way a MOSIP call can fail.

`transient` tells callers whether retrying the same call later can succeed
(timeouts, outages, 5xx, 429, createPacket's silent failure) or whether something
must change first (credentials, roles, the request itself).
"""

from __future__ import annotations


class MosipError(Exception):
    """Base of every MOSIP client error. `code` is MOSIP's error code when it sent
    one, `http_status` the HTTP status of the answer (None without an answer)."""

    transient = False

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        http_status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.http_status = http_status

    def __str__(self) -> str:
        return f"{self.code}: {self.message}" if self.code else self.message


class MosipAuthError(MosipError):
    """No valid identity: bad client id/secret or password, or a token MOSIP
    refuses (HTTP 401 / KER-ATH-401) even after one renewal."""


class MosipForbidden(MosipError):
    """The identity is valid but lacks the role or audience the API needs
    (HTTP 403 / KER-ATH-403)."""


class MosipUnavailable(MosipError):
    """MOSIP could not be reached or answered a timeout, connection error, 5xx or
    429. Transient: retry later."""

    transient = True


class MosipRejected(MosipError):
    """MOSIP refused the request with `errors[]` (usually HTTP 200), or answered a
    4xx naming the problem. `codes` lists every error code, `errors` the raw
    items (`errorCode` plus `message` or `errorMessage`)."""

    def __init__(
        self,
        message: str,
        *,
        errors: list[dict] | None = None,
        code: str | None = None,
        http_status: int | None = None,
    ) -> None:
        self.errors = list(errors or [])
        self.codes = [
            str(e.get("errorCode")) for e in self.errors if e.get("errorCode")
        ]
        super().__init__(
            message,
            code=code or (self.codes[0] if self.codes else None),
            http_status=http_status,
        )


class MosipEmptyResponse(MosipError):
    """createPacket answered with no `response` and no error: packet manager
    swallowed an internal failure (docs/mosip/packet-api.md §3.7). Transient: resend the
    same packet."""

    transient = True


class MosipBadResponse(MosipError):
    """The answer is not what this MOSIP API sends (not JSON, an unexpected shape,
    a 404 for the path): usually a wrong URL or a component that is not MOSIP."""


class MosipConfigError(MosipError, ValueError):
    """The connection settings cannot work (a URL that is not http(s), an unknown
    token source, a timeout that is not positive); nothing was sent."""


class MosipInvalidProof(MosipError):
    """An answer offered as MOSIP's proof that does not hold: a token or claims
    signed by a key MOSIP does not publish, altered after signing, expired, issued
    for another client or another login (nonce), or not bound to the token it came
    with. `code` names the check that failed. Never transient: nothing may be
    recorded from it."""
