"""Known secrets planted in the portal, for the check that none ever leaks.

A planter is a function of the pytest `request` that puts secrets where the portal
keeps them (settings, encrypted fields, through the real services) and returns the
plaintext values. Each app adds its own in `tests/<app>/plant_secrets.py`:

    from tests.security.planting import pem_fragments, planter

    @planter
    def client_secret(request):
        secret = "client-secret-" + secrets.token_urlsafe(16)
        ...store it through the app's service...
        return [secret]  # for a private key: pem_fragments(pem)

Every such module is found and imported by `plant_all`, so a new app's secrets are
searched for in every page, log line and error message without touching this folder.
"""

import html
import importlib
import json
import pkgutil
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import quote, quote_plus

import tests

Planter = Callable[..., Iterable[str]]
PLANTERS: list[Planter] = []
MODULE = "plant_secrets"


def planter(fn: Planter) -> Planter:
    if fn not in PLANTERS:
        PLANTERS.append(fn)
    return fn


def discover() -> list[str]:
    """Import every tests/<package>/plant_secrets.py; the packages found."""
    found = []
    for package in pkgutil.iter_modules([str(Path(tests.__file__).parent)]):
        if not package.ispkg:
            continue
        name = f"tests.{package.name}.{MODULE}"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
            found.append(package.name)
    return found


def plant_all(request) -> list[str]:
    discover()
    planted: list[str] = []
    for fn in PLANTERS:
        values = [v for v in fn(request) if v]
        assert values, f"{fn.__name__} planted nothing"
        planted += values
    return planted


def pem_fragments(pem: str) -> list[str]:
    """Lines of a PEM's base64 body: any one of them in the open is a leak."""
    return [
        line.strip()
        for line in pem.splitlines()
        if len(line.strip()) >= 40 and not line.startswith("-----")
    ]


def _forms(secret: str) -> set[str]:
    return {
        secret,
        html.escape(secret),
        html.escape(secret, quote=False),
        quote(secret, safe=""),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
    }


def leaks(text: str | bytes, secrets: Iterable[str]) -> list[str]:
    """The secrets (in any usual encoding) found in `text`, shortened for messages."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    found = []
    for secret in secrets:
        if any(form in text for form in _forms(secret)):
            found.append(secret[:6] + "…")
    return found
