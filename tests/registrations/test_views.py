import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.registrations import services
from apps.registrations.forms import flatten
from apps.registrations.models import (
    EventStatus,
    OutboxMessage,
    PacketStatus,
    VitalEvent,
)
from tests.factories import make_user
from tests.registrations.factories import (
    PDF_BYTES,
    attach_pdf,
    birth_data,
    make_event,
)

pytestmark = pytest.mark.usefixtures("id_schema")
HTMX = {"HX-Request": "true"}


@pytest.fixture
def signed_in(client, registrar):
    client.force_login(registrar)
    return client


@pytest.fixture
def foreign_event(office_b):
    return make_event(make_user(username="bea", office=office_b))


def _url(name, event, **kwargs):
    return reverse(f"registrations:{name}", kwargs={"pk": event.pk, **kwargs})


# Access -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("detail", "get"),
        ("timeline", "get"),
        ("edit", "get"),
        ("review", "get"),
        ("autosave", "post"),
        ("validate", "post"),
        ("submit", "post"),
        ("document-upload", "post"),
    ],
)
def test_a_registrar_gets_404_for_another_offices_event(
    signed_in, foreign_event, name, method
):
    response = getattr(signed_in, method)(_url(name, foreign_event))
    assert response.status_code == 404
    foreign_event.refresh_from_db()
    assert foreign_event.status == EventStatus.DRAFT


def test_another_offices_document_is_404(signed_in, foreign_event):
    document = attach_pdf(foreign_event)
    url = _url("document", foreign_event, document_pk=document.pk)
    assert signed_in.get(url).status_code == 404
    remove = _url("document-remove", foreign_event, document_pk=document.pk)
    assert signed_in.post(remove).status_code == 404
    assert foreign_event.documents.count() == 1


def test_a_document_of_one_event_is_not_reached_through_another(signed_in, registrar):
    mine, other = make_event(registrar), make_event(registrar)
    document = attach_pdf(other)
    url = _url("document", mine, document_pk=document.pk)
    assert signed_in.get(url).status_code == 404


@pytest.mark.parametrize("name", ["submit", "autosave", "validate", "document-upload"])
def test_actions_refuse_get(signed_in, registrar, name):
    assert signed_in.get(_url(name, make_event(registrar))).status_code == 405


def test_pages_refuse_post(signed_in, registrar):
    event = make_event(registrar)
    for name in ("detail", "review", "timeline"):
        assert signed_in.post(_url(name, event)).status_code == 405


def test_a_supervisor_is_kept_out(client, supervisor, registrar):
    client.force_login(supervisor)
    assert client.get(reverse("registrations:list")).status_code == 403
    assert client.get(_url("detail", make_event(registrar))).status_code == 403


# List ---------------------------------------------------------------------------


def test_the_list_shows_only_the_offices_events(signed_in, registrar, foreign_event):
    mine = make_event(registrar)
    response = signed_in.get(reverse("registrations:list"))
    assert response.status_code == 200
    assert _url("detail", mine) in response.text
    assert _url("detail", foreign_event) not in response.text


def test_the_list_filters_by_type_status_and_search(signed_in, registrar):
    birth = services.event_submit(event=make_event(registrar), actor=registrar)
    death = make_event(registrar, "death")
    url = reverse("registrations:list")
    by_type = signed_in.get(url, {"event_type": "death"}).text
    assert _url("detail", death) in by_type and _url("detail", birth) not in by_type
    by_status = signed_in.get(url, {"status": "submitted"}).text
    assert _url("detail", birth) in by_status and _url("detail", death) not in by_status
    by_number = signed_in.get(url, {"q": birth.registration_number}).text
    assert _url("detail", birth) in by_number and _url("detail", death) not in by_number
    by_name = signed_in.get(url, {"q": "ibrahim"}).text
    assert _url("detail", death) in by_name and _url("detail", birth) not in by_name


def test_the_list_pages_with_real_links(signed_in, registrar, settings):
    settings.REGISTRATIONS_PAGE_SIZE = 2
    for _ in range(3):
        make_event(registrar)
    response = signed_in.get(reverse("registrations:list"), {"event_type": "birth"})
    assert (
        'href="?event_type=birth&amp;q=&amp;status=&amp;page=2"' in response.text
        or ("page=2" in response.text and "event_type=birth" in response.text)
    )
    second = signed_in.get(reverse("registrations:list"), {"page": 2})
    assert "Page 2 of 2" in second.text


