"""e-Signet's configuration as it reads it: properties of service `esignet` in the
sandbox's MOSIP configuration (stock mosip-config v1.2.4.2, `--config` files, changes
over HTTP), with Spring's `${...}` placeholders resolved and the `#{...}` inline
lists and maps e-Signet declares its supported values with parsed
(docs/mosip/esignet.md §2)."""

import json
import re
from typing import Any

from apps.mosip_sandbox import mosip_config

SERVICE = "esignet"
# e-Signet's servlet path (its bootstrap.properties, not mosip-config).
SERVLET_PATH = "/v1/esignet"
_PLACEHOLDER = re.compile(r"\$\{([^}:]+)(?::([^}]*))?\}")


class PropertyError(ValueError):
    pass


def raw(name: str, base_url: str, default: str | None = None) -> str | None:
    """The property with its placeholders resolved. `base_url` is this sandbox's own
    address, which stands for `mosip.esignet.domain.url` unless an operator set it."""
    return _resolve(name, base_url, default, depth=0)


def _resolve(name: str, base_url: str, default: str | None, depth: int) -> str | None:
    if depth > 10:
        raise PropertyError(f"placeholder loop at {name}")
    if name == "server.servlet.path":
        return SERVLET_PATH
    found = mosip_config.value(SERVICE, name)
    if found is None and name == "mosip.esignet.domain.url":
        return base_url.rstrip("/")
    if found is None:
        return default

    def substitute(match: re.Match) -> str:
        value = _resolve(match[1], base_url, match[2], depth + 1)
        if value is None:
            raise PropertyError(f"{name}: unresolved placeholder ${{{match[1]}}}")
        return value

    return _PLACEHOLDER.sub(substitute, found)


def integer(name: str, default: int) -> int:
    value = raw(name, "", None)
    try:
        return int(value) if value is not None else default
    except ValueError as exc:
        raise PropertyError(f"{name} is not an integer: {value!r}") from exc


def listed(name: str) -> list[str]:
    """A comma-separated property (`a,b`)."""
    value = raw(name, "", None) or ""
    return [item.strip() for item in value.split(",") if item.strip()]


def inline(name: str, base_url: str = "") -> Any:
    """A `#{...}` property: `{'a','b'}` is a list, `{'k': v}` a map."""
    value = raw(name, base_url, None)
    if value is None:
        return None
    return parse_inline(value)


def parse_inline(text: str) -> Any:
    parser = _InlineParser(text)
    result = parser.value()
    parser.skip_space()
    if parser.pos != len(text):
        raise PropertyError(f"unexpected text at {parser.pos}: {text[parser.pos :]!r}")
    return result


class _InlineParser:
    """Spring Expression Language's inline list/map literals, with quoted strings,
    numbers and booleans: the subset e-Signet's properties use."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n\\":
            self.pos += 1

    def peek(self) -> str:
        self.skip_space()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise PropertyError(f"expected {char!r} at {self.pos} in {self.text!r}")
        self.pos += 1

    def value(self) -> Any:
        char = self.peek()
        if char == "{":
            return self.collection()
        if char == "'":
            return self.string()
        match = re.compile(r"-?\d+(\.\d+)?|true|false|null").match(self.text, self.pos)
        if not match:
            raise PropertyError(f"unexpected {char!r} at {self.pos} in {self.text!r}")
        self.pos = match.end()
        return json.loads(match[0])

    def string(self) -> str:
        self.expect("'")
        out = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "'":
                if self.text[self.pos + 1 : self.pos + 2] == "'":
                    out.append("'")
                    self.pos += 2
                    continue
                self.pos += 1
                return "".join(out)
            out.append(char)
            self.pos += 1
        raise PropertyError(f"unterminated string in {self.text!r}")

    def collection(self) -> list | dict:
        self.expect("{")
        if self.peek() == "}":
            self.pos += 1
            return []
        first = self.value()
        if self.peek() == ":":
            self.pos += 1
            result: dict = {first: self.value()}
            while self.peek() == ",":
                self.pos += 1
                key = self.value()
                self.expect(":")
                result[key] = self.value()
            self.expect("}")
            return result
        items = [first]
        while self.peek() == ",":
            self.pos += 1
            items.append(self.value())
        self.expect("}")
        return items


def expiry_seconds(cache: str) -> int:
    """How long an entry of e-Signet's cache `cache` lives
    (`mosip.esignet.cache.expire-in-seconds`)."""
    table = inline("mosip.esignet.cache.expire-in-seconds") or {}
    try:
        return int(table[cache])
    except (KeyError, TypeError, ValueError) as exc:
        raise PropertyError(f"no expiry configured for cache {cache!r}") from exc


def amr_acr_mapping() -> dict:
    """The amr-acr-mapping.json the config server serves
    (`mosip.esignet.amr-acr-mapping-file-url`)."""
    text = mosip_config.file("amr-acr-mapping.json")
    return json.loads(text) if text else {"amr": {}, "acr_amr": {}}
