"""Certificate numbers stay unique when registrars print at the same moment, and
rendering (slow) holds no lock on the event."""

import hashlib
import threading

import pytest
from django.db import connection

from apps.certificates import rendering, services, verification
from apps.certificates.models import Certificate, IssuerKey
from apps.registrations.models import EventStatus
from tests.certificates.factories import certifiable_event
from tests.certificates.pdf_qr import qr_text_in_pdf


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


def _render_with(monkeypatch, during_render):
    """Replace the PDF renderer with one that records how many transactions were
    open while it ran and calls `during_render` on its first run (as if another
    registrar's print landed then)."""
    real_render = rendering.certificate_pdf
    open_transactions = []

    def render(context):
        open_transactions.append(len(connection.atomic_blocks))
        if len(open_transactions) == 1:
            during_render()
        return real_render(context)

    monkeypatch.setattr(rendering, "certificate_pdf", render)
    return open_transactions


def test_the_pdf_is_rendered_with_no_transaction_of_the_issue_open(
    registrar, monkeypatch
):
    event = certifiable_event(registrar)
    # The test's own transaction, around everything it does.
    outside = len(connection.atomic_blocks)
    open_transactions = _render_with(monkeypatch, lambda: None)

    certificate = services.certificate_issue(event=event, actor=registrar)

    assert open_transactions == [outside]
    assert certificate.pdf_sha256 == hashlib.sha256(certificate.pdf.read()).hexdigest()


def test_a_first_issue_printed_during_another_render_is_the_only_one_kept(
    registrar, monkeypatch
):
    event = certifiable_event(registrar)
    other = []
    open_transactions = _render_with(
        monkeypatch,
        lambda: other.append(services.certificate_issue(event=event, actor=registrar)),
    )

    with pytest.raises(services.CertificateError, match="already been issued"):
        services.certificate_issue(event=event, actor=registrar)

    assert [c.pk for c in Certificate.objects.filter(event=event)] == [other[0].pk]
    # Both renders ran before either took the event's lock.
    assert len(open_transactions) == 2
    assert len(set(open_transactions)) == 1
    event.refresh_from_db()
    assert event.status == EventStatus.CERTIFIED


def test_a_copy_rendered_while_another_was_printed_is_rendered_again_with_the_next_number(
    registrar, monkeypatch
):
    event = certifiable_event(registrar)
    services.certificate_issue(event=event, actor=registrar)
    open_transactions = _render_with(
        monkeypatch,
        lambda: services.certificate_issue(event=event, actor=registrar, kind="copy"),
    )

    mine = services.certificate_issue(event=event, actor=registrar, kind="copy")

    # First render (C02, overtaken), the other print's (C02), the render again (C03).
    assert len(open_transactions) == 3
    assert mine.number == f"{event.registration_number}-C03"
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == [f"{event.registration_number}-C{n:02d}" for n in (1, 2, 3)]
    printed = verification.verify_text(qr_text_in_pdf(mine.pdf.read()))
    assert dict(printed.fields)["Certificate number"] == mine.number
