import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.certificates.base45 import Base45Error, b45decode, b45encode

# RFC 9285 §4.
VECTORS = [
    (b"AB", "BB8"),
    (b"Hello!!", "%69 VD92EX0"),
    (b"base-45", "UJCLQE7W581"),
    (b"ietf!", "QED8WEX0"),
    (b"", ""),
]


@pytest.mark.parametrize(("raw", "text"), VECTORS)
def test_it_matches_the_rfc_vectors(raw, text):
    assert b45encode(raw) == text
    assert b45decode(text) == raw


@pytest.mark.parametrize("text", ["GGW", "a", "AB", "ZZZZ", "abc", "#00"])
def test_it_rejects_text_outside_base45(text):
    with pytest.raises(Base45Error):
        b45decode(text)


@given(st.binary(max_size=300))
def test_it_round_trips_any_bytes(raw):
    assert b45decode(b45encode(raw)) == raw
