"""Likely duplicates: registered events that look like the one about to be submitted,
found by the rules of docs/duplicates.md, shown on the review and answered for with a
reason the service insists on and the audit trail keeps."""

import re
import threading

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from apps.accounts.models import Role
from apps.audit.models import AuditEvent
from apps.registrations import duplicates, services
from apps.registrations.models import (
    DuplicateFlag,
    DuplicateRule,
    EventStatus,
    MatchKey,
    VitalEvent,
)
from tests.factories import make_user
from tests.registrations.factories import (
    birth_data,
    death_data,
    divorce_data,
    make_event,
    marriage_data,
    uin,
)

pytestmark = pytest.mark.usefixtures("id_schema")

REASON = "Twins: the mother came back with the notification of the second child."


def _submitted(registrar, event_type="birth", data=None, reason=""):
    event = make_event(registrar, event_type, data)
    return services.event_submit(event=event, actor=registrar, duplicate_reason=reason)


def _matches(event) -> dict[str, str]:
    """Registration number → rule of each likely duplicate of `event`."""
    return {
        m.event.registration_number: m.rule for m in duplicates.likely_duplicates(event)
    }


def _birth(
    *,
    child="Amina Bello",
    child_ara="أمينة بيلو",
    born="2025-01-10",
    mother="Hauwa Bello",
    mother_uin=None,
    mother_born="1995-03-02",
):
    data = birth_data(child_born=born)
    data["child"]["fullName"] = {"eng": child, "ara": child_ara}
    data["mother"] = {
        "full_name": mother,
        "uin": uin() if mother_uin is None else mother_uin,
        "date_of_birth": mother_born,
    }
    return data


# Births ---------------------------------------------------------------------------


def test_the_same_birth_twice_finds_the_first_by_the_mothers_uin(registrar):
    first = _submitted(registrar)
    second = make_event(registrar, "birth")
    assert _matches(second) == {first.registration_number: DuplicateRule.MOTHER_UIN}


def test_the_mothers_name_and_date_of_birth_find_it_without_her_uin(registrar):
    first = _submitted(registrar, data=_birth(mother_uin="", child="Musa Bello"))
    second = make_event(
        registrar,
        "birth",
        _birth(mother_uin="", mother="HAUWA  BELLO", born="2025-01-12"),
    )
    assert _matches(second) == {first.registration_number: DuplicateRule.MOTHER_NAME}


@pytest.mark.parametrize(
    "eng, ara",
    [
        ("Amína Béllo", ""),  # accents typed
        ("", "أَمِينَة بِيلُو"),  # harakat typed, Arabic only
        ("", "امينه بيلو"),  # hamza and ta marbuta left out
        ("Aminah Bello", ""),  # spelt a little differently
        ("BELLO Amina", ""),  # names in another order
    ],
)
def test_a_similar_childs_name_in_any_entry_language_finds_it(registrar, eng, ara):
    first = _submitted(registrar, data=_birth(mother_uin=uin("111111111")))
    second = make_event(
        registrar,
        "birth",
        _birth(
            child=eng,
            child_ara=ara,
            born="2025-01-09",
            mother="Someone Else",
            mother_uin=uin("222222222"),
        ),
    )
    [match] = duplicates.likely_duplicates(second)
    assert match.event == first
    assert match.rule == DuplicateRule.CHILD_NAME
    assert 0.6 <= match.score <= 1


def test_a_different_childs_name_is_not_similar_enough(registrar):
    _submitted(registrar, data=_birth(mother_uin=uin("111111111")))
    other = _birth(
        child="Musa Bello", child_ara="", mother="Someone Else", mother_uin=""
    )
    assert _matches(make_event(registrar, "birth", other)) == {}


def test_a_different_child_of_the_same_mother_a_year_later_is_no_duplicate(
    registrar,
):
    _submitted(registrar)
    sibling = _birth(child="Musa Bello", child_ara="موسى بيلو", born="2026-01-20")
    assert _matches(make_event(registrar, "birth", sibling)) == {}
    # Even under the same name, a year apart is another child.
    namesake = _birth(born="2026-01-10")
    assert _matches(make_event(registrar, "birth", namesake)) == {}


