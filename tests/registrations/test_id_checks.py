"""National ID checks in the forms, with MOSIP's answers stood in for at the one
place the portal asks IDA (`ask_mosip`): what is checked, when the kept answer is
reused, what is never recorded, the death rule and a supervisor's override. The
same over HTTP against the sandbox: test_id_checks_sandbox.py."""

import datetime

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.mosip import ida
from apps.registrations import services
from apps.registrations.models import EventStatus, IdCheck
from apps.registrations.services import id_checks
from apps.registrations.services.id_checks import checking
from tests.registrations.factories import death_data, make_event, uin, vid

pytestmark = pytest.mark.usefixtures("id_schema")
HTMX = {"HX-Request": "true"}


class Ida:
    """Answers in turn (the last one repeated), and what it was asked."""

    def __init__(self, *answers):
        self.answers = list(answers) or [ida.IdaAnswer(ida.Outcome.VERIFIED)]
        self.asked: list[id_checks.Particulars] = []

    def __call__(self, values):
        self.asked.append(values)
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def answer(outcome, **kwargs):
    return ida.IdaAnswer(ida.Outcome(outcome), signed=True, transaction_id="T123456789",
                         **kwargs)  # fmt: skip


MISMATCH = answer(
    "mismatch", mismatches=(ida.Mismatch("name", "eng"), ida.Mismatch("dob"))
)
UNTRUSTED = ida.IdaAnswer(
    ida.Outcome.REFUSED, problem=ida.Problem.RESPONSE_SIGNATURE, detail="forged"
)


@pytest.fixture
def mosip(monkeypatch):
    def install(*answers):
        stand_in = Ida(*answers)
        monkeypatch.setattr(checking, "ask_mosip", stand_in)
        return stand_in

    return install


@pytest.fixture
def signed_in(client, registrar):
    client.force_login(registrar)
    return client


def _validate(client, event, question, **values):
    return client.post(
        reverse("registrations:validate", kwargs={"pk": event.pk}),
        {"_question": question, **values},
        headers=HTMX,
    )


def test_leaving_the_uin_checks_it_against_the_name_dob_and_sex(
    signed_in, registrar, mosip
):
    stand_in = mosip(answer("verified", auth_token="1" * 36))
    event = make_event(registrar, "death")
    response = _validate(signed_in, event, "deceased__uin")
    assert "Verified with MOSIP" in response.text
    assert 'id="idcheck-deceased"' in response.text
    (asked,) = stand_in.asked
    assert asked.id_type == ida.IdType.UIN and asked.individual_id == uin("345678912")
    assert asked.names == {"eng": "Ibrahim Sule", "ara": "إبراهيم سولي"}
    assert asked.date_of_birth == datetime.date(1950, 6, 1)
    assert asked.gender == "MLE"
    check = IdCheck.objects.get(event=event)
    assert (check.section, check.outcome, check.id_masked) == (
        "deceased", "verified", "******" + uin("345678912")[-4:],
    )  # fmt: skip
    assert check.auth_token == "1" * 36 and check.checked_by == registrar


def test_a_mismatch_says_what_to_check(signed_in, registrar, mosip):
    mosip(MISMATCH)
    event = make_event(registrar, "death")
    response = _validate(signed_in, event, "deceased__uin")
    assert "Does not match" in response.text
    assert "name in English, date of birth" in response.text
    assert "without a supervisor" in response.text


def test_a_changed_name_rechecks_and_redraws_the_ids_line(signed_in, registrar, mosip):
    stand_in = mosip(MISMATCH, answer("verified"))
    event = make_event(registrar, "death")
    _validate(signed_in, event, "deceased__uin")
    response = _validate(
        signed_in, event, "deceased__fullName",
        deceased__fullName__eng="Ibrahim Musa Sule", deceased__fullName__ara="",
    )  # fmt: skip
    assert len(stand_in.asked) == 2
    assert stand_in.asked[1].names == {"eng": "Ibrahim Musa Sule"}
    assert (
        'id="idcheck-deceased" role="status" aria-live="polite" hx-swap-oob="true"'
        in (response.text)
    )
    assert IdCheck.objects.get(event=event).outcome == "verified"


