"""MOSIP's own configuration, as the sandbox runs it (docs/mosip/sandbox-configuration.md).

Every behaviour that a MOSIP operator can change is read from a property named exactly
as mosip-config names it, in the file of the service that reads it. Lookups follow
Spring Cloud Config: a service's own file (`<service>-default.properties`) first, then
`application-default.properties`, which every service also reads.

Three layers, later ones winning:
- the stock values of mosip-config v1.2.4.2 (`stock`), the sandbox's fresh state;
- files given to `run_mosip_sandbox --config PATH`, read at start, as an operator
  edits the config repository before a deployment;
- changes made over HTTP (`PATCH /sandbox/api/config`), kept in the sandbox's store
  and forgotten by a reset, as an operator changes a running deployment.

Files the config server serves beside the properties (the credential-partners JSON,
camel route XML) are kept under the pseudo-service `files`, by file name.
"""

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from apps.mosip_sandbox.mosip_config.stock import FILES, STOCK
from apps.mosip_sandbox.store import get_store

APPLICATION = "application"
FILES_SERVICE = "files"
SERVICES = tuple(STOCK)
_OVERRIDES = "mosip_config"  # settings document: {service: {property: value|None}}
_from_files: dict[str, dict[str, str]] = {}


class ConfigError(ValueError):
    """A configuration change or file the sandbox cannot take."""


def _layers(service: str) -> list[dict[str, Any]]:
    stored = (get_store().get("settings", _OVERRIDES) or {}).get(service, {})
    stock = FILES if service == FILES_SERVICE else STOCK.get(service, {})
    return [stored, _from_files.get(service, {}), stock]


def _lookup(service: str, name: str) -> str | None:
    for layer in _layers(service):
        if name in layer:
            # None in a higher layer removes the property (an operator deleted it).
            return layer[name]
    return None


def value(service: str, name: str, default: str | None = None) -> str | None:
    """The effective value of `name` for `service`: its own file, then application."""
    if service not in STOCK and service != FILES_SERVICE:
        raise KeyError(f"unknown MOSIP service {service!r}")
    found = _lookup(service, name)
    if found is None and service not in (APPLICATION, FILES_SERVICE):
        found = _lookup(APPLICATION, name)
    return default if found is None else found


def listed(service: str, name: str) -> list[str]:
    """A comma-separated property as a list (role lists, audiences, partner ids)."""
    raw = value(service, name) or ""
    return [item.strip() for item in raw.split(",") if item.strip()]


def file(name: str) -> str | None:
    """A file the config server serves by name, e.g. the credential-partners JSON."""
    return value(FILES_SERVICE, name)


def names(service: str, prefix: str) -> list[str]:
    """Property names of a service (and application) starting with `prefix`."""
    seen: dict[str, None] = {}
    for svc in (service, APPLICATION) if service != APPLICATION else (APPLICATION,):
        for layer in _layers(svc):
            for name in layer:
                if name.startswith(prefix):
                    seen.setdefault(name)
    return [n for n in seen if value(service, n) is not None]


def effective() -> dict[str, dict[str, str]]:
    """Every service's own effective properties (without application's), and files."""
    result = {}
    for service in (*SERVICES, FILES_SERVICE):
        merged: dict[str, Any] = {}
        for layer in reversed(_layers(service)):
            merged.update(layer)
        result[service] = {k: v for k, v in sorted(merged.items()) if v is not None}
    return result


def changed() -> dict[str, dict[str, str | None]]:
    """What differs from stock: the `--config` files, then the HTTP changes."""
    result: dict[str, dict[str, Any]] = {}
    stored = get_store().get("settings", _OVERRIDES) or {}
    for layer in (_from_files, stored):
        for service, props in layer.items():
            result.setdefault(service, {}).update(props)
    return result