def test_a_child_born_a_few_days_apart_is_found_and_a_week_apart_is_not(registrar):
    first = _submitted(registrar)
    assert _matches(make_event(registrar, "birth", _birth(born="2025-01-13"))) == {
        first.registration_number: DuplicateRule.MOTHER_UIN
    }
    assert _matches(make_event(registrar, "birth", _birth(born="2025-01-17"))) == {}


def test_a_similar_name_counts_at_the_same_office_the_mothers_uin_everywhere(
    registrar, office_b
):
    first = _submitted(registrar)
    elsewhere = make_user(Role.REGISTRAR, office=office_b)
    by_name_only = _birth(mother="Someone Else", mother_uin=uin("222222222"))
    assert _matches(make_event(elsewhere, "birth", by_name_only)) == {}
    by_mother = _birth(child="Other Name", child_ara="")
    assert _matches(make_event(elsewhere, "birth", by_mother)) == {
        first.registration_number: DuplicateRule.MOTHER_UIN
    }


def test_drafts_are_nobodys_duplicate(registrar):
    colleague = make_user(Role.REGISTRAR, office=registrar.office)
    make_event(colleague, "birth")  # the same birth, not submitted
    assert _matches(make_event(registrar, "birth")) == {}
    assert not MatchKey.objects.exists()


def test_the_strongest_rule_is_named_once_per_earlier_event(registrar):
    first = _submitted(registrar)  # same mother's UIN, name and child's name
    [match] = duplicates.likely_duplicates(make_event(registrar, "birth"))
    assert (match.event, match.rule, match.score) == (
        first,
        DuplicateRule.MOTHER_UIN,
        1.0,
    )


# Deaths ---------------------------------------------------------------------------


def test_a_death_for_a_uin_already_recorded_dead_is_found_in_any_office(
    registrar, office_b
):
    first = _submitted(registrar, "death")
    elsewhere = make_user(Role.REGISTRAR, office=office_b)
    again = death_data()
    again["deceased"]["fullName"] = {"eng": "Another Name"}
    again["deceased"]["dateOfBirth"] = "1960-01-01"
    assert _matches(make_event(elsewhere, "death", again)) == {
        first.registration_number: DuplicateRule.DECEASED_ID
    }


def test_a_death_of_the_same_person_by_name_and_date_of_birth(registrar, office_b):
    first = _submitted(registrar, "death", death_data(deceased_uin=""))
    elsewhere = make_user(Role.REGISTRAR, office=office_b)
    again = death_data(deceased_uin="")
    again["deceased"]["fullName"] = {"ara": "ابراهيم سولي"}  # without the hamza
    assert _matches(make_event(elsewhere, "death", again)) == {
        first.registration_number: DuplicateRule.DECEASED_NAME
    }
    born_otherwise = death_data(deceased_uin="")
    born_otherwise["deceased"]["dateOfBirth"] = "1950-06-02"
    assert _matches(make_event(elsewhere, "death", born_otherwise)) == {}


# Marriages and divorces -----------------------------------------------------------


def test_the_same_two_people_married_again_unless_divorced_since(registrar):
    marriage = _submitted(registrar, "marriage")
    # The spouses the other way round, the second known by name and date of birth.
    again = marriage_data(uin1=uin("567891234"), uin2="")
    again["spouse2"]["fullName"] = {"eng": "JOHN OKAFOR"}
    again["spouse2"]["date_of_birth"] = "1990-01-01"
    first = marriage_data()
    first["spouse1"]["date_of_birth"] = "1990-01-01"
    assert _matches(make_event(registrar, "marriage", again)) == {}  # no DOB before
    marriage_with_dob = _submitted(
        make_user(Role.REGISTRAR, office=registrar.office),
        "marriage",
        first,
        reason="Registered again with the date of birth",
    )
    assert _matches(make_event(registrar, "marriage", again)) == {
        marriage_with_dob.registration_number: DuplicateRule.SAME_COUPLE_MARRIED,
    }
    # One of the spouses alone is not the couple.
    one = marriage_data(uin2=uin("999999999"))
    assert _matches(make_event(registrar, "marriage", one)) == {}

    _submitted(registrar, "divorce", divorce_data(uin2=uin("567891234")))
    remarriage = marriage_data()
    remarriage["marriage"]["date"] = "2025-06-01"
    assert _matches(make_event(registrar, "marriage", remarriage)) == {}
    # The 2025-03-01 marriage registered once more is still that marriage.
    assert marriage.registration_number in _matches(
        make_event(registrar, "marriage", marriage_data())
    )


