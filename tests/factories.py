"""Plain factory functions that build state through the real services."""

import itertools

from apps.accounts import services
from apps.accounts.models import Office, Role, User

PASSWORD = "correct horse battery staple 42"
_seq = itertools.count(1)


def make_office(**overrides) -> Office:
    n = next(_seq)
    fields = {
        "code": f"office-{n}",
        "name": f"Registry Office {n}",
        "region": "Central",
    }
    fields.update(overrides)
    return services.office_create(**fields)


def make_user(role: str = Role.REGISTRAR, **overrides) -> User:
    n = next(_seq)
    fields = {"username": f"{role or 'staff'}-{n}", "password": PASSWORD, "role": role}
    if role == Role.REGISTRAR and "office" not in overrides:
        fields["office"] = make_office()
    fields.update(overrides)
    return services.user_create(**fields)
