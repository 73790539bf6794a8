"""What every onboarding service shares: the error it raises, the identities typed
once for a step, and the translation of MOSIP's errors into plain words."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils.translation import gettext as _

from apps.mosip.config import MosipConfig
from apps.mosip.errors import MosipError
from apps.onboarding import remote
from apps.onboarding.explain import explain
from apps.onboarding.models import Connection


class OnboardingError(Exception):
    """A step could not be completed; `message` says why in plain words and what
    to do. Nothing was saved by the failing step."""

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class KeycloakAdmin:
    """Keycloak master-realm administrator, typed for one step and never stored."""

    username: str
    password: str

    def __repr__(self) -> str:
        return f"KeycloakAdmin({self.username!r}, password=***)"


@dataclass(frozen=True)
class MosipAdmin:
    """A zone-mapped MOSIP admin user (GLOBAL_ADMIN/ZONAL_ADMIN) and the client it
    signs in through; typed for one step and never stored."""

    username: str
    password: str
    client_id: str = "mosip-admin-client"
    client_secret: str = ""

    def __repr__(self) -> str:
        return f"MosipAdmin({self.username!r}, client={self.client_id!r}, ***)"


@contextmanager
def mosip_step(doing: str) -> Iterator[None]:
    """Turn any MOSIP client error raised inside into an OnboardingError that says
    what the step was doing and what MOSIP's answer means."""
    try:
        yield
    except MosipError as exc:
        raise OnboardingError(
            _("%(doing)s: %(reason)s") % {"doing": doing, "reason": explain(exc)},
            code=exc.code,
        ) from exc


def connection_required() -> Connection:
    connection = Connection.objects.first()
    if connection is None:
        raise OnboardingError(
            _(
                "The MOSIP connection is not set up yet: complete the Keycloak client "
                "step first."
            )
        )
    return connection


def portal_config() -> MosipConfig:
    """The portal's own client, for reading back what a step set up in MOSIP."""
    return remote.portal_config(connection_required())
