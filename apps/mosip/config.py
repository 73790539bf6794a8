"""Where MOSIP is and who the portal is there, and the client that carries both.

`MosipClient(config)` sends every protected call with the token in the
`Authorization` cookie (MOSIP's auth adapter ignores a Bearer header alone,
docs/mosip/packet-api.md §2.3), keeps tokens in a process-wide, thread-safe cache, renews them
before they expire and once more when MOSIP answers 401, and never sends a request
without a timeout. Its connections to MOSIP are kept open between calls, in one pool
per process.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from apps.mosip import auth, transport
from apps.mosip.errors import MosipAuthError, MosipConfigError

logger = logging.getLogger("apps.mosip")

TOKEN_SOURCES = ("authmanager", "keycloak")
# (connect, read) seconds.
DEFAULT_TIMEOUT: transport.Timeout = (5.0, 30.0)
# Connections kept open to each MOSIP host: at least as many as a process has threads
# calling at once (a worker's pool, a web process's threads), or the extra ones are
# opened and closed around every call.
POOL_CONNECTIONS = 32


def _http_url(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise MosipConfigError(
            f"{name} must be an http(s) URL, e.g. https://api.example.org"
        )
    return value


@dataclass(frozen=True, kw_only=True)
class MosipConfig:
    """One MOSIP identity at one MOSIP installation.

    - `api_url`: the gateway base under which `/v1/...`, `/commons/v1/...` and
      `/registrationprocessor/v1/...` live, e.g. `https://api-internal.example.org`.
    - `keycloak_url`: Keycloak's base *including* the `/auth` prefix MOSIP 1.2
      deploys, e.g. `https://iam.example.org/auth`; defaults to `{api_url}/auth`.
    - `hub_url`: the WebSub hub endpoint; defaults to `{api_url}/hub`.
    - `client_id` / `client_secret`: the confidential Keycloak client.
    - `app_id`: authmanager's appId (`regproc`, `admin`, `partner`, …).
    - `token_source`: "authmanager" (clientidsecretkey) or "keycloak"
      (client_credentials).
    - `username` / `password`: when set, the identity is that user instead of the
      client's service account (authmanager useridPwd, or a Keycloak password grant
      through the client), e.g. a zone-mapped admin for masterdata.
    - `timeout`: (connect, read) seconds for every call.
    """

    api_url: str
    client_id: str
    client_secret: str = field(repr=False)
    keycloak_url: str = ""
    hub_url: str = ""
    app_id: str = "regproc"
    token_source: str = "authmanager"
    timeout: transport.Timeout = DEFAULT_TIMEOUT
    username: str = ""
    password: str = field(default="", repr=False)
    realm: str = "mosip"

    def __post_init__(self) -> None:
        if self.token_source not in TOKEN_SOURCES:
            raise MosipConfigError(
                f"token_source must be one of {', '.join(TOKEN_SOURCES)}"
            )
        if not self.api_url:
            raise MosipConfigError("api_url is required")
        connect, read = self.timeout
        if connect <= 0 or read <= 0:
            raise MosipConfigError("timeouts must be positive")
        api = _http_url("api_url", self.api_url).rstrip("/")
        object.__setattr__(self, "api_url", api)
        keycloak = _http_url("keycloak_url", self.keycloak_url or f"{api}/auth")
        object.__setattr__(self, "keycloak_url", keycloak.rstrip("/"))
        object.__setattr__(
            self, "hub_url", _http_url("hub_url", self.hub_url or f"{api}/hub")
        )
        object.__setattr__(self, "timeout", (float(connect), float(read)))

    def cache_key(self) -> tuple:
        """Identifies the identity in the token cache; a changed secret or password
        is a different identity (the digest never leaves this process)."""
        digest = hashlib.sha256(
            f"{self.client_secret}\0{self.password}".encode()
        ).hexdigest()
        base = self.api_url if self.token_source == "authmanager" else self.keycloak_url
        return (
            self.token_source,
            base,
            self.realm,
            self.client_id,
            self.app_id,
            self.username,
            digest,
        )


def fetch_token(
    config: MosipConfig, session: requests.Session | None = None
) -> auth.Token:
    """A fresh token for `config` from its token source (no cache)."""
    session = session or requests.Session()
    if config.token_source == "authmanager":
        if config.username:
            return auth.authmanager_user_token(
                session,
                api_url=config.api_url,
                username=config.username,
                password=config.password,
                app_id=config.app_id,
                timeout=config.timeout,
            )
        return auth.authmanager_token(
            session,
            api_url=config.api_url,
            client_id=config.client_id,
            secret_key=config.client_secret,
            app_id=config.app_id,
            timeout=config.timeout,
        )
    if config.username:
        return auth.keycloak_password_token(
            session,
            keycloak_url=config.keycloak_url,
            realm=config.realm,
            client_id=config.client_id,
            client_secret=config.client_secret,
            username=config.username,
            password=config.password,
            timeout=config.timeout,
        )
    return auth.keycloak_client_token(
        session,
        keycloak_url=config.keycloak_url,
        realm=config.realm,
        client_id=config.client_id,
        client_secret=config.client_secret,
        timeout=config.timeout,
    )


class TokenCache:
    """Process-wide tokens per identity. One lock per identity, so concurrent
    callers wait for a single renewal instead of each asking for a token."""

    # Renew when less than this share of the lifetime is left (at least 30 s,
    # at most 5 minutes, never more than half the lifetime before expiry).
    RENEW_SHARE = 0.1
    RENEW_MIN = 30.0
    RENEW_MAX = 300.0

    def __init__(self) -> None:
        self._tokens: dict[tuple, auth.Token] = {}
        self._new_locks()

    def _new_locks(self) -> None:
        # Also in a forked child (a prefork worker): a lock another thread held at the
        # fork would stay held there for good. The tokens themselves stay valid.
        self._locks: dict[tuple, threading.Lock] = {}
        self._guard = threading.Lock()

    def _lock(self, key: tuple) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def _fresh(self, token: auth.Token | None) -> bool:
        if token is None:
            return False
        margin = min(
            max(token.lifetime * self.RENEW_SHARE, self.RENEW_MIN),
            self.RENEW_MAX,
            # A short-lived token is still used for the first half of its life.
            token.lifetime / 2,
        )
        return not token.expires_within(margin)

    def get(self, config: MosipConfig, session: requests.Session) -> auth.Token:
        key = config.cache_key()
        token = self._tokens.get(key)
        if self._fresh(token):
            return token
        with self._lock(key):
            token = self._tokens.get(key)
            if self._fresh(token):
                return token
            token = fetch_token(config, session)
            self._tokens[key] = token
            logger.info(
                "mosip token for %s from %s, valid %.0f s",
                config.username or config.client_id,
                config.token_source,
                token.lifetime,
            )
            return token

    def discard(self, config: MosipConfig, token: auth.Token | None = None) -> None:
        """Forget the cached token (only if it is still `token`, when given)."""
        key = config.cache_key()
        with self._lock(key):
            if token is None or self._tokens.get(key) is token:
                self._tokens.pop(key, None)

    def clear(self) -> None:
        with self._guard:
            self._tokens.clear()


tokens = TokenCache()
os.register_at_fork(after_in_child=tokens._new_locks)


def pooled_session() -> requests.Session:
    """A session whose pool keeps a connection open for each thread calling at once."""
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=POOL_CONNECTIONS)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


class MosipClient:
    """Sends calls for one `MosipConfig`. Thread-safe: the threads of a process share
    one `requests.Session`, made on first use, whose pool keeps their connections to
    MOSIP open between calls (urllib3's pool and the cookie jar are thread-safe, and
    the session is never changed after it is made); tokens are shared through the
    process-wide cache."""

    def __init__(self, config: MosipConfig, *, cache: TokenCache | None = None):
        self.config = config
        self._cache = cache or tokens
        self._process_session: tuple[int, requests.Session] | None = None

    def __repr__(self) -> str:
        return f"MosipClient({self.config.api_url}, {self.config.client_id})"

    @property
    def session(self) -> requests.Session:
        # Made again in a forked child (a prefork worker made after the client was):
        # sockets shared with the parent would interleave the two processes' calls.
        # Two threads racing here make two sessions; the last one made is kept.
        pid = os.getpid()
        kept = self._process_session
        if kept is None or kept[0] != pid:
            kept = self._process_session = (pid, pooled_session())
        return kept[1]

    def token(self) -> auth.Token:
        """The cached token, renewed first when it is close to expiry."""
        return self._cache.get(self.config, self.session)

    def discard_token(self, token: auth.Token | None = None) -> None:
        """Forget the cached token (only if it is still `token`, when given), so the
        next call fetches a new one."""
        self._cache.discard(self.config, token)

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        """An authenticated call: `Cookie: Authorization=<token>`. On HTTP 401 the
        token is renewed and the call sent once more; a second 401 is a
        MosipAuthError. Other statuses are returned for the caller to map."""
        for attempt in (1, 2):
            token = self.token()
            sent_headers = {**(headers or {}), "Cookie": f"Authorization={token.value}"}
            response = transport.send(
                self.session,
                method,
                url,
                headers=sent_headers,
                timeout=self.config.timeout,
                **kwargs,
            )
            if response.status_code != 401:
                return response
            self.discard_token(token)
            if attempt == 2:
                break
        raise MosipAuthError(
            "MOSIP refused the token even after renewing it",
            code="KER-ATH-401",
            http_status=401,
        )

    def call(
        self,
        method: str,
        path: str,
        *,
        request: Any = None,
        id: str = "string",
        version: str = "v1",
        params: dict[str, Any] | None = None,
        wrap: bool = True,
    ) -> Any:
        """A kernel-envelope call to `{api_url}{path}`: `request` is wrapped (unless
        `wrap` is False or there is none) and `response` returned; `errors[]`
        raise MosipRejected."""
        kwargs: dict[str, Any] = {"params": params}
        if request is not None:
            kwargs["json"] = (
                transport.envelope(request, id=id, version=version) if wrap else request
            )
        response = self.request(method, f"{self.config.api_url}{path}", **kwargs)
        return transport.unwrap(response)
