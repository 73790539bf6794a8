"""Base45 (RFC 9285): bytes as text in the QR alphanumeric character set."""

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUES = {char: index for index, char in enumerate(ALPHABET)}


class Base45Error(ValueError):
    """The text is not valid Base45."""


def b45encode(data: bytes) -> str:
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        n, c = divmod(n, 45)
        e, d = divmod(n, 45)
        out += (ALPHABET[c], ALPHABET[d], ALPHABET[e])
    if len(data) % 2:
        e, c = divmod(data[-1], 45)
        out += (ALPHABET[c], ALPHABET[e])
    return "".join(out)


def b45decode(text: str) -> bytes:
    try:
        values = [_VALUES[char] for char in text]
    except KeyError as exc:
        raise Base45Error("The text holds a character outside Base45.") from exc
    if len(values) % 3 == 1:
        raise Base45Error("The Base45 text has a stray last character.")
    out = bytearray()
    for i in range(0, len(values), 3):
        chunk = values[i : i + 3]
        n = sum(v * 45**k for k, v in enumerate(chunk))
        if len(chunk) == 3:
            if n > 0xFFFF:
                raise Base45Error("A Base45 triplet is out of range.")
            out += n.to_bytes(2, "big")
        else:
            if n > 0xFF:
                raise Base45Error("A Base45 pair is out of range.")
            out.append(n)
    return bytes(out)
