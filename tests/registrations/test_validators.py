import datetime

import pytest
from django.core.exceptions import ValidationError

from apps.registrations.validators import (
    completed_years,
    validate_uin,
    validate_vid,
    verhoeff_check_digit,
    verhoeff_is_valid,
)
from tests.registrations.factories import uin, vid


def test_verhoeff_matches_the_published_example():
    # The worked example of Verhoeff's scheme: 236 takes check digit 3.
    assert verhoeff_check_digit("236") == "3"
    assert verhoeff_is_valid("2363")
    assert not verhoeff_is_valid("2364")


def test_verhoeff_catches_every_single_digit_mistake():
    good = uin()
    for position in range(len(good)):
        for digit in "0123456789":
            if digit != good[position]:
                typo = good[:position] + digit + good[position + 1 :]
                assert not verhoeff_is_valid(typo)


def test_verhoeff_catches_adjacent_transpositions():
    good = uin("123456789")
    for i in range(len(good) - 1):
        if good[i] != good[i + 1]:
            swapped = good[:i] + good[i + 1] + good[i] + good[i + 2 :]
            assert not verhoeff_is_valid(swapped)


def test_it_accepts_a_well_formed_uin():
    validate_uin(uin())


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("12345", "uin_format"),
        ("12345678901", "uin_format"),
        ("12345abcde", "uin_format"),
    ],
)
def test_it_rejects_a_uin_of_the_wrong_shape(value, code):
    with pytest.raises(ValidationError) as caught:
        validate_uin(value)
    assert caught.value.code == code


def test_it_rejects_a_uin_whose_check_digit_is_wrong():
    good = uin()
    wrong = good[:-1] + str((int(good[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as caught:
        validate_uin(wrong)
    assert caught.value.code == "uin_checksum"


def test_a_vid_is_sixteen_digits_with_a_check_digit():
    validate_vid(vid())
    with pytest.raises(ValidationError):
        validate_vid(uin())


def test_age_counts_completed_years():
    born = datetime.date(2020, 6, 15)
    assert completed_years(born, datetime.date(2025, 6, 14)) == 4
    assert completed_years(born, datetime.date(2025, 6, 15)) == 5
