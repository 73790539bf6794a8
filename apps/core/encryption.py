"""Encryption at rest for MOSIP secrets and private keys.

Fernet (AES-128-CBC + HMAC-SHA256) keyed by FIELD_ENCRYPTION_KEY from the environment.
Old keys listed in FIELD_ENCRYPTION_OLD_KEYS still decrypt, so the key can be rotated
without downtime; `reencrypt` moves a value onto the current key.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class DecryptionError(Exception):
    """The stored value was not encrypted with any configured key."""


@cache
def _fernet() -> MultiFernet:
    keys = [
        settings.FIELD_ENCRYPTION_KEY,
        *settings.FIELD_ENCRYPTION_OLD_KEYS,
    ]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise DecryptionError(
            "stored secret cannot be decrypted with the configured keys"
        ) from exc


def reencrypt(token: str) -> str:
    return _fernet().rotate(token.encode("ascii")).decode("ascii")


def reset_cache() -> None:
    """Forget the loaded keys (after settings change in tests or a key rotation)."""
    _fernet.cache_clear()
