import datetime
import json

import pytest
from django.utils import timezone

from apps.onboarding.id_schema import parse_id_schema
from apps.registrations.forms import EventForm, flatten, unplaced_schema_fields
from apps.registrations.layout import bound_layout, summarise
from tests.registrations.factories import (
    CIVIL_SCHEMA_FILE,
    CRVS_SCHEMA_FILE,
    DOCS_SCHEMA_FILE,
    birth_data,
    death_data,
    divorce_data,
    marriage_data,
    uin,
    vid,
)

SCHEMA = parse_id_schema(CRVS_SCHEMA_FILE.read_text(), version="0.1")
# The sandbox's schema with the civil-registration fields (parents, place of birth,
# marital status) added.
CIVIL_SCHEMA = parse_id_schema(CIVIL_SCHEMA_FILE.read_text(), version="0.2")


def _form(event_type, data, schema=SCHEMA):
    return EventForm(flatten(data), event_type=event_type, schema=schema)


@pytest.mark.parametrize(
    "event_type, data",
    [
        ("birth", birth_data()),
        ("death", death_data()),
        ("marriage", marriage_data()),
        ("divorce", divorce_data()),
    ],
)
def test_complete_events_are_valid(event_type, data):
    form = _form(event_type, data)
    assert form.is_valid(), form.errors


def test_multilingual_schema_fields_ask_in_both_languages():
    form = _form("birth", birth_data())
    assert "child__fullName__eng" in form.fields
    assert "child__fullName__ara" in form.fields
    # The primary language is required, the secondary one optional.
    assert form.fields["child__fullName__eng"].required
    assert not form.fields["child__fullName__ara"].required


def test_the_secondary_language_input_runs_right_to_left():
    html = str(_form("birth", birth_data())["child__fullName__ara"])
    assert 'dir="rtl"' in html
    assert 'lang="ar"' in html
    assert 'dir="rtl"' not in str(_form("birth", birth_data())["child__fullName__eng"])


def test_a_left_to_right_secondary_language_gets_no_rtl(settings):
    settings.REGISTRATIONS_SECONDARY_LANGUAGE = "fra"
    form = _form("birth", birth_data())
    assert "child__fullName__fra" in form.fields
    assert "child__fullName__ara" not in form.fields
    assert 'dir="rtl"' not in str(form["child__fullName__fra"])


def test_crvs_new_mandatory_fields_are_required_for_a_birth():
    form = _form("birth", {})
    assert not form.is_valid()
    for name in ("child__fullName__eng", "child__dateOfBirth", "child__gender"):
        assert name in form.errors
    assert "child__zone__eng" in form.errors
    assert "child__postalCode" not in form.errors  # in the schema, not mandatory


def test_each_event_type_asks_only_its_own_questions():
    form = _form("birth", birth_data(), schema=CIVIL_SCHEMA)
    # The parents' names and UINs and the place of birth are asked once, in their
    # own sections; nothing of marriages or residence status reaches the child.
    for name in (
        "child__fatherName__eng",
        "child__motherName__eng",
        "child__fatherUIN",
        "child__motherUIN",
        "child__placeOfBirth__eng",
        "child__spouseUIN",
        "child__maritalStatusChangeDate",
        "child__marriageCertificateNumber",
        "child__residenceStatus__eng",
    ):
        assert name not in form.fields
    for name in ("father__full_name", "mother__uin", "birth__place"):
        assert name in form.fields
    # Never typed: filled by MOSIP or by the portal, or documents and biometrics.
    for name in ("child__UIN", "child__IDSchemaVersion", "child__introducerName__eng"):
        assert name not in form.fields
    assert not any("proofOf" in name or "Biometrics" in name for name in form.fields)


def test_every_question_is_asked_once():
    for event_type in ("birth", "death", "marriage", "divorce"):
        form = _form(event_type, {}, schema=CIVIL_SCHEMA)
        labels = [
            (section.key, question.label)
            for section in form.layout
            for question in section.questions
        ]
        assert len(labels) == len(set(labels)), event_type


def test_schema_fields_no_form_asks_for_are_listed_for_the_integration_admin():
    assert unplaced_schema_fields(CIVIL_SCHEMA) == ["residenceStatus"]
    assert "residenceStatus" in unplaced_schema_fields(SCHEMA)


def test_an_answer_sent_as_a_schema_field_meets_its_validators():
    data = birth_data()
    data["father"] = {"full_name": "Al", "uin": ""}  # fatherName takes 3 to 50
    form = _form("birth", data, schema=CIVIL_SCHEMA)
    assert not form.is_valid()
    assert form.errors["father__full_name"] == [
        "MOSIP accepts 3 to 50 characters here."
    ]
    # Without the field in the schema the portal's own limits alone apply.
    assert _form("birth", data).is_valid()


def test_the_schema_validators_apply_to_each_language():
    data = birth_data()
    data["child"]["fullName"] = {"eng": "Amina Bello", "ara": "أم"}  # under 3
    form = _form("birth", data)
    assert not form.is_valid()
    assert list(form.errors) == ["child__fullName__ara"]


def test_the_schema_validator_checks_plain_fields():
    data = birth_data()
    data["child"]["postalCode"] = "12"
    form = _form("birth", data)
    assert not form.is_valid()
    assert "child__postalCode" in form.errors


def test_dates_in_the_future_are_refused():
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    form = _form("birth", birth_data(child_born=tomorrow))
    assert not form.is_valid()
    assert form.errors["child__dateOfBirth"] == ["This date is in the future."]


def test_a_date_too_early_gets_one_message_without_the_schema_pattern():
    form = _form("birth", birth_data(child_born="0002-11-25"))
    assert not form.is_valid()
    assert form.errors["child__dateOfBirth"] == [
        "This date is before 1900-01-01; check the year."
    ]


