"""An ID-schema field's validator (a regular expression) said in words a registrar can
follow: "3 to 50 characters", "10 digits, may start with +, e.g. 0712345678".

MOSIP's ID schema gives each field Java regular expressions (docs/mosip/processes-and-
schema.md). The common shapes (a length look-ahead, a run of digits, letters and
digits) are read from the expression's parse tree; anything else is quoted as it is.
"""

import re
from dataclasses import dataclass
from re import _constants as sre
from re import _parser as sre_parse

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, npgettext

_DIGITS = (ord("0"), ord("9"))
_UPPER = (ord("A"), ord("Z"))
_LOWER = (ord("a"), ord("z"))
_PLUS = ord("+")
_EXAMPLE_DIGITS = "0712345678901234"


class _Unreadable(Exception):
    pass


@dataclass(frozen=True)
class _Shape:
    shortest: int
    longest: int | None  # None: no upper bound
    kinds: frozenset  # "digit", "upper", "lower", "any"


def _kind_of_range(low: int, high: int) -> str:
    for kind, (a, b) in (("digit", _DIGITS), ("upper", _UPPER), ("lower", _LOWER)):
        if a <= low and high <= b:
            return kind
    raise _Unreadable


def _kinds_in(items) -> frozenset:
    kinds = set()
    for op, value in items:
        if op == sre.LITERAL:
            kinds.add(_kind_of_range(value, value))
        elif op == sre.RANGE:
            kinds.add(_kind_of_range(*value))
        elif op == sre.CATEGORY and value == sre.CATEGORY_DIGIT:
            kinds.add("digit")
        else:
            raise _Unreadable
    return frozenset(kinds)


def _shape(items) -> tuple[_Shape, tuple[int, int] | None]:
    """The sequence's length bounds and character kinds, and a length look-ahead."""
    shortest, longest, kinds, lookahead = 0, 0, set(), None
    for op, value in items:
        if op == sre.AT:
            continue
        if op == sre.ASSERT:
            direction, inner = value
            inner_shape, _inner_lookahead = _shape(inner)
            if direction != 1 or inner_shape.kinds != {"any"}:
                raise _Unreadable
            lookahead = (inner_shape.shortest, inner_shape.longest)
            continue
        if op == sre.LITERAL:
            part = _Shape(1, 1, frozenset({_kind_of_range(value, value)}))
        elif op == sre.IN:
            part = _Shape(1, 1, _kinds_in(value))
        elif op == sre.ANY:
            part = _Shape(1, 1, frozenset({"any"}))
        elif op == sre.SUBPATTERN:
            part, inner_lookahead = _shape(value[3])
            if inner_lookahead:
                raise _Unreadable
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
            low, high, inner = value
            one, inner_lookahead = _shape(inner)
            if inner_lookahead:
                raise _Unreadable
            unbounded = high == sre.MAXREPEAT or one.longest is None
            part = _Shape(
                one.shortest * low,
                None if unbounded else one.longest * high,
                one.kinds,
            )
        else:
            raise _Unreadable
        shortest += part.shortest
        longest = (
            None if longest is None or part.longest is None else longest + part.longest
        )
        kinds |= part.kinds
    return _Shape(shortest, longest, frozenset(kinds)), lookahead


def _amount(count: int, noun: str) -> str:
    """`count` of `noun` on its own: "1 digit", "10 digits"."""
    params = {"count": count}
    if noun == "characters":
        return ngettext("%(count)s character", "%(count)s characters", count) % params
    if noun == "digits":
        return ngettext("%(count)s digit", "%(count)s digits", count) % params
    if noun == "letters":
        return ngettext("%(count)s letter", "%(count)s letters", count) % params
    if noun == "capital letters":
        return (
            ngettext("%(count)s capital letter", "%(count)s capital letters", count)
            % params
        )
    if noun == "letters or digits":
        return (
            ngettext("%(count)s letter or digit", "%(count)s letters or digits", count)
            % params
        )
    return (
        ngettext(
            "%(count)s capital letter or digit",
            "%(count)s capital letters or digits",
            count,
        )
        % params
    )


# A count after "at least", "at most" or "to" keeps its noun plural in English, even
# at 1; translations agree with the number (context "after at least, at most or to").


