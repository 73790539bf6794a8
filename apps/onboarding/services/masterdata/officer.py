"""Steps 5–6: the default officer in Keycloak and its zone and centre mappings."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.onboarding import remote
from apps.onboarding.models import OFFICER_ROLE, Centre, MosipState, Officer
from apps.onboarding.services.common import (
    KeycloakAdmin,
    MosipAdmin,
    OnboardingError,
    connection_required,
    mosip_step,
    portal_config,
)
from apps.onboarding.services.masterdata.centre import centre_required


def officer_current() -> Officer | None:
    return Officer.objects.order_by("-id").first()


def officer_setup(
    *, actor, keycloak_admin: KeycloakAdmin, user_id: str = "crvs.officer",
    create: bool = True,
) -> Officer:  # fmt: skip
    """Create (or find) the default officer in Keycloak with REGISTRATION_OFFICER.

    The password Keycloak gets is random and kept nowhere: packets only declare
    that the officer authenticated by password (§2.4)."""
    import secrets

    connection = connection_required()
    user_id = user_id.strip().lower()
    with mosip_step(
        _("Setting up officer %(officer)s in Keycloak") % {"officer": user_id}
    ):
        admin = remote.keycloak_admin(connection.keycloak_url, keycloak_admin)
        created = False
        if create:
            created = remote.kc_ensure_user(admin, user_id, secrets.token_urlsafe(24))
        elif not remote.kc_user_exists(admin, user_id):
            raise OnboardingError(
                _("Keycloak has no user %(user)s.") % {"user": user_id}
            )
        remote.kc_ensure_user_roles(admin, user_id, [OFFICER_ROLE])
    with transaction.atomic():
        officer, _created = Officer.objects.get_or_create(user_id=user_id)
        officer.created_in_keycloak = officer.created_in_keycloak or created
        officer.save(update_fields=["created_in_keycloak"])
        audit_record(
            actor=actor,
            action="onboarding.officer_created"
            if created
            else "onboarding.officer_recorded",
            target=officer,
        )
    return officer


def _officer_required() -> Officer:
    officer = officer_current()
    if officer is None:
        raise OnboardingError(_("Set up the default officer first."))
    return officer


def officer_map(*, actor, admin: MosipAdmin) -> Officer:
    """Zone mapping, activate, centre mapping, activate — MOSIP's strict order
    (§2.4). Each mapping is recorded as soon as MOSIP has it, so a re-run after a
    failure continues from there; one MOSIP already has (KER-USR-018 for the zone,
    KER-USR-013 for the centre) counts as made."""
    centre = centre_required()
    officer = _officer_required()
    session = remote.mosip_admin(connection_required(), admin)
    if officer.zone_mapping != MosipState.ACTIVE:
        if officer.zone_mapping != MosipState.CREATED:
            with mosip_step(
                _("Mapping the officer to zone %(zone)s") % {"zone": centre.zone_code}
            ):
                remote.zone_user_ensure(
                    session, officer.user_id, centre.zone_code, centre.lang_code
                )
            _officer_save(actor, officer, "zone_mapped", zone_code=centre.zone_code,
                          zone_mapping=MosipState.CREATED)  # fmt: skip
        with mosip_step(_("Activating the officer's zone mapping")):
            remote.zone_user_activate(session, officer.user_id)
        _officer_save(actor, officer, "zone_mapping_activated",
                      zone_mapping=MosipState.ACTIVE)  # fmt: skip
    if officer.centre_mapping != MosipState.ACTIVE or officer.centre_id != centre.id:
        if (
            officer.centre_mapping != MosipState.CREATED
            or officer.centre_id != centre.id
        ):
            with mosip_step(
                _("Mapping the officer to centre %(centre)s")
                % {"centre": centre.mosip_id}
            ):
                remote.user_centre_ensure(
                    session, officer.user_id, centre.mosip_id, centre.lang_code
                )
            _officer_save(actor, officer, "centre_mapped", centre=centre,
                          centre_mapping=MosipState.CREATED)  # fmt: skip
        with mosip_step(_("Activating the officer's centre mapping")):
            remote.user_centre_activate(session, officer.user_id)
        _officer_save(actor, officer, "centre_mapping_activated",
                      centre_mapping=MosipState.ACTIVE)  # fmt: skip
    return officer_verify(actor=actor, session=session)


def _officer_save(actor, officer: Officer, what: str, **fields) -> None:
    with transaction.atomic():
        for name, value in fields.items():
            setattr(officer, name, value)
        officer.save(update_fields=list(fields))
        audit_record(actor=actor, action=f"onboarding.officer_{what}", target=officer)


def officer_verify(*, actor=None, session=None) -> Officer:
    """The officer's centre mapping, read back from MOSIP: active, our centre. As
    the portal's client unless an admin session is given: GET /users/{id}
    (getusersid) lists REGISTRATION_OFFICER, which the client holds."""
    centre = centre_required()
    officer = _officer_required()
    with mosip_step(
        _("Reading officer %(officer)s's mapping from MOSIP")
        % {"officer": officer.user_id}
    ):
        details = remote.user_details(session or portal_config(), officer.user_id)
    problem = officer_mapping_problem(details, centre)
    if problem:
        raise OnboardingError(problem)
    officer.verified_at = timezone.now()
    officer.save(update_fields=["verified_at"])
    return officer


def officer_mapping_problem(details: dict | None, centre: Centre) -> str:
    if not details:
        return _("MOSIP has no centre mapping for the officer (%(code)s).") % {
            "code": "KER-USR-007"
        }
    if str(details.get("regCenterId")) != centre.mosip_id:
        return _(
            "The officer is mapped to centre %(mapped)s in MOSIP, not to %(centre)s."
        ) % {"mapped": details.get("regCenterId"), "centre": centre.mosip_id}
    if not details.get("isActive"):
        return _("The officer's centre mapping exists in MOSIP but is not active.")
    return ""
