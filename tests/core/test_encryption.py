import base64
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.core import encryption


def _key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@pytest.fixture(autouse=True)
def _fresh_keys():
    encryption.reset_cache()
    yield
    encryption.reset_cache()


@given(st.text())
def test_it_round_trips_any_text(text):
    token = encryption.encrypt(text)
    assert encryption.decrypt(token) == text
    if len(text) >= 12:  # shorter strings can occur in ciphertext by chance
        assert text not in token


def test_an_old_key_still_decrypts_and_rotation_moves_values(settings):
    old = _key()
    settings.FIELD_ENCRYPTION_KEY = old
    token = encryption.encrypt("client-secret")
    encryption.reset_cache()

    settings.FIELD_ENCRYPTION_KEY = _key()
    settings.FIELD_ENCRYPTION_OLD_KEYS = [old]
    assert encryption.decrypt(token) == "client-secret"
    rotated = encryption.reencrypt(token)
    encryption.reset_cache()

    settings.FIELD_ENCRYPTION_OLD_KEYS = []
    assert encryption.decrypt(rotated) == "client-secret"
    with pytest.raises(encryption.DecryptionError):
        encryption.decrypt(token)


def test_a_tampered_value_is_refused():
    token = encryption.encrypt("secret")
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(encryption.DecryptionError):
        encryption.decrypt(tampered)
