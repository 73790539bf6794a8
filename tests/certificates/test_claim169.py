"""The Claim 169 codec: strict output, lenient input, and every way a code can be bad."""

import zlib

import brotli
import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.certificates import claim169
from apps.certificates.base45 import b45decode, b45encode

KEY = Ed25519PrivateKey.generate()
KID = b"k-1101"
KEYS = {KID: KEY.public_key()}
NOW = 1_790_000_000
IDENTITY = {1: "9876543217", 3: "eng", 4: "Amina Bello", 8: "20250110", 9: 2}


def _encode(identity=None, **kwargs):
    options = {
        "key": KEY,
        "kid": KID,
        "issuer": "https://registry.example/",
        "issued_at": NOW,
        "expires_at": NOW + 3600,
    }
    options.update(kwargs)
    return claim169.encode(IDENTITY if identity is None else identity, **options)


def _decode(text, **kwargs):
    return claim169.decode(
        text, public_keys=kwargs.pop("keys", KEYS), now=NOW, **kwargs
    )


def _message(text) -> cbor2.CBORTag:
    return cbor2.loads(zlib.decompress(b45decode(text)))


def _pack(obj) -> str:
    return b45encode(zlib.compress(cbor2.dumps(obj), 9))


def _sign(protected: bytes, payload: bytes, key=KEY) -> bytes:
    return key.sign(cbor2.dumps(["Signature1", protected, b"", payload]))


def _resign(*, protected=None, unprotected=None, claims=None, tag=18) -> str:
    """A message built by hand, signed properly, for the lenient and strict variants."""
    protected = cbor2.dumps({1: -8}) if protected is None else protected
    payload = cbor2.dumps(
        claims
        if claims is not None
        else {1: "https://registry.example/", 6: NOW, 169: IDENTITY}
    )
    body = [protected, {4: KID} if unprotected is None else unprotected, payload]
    body.append(_sign(protected, payload))
    return _pack(cbor2.CBORTag(tag, body) if tag else body)


def test_it_emits_the_strict_form():
    text = _encode(token_id=b"OFFICE-A-2026-000001-C01")
    assert set(text) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    raw = b45decode(text)
    assert raw[:1] == b"\x78"
    message = _message(text)
    assert message.tag == 18
    protected, unprotected, payload, signature = message.value
    assert cbor2.loads(protected) == {1: -8}
    assert unprotected == {4: KID}
    assert len(signature) == 64
    claims = cbor2.loads(payload)
    assert claims[1] == "https://registry.example/"
    assert claims[6] == NOW and claims[4] == NOW + 3600
    assert claims[7] == b"OFFICE-A-2026-000001-C01"
    assert claims[169] == IDENTITY  # a plain map with integer keys


def test_it_verifies_its_own_code():
    verified = _decode(_encode())
    assert verified.identity == IDENTITY
    assert verified.kid == KID
    assert verified.alg == -8
    assert verified.issuer == "https://registry.example/"


def test_it_accepts_tag_61_around_the_message():
    message = _message(_encode())
    assert _decode(_pack(cbor2.CBORTag(61, message))).identity == IDENTITY


def test_it_accepts_an_untagged_message():
    assert _decode(_resign(tag=None)).identity == IDENTITY


def test_it_accepts_claim_169_as_a_byte_string():
    claims = {1: "www.mosip.io", 6: NOW, 169: cbor2.dumps({**IDENTITY, 9: "2"})}
    verified = _decode(_resign(claims=claims))
    assert verified.identity == IDENTITY  # "2" read as female, like the spec's example


def test_it_accepts_alg_minus_19_and_the_kid_in_the_protected_header():
    text = _resign(protected=cbor2.dumps({1: -19, 4: KID}), unprotected={})
    assert _decode(text).alg == -19


def test_it_accepts_a_code_without_a_key_id_signed_by_a_known_key():
    # The reference implementation (jeremi/claim-169) sends no kid at all.
    other = Ed25519PrivateKey.generate().public_key()
    verified = _decode(_resign(unprotected={}), keys={b"old": other, **KEYS})
    assert verified.kid == KID
    assert verified.identity == IDENTITY


def test_it_rejects_a_code_without_a_key_id_signed_by_no_known_key():
    text = _resign(unprotected={})
    with pytest.raises(claim169.UnknownKeyError, match="any key we know"):
        _decode(text, keys={b"other": Ed25519PrivateKey.generate().public_key()})


def test_it_keeps_unknown_keys():
    identity = {**IDENTITY, 99: "kept", 24: "birth"}
    assert _decode(_encode(identity)).identity == identity


# Every tamper case gets its own error class and a plain message.


def test_it_rejects_a_tampered_payload():
    message = _message(_encode())
    protected, unprotected, payload, signature = message.value
    altered = payload.replace(b"Amina", b"Amino")
    assert altered != payload
    text = _pack(cbor2.CBORTag(18, [protected, dict(unprotected), altered, signature]))
    with pytest.raises(claim169.BadSignatureError, match="altered"):
        _decode(text)


def test_it_rejects_a_flipped_signature_byte():
    protected, unprotected, payload, signature = _message(_encode()).value
    flipped = bytes([signature[0] ^ 1]) + signature[1:]
    message = cbor2.CBORTag(18, [protected, dict(unprotected), payload, flipped])
    with pytest.raises(claim169.BadSignatureError):
        _decode(_pack(message))


def test_it_rejects_an_unknown_key_id():
    with pytest.raises(claim169.UnknownKeyError, match="key we do not know"):
        _decode(_encode(kid=b"someone-else"))