def test_an_htmx_list_request_gets_the_results_fragment(signed_in, registrar):
    make_event(registrar)
    response = signed_in.get(reverse("registrations:list"), headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="results"' in response.text


# New and edit -------------------------------------------------------------------


def test_choosing_a_type_creates_a_draft_and_opens_it(signed_in, registrar):
    response = signed_in.post(reverse("registrations:new"), {"event_type": "death"})
    event = VitalEvent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("edit", event)
    assert (event.event_type, event.office) == ("death", registrar.office)


def test_the_edit_page_autosaves_and_validates_inline(signed_in, registrar):
    event = make_event(registrar)
    html = signed_in.get(_url("edit", event)).text
    assert f'hx-post="{_url("autosave", event)}"' in html
    assert 'hx-trigger="input changed delay:800ms"' in html
    assert f'hx-post="{_url("validate", event)}"' in html
    assert 'dir="rtl"' in html
    assert 'value="Amina Bello"' in html


def test_saving_an_invalid_form_keeps_every_value(signed_in, registrar):
    event = make_event(registrar, data={})
    posted = {
        "child__fullName__eng": "A",
        "child__fullName__ara": "أمينة",
        "child__dateOfBirth": "2999-01-01",
        "mother__full_name": "Hauwa Bello",
    }
    response = signed_in.post(_url("edit", event), posted)
    assert response.status_code == 200
    # The first step with an error is shown, with what was typed.
    assert 'value="A"' in response.text
    assert 'value="أمينة"' in response.text
    assert 'value="2999-01-01"' in response.text
    event.refresh_from_db()
    assert event.data["mother"]["full_name"] == "Hauwa Bello"
    mother_step = signed_in.get(_url("edit", event) + "?step=mother").text
    assert 'value="Hauwa Bello"' in mother_step
    assert "This date is in the future." in response.text
    event.refresh_from_db()
    assert event.data["child"]["fullName"] == {"eng": "A", "ara": "أمينة"}


def test_the_error_summary_links_every_error_to_its_field(signed_in, registrar):
    event = make_event(registrar, data={})
    posted = {"child__fullName__eng": "Amina", "child__dateOfBirth": "2999-01-01"}
    html = signed_in.post(_url("edit", event), posted).text
    start = html.index('id="error-summary-title"')
    summary = html[start : html.index("</ul>", start)]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    fields = {target for target, _ in links}

    assert "id_child__dateOfBirth" in fields
    assert any("This date is in the future." in text for _, text in links)
    for target in fields:  # every link lands on an input of the page
        assert f'id="{target}"' in html
    errors_at_fields = html.count('class="field-error"')
    assert len(links) == errors_at_fields


def test_saving_a_valid_form_goes_to_review(signed_in, registrar):
    event = make_event(registrar, data={})
    response = signed_in.post(_url("edit", event), flatten(birth_data()))
    assert response.status_code == 302
    assert response["Location"] == _url("review", event)


def test_autosave_stores_invalid_input_and_says_when(signed_in, registrar):
    event = make_event(registrar)
    response = signed_in.post(
        _url("autosave", event),
        {"child__fullName__eng": "A", "child__dateOfBirth": "soon"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Saved at" in response.text
    event.refresh_from_db()
    assert event.data["child"]["fullName"]["eng"] == "A"
    assert event.data["child"]["dateOfBirth"] == "soon"


def test_autosave_after_the_session_ended_answers_401_and_keeps_the_draft(
    client, registrar
):
    event = make_event(registrar)
    before = event.data
    response = client.post(
        _url("autosave", event), {"child__fullName__eng": "Lost"}, headers=HTMX
    )
    assert response.status_code == 401
    assert response["HX-Redirect"].startswith(reverse("accounts:login"))
    assert _url("edit", event) in response["HX-Redirect"].replace("%2F", "/")
    event.refresh_from_db()
    assert event.data == before


def test_autosave_on_a_submitted_event_changes_nothing(signed_in, registrar):
    event = services.event_submit(event=make_event(registrar), actor=registrar)
    response = signed_in.post(
        _url("autosave", event), {"child__fullName__eng": "Changed"}, headers=HTMX
    )
    assert "can no longer be edited" in response.text
    event.refresh_from_db()
    assert event.data["child"]["fullName"]["eng"] == "Amina Bello"


def test_inline_validation_returns_the_question_with_its_error(signed_in, registrar):
    event = make_event(registrar)
    response = signed_in.post(
        _url("validate", event),
        {"_question": "child__postalCode", "child__postalCode": "12"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="q-child__postalCode"' in response.text
    assert "MOSIP accepts values matching the pattern" in response.text
    assert 'aria-invalid="true"' in response.text


def test_inline_validation_of_a_multilingual_question_shows_both_inputs(
    signed_in, registrar
):
    event = make_event(registrar)
    response = signed_in.post(
        _url("validate", event),
        {"_question": "child__fullName", "child__fullName__eng": "Amina"},
        headers=HTMX,
    )
    assert 'name="child__fullName__eng"' in response.text
    assert 'name="child__fullName__ara"' in response.text
    assert "field-error" not in response.text


# Review and submit --------------------------------------------------------------


def test_review_says_a_birth_goes_to_mosip_as_crvs_new(signed_in, registrar):
    event = make_event(registrar)
    response = signed_in.get(_url("review", event))
    assert "CRVS_NEW" in response.text
    assert "without a packet" not in response.text
    assert f'action="{_url("submit", event)}"' in response.text


def test_review_warns_before_submitting_a_child_past_the_infant_age(
    signed_in, registrar
):
    event = make_event(registrar, data=birth_data(child_born="2015-01-01"))
    response = signed_in.get(_url("review", event))
    assert "without a packet to MOSIP" in response.text
    assert "years old" in response.text
    assert f'action="{_url("submit", event)}"' in response.text


def test_a_marriage_without_a_mosip_process_says_mosip_is_not_updated(
    signed_in, registrar
):
    """Stock MOSIP has no marriage process; the portal's setting is blank."""
    event = make_event(registrar, "marriage")
    review = signed_in.get(_url("review", event))
    assert "has no process for marriages" in review.text
    response = signed_in.post(_url("submit", event))
    event.refresh_from_db()
    assert event.status == EventStatus.REGISTERED
    assert not OutboxMessage.objects.filter(event=event).exists()
    detail = signed_in.get(response["Location"])
    assert f"Registered as {event.registration_number}" in detail.text
    assert "Nothing was sent to MOSIP" in detail.text
    assert "records of the spouses are not updated" in detail.text
    # The event page keeps saying so after the message is gone.
    again = signed_in.get(_url("detail", event)).text
    assert "has no process for marriages" in again
    assert "Nothing was sent to MOSIP" not in again


def test_a_marriage_with_a_mosip_process_is_sent(signed_in, registrar, settings):
    settings.MOSIP_PROCESS_BY_EVENT_TYPE = {"marriage": "CRVS_MARRIAGE"}
    event = make_event(registrar, "marriage")
    assert "CRVS_MARRIAGE" in signed_in.get(_url("review", event)).text
    signed_in.post(_url("submit", event))
    event.refresh_from_db()
    assert event.status == EventStatus.SUBMITTED
    assert OutboxMessage.objects.filter(event=event).count() == 2


def test_review_of_an_invalid_event_lists_errors_and_offers_no_submit(
    signed_in, registrar
):
    event = make_event(registrar, data={"child": {"fullName": {"eng": "A"}}})
    response = signed_in.get(_url("review", event))
    assert "cannot be submitted yet" in response.text
    assert "Child – Full name (English)" in response.text
    assert f'action="{_url("submit", event)}"' not in response.text


def test_submitting_registers_the_event_and_shows_it(signed_in, registrar):
    event = make_event(registrar)
    response = signed_in.post(_url("submit", event))
    assert response.status_code == 302
    assert response["Location"] == _url("detail", event)
    event.refresh_from_db()
    assert event.status == EventStatus.SUBMITTED
    assert OutboxMessage.objects.filter(event=event).count() == 1
    detail = signed_in.get(response["Location"])
    assert f"Registered as {event.registration_number}" in detail.text
    assert event.packets.get().application_id in detail.text


def test_submitting_an_invalid_event_goes_back_to_the_form(signed_in, registrar):
    event = make_event(registrar, data={})
    response = signed_in.post(_url("submit", event))
    assert response["Location"] == _url("edit", event)
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT


# Detail and timeline ------------------------------------------------------------


def test_the_timeline_polls_while_mosip_works(signed_in, registrar):
    event = services.event_submit(event=make_event(registrar), actor=registrar)
    detail = signed_in.get(_url("detail", event)).text
    assert f'hx-get="{_url("timeline", event)}"' in detail
    assert 'hx-trigger="every 5s"' in detail
    response = signed_in.get(_url("timeline", event), headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'hx-trigger="every 5s"' in response.text


def test_the_timeline_stops_polling_once_settled(signed_in, registrar):
    event = services.event_submit(event=make_event(registrar), actor=registrar)
    VitalEvent.objects.filter(pk=event.pk).update(status=EventStatus.ID_ISSUED)
    response = signed_in.get(_url("timeline", event), headers=HTMX)
    assert response.status_code == 286
    assert "National ID issued" in response.text
    assert "every 5s" not in response.text


def test_the_timeline_waits_for_the_childs_uin_after_the_id_is_issued(
    signed_in, registrar
):
    # MOSIP completes the workflow before its credential service sends the UIN.
    event = services.event_submit(event=make_event(registrar), actor=registrar)
    VitalEvent.objects.filter(pk=event.pk).update(
        status=EventStatus.ID_ISSUED, outcome_at=timezone.now()
    )
    event.packets.update(status=PacketStatus.PROCESSED)
    detail = signed_in.get(_url("detail", event)).text
    assert f'hx-get="{_url("timeline", event)}"' in detail
    response = signed_in.get(_url("timeline", event), headers=HTMX)
    assert response.status_code == 200
    assert 'hx-trigger="every 5s"' in response.text

    event.packets.update(uin="2345678901", vid="9876543210123456")
    response = signed_in.get(_url("timeline", event), headers=HTMX)
    assert response.status_code == 286
    assert "UIN <code>2345678901</code>" in response.text
    assert "every 5s" not in response.text
    assert "every 5s" not in signed_in.get(_url("detail", event)).text


def test_a_draft_detail_does_not_poll(signed_in, registrar):
    detail = signed_in.get(_url("detail", make_event(registrar))).text
    assert "every 5s" not in detail
    assert "Continue editing" in detail


# Documents ----------------------------------------------------------------------


def _upload(signed_in, event, content, name="notification.pdf"):
    return signed_in.post(
        _url("document-upload", event),
        {
            "kind": "birth_notification",
            "file": SimpleUploadedFile(name, content, "application/pdf"),
        },
    )


def test_a_registrar_attaches_and_downloads_a_document(signed_in, registrar):
    event = make_event(registrar)
    response = _upload(signed_in, event, PDF_BYTES)
    assert response["Location"] == _url("edit", event) + "?step=documents"
    document = event.documents.get()
    download = signed_in.get(_url("document", event, document_pk=document.pk))
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF_BYTES
    edit = signed_in.get(response["Location"]).text
    assert "Medical birth notification" in edit


def test_a_disguised_file_is_refused_with_a_message(signed_in, registrar):
    event = make_event(registrar)
    response = _upload(signed_in, event, b"MZ\x90\x00 executable", name="scan.pdf")
    assert not event.documents.exists()
    _refused_at_the_upload(response, "not a readable PDF, JPEG or PNG, up to 5 MB")


@pytest.mark.parametrize(
    "content, says",
    [
        (b"", "The file is empty (0 bytes): choose the document&#x27;s file again."),
        (b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024), "up to 5 MB"),
    ],
)
def test_an_empty_or_too_large_file_is_refused_saying_why(
    signed_in, registrar, content, says
):
    event = make_event(registrar)
    response = _upload(signed_in, event, content)
    assert not event.documents.exists()
    _refused_at_the_upload(response, says)


def _refused_at_the_upload(response, says):
    """The documents step comes back with the reason in a summary at the upload,
    linking to the file input, and at the file input itself."""
    assert response.status_code == 200
    html = response.text
    assert '<span aria-current="step">7. Documents</span>' in html
    upload = html[html.index('class="upload"') :]
    summary = upload[: upload.index("</div>")]
    assert 'href="#id_file"' in summary and says in summary
    assert 'id="id_file_error"' in upload
    assert says in upload[upload.index('id="id_file_error"') :]


def test_removing_a_document(signed_in, registrar):
    event = make_event(registrar)
    document = attach_pdf(event)
    response = signed_in.post(_url("document-remove", event, document_pk=document.pk))
    assert response.status_code == 302
    assert not event.documents.exists()


def test_a_history_restore_gets_the_whole_list_page(signed_in):
    response = signed_in.get(
        reverse("registrations:list"),
        headers=HTMX | {"HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.text