def test_the_same_values_reuse_the_kept_answer(signed_in, registrar, mosip):
    stand_in = mosip(answer("verified"))
    event = make_event(registrar, "death")
    for _ in range(3):
        assert "Verified" in _validate(signed_in, event, "deceased__uin").text
    assert len(stand_in.asked) == 1


def test_an_old_answer_is_asked_again(signed_in, registrar, mosip):
    stand_in = mosip(answer("verified"), answer("deactivated"))
    event = make_event(registrar, "death")
    _validate(signed_in, event, "deceased__uin")
    IdCheck.objects.update(checked_at=IdCheck.objects.get().checked_at
                           - datetime.timedelta(seconds=id_checks.REUSE_SECONDS + 1))  # fmt: skip
    assert "Deactivated" in _validate(signed_in, event, "deceased__uin").text
    assert len(stand_in.asked) == 2


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (uin("345678912")[:-1] + str((int(uin("345678912")[-1]) + 1) % 10),
         "check digit does not match"),
        (vid(), "This is a VID (16 digits)"),
    ],
)  # fmt: skip
def test_a_mistyped_uin_or_a_vid_gets_the_forms_message_and_no_check(
    signed_in, registrar, mosip, value, message
):
    stand_in = mosip()
    event = make_event(registrar, "death")
    response = _validate(signed_in, event, "deceased__uin", deceased__uin=value)
    assert message in response.text
    assert not stand_in.asked and not IdCheck.objects.exists()


def test_a_vid_in_the_vid_field_is_checked_as_a_vid(signed_in, registrar, mosip):
    stand_in = mosip(answer("verified"))
    event = make_event(
        registrar, "death", death_data(deceased_uin="", deceased_vid=vid())
    )
    response = _validate(signed_in, event, "deceased__vid")
    (asked,) = stand_in.asked
    assert asked.id_type == ida.IdType.VID
    assert 'hx-swap-oob="true"' in response.text and "this VID" in response.text


def test_without_a_name_nothing_is_asked(signed_in, registrar, mosip):
    stand_in = mosip()
    data = death_data()
    data["deceased"]["fullName"] = {"eng": "", "ara": ""}
    event = make_event(registrar, "death", data)
    response = _validate(signed_in, event, "deceased__uin")
    assert "Type the name" in response.text and not stand_in.asked


def test_an_answer_mosip_did_not_sign_is_shown_and_never_recorded(
    signed_in, registrar, mosip
):
    mosip(UNTRUSTED)
    event = make_event(registrar, "death")
    response = _validate(signed_in, event, "deceased__uin")
    assert "could not be trusted" in response.text
    assert not IdCheck.objects.exists()
    with pytest.raises(services.EventIdCheckBlocked, match="could not be trusted"):
        services.event_submit(event=event, actor=registrar)


def test_mosip_unreachable_lets_the_registrar_go_on_and_marks_the_event(
    signed_in, registrar, mosip
):
    mosip(answer("unreachable"))
    event = make_event(registrar, "death")
    response = _validate(signed_in, event, "deceased__uin")
    assert "MOSIP unreachable" in response.text and "You may go on" in response.text
    event = services.event_submit(event=event, actor=registrar)
    assert event.status == EventStatus.SUBMITTED
    page = signed_in.get(reverse("registrations:detail", kwargs={"pk": event.pk}))
    assert "ID not verified" in page.text


def test_a_removed_uin_drops_its_check(signed_in, registrar, mosip):
    mosip(answer("verified"))
    event = make_event(registrar, "death")
    _validate(signed_in, event, "deceased__uin")
    _validate(signed_in, event, "deceased__uin", deceased__uin="")
    assert not IdCheck.objects.exists()


