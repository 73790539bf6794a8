import pytest

from apps.mosip_sandbox import uin


def test_the_verhoeff_check_digit_matches_the_published_example():
    assert uin.verhoeff_check_digit("236") == "3"
    assert uin.verhoeff_is_valid("2363")
    assert not uin.verhoeff_is_valid("2364")


def test_verhoeff_catches_every_single_digit_error_and_adjacent_swap():
    number = "74385921" + uin.verhoeff_check_digit("74385921")
    assert uin.verhoeff_is_valid(number)
    for position in range(len(number)):
        for digit in "0123456789":
            if digit != number[position]:
                changed = number[:position] + digit + number[position + 1 :]
                assert not uin.verhoeff_is_valid(changed)
    for position in range(len(number) - 1):
        a, b = number[position], number[position + 1]
        if a != b:
            swapped = number[:position] + b + a + number[position + 2 :]
            assert not uin.verhoeff_is_valid(swapped)


@pytest.mark.parametrize(
    ("candidate", "rule"),
    [
        ("0574829163", "not-start-with"),
        ("1574829163", "not-start-with"),
        ("5748123961", "sequence"),
        ("5748321961", "sequence"),
        ("5748901963", "sequence"),
        ("5744829163", "repeating"),
        ("5749429163", "repeating"),
        ("5748295748", "repeating-block"),
        ("5739248163", "conjugative-even-digits"),
        ("3579635796", "repeating-block"),
        ("5786391427", "restricted-number"),
        ("574839", "length"),
    ],
)
def test_the_kernel_filters_reject_easily_guessed_numbers(candidate, rule):
    assert uin.rejected_by(candidate) == rule


def test_cyclic_numbers_are_rejected_when_the_even_digit_rule_lets_them_through():
    # With MOSIP's defaults 142857 already fails the three-even-digits rule (428).
    lenient = uin.FilterRules(conjugative_even_digits_limit=4)
    assert uin.rejected_by("3914285793", lenient) == "cyclic-number"
    assert uin.rejected_by("3914285793") == "conjugative-even-digits"


def test_a_number_clear_of_every_filter_passes():
    assert uin.rejected_by("5739481625") is None


def test_generated_uins_are_ten_verhoeff_valid_digits_that_pass_the_filters():
    for _ in range(200):
        number = uin.generate_uin()
        assert len(number) == 10 and number[0] not in "01"
        assert uin.verhoeff_is_valid(number)
        assert uin.rejected_by(number) is None


def test_generated_vids_are_sixteen_verhoeff_valid_digits():
    for _ in range(20):
        vid = uin.generate_vid()
        assert len(vid) == 16 and uin.is_valid(vid, uin.VID_RULES)


def test_generation_skips_numbers_already_taken():
    seen = set()
    for _ in range(30):
        seen.add(uin.generate_uin(taken=lambda c: c in seen))
    assert len(seen) == 30