def test_a_date_the_schema_refuses_is_said_in_words():
    document = json.loads(DOCS_SCHEMA_FILE.read_text())
    document["properties"]["identity"]["properties"]["dateOfBirth"]["validators"] = [
        {"type": "regex", "validator": "^20[0-9]{2}/.*$", "arguments": []}
    ]
    schema = parse_id_schema(json.dumps(document), version="0.1")
    form = _form("birth", birth_data(child_born="1999-05-01"), schema=schema)
    assert not form.is_valid()
    assert form.errors["child__dateOfBirth"] == [
        "MOSIP's ID schema does not accept this date."
    ]


def test_date_inputs_cannot_pick_a_future_date():
    html = str(_form("birth", birth_data())["child__dateOfBirth"])
    assert 'type="date"' in html
    assert f'max="{timezone.localdate().isoformat()}"' in html


def test_a_death_cannot_come_before_the_birth():
    data = death_data()
    data["death"]["date"] = "1949-01-01"
    form = _form("death", data)
    assert not form.is_valid()
    assert form.errors["death__date"] == [
        "The date of death is before the date of birth."
    ]


def test_a_child_cannot_be_born_before_its_mother():
    data = birth_data(child_born="2025-01-10")
    data["mother"]["date_of_birth"] = "2025-02-01"
    form = _form("birth", data)
    assert not form.is_valid()
    assert "child__dateOfBirth" in form.errors


def test_a_mistyped_uin_is_refused():
    good = uin()
    mistyped = good[:-1] + str((int(good[-1]) + 1) % 10)
    form = _form("death", death_data(deceased_uin=mistyped))
    assert not form.is_valid()
    assert "check digit" in form.errors["deceased__uin"][0]


def test_a_vid_is_checked_like_a_uin():
    assert _form("death", death_data(deceased_uin="", deceased_vid=vid())).is_valid()
    form = _form("death", death_data(deceased_uin="", deceased_vid="1234"))
    assert "deceased__vid" in form.errors


def test_spouses_cannot_share_a_uin():
    same = uin()
    form = _form("marriage", marriage_data(uin1=same, uin2=same))
    assert form.errors["spouse2__uin"] == ["Both spouses have the same UIN."]


def test_a_decree_cannot_predate_the_marriage():
    data = divorce_data()
    data["divorce"]["marriage_date"] = "2025-05-01"
    form = _form("divorce", data)
    assert "divorce__decree_date" in form.errors


def test_choices_outside_the_list_are_refused():
    data = death_data()
    data["death"]["manner"] = "MYSTERY"
    assert "death__manner" in _form("death", data).errors


def test_raw_data_keeps_invalid_input_as_typed():
    data = birth_data()
    data["child"]["dateOfBirth"] = "31/02/2025"
    data["child"]["fullName"]["eng"] = "A"
    form = _form("birth", data)
    assert not form.is_valid()
    raw = form.raw_data()
    assert raw["child"]["dateOfBirth"] == "31/02/2025"
    assert raw["child"]["fullName"]["eng"] == "A"


def test_unknown_inputs_are_not_stored():
    posted = flatten(birth_data()) | {"child__evil": "x", "csrfmiddlewaretoken": "t"}
    form = EventForm(posted, event_type="birth", schema=SCHEMA)
    raw = form.raw_data()
    assert "evil" not in raw["child"]
    assert "csrfmiddlewaretoken" not in raw


def test_inputs_with_errors_point_at_their_message():
    form = _form("birth", {})
    form.is_valid()
    html = str(form["child__dateOfBirth"])
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_child__dateOfBirth-error"' in html


def test_errors_marked_on_one_form_do_not_show_on_the_next():
    with_errors = _form("birth", {})
    with_errors.is_valid()
    assert 'aria-invalid="true"' in str(with_errors["child__dateOfBirth"])

    valid = _form("birth", birth_data())
    assert valid.is_valid(), valid.errors
    assert "aria-invalid" not in str(valid["child__dateOfBirth"])
    unbound = EventForm(event_type="birth", schema=SCHEMA)
    assert "aria-invalid" not in str(unbound["child__dateOfBirth"])


def test_an_older_schema_without_a_field_drops_the_question():
    document = json.loads(DOCS_SCHEMA_FILE.read_text())
    del document["properties"]["identity"]["properties"]["email"]
    older = parse_id_schema(json.dumps(document), version="0.1")
    form = _form("birth", birth_data(), schema=older)
    assert "child__email" not in form.fields
    assert "child__email" in _form("birth", birth_data()).fields
    assert form.is_valid(), form.errors


def test_the_layout_groups_inputs_by_section_and_question():
    form = _form("birth", birth_data())
    sections = bound_layout(form)
    assert [s.key for s, _ in sections] == [
        "child",
        "birth",
        "mother",
        "father",
        "informant",
        "attendant",
    ]
    full_name = sections[0][1][0]
    assert full_name.question.multilingual
    assert [i.language for i in full_name.inputs] == ["eng", "ara"]


def test_the_summary_shows_choice_labels_and_language_direction():
    form = _form("birth", birth_data())
    summary = {section.title: section for section in summarise(form, birth_data())}
    child = dict(summary["Child"].rows)
    assert child["Sex"][0].text == "Female"
    name_values = child["Full name"]
    assert [(v.lang, v.dir) for v in name_values] == [("en", ""), ("ar", "rtl")]


def test_help_text_and_errors_are_both_announced():
    form = _form("birth", {"mother": {"uin": "123"}})
    form.is_valid()
    html = str(form["mother__uin"])
    assert 'aria-describedby="id_mother__uin_helptext id_mother__uin-error"' in html
