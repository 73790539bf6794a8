"""Finding an event the way a registrar remembers it: a name in any entry language,
however it is typed, a registration number, an application id or a UIN."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from apps.registrations import queries, services
from apps.registrations.models import Packet, VitalEvent
from apps.registrations.search import search_key, search_names
from tests.registrations.factories import birth_data, make_event, uin

pytestmark = pytest.mark.usefixtures("id_schema")
SUBMIT_TIME = datetime.datetime(2025, 6, 1, 9, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("amina", "Amina"),
        ("AMÍNA", "Amina"),
        ("Zoë", "ZOE"),
        ("Ibrahim  Sule", "Ibrahim Sule"),
        ("أمينة", "أَمِينَة"),  # harakat typed in the record, not in the search
        ("امينه", "أمينة"),  # hamza and ta marbuta left out in the search
        ("إبراهيم", "ابـــراهيم"),  # tatweel stretching a stored name
        ("مصطفى", "مصطفي"),  # alef maqsura or ya
    ],
)
def test_a_name_is_found_however_it_is_typed(typed, stored):
    assert search_key(typed) in search_key(stored)


def test_different_names_stay_different():
    assert search_key("Amina") != search_key("Aminu")
    assert search_key("أمينة") != search_key("أمين")


@given(st.text(max_size=60))
def test_the_key_of_a_key_is_itself(text):
    assert search_key(search_key(text)) == search_key(text)


def test_every_persons_name_in_every_language_is_kept():
    names = search_names(birth_data()).splitlines()
    assert "amina bello" in names
    assert search_key("أمينة بيلو") in names
    assert "hauwa bello" in names  # the mother, typed once though named twice
    assert names.count("hauwa bello") == 1
    assert "musa bello" in names


def _submitted(registrar, data=None):
    event = make_event(registrar, "birth", data)
    with time_machine.travel(SUBMIT_TIME, tick=False):
        return services.event_submit(event=event, actor=registrar)


@pytest.mark.parametrize(
    "q", ["أمينة", "امينه بيلو", "amína", "BELLO", "Musa", "hauwa"]
)
def test_the_registrars_list_finds_names_in_any_language(client, registrar, q):
    event = _submitted(registrar)
    okafor = birth_data(
        mother={"full_name": "Ngozi Okafor"},
        father={"full_name": "Obi Okafor"},
        informant={"relationship": "mother", "full_name": "Ngozi Okafor"},
    )
    okafor["child"]["fullName"] = {"eng": "Yusuf Okafor", "ara": "يوسف أوكافور"}
    other = _submitted(registrar, okafor)
    client.force_login(registrar)
    body = client.get(reverse("registrations:list"), {"q": q}).content.decode()
    assert event.registration_number in body
    assert other.registration_number not in body


def test_the_list_finds_an_event_by_uin_and_by_application_id(registrar):
    event = _submitted(registrar)
    packet = event.packets.get()
    national_id = uin("765432198")
    Packet.objects.filter(pk=packet.pk).update(uin=national_id)
    visible = queries.events_visible_to(registrar)

    assert list(queries.events_matching(visible, q=national_id)) == [event]
    assert list(queries.events_matching(visible, q=packet.application_id)) == [event]
    assert not queries.events_matching(visible, q=uin("111111111")).exists()


def test_a_blank_search_is_no_filter(registrar):
    _submitted(registrar)
    draft = make_event(registrar, "birth")
    visible = queries.events_visible_to(registrar)
    assert queries.events_matching(visible, q="   ").count() == 2
    assert draft in queries.events_matching(visible, q="  ")


def test_the_back_office_searches_the_same_way(staff_user, registrar):
    event = _submitted(registrar)
    client = Client()
    client.force_login(staff_user)
    body = client.get(
        "/admin/registrations/vitalevent/", {"q": "امينه"}
    ).content.decode()
    assert event.registration_number in body


def test_a_draft_is_searchable_as_soon_as_it_is_saved(registrar):
    draft = make_event(registrar, "birth")
    assert search_key("أمينة") in VitalEvent.objects.get(pk=draft.pk).search_names
    changed = birth_data()
    changed["child"]["fullName"] = {"eng": "Halima Bello"}
    services.event_save_draft(event=draft, actor=registrar, data=changed)
    assert "halima bello" in VitalEvent.objects.get(pk=draft.pk).search_names
    assert "amina bello" not in VitalEvent.objects.get(pk=draft.pk).search_names


@pytest.mark.django_db(transaction=True)
def test_events_recorded_before_the_upgrade_become_searchable(registrar):
    before = [("registrations", "0008_processed_reads_as_success")]
    after = [("registrations", "0009_search_names")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldEvent = old_apps.get_model("registrations", "VitalEvent")
    old = OldEvent.objects.create(
        event_type="birth",
        office_id=registrar.office_id,
        created_by_id=registrar.pk,
        data=birth_data(),
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    try:
        assert (
            search_key("أمينة بيلو") in VitalEvent.objects.get(pk=old.pk).search_names
        )
    finally:
        # Whatever came after, back in place for the tests that follow.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
