"""The event form as a sequence of steps: one section per page, then documents, then
the review; each step saves its own answers and leaves the others as stored."""

import re

import pytest
from django.urls import reverse

from apps.registrations.forms import flatten
from tests.registrations.factories import birth_data, make_event

pytestmark = pytest.mark.usefixtures("id_schema")

BIRTH_STEPS = [
    "Child",
    "Time and place of birth",
    "Mother",
    "Father",
    "Informant",
    "Attendant at birth",
    "Documents",
    "Review and submit",
]


@pytest.fixture
def signed_in(client, registrar):
    client.force_login(registrar)
    return client


def _url(name, event):
    return reverse(f"registrations:{name}", kwargs={"pk": event.pk})


def _answered(section: dict) -> dict:
    return {k: v for k, v in flatten({"s": section}).items() if v}


def _step_names(html: str) -> list[str]:
    nav = html[html.index('class="form-steps"') :]
    nav = nav[: nav.index("</nav>")]
    return re.findall(r"\d+\. ([^<]+)", nav)


def test_a_new_draft_opens_on_its_first_step_with_every_step_listed(
    signed_in, registrar
):
    event = make_event(registrar, data={})
    html = signed_in.get(_url("edit", event)).text
    assert _step_names(html) == BIRTH_STEPS
    assert '<span aria-current="step">1. Child</span>' in html
    assert "Step 1 of 8" in html
    # Only the child's questions are on the page.
    assert 'name="child__fullName__eng"' in html
    assert 'name="mother__full_name"' not in html


def test_continue_saves_the_step_and_keeps_the_other_steps(signed_in, registrar):
    event = make_event(registrar)
    response = signed_in.post(
        _url("edit", event),
        {"_step": "mother", "mother__full_name": "Hauwa Musa", "mother__uin": ""},
    )
    assert response["Location"] == _url("edit", event) + "?step=father"
    event.refresh_from_db()
    assert event.data["mother"]["full_name"] == "Hauwa Musa"
    assert event.data["mother"]["uin"] == ""
    # Answers of the steps not posted are as they were.
    assert _answered(event.data["child"]) == _answered(birth_data()["child"])


def test_a_step_with_errors_stays_with_a_summary_linking_each_field(
    signed_in, registrar
):
    event = make_event(registrar)
    response = signed_in.post(
        _url("edit", event),
        {"_step": "mother", "mother__full_name": "", "mother__uin": "12"},
    )
    assert response.status_code == 200
    html = response.text
    summary = html[html.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert 'href="#id_mother__full_name"' in summary
    assert 'href="#id_mother__uin"' in summary
    assert 'value="12"' in html  # the typing is kept on the page …
    event.refresh_from_db()
    assert event.data["mother"]["uin"] == "12"  # … and in the draft


def test_the_step_list_saves_and_goes_even_with_errors(signed_in, registrar):
    event = make_event(registrar)
    response = signed_in.post(
        _url("edit", event),
        {"_step": "mother", "mother__full_name": "", "_go": "review"},
    )
    assert response["Location"] == _url("review", event)
    event.refresh_from_db()
    assert event.data["mother"]["full_name"] == ""
    back = signed_in.post(
        _url("edit", event), {"_step": "father", "_go": "child"}
    )  # the father's answers are not posted: left as stored
    assert back["Location"] == _url("edit", event) + "?step=child"


def test_the_last_section_leads_to_the_documents_step(signed_in, registrar):
    event = make_event(registrar)
    response = signed_in.post(
        _url("edit", event), {"_step": "attendant", "attendant__type": "midwife"}
    )
    assert response["Location"] == _url("edit", event) + "?step=documents"
    html = signed_in.get(response["Location"]).text
    assert '<span aria-current="step">7. Documents</span>' in html
    assert (
        'action="' + reverse("registrations:document-upload", kwargs={"pk": event.pk})
        in html
    )
    assert f'href="{_url("review", event)}"' in html


def test_the_review_links_each_error_to_its_step_and_field(signed_in, registrar):
    data = birth_data()
    data["mother"]["uin"] = "12"
    event = make_event(registrar, data=data)
    html = signed_in.get(_url("review", event)).text
    link = _url("edit", event) + "?step=mother#id_mother__uin"
    assert f'href="{link}"' in html


def test_the_review_offers_a_change_link_per_section(signed_in, registrar):
    event = make_event(registrar)
    html = signed_in.get(_url("review", event)).text
    for step in ("child", "birth", "mother", "father", "informant", "documents"):
        assert f'href="{_url("edit", event)}?step={step}"' in html
    # The event's page shows the same answers without change links.
    detail = signed_in.get(_url("detail", event)).text
    assert "?step=" not in detail


def test_an_autosave_from_one_step_keeps_the_others(signed_in, registrar):
    event = make_event(registrar)
    signed_in.post(
        _url("autosave", event),
        {"_step": "father", "father__full_name": "Musa Bello Jr"},
        headers={"HX-Request": "true"},
    )
    event.refresh_from_db()
    assert event.data["father"]["full_name"] == "Musa Bello Jr"
    assert _answered(event.data["mother"]) == _answered(birth_data()["mother"])


def test_steps_show_which_are_complete(signed_in, registrar):
    data = birth_data()
    data["mother"]["full_name"] = ""
    event = make_event(registrar, data=data)
    html = signed_in.get(_url("edit", event) + "?step=birth").text
    nav = html[html.index('class="form-steps"') :]
    nav = nav[: nav.index("</nav>")]
    assert '1. Child<span class="visually-hidden"> (complete)' in nav
    assert "3. Mother</button>" in nav  # required name missing: not complete
