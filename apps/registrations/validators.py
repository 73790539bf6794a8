"""Value checks for identifiers and dates typed into event forms."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Verhoeff dihedral-group tables; MOSIP UINs and VIDs end in a Verhoeff check digit.
_MULTIPLY = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_PERMUTE = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)
_INVERSE = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)

UIN_LENGTH = 10
VID_LENGTH = 16


def verhoeff_is_valid(digits: str) -> bool:
    if not digits.isdigit():
        return False
    check = 0
    for position, digit in enumerate(reversed(digits)):
        check = _MULTIPLY[check][_PERMUTE[position % 8][int(digit)]]
    return check == 0


def verhoeff_check_digit(digits: str) -> str:
    """The digit that makes `digits` + it pass the Verhoeff check."""
    check = 0
    for position, digit in enumerate(reversed(digits)):
        check = _MULTIPLY[check][_PERMUTE[(position + 1) % 8][int(digit)]]
    return str(_INVERSE[check])


def _validate_national_number(
    value: str, *, length: int, label: str, wrong_length: str, mistyped: str
) -> None:
    if not re.fullmatch(rf"[0-9]{{{length}}}", value):
        raise ValidationError(
            wrong_length % {"length": length}, code=f"{label.lower()}_format"
        )
    if not verhoeff_is_valid(value):
        raise ValidationError(mistyped, code=f"{label.lower()}_checksum")


def validate_uin(value: str) -> None:
    if re.fullmatch(rf"[0-9]{{{VID_LENGTH}}}", value) and verhoeff_is_valid(value):
        raise ValidationError(
            _(
                "This is a VID (16 digits): this field takes the person's UIN "
                "(10 digits)."
            ),
            code="vid_not_uin",
        )
    _validate_national_number(
        value,
        length=UIN_LENGTH,
        label="UIN",
        wrong_length=_("A UIN is %(length)s digits."),
        mistyped=_("This UIN is mistyped: its check digit does not match."),
    )


def validate_vid(value: str) -> None:
    _validate_national_number(
        value,
        length=VID_LENGTH,
        label="VID",
        wrong_length=_("A VID is %(length)s digits."),
        mistyped=_("This VID is mistyped: its check digit does not match."),
    )


# No one alive to be registered, or a parent of them, was born before this.
EARLIEST_DATE = datetime.date(1900, 1, 1)


def parse_iso_date(value: str) -> datetime.date:
    """The date an `<input type=date>` sends (YYYY-MM-DD, ASCII digits), or
    ValidationError; Python's fromisoformat alone also takes 20250214 and 2025-W07."""
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise ValueError(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            _("Enter a date as year-month-day, e.g. 2025-02-14."), code="date_format"
        ) from None


def validate_not_future(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("This date is in the future."), code="future_date")


def validate_not_too_early(value: datetime.date) -> None:
    if value < EARLIEST_DATE:
        raise ValidationError(
            _("This date is before %(earliest)s; check the year."),
            code="date_too_early",
            params={"earliest": EARLIEST_DATE.isoformat()},
        )


def validate_whole_number(
    value: str, *, min_value: int | None = None, max_value: int | None = None
) -> None:
    """Digits 0-9 only (str.isdigit also takes other scripts' digits and
    superscripts), within the bounds given."""
    if not re.fullmatch(r"[0-9]{1,18}", value):
        raise ValidationError(
            _("Enter a whole number using the digits 0-9."), code="number"
        )
    number = int(value)
    if (min_value is not None and number < min_value) or (
        max_value is not None and number > max_value
    ):
        raise ValidationError(
            _("Enter a number from %(min)s to %(max)s."),
            code="number_range",
            params={"min": min_value, "max": max_value},
        )


def validate_time(value: str) -> None:
    try:
        if not re.fullmatch(r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?", value):
            raise ValueError(value)
        datetime.time.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            _("Enter a time as hours:minutes, e.g. 14:30."), code="time_format"
        ) from None


def completed_years(born: datetime.date, on: datetime.date) -> int:
    """Age in completed years on `on`, as a person counts birthdays."""
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


_PHONE = re.compile(r"\+?[0-9][0-9 -]{4,22}[0-9]")


def validate_phone(value: str) -> None:
    """A phone number the portal keeps for itself (not sent to MOSIP): digits, an
    optional leading +, spaces or hyphens between groups; 6 to 15 digits."""
    digits = sum(char.isdigit() for char in value)
    if not _PHONE.fullmatch(value) or not 6 <= digits <= 15:
        raise ValidationError(
            _("Enter a phone number of 6 to 15 digits, e.g. +961 71 234 567."),
            code="phone",
        )
