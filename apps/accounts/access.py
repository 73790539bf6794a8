"""Access control in one place: every view declares which roles may use it.

A view is wrapped by exactly one of `public`, `authenticated` or `roles_required`; the
wrapper records the rule on the view as `access_rule`, so a test can enumerate every URL
pattern and check that none is left undeclared. Included third-party URL sets (the Django
admin) are declared by namespace in `NAMESPACE_RULES`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from apps.accounts.models import Role


@dataclass(frozen=True)
class AccessRule:
    name: str
    roles: frozenset[str] = frozenset()
    login_required: bool = True
    staff_only: bool = False

    def allows(self, user) -> bool:
        if not self.login_required:
            return True
        if not user.is_authenticated or not user.is_active:
            return False
        if self.staff_only:
            return user.is_staff
        return not self.roles or user.role in self.roles


PUBLIC = AccessRule("public", login_required=False)
ANY_SIGNED_IN = AccessRule("any signed-in user")
STAFF = AccessRule("staff (Django admin)", staff_only=True)

# The Django admin guards itself with is_staff; declared here so the URL audit covers it.
NAMESPACE_RULES = {"admin": STAFF}


def _guard(rule: AccessRule) -> Callable:
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if rule.login_required and not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule.allows(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.access_rule = rule
        return wrapped

    return decorator


def public(view):
    """Open to anyone, signed in or not (login page, health check, verification)."""
    return _guard(PUBLIC)(view)


def authenticated(view):
    """Any signed-in user, whatever the role."""
    return _guard(ANY_SIGNED_IN)(view)


def roles_required(*roles: Role) -> Callable:
    """Signed-in users holding one of `roles`; anyone else gets 403."""
    if not roles:
        raise ValueError("roles_required needs at least one role")
    rule = AccessRule(
        "roles: " + ", ".join(sorted(roles)), roles=frozenset(str(r) for r in roles)
    )
    return _guard(rule)
