"""Plain text in every form: control characters refused, a length cap on every input.

A control character is never something a person meant to type into a name or an
address, and PostgreSQL cannot store one of them at all (NUL, in text or JSON): it
is refused with a message saying which one and where, before anything is saved.
Tab, line feed and carriage return are text in a multi-line input (a Textarea) and
refused elsewhere. Inputs without a limit of their own get a generous one
(docs/input-limits.md), so that nothing megabytes long reaches a save.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

# C0 controls and DEL; the multi-line set lets tab, LF and CR through.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

SINGLE_LINE_MAX_CHARS = 1000
MULTI_LINE_MAX_CHARS = 20000


@deconstructible
class PlainTextValidator:
    code = "control_character"

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        pattern = _CONTROL_MULTILINE if self.multiline else _CONTROL
        found = pattern.search(str(value))
        if found:
            char = found.group()
            if char == "\t":
                what = _("a tab")
            elif char in "\r\n":
                what = _("a line break")
            else:
                what = _("an invisible control character (U+%(code)s)") % {
                    "code": f"{ord(char):04X}"
                }
            raise ValidationError(
                _(
                    "This contains %(what)s at position %(position)d, which this "
                    "answer cannot hold. Retype it without that character."
                ),
                code=self.code,
                params={"what": what, "position": found.start() + 1},
            )

    def __eq__(self, other):
        return (
            isinstance(other, PlainTextValidator) and self.multiline == other.multiline
        )


def is_multiline(field: forms.Field) -> bool:
    return isinstance(field.widget, forms.Textarea)


def length_limit(field: forms.Field) -> int | None:
    limits = [
        v.limit_value for v in field.validators if isinstance(v, MaxLengthValidator)
    ]
    return min(limits) if limits else None


def make_plain_text(field: forms.Field) -> forms.Field:
    """Give a text field the plain-text check (in place of Django's NUL-only one)
    and, when it has no limit of its own, the default cap."""
    if not isinstance(field, forms.CharField):
        return field
    field.validators = [
        v
        for v in field.validators
        if not isinstance(v, (ProhibitNullCharactersValidator, PlainTextValidator))
    ]
    multiline = is_multiline(field)
    field.validators.insert(0, PlainTextValidator(multiline=multiline))
    if length_limit(field) is None:
        cap = MULTI_LINE_MAX_CHARS if multiline else SINGLE_LINE_MAX_CHARS
        field.max_length = cap
        field.validators.append(MaxLengthValidator(cap))
        field.widget.attrs.setdefault("maxlength", str(cap))
    return field


class PlainTextForm:
    """Mixin for a Form: every text input refuses control characters and is capped."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            make_plain_text(field)

    def full_clean(self):
        # Again for fields a subclass added after this __init__ (idempotent).
        for field in self.fields.values():
            make_plain_text(field)
        super().full_clean()
