import pytest
from django.db import DatabaseError, connection, transaction

from apps.audit.models import AppendOnlyError, AuditEvent
from apps.audit.services import audit_record


def test_it_records_actor_action_and_target(registrar, office_a):
    event = audit_record(
        actor=registrar, action="office.viewed", target=office_a, details={"n": 1}
    )
    event.refresh_from_db()
    assert event.actor == registrar
    assert event.target_type.model == "office"
    assert event.target_id == str(office_a.pk)
    assert event.details == {"n": 1}


def test_rows_cannot_be_changed_or_deleted_through_the_orm(registrar):
    event = audit_record(actor=registrar, action="x")
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="y")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_an_update(registrar):
    event = audit_record(actor=registrar, action="x")
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET action = 'y' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.action == "x"


def test_the_admin_can_read_but_not_change_or_delete(client, staff_user, registrar):
    event = audit_record(actor=registrar, action="user.signed_in", target=registrar)
    client.force_login(staff_user)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    detail = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    assert client.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