def _check(changes: Any) -> dict[str, dict[str, str | None]]:
    if not isinstance(changes, dict):
        raise ConfigError('expected {"service": {"property": "value"}}')
    for service, props in changes.items():
        if service not in STOCK and service != FILES_SERVICE:
            known = ", ".join((*SERVICES, FILES_SERVICE))
            raise ConfigError(f"unknown service {service!r}; one of: {known}")
        if not isinstance(props, dict):
            raise ConfigError(f"{service}: expected an object of properties")
        for name, val in props.items():
            if not isinstance(name, str) or not name.strip():
                raise ConfigError(f"{service}: property names are non-empty strings")
            if val is not None and not isinstance(val, str):
                raise ConfigError(
                    f"{service}.{name}: values are strings (null removes a change)"
                )
    return changes


def update(changes: Any) -> dict[str, dict[str, str | None]]:
    """Apply `{"service": {"property": "value"}}`; a null value takes the property back
    to what the files and stock say. Returns what now differs from stock."""
    changes = _check(changes)
    store = get_store()
    with store.transaction():
        stored = store.get("settings", _OVERRIDES) or {}
        for service, props in changes.items():
            layer = stored.setdefault(service, {})
            for name, val in props.items():
                if val is None:
                    layer.pop(name, None)
                else:
                    layer[name] = val
            if not layer:
                stored.pop(service)
        store.put("settings", _OVERRIDES, stored)
    return changed()


# --- files given with --config -------------------------------------------------

_PROPERTIES_FILE = re.compile(r"^(?P<service>[a-z-]+)-default\.properties$")


def parse_properties(text: str) -> dict[str, str]:
    """java.util.Properties' line format: `key=value`, `key: value` or `key value`,
    `#`/`!` comments, backslash continuation lines and escapes."""
    result: dict[str, str] = {}
    logical = ""
    for raw in text.splitlines():
        line = raw.lstrip() if not logical else raw.lstrip()
        if not logical and (not line or line[0] in "#!"):
            continue
        trailing = len(line) - len(line.rstrip("\\"))
        if trailing % 2 == 1:
            logical += line[:-1]
            continue
        logical += line
        key, val = _split_property(logical)
        result[key] = val
        logical = ""
    if logical:
        key, val = _split_property(logical)
        result[key] = val
    return result


def _split_property(line: str) -> tuple[str, str]:
    key_chars: list[str] = []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line):
            key_chars.append(_unescape(line[i + 1]))
            i += 2
            continue
        if ch in "=: \t":
            break
        key_chars.append(ch)
        i += 1
    rest = line[i:].lstrip(" \t")
    if rest[:1] in ("=", ":"):
        rest = rest[1:].lstrip(" \t")
    return "".join(key_chars), _unescape_all(rest)


def _unescape(ch: str) -> str:
    return {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}.get(ch, ch)


def _unescape_all(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            if text[i + 1] == "u" and i + 6 <= len(text):
                out.append(chr(int(text[i + 2 : i + 6], 16)))
                i += 6
                continue
            out.append(_unescape(text[i + 1]))
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def read_config_files(paths: Iterable[str | Path]) -> dict[str, dict[str, str]]:
    """Read `<service>-default.properties` files (or folders of them, with the JSON
    and XML files the config server serves) as mosip-config lays them out."""
    found: dict[str, dict[str, str]] = {}
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise ConfigError(f"{path}: no such file or folder")
        files = (
            sorted(p for p in path.iterdir() if p.is_file())
            if path.is_dir()
            else [path]
        )
        for item in files:
            match = _PROPERTIES_FILE.match(item.name)
            text = item.read_text(encoding="utf-8")
            if match:
                service = match["service"]
                if service not in STOCK:
                    known = ", ".join(f"{s}-default.properties" for s in SERVICES)
                    raise ConfigError(
                        f"{item.name}: not a file the sandbox reads ({known})"
                    )
                found.setdefault(service, {}).update(parse_properties(text))
            elif item.suffix in (".json", ".xml"):
                found.setdefault(FILES_SERVICE, {})[item.name] = text
            elif not path.is_dir():
                raise ConfigError(
                    f"{item.name}: expected <service>-default.properties, .json or .xml"
                )
    return found


def load_config_files(paths: Iterable[str | Path]) -> dict[str, dict[str, str]]:
    """Take the given files as this process's configuration on top of stock."""
    found = read_config_files(paths)
    _from_files.clear()
    _from_files.update(found)
    return found
