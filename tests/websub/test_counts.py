"""Counts of bad input lose nothing when two deliveries count the first of a kind at
the same moment."""

import pytest
from django.utils import timezone

from apps.websub import quarantine
from apps.websub.models import BadInputCount

pytestmark = pytest.mark.django_db


def test_a_count_started_meanwhile_by_another_delivery_is_not_lost(monkeypatch):
    real = BadInputCount.objects.get_or_create

    def meanwhile(**kwargs):
        # Another delivery counts the first duplicate after this one found no row.
        BadInputCount.objects.create(
            kind="duplicate", count=1, last_seen_at=timezone.now()
        )
        return real(**kwargs)

    monkeypatch.setattr(BadInputCount.objects, "get_or_create", meanwhile)
    quarantine.bad_input_count("duplicate")
    assert BadInputCount.objects.get(kind="duplicate").count == 2


def test_counts_add_up():
    for _ in range(3):
        quarantine.bad_input_count("malformed")
    assert BadInputCount.objects.get(kind="malformed").count == 3
