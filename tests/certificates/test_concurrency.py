"""Certificate numbers stay unique when registrars print at the same moment."""

import threading

import pytest
from django.db import connection

from apps.certificates import services
from apps.certificates.models import Certificate, IssuerKey
from apps.registrations.models import EventStatus
from tests.certificates.factories import certifiable_event


def _run_together(count, action):
    errors = []

    def run():
        try:
            action()
        except Exception as error:  # noqa: BLE001 - reported by the caller
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.fixture
def needs_real_locks():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite locks whole tables; needs a file or Postgres")


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_issues_print_one_certificate(registrar, needs_real_locks):
    event = certifiable_event(registrar)

    errors = _run_together(
        3, lambda: services.certificate_issue(event=event, actor=registrar)
    )

    assert Certificate.objects.filter(event=event).count() == 1
    assert len(errors) == 2
    assert all(isinstance(e, services.CertificateError) for e in errors)
    event.refresh_from_db()
    assert event.status == EventStatus.CERTIFIED
    assert IssuerKey.objects.filter(is_active=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_copies_get_distinct_consecutive_numbers(
    registrar, needs_real_locks
):
    event = certifiable_event(registrar)
    services.certificate_issue(event=event, actor=registrar)

    errors = _run_together(
        4,
        lambda: services.certificate_issue(event=event, actor=registrar, kind="copy"),
    )

    assert errors == []
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == [f"{event.registration_number}-C{n:02d}" for n in range(1, 6)]