def test_a_divorce_decree_registered_twice(registrar, office_b):
    first = _submitted(registrar, "divorce")
    elsewhere = make_user(Role.REGISTRAR, office=office_b)
    again = divorce_data(uin1="")
    again["divorce"]["court"] = "high court of port-town"
    again["divorce"]["decree_number"] = "HC / DIV / 2025 / 17"
    assert _matches(make_event(elsewhere, "divorce", again)) == {
        first.registration_number: DuplicateRule.SAME_DECREE
    }
    other_court = divorce_data(uin1="")
    other_court["divorce"]["court"] = "District Court"
    assert _matches(make_event(elsewhere, "divorce", other_court)) == {}


def test_the_same_two_people_divorced_again_unless_remarried_since(registrar):
    first = _submitted(registrar, "divorce", divorce_data(uin2=uin("567891234")))
    again = divorce_data(uin2=uin("567891234"))
    again["divorce"]["decree_number"] = "HC/DIV/2025/18"
    assert _matches(make_event(registrar, "divorce", again)) == {
        first.registration_number: DuplicateRule.SAME_COUPLE_DIVORCED
    }
    remarried = marriage_data()
    remarried["marriage"]["date"] = "2025-05-01"
    _submitted(registrar, "marriage", remarried)
    later = divorce_data(uin2=uin("567891234"))
    later["divorce"].update(decree_number="HC/DIV/2026/3", decree_date="2025-09-01")
    assert _matches(make_event(registrar, "divorce", later)) == {}


# Submitting -----------------------------------------------------------------------


def test_submitting_a_likely_duplicate_without_a_reason_is_refused(registrar):
    first = _submitted(registrar)
    second = make_event(registrar, "birth")
    with pytest.raises(services.DuplicateReasonRequiredError) as refused:
        services.event_submit(event=second, actor=registrar, duplicate_reason="  ")
    assert first.registration_number in str(refused.value)
    assert "say why" in str(refused.value)
    second.refresh_from_db()
    assert second.status == EventStatus.DRAFT
    assert second.registration_number is None
    assert not MatchKey.objects.filter(event=second).exists()
    assert not DuplicateFlag.objects.exists()


def test_a_reason_registers_it_flagged_and_in_the_audit_trail(registrar):
    first = _submitted(registrar)
    second = services.event_submit(
        event=make_event(registrar, "birth"),
        actor=registrar,
        duplicate_reason=f"  {REASON}\n",
    )
    assert second.status == EventStatus.SUBMITTED
    flag = second.duplicate_flags.get()
    assert (flag.reason, flag.flagged_by) == (REASON, registrar)
    [candidate] = flag.candidates.all()
    assert (candidate.candidate, candidate.rule) == (first, DuplicateRule.MOTHER_UIN)
    entry = AuditEvent.objects.get(action="event.duplicate_flagged")
    assert entry.target_id == str(second.pk)
    assert entry.actor == registrar
    assert entry.details["reason"] == REASON
    assert entry.details["candidates"] == [
        {
            "event_id": first.pk,
            "registration_number": first.registration_number,
            "rule": "mother_uin",
            "score": 1.0,
        }
    ]