def _bound(count: int, noun: str) -> str:
    params = {"count": count}
    if noun == "characters":
        return (
            npgettext(
                "after at least, at most or to",
                "%(count)s characters",
                "%(count)s characters",
                count,
            )
            % params
        )
    if noun == "digits":
        return (
            npgettext(
                "after at least, at most or to",
                "%(count)s digits",
                "%(count)s digits",
                count,
            )
            % params
        )
    if noun == "letters":
        return (
            npgettext(
                "after at least, at most or to",
                "%(count)s letters",
                "%(count)s letters",
                count,
            )
            % params
        )
    if noun == "capital letters":
        return (
            npgettext(
                "after at least, at most or to",
                "%(count)s capital letters",
                "%(count)s capital letters",
                count,
            )
            % params
        )
    if noun == "letters or digits":
        return (
            npgettext(
                "after at least, at most or to",
                "%(count)s letters or digits",
                "%(count)s letters or digits",
                count,
            )
            % params
        )
    return (
        npgettext(
            "after at least, at most or to",
            "%(count)s capital letters or digits",
            "%(count)s capital letters or digits",
            count,
        )
        % params
    )


def _literal_choices(items) -> list[str]:
    """The values of a pattern that is one character from a short list, or one of a
    few words: ^(Y|N)$, ^[MF]$, ^(YES|NO)$."""
    body = [item for item in items if item[0] != sre.AT]
    while len(body) == 1 and body[0][0] == sre.SUBPATTERN:
        body = list(body[0][1][3])
    if len(body) != 1:
        return []
    op, value = body[0]
    if op == sre.IN and all(kind == sre.LITERAL for kind, _code in value):
        choices = [chr(code) for _kind, code in value]
    elif op == sre.BRANCH:
        choices = []
        for branch in value[1]:
            if not all(kind == sre.LITERAL for kind, _code in branch):
                return []
            choices.append("".join(chr(code) for _kind, code in branch))
    else:
        return []
    return choices if 1 < len(choices) <= 6 else []


def _count(shortest: int, longest: int | None, noun: str) -> str:
    if longest is None:
        return _("at least %(amount)s") % {"amount": _bound(shortest, noun)}
    if shortest == longest:
        return _amount(shortest, noun)
    if shortest == 0:
        return _("at most %(amount)s") % {"amount": _bound(longest, noun)}
    return _("%(shortest)s to %(amount)s") % {
        "shortest": shortest,
        "amount": _bound(longest, noun),
    }


@dataclass(frozen=True)
class Rule:
    """What a pattern asks for: in words, and the longest value it allows."""

    words: str
    longest: int | None
    # False: the words only quote the pattern (no help worth showing by the input).
    readable: bool = True


def _unreadable(pattern: str) -> Rule:
    return Rule(
        _("values matching the pattern %(pattern)s") % {"pattern": pattern},
        None,
        readable=False,
    )


def rule(pattern: str) -> Rule:
    try:
        items = list(sre_parse.parse(pattern))
    except re.error:
        return _unreadable(pattern)
    plus = False
    body = [item for item in items if item[0] != sre.AT]
    first = body[0] if body else None
    if (
        first
        and first[0] == sre.MAX_REPEAT
        and first[1][0] == 0
        and list(first[1][2]) == [(sre.LITERAL, _PLUS)]
    ):
        plus, items = True, [item for item in items if item is not first]
    choices = _literal_choices(items)
    if choices:
        return Rule(
            _("one of %(choices)s") % {"choices": ", ".join(choices)},
            max(map(len, choices)),
        )
    try:
        shape, lookahead = _shape(items)
    except _Unreadable:
        return _unreadable(pattern)
    if shape.kinds == {"any"} and lookahead and shape.shortest == 0:
        shortest, longest = lookahead
        return Rule(_count(shortest, longest, "characters"), longest)
    if lookahead:
        return _unreadable(pattern)
    if shape.kinds == {"digit"}:
        words = _count(shape.shortest, shape.longest, "digits")
        if plus:
            words = _("%(rule)s, may start with +") % {"rule": words}
        if shape.shortest <= len(_EXAMPLE_DIGITS):
            words = _("%(rule)s, e.g. %(example)s") % {
                "rule": words,
                "example": _EXAMPLE_DIGITS[: shape.shortest],
            }
        longest = None if shape.longest is None else shape.longest + (1 if plus else 0)
        return Rule(words, longest if not plus else None)
    if shape.kinds <= {"digit", "upper", "lower"} and not plus:
        letters = "capital letters" if "lower" not in shape.kinds else "letters"
        noun = f"{letters} or digits" if "digit" in shape.kinds else letters
        return Rule(_count(shape.shortest, shape.longest, noun), shape.longest)
    return _unreadable(pattern)
