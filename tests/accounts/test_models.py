import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from apps.accounts.models import Role, User
from apps.accounts.queries import offices_visible_to
from tests.factories import PASSWORD, make_user


def test_a_registrar_must_work_in_an_office(db):
    with pytest.raises(ValidationError):
        make_user(Role.REGISTRAR, office=None)


def test_the_database_refuses_an_officeless_registrar(db):
    with pytest.raises(IntegrityError):
        User.objects.create(username="x", role=Role.REGISTRAR)


def test_only_supervisors_can_be_national(db):
    with pytest.raises(ValidationError):
        make_user(Role.INTEGRATION_ADMIN, is_national_supervisor=True)


def test_passwords_are_validated(db):
    with pytest.raises(ValidationError):
        make_user(Role.INTEGRATION_ADMIN, password="short")
    assert PASSWORD


def test_offices_visible_to_each_role(
    registrar, supervisor, national_supervisor, integration_admin, office_a, office_b
):
    assert list(offices_visible_to(registrar)) == [office_a]
    assert list(offices_visible_to(supervisor)) == [office_a]
    assert set(offices_visible_to(national_supervisor)) == {office_a, office_b}
    assert list(offices_visible_to(integration_admin)) == []
