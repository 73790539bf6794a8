"""National IDs checked with MOSIP on the supervisor's dashboard: the verified share
per office, the deaths waiting for a decision, and the decision itself from the
event's page."""

import datetime

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.dashboards import figures, queries
from apps.registrations.models import IdCheck, VitalEvent
from tests.dashboards.conftest import NOW

JUNE = dict(start=datetime.date(2025, 6, 1), end=datetime.date(2025, 6, 30))


def _check(event, section, outcome, **more):
    return IdCheck.objects.create(
        event=event, section=section, id_type="UIN", id_masked="******1234",
        fingerprint=f"{event.pk}{section}", outcome=outcome, checked_at=NOW, **more,
    )  # fmt: skip


@pytest.fixture
def checked(dataset, office_a, office_b):
    a = office_a.code.upper()
    _check(VitalEvent.objects.get(registration_number=f"{a}-2025-000001"), "mother",
           "verified")  # fmt: skip
    a2 = VitalEvent.objects.get(registration_number=f"{a}-2025-000002")
    _check(a2, "mother", "verified")
    _check(a2, "father", "mismatch")
    _check(VitalEvent.objects.get(registration_number=f"{a}-2025-000004"), "deceased",
           "unreachable")  # fmt: skip
    b = VitalEvent.objects.filter(office=office_b).exclude(submitted_at=None).first()
    _check(b, "deceased", "verified")
    return b


def test_the_verified_share_per_office(supervisor, national_supervisor, checked):
    rows = queries.verified_id_shares(queries.scope_for(supervisor, **JUNE))
    # A1 verified; A2 has a mismatch; A4 MOSIP unreachable: 1 of 3.
    assert rows == [{"office": "Office A", "checked": 3, "verified": 1,
                     "not_verified": 2, "share": 33.3}]  # fmt: skip
    everyone = queries.verified_id_shares(
        queries.scope_for(national_supervisor, **JUNE)
    )
    assert [(r["office"], r["verified"], r["checked"]) for r in everyone] == [
        ("Office A", 1, 3), ("Office B", 1, 1),
    ]  # fmt: skip
    shown = figures.overview(queries.scope_for(supervisor, **JUNE))
    (bar,) = shown["id_checks_chart"]["rows"]
    assert [p["cls"] for p in bar["parts"]] == ["s-idok", "s-idnot"]


def test_the_dashboard_shows_the_share(client, supervisor, checked):
    client.force_login(supervisor)
    page = client.get(reverse("dashboards:overview"), {"start": "2025-06-01",
                                                        "end": "2025-06-30"})  # fmt: skip
    assert "National IDs checked with MOSIP" in page.text
    assert "33.3%" in page.text
    assert "Office B" not in page.text


@pytest.fixture
def blocked_death(registrar, office_a, now):
    event = VitalEvent.objects.create(
        event_type="death", office=office_a, created_by=registrar,
        subject_name="Georges Élie Khoury",
    )  # fmt: skip
    return _check(event, "deceased", "mismatch",
                  mismatches=[{"attribute": "name", "language": "eng", "held": True}])  # fmt: skip


def test_a_supervisor_decides_on_a_blocked_death(client, supervisor, blocked_death):
    client.force_login(supervisor)
    awaiting = queries.deaths_awaiting_decision(queries.scope_for(supervisor, **JUNE))
    assert awaiting == [blocked_death.event]
    overview = client.get(reverse("dashboards:overview"))
    assert "1 death waiting for your decision" in overview.text
    url = reverse("dashboards:event", kwargs={"pk": blocked_death.event.pk})
    page = client.get(url)
    assert "Allow this death to be submitted?" in page.text
    assert "name in English" in page.text
    override = reverse(
        "dashboards:id-check-override",
        kwargs={"pk": blocked_death.event.pk, "check_pk": blocked_death.pk},
    )
    too_short = client.post(override, {"reason": "ok"})
    assert too_short.status_code == 302
    blocked_death.refresh_from_db()
    assert not blocked_death.overridden
    client.post(override, {"reason": "Identity confirmed with the family's papers"})
    blocked_death.refresh_from_db()
    assert blocked_death.overridden_by == supervisor
    assert AuditEvent.objects.filter(
        action="registrations.id_check_overridden",
        details__reason="Identity confirmed with the family's papers",
    ).exists()
    page = client.get(url)
    assert "Allow this death to be submitted?" not in page.text
    assert "Allowed by sam" in page.text
    assert not queries.deaths_awaiting_decision(queries.scope_for(supervisor, **JUNE))


def test_another_offices_supervisor_cannot_decide(client, office_b, blocked_death):
    from tests.factories import make_user

    other = make_user("supervisor", username="ola", supervised_offices=[office_b])
    client.force_login(other)
    override = reverse(
        "dashboards:id-check-override",
        kwargs={"pk": blocked_death.event.pk, "check_pk": blocked_death.pk},
    )
    assert (
        client.post(override, {"reason": "I would like to allow it"}).status_code == 404
    )
    blocked_death.refresh_from_db()
    assert not blocked_death.overridden