@pytest.mark.parametrize("outcome", ["mismatch", "deactivated"])
def test_the_death_rule(signed_in, registrar, mosip, supervisor, outcome):
    mosip(answer(outcome))
    event = make_event(registrar, "death")
    review = signed_in.get(reverse("registrations:review", kwargs={"pk": event.pk}))
    assert "This death cannot be submitted yet" in review.text
    assert (
        'action="/registrations/' not in review.text.split("Change answers")[0][-400:]
    )
    # The service refuses, not only the page.
    with pytest.raises(services.EventIdCheckBlocked, match="supervisor"):
        services.event_submit(event=event, actor=registrar)
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT
    # A supervisor allows it, with a reason the audit trail keeps.
    check = IdCheck.objects.get(event=event)
    with pytest.raises(ValueError, match="reason"):
        services.id_check_override(check=check, actor=supervisor, reason="ok")
    with pytest.raises(PermissionError):
        services.id_check_override(
            check=check, actor=registrar, reason="long enough reason"
        )
    services.id_check_override(
        check=check, actor=supervisor, reason="Court order 12/2025 confirms identity"
    )
    audit = AuditEvent.objects.get(action="registrations.id_check_overridden")
    assert audit.actor_id == supervisor.pk and audit.target_id == str(event.pk)
    assert audit.details["reason"] == "Court order 12/2025 confirms identity"
    assert audit.details["outcome"] == outcome
    event = services.event_submit(event=event, actor=registrar)
    assert event.status == EventStatus.SUBMITTED


def test_an_override_does_not_carry_over_to_other_values(
    signed_in, registrar, mosip, supervisor
):
    mosip(MISMATCH)
    event = make_event(registrar, "death")
    _validate(signed_in, event, "deceased__uin")
    services.id_check_override(check=IdCheck.objects.get(), actor=supervisor,
                               reason="Identity confirmed in person")  # fmt: skip
    data = dict(event.data)
    data["deceased"] = {**data["deceased"], "dateOfBirth": "1951-06-01"}
    event = services.event_save_draft(event=event, actor=registrar, data=data)
    with pytest.raises(services.EventIdCheckBlocked):
        services.event_submit(event=event, actor=registrar)
    assert not IdCheck.objects.get().overridden


def test_other_people_are_checked_but_do_not_block(registrar, mosip):
    stand_in = mosip(MISMATCH)
    event = make_event(registrar, "birth")
    event = services.event_submit(event=event, actor=registrar)
    assert event.status == EventStatus.SUBMITTED
    (asked,) = stand_in.asked
    assert asked.names == {"eng": "Hauwa Bello"}
    assert asked.date_of_birth == datetime.date(1995, 3, 2)
    assert IdCheck.objects.get().section == "mother"


def test_without_the_ida_step_ids_are_marked_not_checked(registrar):
    event = services.event_submit(event=make_event(registrar, "birth"), actor=registrar)
    check = IdCheck.objects.get(event=event)
    assert (check.outcome, check.problem) == ("refused", "not_set_up")


@pytest.mark.parametrize(
    ("event_type", "section", "values", "names", "born"),
    [
        ("marriage", "spouse2", {"spouse2__date_of_birth": "1990-04-05"},
         {"eng": "Mary Adeyemi"}, datetime.date(1990, 4, 5)),
        ("birth", "father", {"father__uin": uin("456789123"),
                             "father__date_of_birth": "1990-01-01"},
         {"eng": "Musa Bello"}, datetime.date(1990, 1, 1)),
        ("death", "informant", {"informant__uin": uin("567891234")},
         {"eng": "Zainab Sule"}, None),
    ],
)  # fmt: skip
def test_each_person_is_checked_against_their_own_particulars(
    signed_in, registrar, mosip, event_type, section, values, names, born
):
    stand_in = mosip(answer("verified"))
    event = make_event(registrar, event_type)
    response = _validate(signed_in, event, f"{section}__uin", **values)
    assert f'id="idcheck-{section}"' in response.text
    asked = stand_in.asked[-1]
    assert (asked.names, asked.date_of_birth, asked.gender) == (names, born, "")
    assert IdCheck.objects.get(event=event, section=section).outcome == "verified"