def test_it_rejects_a_code_signed_by_another_key_under_our_key_id():
    with pytest.raises(claim169.BadSignatureError):
        _decode(_encode(key=Ed25519PrivateKey.generate()))


def test_it_rejects_a_missing_algorithm():
    with pytest.raises(claim169.AlgorithmError, match="does not say"):
        _decode(_resign(protected=b""))
    with pytest.raises(claim169.AlgorithmError, match="does not say"):
        _decode(_resign(protected=cbor2.dumps({})))


def test_it_rejects_the_algorithm_in_the_unprotected_header_only():
    with pytest.raises(claim169.AlgorithmError):
        _decode(_resign(protected=b"", unprotected={1: -8, 4: KID}))


def test_it_rejects_a_wrong_algorithm():
    with pytest.raises(claim169.AlgorithmError, match="do not accept"):
        _decode(_resign(protected=cbor2.dumps({1: -7})))  # ES256


def test_it_rejects_an_expired_code():
    text = _encode(issued_at=NOW - 7200, expires_at=NOW - 3600)
    with pytest.raises(claim169.ExpiredError, match="expired"):
        _decode(text)


def test_it_allows_a_minute_of_clock_difference_on_expiry():
    assert _decode(_encode(expires_at=NOW - 30)).identity == IDENTITY


def test_it_rejects_a_code_not_valid_yet():
    claims = {1: "https://registry.example/", 5: NOW + 3600, 169: IDENTITY}
    with pytest.raises(claim169.NotYetValidError):
        _decode(_resign(claims=claims))


def test_it_rejects_oversize_text():
    with pytest.raises(claim169.TooLargeError, match="longer than any QR"):
        _decode("A" * (claim169.MAX_TEXT_CHARS + 3))


def test_it_rejects_a_zlib_bomb():
    bomb = b45encode(zlib.compress(b"\x00" * (2 * 1024 * 1024), 9))
    assert len(bomb) < claim169.MAX_TEXT_CHARS
    with pytest.raises(claim169.TooLargeError, match="far more data"):
        _decode(bomb)


def test_it_rejects_truncated_text():
    text = _encode()
    with pytest.raises(claim169.MalformedError):
        _decode(text[: len(text) // 2 // 3 * 3])


def test_it_accepts_brotli_compression():
    message = zlib.decompress(b45decode(_encode()))
    assert _decode(b45encode(brotli.compress(message))).identity == IDENTITY


def test_it_rejects_a_brotli_bomb():
    bomb = b45encode(brotli.compress(b"\x00" * (8 * 1024 * 1024)))
    assert len(bomb) < claim169.MAX_TEXT_CHARS
    with pytest.raises(claim169.TooLargeError, match="far more data"):
        _decode(bomb)


def test_it_rejects_data_that_is_neither_zlib_nor_brotli():
    with pytest.raises(claim169.MalformedError, match="cannot be unpacked"):
        _decode(b45encode(b"\x1b" + b"not brotli either"))


def test_it_rejects_a_message_that_is_not_cose_sign1():
    with pytest.raises(claim169.MalformedError, match="COSE_Sign1"):
        _decode(_pack(cbor2.CBORTag(16, [b"", {}, b""])))  # COSE_Encrypt0
    with pytest.raises(claim169.MalformedError):
        _decode(_pack({"hello": "world"}))


def test_it_rejects_a_signed_payload_without_identity():
    with pytest.raises(claim169.MalformedError, match="identity"):
        _decode(_resign(claims={1: "https://registry.example/", 6: NOW}))


@pytest.mark.parametrize("text", ["", "   ", "hello world", "https://x.example/"])
def test_it_rejects_plain_text(text):
    with pytest.raises(claim169.VerificationError):
        _decode(text)


# Property tests.

texts = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=40
)
identity_maps = st.fixed_dictionaries(
    {},
    optional={
        1: texts,
        2: texts,
        3: st.sampled_from(["eng", "ara", "fra"]),
        4: texts,
        5: texts,
        6: texts,
        7: texts,
        8: st.dates().map(lambda d: d.strftime("%Y%m%d")),
        9: st.integers(1, 3),
        10: texts,
        11: texts,
        12: texts,
        13: st.sampled_from(["NG", "NGA", "TZA"]),
        14: st.integers(1, 3),
        15: texts,
        19: texts,
        20: st.sampled_from(["ara", "fra"]),
        21: texts,
        22: texts,
        23: texts,
        24: st.sampled_from(["birth", "death", "marriage", "divorce"]),
        25: texts,
        26: st.dates().map(lambda d: d.strftime("%Y%m%d")),
        27: texts,
        28: texts,
    },
)


@settings(max_examples=150, deadline=None)
@given(identity_maps)
def test_identity_maps_round_trip(identity):
    assert _decode(_encode(identity)).identity == identity


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=600))
def test_any_text_gives_a_verification_error_or_a_result(text):
    try:
        _decode(text)
    except claim169.VerificationError as error:
        assert str(error)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_packed_bytes_give_a_verification_error(raw):
    for packed in (b45encode(raw), b45encode(zlib.compress(raw))):
        with pytest.raises(claim169.VerificationError):
            _decode(packed)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10_000), st.integers(0, 7))
def test_any_single_bit_flip_is_caught(position, bit):
    text = _encode()
    raw = bytearray(cbor2.dumps(_message(text)))
    raw[position % len(raw)] ^= 1 << bit
    try:
        verified = _decode(b45encode(zlib.compress(bytes(raw))))
    except claim169.VerificationError:
        return
    # Only the unsigned header can change unnoticed, and it merely names the key
    # (e.g. the key id sent as text rather than bytes): what was signed is intact.
    original = _decode(text)
    assert (verified.claims, verified.identity) == (original.claims, original.identity)
