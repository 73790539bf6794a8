"""UIN and VID generation as MOSIP's kernel id generator does it.

A candidate is `length - 1` random digits followed by a Verhoeff check digit; it is
kept only when it passes every filter of the kernel `UinFilterUtil`, with MOSIP's
defaults (kernel-default.properties):

- `mosip.kernel.uin.length=10` (VIDs: `mosip.kernel.vid.length=16`);
- `not-start-with=0,1`: no leading 0 or 1;
- `sequence-limit=3`: no run of 3 ascending or descending digits, wrapping
  (`890`, `901`, `210`, `109` all count);
- `repeating-limit=2`: no digit repeated within 2 places (`11`, `1x1`);
- `repeating-block-limit=2`: no block of 2 or more digits occurring twice (`48..48`);
- `conjugative-even-digits-limit=3`: no 3 adjacent digits from 2, 4, 6, 8;
- `digits-limit=5`: the first 5 digits differ from the last 5;
- `reverse-digits-limit=5`: the first 5 digits differ from the last 5 reversed;
- `restricted-numbers=786,666`: neither appears anywhere;
- no cyclic number (142857, ...) as a substring.

The filters run on the whole id, check digit included, as the kernel does. VIDs use the
same generator and filters at their own length (the first/last group rules included,
which the VID filter also applies).
"""

import re
import secrets
from dataclasses import dataclass, field

# Verhoeff tables: dihedral group D5 multiplication, position permutation, inverse.
_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]
_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]

_SEQ_ASC = "01234567890123456789"
_SEQ_DESC = "98765432109876543210"
_CYCLIC_NUMBERS = ("142857", "0588235294117647", "052631578947368421")

UIN_LENGTH = 10
VID_LENGTH = 16


def verhoeff_check_digit(digits: str) -> str:
    check = 0
    for position, digit in enumerate(reversed(digits)):
        check = _D[check][_P[(position + 1) % 8][int(digit)]]
    return str(_INV[check])


def verhoeff_is_valid(number: str) -> bool:
    if not number.isdigit():
        return False
    check = 0
    for position, digit in enumerate(reversed(number)):
        check = _D[check][_P[position % 8][int(digit)]]
    return check == 0


@dataclass(frozen=True)
class FilterRules:
    length: int = UIN_LENGTH
    not_start_with: tuple[str, ...] = ("0", "1")
    sequence_limit: int = 3
    repeating_limit: int = 2
    repeating_block_limit: int = 2
    conjugative_even_digits_limit: int = 3
    digits_group_limit: int = 5
    reverse_digits_group_limit: int = 5
    restricted_numbers: tuple[str, ...] = ("786", "666")
    _patterns: dict = field(default_factory=dict, compare=False, repr=False)

    def pattern(self, name: str) -> re.Pattern:
        if name not in self._patterns:
            self._patterns[name] = re.compile(
                {
                    "repeating": rf"(\d)\d{{0,{self.repeating_limit - 1}}}\1",
                    "block": rf"(\d{{{self.repeating_block_limit},}}).*?\1",
                    "even": rf"[2468]{{{self.conjugative_even_digits_limit}}}",
                }[name]
            )
        return self._patterns[name]


UIN_RULES = FilterRules()
VID_RULES = FilterRules(length=VID_LENGTH)


def rejected_by(candidate: str, rules: FilterRules = UIN_RULES) -> str | None:
    """The name of the first filter the candidate fails, or None when it passes."""
    if len(candidate) != rules.length or not candidate.isdigit():
        return "length"
    if candidate.startswith(rules.not_start_with):
        return "not-start-with"
    limit = rules.sequence_limit
    for start in range(len(candidate) - limit + 1):
        window = candidate[start : start + limit]
        if window in _SEQ_ASC or window in _SEQ_DESC:
            return "sequence"
    if rules.pattern("repeating").search(candidate):
        return "repeating"
    if rules.pattern("block").search(candidate):
        return "repeating-block"
    if rules.pattern("even").search(candidate):
        return "conjugative-even-digits"
    group = rules.digits_group_limit
    if candidate[:group] == candidate[-group:]:
        return "digits-group"
    group = rules.reverse_digits_group_limit
    if candidate[:group] == candidate[-group:][::-1]:
        return "reverse-digits-group"
    if any(number in candidate for number in rules.restricted_numbers):
        return "restricted-number"
    if any(cyclic in candidate for cyclic in _CYCLIC_NUMBERS):
        return "cyclic-number"
    return None


def is_valid(number: str, rules: FilterRules = UIN_RULES) -> bool:
    return rejected_by(number, rules) is None and verhoeff_is_valid(number)


def generate(rules: FilterRules = UIN_RULES, taken=lambda _: False) -> str:
    """A fresh id passing every filter; `taken(id)` rejects ids already allocated."""
    while True:
        # Uniform over every digit string of the length, in one draw.
        body = f"{secrets.randbelow(10 ** (rules.length - 1)):0{rules.length - 1}d}"
        candidate = body + verhoeff_check_digit(body)
        if rejected_by(candidate, rules) is None and not taken(candidate):
            return candidate


def generate_uin(taken=lambda _: False) -> str:
    return generate(UIN_RULES, taken)


def generate_vid(taken=lambda _: False) -> str:
    return generate(VID_RULES, taken)
