"""Input a draft cannot hold (control characters: PostgreSQL refuses NUL in text and
JSON) and values no birth, death or marriage has (a 31-digit weight, full-width
digits, a mother born in year 1, a name megabytes long) get a field error; the draft
keeps what it held for that input and saves the rest. Run these on PostgreSQL too
(DATABASE_URL), where a NUL reaching the database is a 500."""

import pytest
from django.urls import reverse

from apps.onboarding.id_schema import parse_id_schema
from apps.registrations.forms import EventForm
from tests.registrations.factories import CRVS_SCHEMA_FILE, birth_data, make_event

HTMX = {"HX-Request": "true"}
NUL = "Ami\x00na"


@pytest.fixture
def signed_in(client, registrar):
    client.force_login(registrar)
    return client


def _url(name, event):
    return reverse(f"registrations:{name}", kwargs={"pk": event.pk})


SCHEMA = parse_id_schema(CRVS_SCHEMA_FILE.read_text(), version="0.1")


def _errors(_id_schema, **values):
    form = EventForm(values, event_type="birth", schema=SCHEMA)
    form.is_valid()
    return form.errors


# Control characters (finding 4) ------------------------------------------------


def test_a_nul_in_a_name_is_a_field_error_on_edit_and_the_rest_is_saved(
    signed_in, registrar, id_schema
):
    event = make_event(registrar)
    response = signed_in.post(
        _url("edit", event),
        {"child__fullName__eng": NUL, "mother__full_name": "Hauwa Musa"},
    )

    assert response.status_code == 200
    assert "an invisible control character (U+0000) at position 4" in response.text
    event.refresh_from_db()
    assert event.data["child"]["fullName"]["eng"] == "Amina Bello"  # kept
    assert event.data["mother"]["full_name"] == "Hauwa Musa"  # saved


def test_a_nul_in_autosave_is_reported_and_the_rest_is_saved(
    signed_in, registrar, id_schema
):
    event = make_event(registrar)
    response = signed_in.post(
        _url("autosave", event),
        {"child__fullName__eng": NUL, "mother__full_name": "Hauwa Musa"},
        headers=HTMX,
    )

    assert response.status_code == 200
    assert "Saved at" in response.text and "except:" in response.text
    assert "Full name (English)" in response.text
    assert "(U+0000)" in response.text
    event.refresh_from_db()
    assert event.data["child"]["fullName"]["eng"] == "Amina Bello"
    assert event.data["mother"]["full_name"] == "Hauwa Musa"


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\t", "\n"])
def test_control_characters_are_refused_in_single_line_inputs(id_schema, char):
    errors = _errors(id_schema, mother__full_name=f"Hauwa{char}Bello")
    assert errors["mother__full_name"][0].startswith("This contains ")


def test_a_multi_line_answer_keeps_its_line_breaks_but_not_nul(id_schema):
    def errors(cause):
        form = EventForm({"death__cause": cause}, event_type="death", schema=SCHEMA)
        form.is_valid()
        return form.errors.get("death__cause", [])

    assert errors("Sepsis\r\n\tafter surgery") == []
    assert "(U+0000)" in errors("Sepsis\x00")[0]


def test_a_nul_in_the_sign_in_form_is_a_form_error(client, registrar):
    response = client.post(
        reverse("accounts:login"), {"username": "ali\x00ce", "password": "x\x00"}
    )
    assert response.status_code == 200
    assert "(U+0000)" in response.text


def test_onboarding_forms_refuse_control_characters():
    from apps.onboarding.forms import OfficeForm, PartnerForm

    partner = PartnerForm({"organisation": "Civil\x00Registry"})
    partner.is_valid()
    assert "(U+0000)" in partner.errors["organisation"][0]
    office = OfficeForm({})
    for name, form_field in office.fields.items():
        if hasattr(form_field, "max_length"):  # every text input
            office = OfficeForm({name: "x\x02"})
            office.is_valid()
            assert "(U+0002)" in office.errors[name][0], name


# Plausibility (finding 7) ------------------------------------------------------


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        ("1" + "0" * 30, "Enter a whole number using the digits 0-9."),
        ("1" + "0" * 10, "Enter a number from 100 to 10000."),
        ("３２００", "Enter a whole number using the digits 0-9."),
        ("²", "Enter a whole number using the digits 0-9."),
        ("40", "Enter a number from 100 to 10000."),
    ],
)
def test_implausible_birth_weights_are_refused(id_schema, weight, message):
    assert (
        message in _errors(id_schema, birth__weight_grams=weight)["birth__weight_grams"]
    )


def test_a_plausible_birth_weight_passes(id_schema):
    assert "birth__weight_grams" not in _errors(id_schema, birth__weight_grams="3200")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0001-01-01", "This date is before 1900-01-01; check the year."),
        ("1899-12-31", "This date is before 1900-01-01; check the year."),
        ("19950302", "Enter a date as year-month-day, e.g. 2025-02-14."),
        ("１９９５-03-02", "Enter a date as year-month-day, e.g. 2025-02-14."),
        ("2999-01-01", "This date is in the future."),
    ],
)
def test_implausible_dates_are_refused(id_schema, value, message):
    assert (
        message
        in _errors(id_schema, mother__date_of_birth=value)["mother__date_of_birth"]
    )


def test_a_time_in_full_width_digits_is_refused(id_schema):
    errors = _errors(id_schema, birth__time_of_birth="０８:15")
    assert errors["birth__time_of_birth"] == [
        "Enter a time as hours:minutes, e.g. 14:30."
    ]


def test_full_width_digits_fail_the_id_schemas_own_patterns(id_schema):
    # MOSIP checks with Java, whose [0-9] and \d are ASCII; so does the portal.
    errors = _errors(id_schema, child__phone="０７１１０００００")
    assert "child__phone" in errors


def test_a_2_mb_name_is_not_saved_by_autosave(signed_in, registrar, id_schema):
    event = make_event(registrar, data=birth_data())
    response = signed_in.post(
        _url("autosave", event),
        {"child__fullName__eng": "A" * 2_000_000, "mother__full_name": "Hauwa Musa"},
        headers=HTMX,
    )

    assert response.status_code == 200
    # The ID schema allows 3 to 50 characters for a name.
    assert "longer than the 50 characters it can hold" in response.text
    event.refresh_from_db()
    assert event.data["child"]["fullName"]["eng"] == "Amina Bello"
    assert event.data["mother"]["full_name"] == "Hauwa Musa"
    assert len(str(event.data)) < 5000


def test_an_over_long_name_on_edit_is_a_field_error(signed_in, registrar, id_schema):
    event = make_event(registrar)
    response = signed_in.post(
        _url("edit", event), {"_step": "mother", "mother__full_name": "B" * 201}
    )
    # One message, the limit stated (the schema's own limit is not in play here).
    assert "Use at most 200 characters; this has 201." in response.text
    assert response.text.count("characters; this has 201") == 2  # summary and field
    event.refresh_from_db()
    assert event.data["mother"]["full_name"] == "Hauwa Bello"
