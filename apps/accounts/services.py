from collections.abc import Iterable
from datetime import UTC, datetime

from django.contrib.auth import login, logout
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from apps.accounts import throttle
from apps.accounts.models import Office, SignInLock, User
from apps.audit.services import audit_record


def user_sign_in(
    *, request: HttpRequest, user: User, username: str, client_ip: str
) -> None:
    login(request, user)
    throttle.clear_failures(username=username, client_ip=client_ip)
    audit_record(actor=user, action="user.signed_in", target=user)


def user_sign_in_failed(*, username: str, client_ip: str) -> None:
    """Count the failure; a lock it starts is recorded for administrators."""
    for new_lock in throttle.record_failure(username=username, client_ip=client_ip):
        lock = SignInLock.objects.create(
            scope=new_lock.scope,
            username=new_lock.username,
            client_address=new_lock.client_address,
            locked_until=datetime.fromtimestamp(new_lock.locked_until, tz=UTC),
        )
        audit_record(
            actor=None,
            action="user.sign_in_locked",
            target=lock,
            details={"scope": lock.scope},
        )


def sign_in_lock_lift(*, lock: SignInLock, actor) -> bool:
    """End a lock before its time; False when it had already ended or been lifted."""
    if not lock.is_active:
        return False
    throttle.lift(
        scope=lock.scope, username=lock.username, client_ip=lock.client_address
    )
    lock.lifted_at = timezone.now()
    lock.lifted_by = actor if actor is not None and actor.is_authenticated else None
    lock.save(update_fields=["lifted_at", "lifted_by"])
    audit_record(
        actor=actor,
        action="user.sign_in_lock_lifted",
        target=lock,
        details={"scope": lock.scope},
    )
    return True


def user_sign_out(*, request: HttpRequest) -> None:
    user = request.user
    if user.is_authenticated:
        audit_record(actor=user, action="user.signed_out", target=user)
    logout(request)


def office_create(*, code: str, name: str, region: str = "", actor=None) -> Office:
    office = Office(code=code, name=name, region=region)
    office.full_clean()
    office.save()
    audit_record(actor=actor, action="office.created", target=office)
    return office


def user_create(
    *,
    username: str,
    password: str,
    role: str,
    office: Office | None = None,
    supervised_offices: Iterable[Office] = (),
    is_national_supervisor: bool = False,
    is_staff: bool = False,
    is_superuser: bool = False,
    actor=None,
) -> User:
    user = User(
        username=username,
        role=role,
        office=office,
        is_national_supervisor=is_national_supervisor,
        is_staff=is_staff or is_superuser,
        is_superuser=is_superuser,
    )
    validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.full_clean()
        user.save()
        user.supervised_offices.set(supervised_offices)
        audit_record(
            actor=actor, action="user.created", target=user, details={"role": role}
        )
    return user