@pytest.mark.django_db(transaction=True)
def test_the_same_birth_submitted_twice_at_once_is_caught(registrar):
    """The second submission waits for the office's numbering, which the first
    holds until it commits, and then finds it."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite locks whole tables; needs a file or Postgres")
    twins = [make_event(registrar, "birth") for _ in range(2)]
    refused, errors = [], []

    def submit(event):
        try:
            services.event_submit(event=event, actor=registrar)
        except services.DuplicateReasonRequiredError as error:
            refused.append(error)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(e,)) for e in twins]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(refused) == 1
    assert VitalEvent.objects.exclude(status=EventStatus.DRAFT).count() == 1


def test_no_duplicate_no_flag_and_a_reason_given_anyway_is_ignored(registrar):
    event = _submitted(registrar, reason="Nothing to explain")
    assert not event.duplicate_flags.exists()
    assert not AuditEvent.objects.filter(action="event.duplicate_flagged").exists()


def test_a_correction_asks_again_only_for_events_not_answered_for(registrar):
    first = _submitted(registrar)
    second = _submitted(registrar, reason=REASON)
    VitalEvent.objects.filter(pk=second.pk).update(status=EventStatus.REJECTED)
    second.refresh_from_db()
    services.event_correct_and_resubmit(event=second, actor=registrar)
    assert second.duplicate_flags.count() == 1
    # A third registration of it turns up since: that one needs a reason.
    VitalEvent.objects.filter(pk=second.pk).update(status=EventStatus.REJECTED)
    third = _submitted(registrar, reason=REASON)
    second.refresh_from_db()
    with pytest.raises(services.DuplicateReasonRequiredError) as refused:
        services.event_correct_and_resubmit(event=second, actor=registrar)
    assert third.registration_number in str(refused.value)
    assert first.registration_number not in str(refused.value)


def test_the_keys_follow_a_correction(registrar):
    event = _submitted(registrar)
    VitalEvent.objects.filter(pk=event.pk).update(status=EventStatus.REJECTED)
    event.refresh_from_db()
    corrected = _birth(mother_uin=uin("333333333"))
    services.event_save_draft(event=event, actor=registrar, data=corrected)
    services.event_correct_and_resubmit(event=event, actor=registrar)
    assert set(
        MatchKey.objects.filter(event=event, kind="birth.mother_uin").values_list(
            "value", flat=True
        )
    ) == {uin("333333333")}


# Pages ----------------------------------------------------------------------------


def test_the_review_shows_the_first_birth_beside_the_second(client, registrar):
    first = _submitted(registrar)
    second = make_event(registrar, "birth")
    client.force_login(registrar)
    page = client.get(reverse("registrations:review", args=[second.pk])).content
    text = page.decode()
    assert "This birth may already be registered" in text
    assert first.registration_number in text
    assert reverse("registrations:detail", args=[first.pk]) in text
    assert "Same mother&#x27;s UIN" in text
    assert 'name="duplicate_reason"' in text
    assert "Amina Bello / أمينة بيلو" in text


def test_a_review_without_a_likely_duplicate_asks_no_reason(client, registrar):
    event = make_event(registrar, "birth")
    client.force_login(registrar)
    text = client.get(reverse("registrations:review", args=[event.pk])).content
    assert b"may already be registered" not in text
    assert b'name="duplicate_reason"' not in text


def test_another_offices_event_is_shown_without_a_link(client, registrar, office_b):
    elsewhere = make_user(Role.REGISTRAR, office=office_b)
    first = _submitted(elsewhere, "death")
    second = make_event(registrar, "death")
    client.force_login(registrar)
    text = client.get(reverse("registrations:review", args=[second.pk])).content
    text = text.decode()
    assert first.registration_number in text
    assert "Registered by Office B: ask that office for it." in text
    assert reverse("registrations:detail", args=[first.pk]) not in text


def test_submitting_without_a_reason_shows_the_field_error(client, registrar):
    _submitted(registrar)
    second = make_event(registrar, "birth")
    client.force_login(registrar)
    response = client.post(reverse("registrations:submit", args=[second.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert re.search(
        r'<p class="field-error">This birth looks like an event already registered',
        text,
    )
    assert 'role="alert"' in text
    second.refresh_from_db()
    assert second.status == EventStatus.DRAFT


def test_submitting_with_a_reason_registers_it(client, registrar):
    _submitted(registrar)
    second = make_event(registrar, "birth")
    client.force_login(registrar)
    response = client.post(
        reverse("registrations:submit", args=[second.pk]),
        {"duplicate_reason": REASON},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == EventStatus.SUBMITTED
    assert second.duplicate_flags.get().reason == REASON
    detail = client.get(reverse("registrations:detail", args=[second.pk]))
    assert b"Registered as a likely duplicate" in detail.content
    assert REASON.encode() in detail.content


def test_a_reason_with_a_control_character_is_refused_at_the_field(client, registrar):
    second = make_event(registrar, "birth")
    client.force_login(registrar)
    response = client.post(
        reverse("registrations:submit", args=[second.pk]),
        {"duplicate_reason": "twins\x00"},
    )
    assert b"invisible control character" in response.content
    second.refresh_from_db()
    assert second.status == EventStatus.DRAFT


def test_supervisors_see_the_flagged_event_its_candidates_and_reason(
    client, registrar, supervisor
):
    first = _submitted(registrar)
    second = _submitted(registrar, reason=REASON)
    client.force_login(supervisor)
    listing = client.get(reverse("dashboards:duplicates")).content.decode()
    assert second.registration_number in listing
    assert reverse("dashboards:event", args=[second.pk]) in listing
    assert REASON in listing
    assert first.registration_number not in listing  # not flagged itself
    page = client.get(reverse("dashboards:event", args=[second.pk])).content.decode()
    assert "Registered as a likely duplicate" in page
    assert REASON in page
    assert reverse("dashboards:event", args=[first.pk]) in page
    assert "Same mother&#x27;s UIN" in page


def test_the_supervisors_list_keeps_to_their_offices(
    client, registrar, supervisor, office_b
):
    elsewhere = make_user(Role.REGISTRAR, office=office_b)
    _submitted(elsewhere, "death")
    theirs = _submitted(elsewhere, "death", reason=REASON)
    client.force_login(supervisor)
    listing = client.get(reverse("dashboards:duplicates")).content.decode()
    assert theirs.registration_number not in listing
    assert "No event of these offices and dates" in listing


def test_the_back_office_shows_the_flag(client, registrar, staff_user):
    first = _submitted(registrar)
    second = _submitted(registrar, reason=REASON)
    client.force_login(staff_user)
    url = reverse("admin:registrations_vitalevent_change", args=[second.pk])
    text = client.get(url).content.decode()
    assert "Registered as a likely duplicate" in text
    assert REASON in text
    assert reverse("admin:registrations_vitalevent_change", args=[first.pk]) in text
    listing = client.get(
        reverse("admin:registrations_vitalevent_changelist"), {"flagged": "yes"}
    ).content.decode()
    assert second.registration_number in listing
    assert first.registration_number not in listing


@pytest.mark.django_db(transaction=True)
def test_events_registered_before_the_upgrade_are_earlier_records(registrar):
    before = [("registrations", "0009_search_names")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldEvent = old_apps.get_model("registrations", "VitalEvent")
    fields = {
        "event_type": "birth",
        "office_id": registrar.office_id,
        "created_by_id": registrar.pk,
        "data": birth_data(),
    }
    old = OldEvent.objects.create(
        status="registered", registration_number="OLD-2025-000001", **fields
    )
    OldEvent.objects.create(status="draft", **fields)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert set(MatchKey.objects.values_list("event_id", "kind")) == {
        (old.pk, "birth.child_name"),
        (old.pk, "birth.mother_uin"),
        (old.pk, "birth.mother_name"),
    }
    assert _matches(make_event(registrar, "birth")) == {
        "OLD-2025-000001": DuplicateRule.MOTHER_UIN
    }


# The measure --------------------------------------------------------------------


SIMILAR = [
    ("amina bello", "aminah bello"),
    ("amina bello", "musa bello"),
    ("bello amina", "amina bello"),
    ("امينه بيلو", "امينة بيلو"),
    ("ibrahim sule", "ibraheem sule"),
    ("a", "b"),
    ("jean-paul", "jean paul"),
]


def test_the_measure_is_pg_trgms_similarity():
    expected = {
        ("amina bello", "aminah bello"): 11 / 14,
        ("amina bello", "musa bello"): 6 / 17,
        ("bello amina", "amina bello"): 1.0,
    }
    for (a, b), value in expected.items():
        assert duplicates.similarity(a, b) == pytest.approx(value)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="compares with PostgreSQL's pg_trgm"
)
@pytest.mark.django_db
def test_the_measure_here_is_the_databases_on_postgresql():
    with connection.cursor() as cursor:
        for a, b in SIMILAR:
            cursor.execute("SELECT similarity(%s, %s)", [a, b])
            assert duplicates.similarity(a, b) == pytest.approx(
                cursor.fetchone()[0], abs=1e-6
            ), (a, b)
