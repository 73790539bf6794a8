"""The JSON-LD signature of a `vercred` credential as MOSIP's credential service makes
it (VerCredProvider with ld-signatures' URDNA2015Canonicalizer, then keymanager
signVerCred; docs/mosip/credential-partner.md §4).

Signing input: SHA-256 of the URDNA2015 canonical N-Quads of the proof options (the
proof without `jws`, under the credential's `@context`), followed by SHA-256 of the
canonical N-Quads of the credential without its proof: 64 bytes. Keymanager signs
them as a detached JWS with unencoded payload (`b64: false`), PS256.

Contexts never come from the network: the W3C credentials v1 and ODRL contexts and
MOSIP's `mosip-context.json` are data files here (contexts/SOURCES.md); the MOSIP
context is served for any host, with `${mosip.api.public.host}` replaced by it.
"""

import functools
import hashlib
import json
from pathlib import Path
from urllib.parse import urlsplit

from pyld import jsonld

CONTEXT_DIR = Path(__file__).with_name("contexts")
# mosip.credential.service.vercred.context.url.map (credential-service-default.properties).
CONTEXT_FILES = {
    "https://www.w3.org/2018/credentials/v1": "cred-v1.jsonld",
    "https://www.w3.org/ns/odrl.jsonld": "odrl.jsonld",
}
MOSIP_CONTEXT_PATH = "/.well-known/mosip-context.json"
HOST_PLACEHOLDER = "${mosip.api.public.host}"


@functools.lru_cache(maxsize=8)
def _file(name: str) -> str:
    return (CONTEXT_DIR / name).read_text(encoding="utf-8")


def mosip_context(host: str) -> dict:
    return json.loads(_file("mosip-context.json").replace(HOST_PLACEHOLDER, host))


def document_loader(url: str, options=None) -> dict:
    if url in CONTEXT_FILES:
        document = json.loads(_file(CONTEXT_FILES[url]))
    elif urlsplit(url).path == MOSIP_CONTEXT_PATH:
        document = mosip_context(urlsplit(url).netloc)
    else:
        raise jsonld.JsonLdError(
            f"context {url} is not kept locally",
            "jsonld.LoadDocumentError",
            {"url": url},
            code="loading document failed",
        )
    return {"contextUrl": None, "documentUrl": url, "document": document}


def canonical(document: dict) -> str:
    return jsonld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": document_loader,
        },
    )


def signing_input(credential: dict) -> bytes:
    """The 64 bytes keymanager signs for `credential` (its `proof` without `jws`
    gives the proof options)."""
    document = {k: v for k, v in credential.items() if k != "proof"}
    options = {
        k: v
        for k, v in (credential.get("proof") or {}).items()
        if k not in ("jws", "proofValue")
    }
    options["@context"] = document["@context"]
    proof_hash = hashlib.sha256(canonical(options).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonical(document).encode("utf-8")).digest()
    return proof_hash + document_hash
