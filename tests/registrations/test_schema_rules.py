"""An ID-schema validator said in words, and one message per problem at the field."""

import re

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from apps.registrations.schema_rules import rule
from tests.registrations.factories import make_event

pytestmark = pytest.mark.usefixtures("id_schema")

# Patterns from MOSIP's sample ID schemas (tests/registrations/fixtures).
PHONE = r"^[+]*([0-9]{1})([0-9]{9})$"
NAME = r"^(?=.{3,50}$).*"
REFERENCE = r"^([0-9]{10,30})$"


@pytest.mark.parametrize(
    "pattern, words, longest",
    [
        (PHONE, "10 digits, may start with +, e.g. 0712345678", None),
        (NAME, "3 to 50 characters", 50),
        (r"^(?=.{0,50}$).*", "at most 50 characters", 50),
        (REFERENCE, "10 to 30 digits, e.g. 0712345678", 30),
        (r"^(Y|N)$", "one of Y, N", 1),
        (r"^[A-Z0-9]{5}$", "5 capital letters or digits", 5),
        (r"^[A-Z]{1}$", "1 capital letter", 1),
        (
            r"^[(?i)A-Z0-9]{5}$|^NA$",
            "values matching the pattern ^[(?i)A-Z0-9]{5}$|^NA$",
            None,
        ),
    ],
)
def test_a_pattern_in_words(pattern, words, longest):
    said = rule(pattern)
    assert (said.words, said.longest) == (words, longest)


@given(st.from_regex(re.compile(r"[0-9]{4,12}", re.ASCII), fullmatch=True))
def test_the_digit_count_said_is_the_one_the_pattern_checks(digits):
    pattern = r"^([0-9]{6,9})$"
    said = rule(pattern)
    assert said.words.startswith("6 to 9 digits")
    assert bool(re.fullmatch(pattern, digits)) == (6 <= len(digits) <= 9)


def test_the_example_given_passes_the_pattern():
    example = rule(PHONE).words.rsplit("e.g. ", 1)[1]
    assert re.fullmatch(PHONE, example)


def test_a_phone_error_states_the_format(client, registrar):
    event = make_event(registrar)
    client.force_login(registrar)
    response = client.post(
        reverse("registrations:edit", kwargs={"pk": event.pk}),
        {"child__phone": "+961 71 234 567"},
    )
    html = response.content.decode()
    assert "MOSIP accepts 10 digits, may start with +, e.g. 0712345678 here." in html
    assert "10 digits, may start with +, e.g. 0712345678.</p>" in html  # the help


def test_an_over_long_name_gets_one_limit_not_two(client, registrar):
    event = make_event(registrar)
    client.force_login(registrar)
    response = client.post(
        reverse("registrations:edit", kwargs={"pk": event.pk}),
        {"child__fullName__eng": "N" * 287},
    )
    html = response.content.decode()
    errors = re.findall(
        r'<p class="field-error" id="id_child__fullName__eng-error">([^<]+)</p>', html
    )
    assert errors == ["Use at most 50 characters; this has 287."]
