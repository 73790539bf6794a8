"""Steps 1–2: the portal's Keycloak client and the token check; rotation of the
client secret."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.onboarding import remote
from apps.onboarding.models import DEFAULT_CLIENT_ROLES, Connection, TokenSource
from apps.onboarding.services.common import (
    KeycloakAdmin,
    OnboardingError,
    connection_required,
    mosip_step,
)


def _verify_token(connection: Connection, secret: str) -> dict:
    """Claims of a fresh token for `connection` with `secret`; proves it works."""
    with mosip_step(_("Getting a token with the client credentials")):
        return remote.token_claims(remote.portal_config(connection, secret=secret))


def connection_setup(
    *,
    actor,
    keycloak_url: str,
    api_url: str,
    hub_url: str,
    client_id: str,
    token_source: str = TokenSource.AUTHMANAGER,
    app_id: str = "regproc",
    client_secret: str = "",
    keycloak_admin: KeycloakAdmin | None = None,
    roles: list[str] | None = None,
) -> Connection:
    """Create (with `keycloak_admin`) or record (with `client_secret`) the portal's
    Keycloak client, and save the connection only once a token is obtained with it.

    Creating is idempotent: an existing client keeps its secret and gets the roles
    it lacks."""
    roles = list(roles or DEFAULT_CLIENT_ROLES)
    draft = Connection(
        keycloak_url=keycloak_url.rstrip("/"),
        api_url=api_url.rstrip("/"),
        hub_url=hub_url,
        client_id=client_id,
        app_id=app_id,
        token_source=token_source,
        roles=roles,
    )
    created = False
    if keycloak_admin is not None:
        with mosip_step(_("Setting up the client in Keycloak")):
            admin = remote.keycloak_admin(draft.keycloak_url, keycloak_admin)
            for role in roles:
                remote.kc_ensure_role(admin, role)
            client_secret, created = remote.kc_ensure_client(
                admin, client_id, secrets.token_urlsafe(32)
            )
            remote.kc_ensure_client_roles(admin, client_id, roles)
    elif not client_secret:
        raise OnboardingError(
            _(
                "Give either the Keycloak admin's credentials (to create the client) "
                "or the existing client's secret."
            )
        )
    _verify_token(draft, client_secret)
    with transaction.atomic():
        connection = Connection.objects.select_for_update().first() or draft
        if connection.pk:
            for field in (
                "keycloak_url", "api_url", "hub_url", "client_id", "app_id",
                "token_source", "roles",
            ):  # fmt: skip
                setattr(connection, field, getattr(draft, field))
        connection.client_secret = client_secret
        connection.created_in_keycloak = connection.created_in_keycloak or created
        connection.verified_at = timezone.now()
        connection.save()
        audit_record(
            actor=actor,
            action="onboarding.client_created"
            if created
            else "onboarding.client_recorded",
            target=connection,
            details={"client_id": client_id, "token_source": token_source},
        )
    return connection


def connection_check_token(*, actor) -> Connection:
    """Get a token with the stored credentials and keep the roles and audience it
    carries, for the token step and the readiness check."""
    connection = connection_required()
    claims = _verify_token(connection, connection.client_secret)
    roles = sorted(claims.get("realm_access", {}).get("roles", []))
    audience = claims.get("aud", [])
    audience = [audience] if isinstance(audience, str) else list(audience or [])
    if claims.get("azp") and claims["azp"] not in audience:
        audience.append(claims["azp"])
    with transaction.atomic():
        connection.token_roles = roles
        connection.token_audience = audience
        connection.token_checked_at = timezone.now()
        connection.save(
            update_fields=["token_roles", "token_audience", "token_checked_at"]
        )
        audit_record(actor=actor, action="onboarding.token_checked", target=connection)
    return connection


def missing_roles(connection: Connection) -> list[str]:
    return [r for r in connection.roles if r not in set(connection.token_roles)]


def connection_rotate_secret(
    *, actor, new_secret: str = "", keycloak_admin: KeycloakAdmin | None = None
) -> Connection:
    """Move the portal onto a new client secret without downtime.

    With a typed secret (already set in Keycloak by its administrator) the old one
    stays in use until the new one has produced a token. With `keycloak_admin` the
    portal has Keycloak regenerate it; tokens issued before keep working until they
    expire, so packets in flight are not interrupted."""
    connection = connection_required()
    if keycloak_admin is not None:
        with mosip_step(_("Regenerating the client secret in Keycloak")):
            admin = remote.keycloak_admin(connection.keycloak_url, keycloak_admin)
            new_secret = remote.kc_regenerate_secret(admin, connection.client_id)
    if not new_secret:
        raise OnboardingError(_("Type the new secret, or the Keycloak admin's login."))
    if new_secret == connection.client_secret:
        raise OnboardingError(_("The new secret is the one already in use."))
    try:
        _verify_token(connection, new_secret)
    except OnboardingError:
        if keycloak_admin is None:
            raise
        # Keycloak already dropped the old secret: keep the new one (the old stays
        # in `previous_client_secret`) and say that MOSIP has not accepted it yet.
        _save_rotated(actor, connection, new_secret, regenerated=True, verified=False)
        raise
    _save_rotated(actor, connection, new_secret, regenerated=keycloak_admin is not None)
    remote.forget_tokens()
    return Connection.objects.get(pk=connection.pk)


def _save_rotated(
    actor, connection: Connection, new_secret: str, *, regenerated: bool,
    verified: bool = True,
) -> None:  # fmt: skip
    with transaction.atomic():
        connection = Connection.objects.select_for_update().get(pk=connection.pk)
        connection.previous_client_secret = connection.client_secret
        connection.client_secret = new_secret
        connection.secret_rotated_at = timezone.now()
        if verified:
            connection.verified_at = connection.secret_rotated_at
        connection.save()
        audit_record(
            actor=actor,
            action="onboarding.client_secret_rotated",
            target=connection,
            details={"regenerated_in_keycloak": regenerated, "verified": verified},
        )
