"""Steps 3–6: registration centre, machine, officer and the officer's mappings.

MOSIP creates every masterdata object inactive (§2): the id it generates is recorded
as soon as MOSIP answers, so a step interrupted before activation resumes by
activating that object instead of creating a second one."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.onboarding import keys, remote
from apps.onboarding.models import (
    OFFICER_ROLE,
    Centre,
    KeySource,
    Machine,
    MosipState,
    Officer,
)
from apps.onboarding.services.common import (
    KeycloakAdmin,
    MosipAdmin,
    OnboardingError,
    connection_required,
    mosip_step,
)


@dataclass(frozen=True)
class CentreDetails:
    name: str = "CRVS Integration Centre"
    zone_code: str = "RBT"
    location_code: str = "14023"
    holiday_location_code: str = "RSK"
    centre_type: str = "REG"
    latitude: str = "34.5228"
    longitude: str = "-6.8367"
    address: str = "Civil Registry HQ"
    lang_code: str = "eng"
    time_zone: str = "UTC"

    def request(self) -> dict:
        # Open around the clock: cmd-validator checks the packet time against the
        # working hours (§2.2).
        return {
            "name": self.name, "centerTypeCode": self.centre_type,
            "langCode": self.lang_code, "addressLine1": self.address,
            "addressLine2": "", "addressLine3": "",
            "latitude": self.latitude, "longitude": self.longitude,
            "locationCode": self.location_code,
            "holidayLocationCode": self.holiday_location_code,
            "zoneCode": self.zone_code, "contactPhone": "", "contactPerson": "",
            "workingHours": "24:00:00", "perKioskProcessTime": "00:15:00",
            "centerStartTime": "00:00:00", "centerEndTime": "23:59:59",
            "lunchStartTime": "00:00:00", "lunchEndTime": "00:00:00",
            "timeZone": self.time_zone, "numberOfKiosks": 1, "isActive": True,
            "exceptionalHolidayPutPostDto": [],
        }  # fmt: skip


def _portal():
    return remote.portal_config(connection_required())


# Centre -----------------------------------------------------------------------------


def centre_current() -> Centre | None:
    return Centre.objects.order_by("-id").first()


def centre_setup(*, actor, admin: MosipAdmin, details: CentreDetails) -> Centre:
    """Create and activate the portal's registration centre, or finish activating
    the one created earlier; an active recorded centre is only re-verified."""
    centre = centre_current()
    session = remote.mosip_admin(connection_required(), admin)
    if centre is None:
        with mosip_step("Creating the registration centre"):
            created = remote.centre_create(session, details.request())
        with transaction.atomic():
            centre = Centre.objects.create(
                mosip_id=str(created["id"]),
                name=details.name,
                zone_code=details.zone_code,
                lang_code=details.lang_code,
                state=MosipState.CREATED,
                created_by_portal=True,
            )
            audit_record(actor=actor, action="onboarding.centre_created", target=centre)
    if centre.state != MosipState.ACTIVE:
        with mosip_step(f"Activating centre {centre.mosip_id}"):
            remote.centre_activate(session, centre.mosip_id)
    return _centre_verify(actor, centre)


def centre_record_existing(*, actor, mosip_id: str, lang_code: str = "eng") -> Centre:
    """Use a centre MOSIP already has; it must exist and be active."""
    found = _fetch_centre(mosip_id, lang_code)
    with transaction.atomic():
        centre, _ = Centre.objects.update_or_create(
            mosip_id=mosip_id,
            defaults={
                "name": found.get("name") or mosip_id,
                "zone_code": found.get("zoneCode") or "",
                "lang_code": lang_code,
                "state": MosipState.ACTIVE,
                "verified_at": timezone.now(),
            },
        )
        audit_record(actor=actor, action="onboarding.centre_recorded", target=centre)
    return centre


def _fetch_centre(mosip_id: str, lang_code: str) -> dict:
    with mosip_step(f"Reading centre {mosip_id} from MOSIP"):
        found = remote.centre_get(_portal(), mosip_id, lang_code)
    if not found:
        raise OnboardingError(f"MOSIP has no registration centre {mosip_id}.")
    if not found.get("isActive"):
        raise OnboardingError(f"Centre {mosip_id} exists in MOSIP but is not active.")
    return found


def _centre_verify(actor, centre: Centre) -> Centre:
    _fetch_centre(centre.mosip_id, centre.lang_code)
    with transaction.atomic():
        first_time = centre.state != MosipState.ACTIVE
        centre.state = MosipState.ACTIVE
        centre.verified_at = timezone.now()
        centre.save(update_fields=["state", "verified_at"])
        if first_time:
            audit_record(
                actor=actor, action="onboarding.centre_activated", target=centre
            )
    return centre


def _centre_required() -> Centre:
    centre = centre_current()
    if centre is None or centre.state != MosipState.ACTIVE:
        raise OnboardingError("Set up the registration centre first.")
    return centre


# Machine ----------------------------------------------------------------------------


def machine_current() -> Machine | None:
    return Machine.objects.filter(retired_at__isnull=True).order_by("-id").first()


def _machine_request(centre: Centre, name: str, public_key: str, spec_id: str) -> dict:
    return {
        "name": name, "serialNum": name, "macAddress": "00-00-00-00-00-00",
        "ipAddress": "127.0.0.1", "machineSpecId": spec_id,
        "regCenterId": centre.mosip_id, "zoneCode": centre.zone_code,
        "langCode": centre.lang_code, "isActive": True,
        "publicKey": public_key, "signPublicKey": public_key,
    }  # fmt: skip


def _machine_register(
    actor, session, centre: Centre, name: str, key_source: str, spec_id: str,
    replaces: Machine | None = None,
) -> Machine:  # fmt: skip
    if key_source == KeySource.SERVER:
        with mosip_step("Reading MOSIP's server signing key"):
            public_key, private_pem = remote.server_public_key(session), ""
    else:
        public_key, private_pem = keys.new_key_pair()
    with mosip_step(f"Registering machine {name}"):
        created = remote.machine_create(
            session, _machine_request(centre, name, public_key, spec_id)
        )
    with transaction.atomic():
        machine = Machine.objects.create(
            mosip_id=str(created["id"]),
            name=name,
            centre=centre,
            key_source=key_source,
            public_key=public_key,
            private_key=private_pem,
            state=MosipState.CREATED,
            created_by_portal=True,
            replaces=replaces,
        )
        audit_record(
            actor=actor,
            action="onboarding.machine_created",
            target=machine,
            details={"key_source": key_source, "centre": centre.mosip_id},
        )
    return machine


def machine_setup(
    *, actor, admin: MosipAdmin, name: str = "crvs-portal-01",
    key_source: str = KeySource.GENERATED, spec_id: str = "1001",
) -> Machine:  # fmt: skip
    """Register the portal's machine with its key pair and activate it, or finish
    activating the one registered earlier."""
    centre = _centre_required()
    session = remote.mosip_admin(connection_required(), admin)
    machine = machine_current()
    if machine is None:
        machine = _machine_register(actor, session, centre, name, key_source, spec_id)
    if machine.state != MosipState.ACTIVE:
        with mosip_step(f"Activating machine {machine.mosip_id}"):
            remote.machine_activate(session, machine.mosip_id)
    return _machine_verify(actor, machine)


def machine_record_existing(*, actor, mosip_id: str) -> Machine:
    """Use a machine MOSIP already has (server key): active and in our centre."""
    centre = _centre_required()
    found = _fetch_machine(mosip_id, centre)
    with transaction.atomic():
        machine, _ = Machine.objects.update_or_create(
            mosip_id=mosip_id,
            defaults={
                "name": found.get("name") or mosip_id,
                "centre": centre,
                "key_source": KeySource.SERVER,
                "public_key": found.get("publicKey") or "",
                "state": MosipState.ACTIVE,
                "verified_at": timezone.now(),
            },
        )
        audit_record(actor=actor, action="onboarding.machine_recorded", target=machine)
    return machine


def _fetch_machine(mosip_id: str, centre: Centre) -> dict:
    with mosip_step(f"Reading machine {mosip_id} from MOSIP"):
        found = remote.machine_get(_portal(), mosip_id)
    if not found:
        raise OnboardingError(f"MOSIP has no machine {mosip_id}.")
    if not found.get("isActive"):
        raise OnboardingError(f"Machine {mosip_id} exists in MOSIP but is not active.")
    if str(found.get("regCenterId")) != centre.mosip_id:
        raise OnboardingError(
            f"Machine {mosip_id} belongs to centre {found.get('regCenterId')}, "
            f"not to centre {centre.mosip_id}."
        )
    return found


def _machine_verify(actor, machine: Machine) -> Machine:
    _fetch_machine(machine.mosip_id, machine.centre)
    with transaction.atomic():
        first_time = machine.state != MosipState.ACTIVE
        machine.state = MosipState.ACTIVE
        machine.verified_at = timezone.now()
        machine.save(update_fields=["state", "verified_at"])
        if first_time:
            audit_record(
                actor=actor, action="onboarding.machine_activated", target=machine
            )
    return machine


def machine_rotate_key(*, actor, admin: MosipAdmin) -> Machine:
    """A new key without downtime: register a machine with a fresh key pair in the
    same centre, activate and verify it, then move every office onto it. The old
    machine stays active in MOSIP, so packets already sent under it still pass."""
    from apps.onboarding.models import OfficeMapping

    old = machine_current()
    if old is None or old.state != MosipState.ACTIVE:
        raise OnboardingError("There is no active machine to rotate.")
    session = remote.mosip_admin(connection_required(), admin)
    generation = Machine.objects.filter(name__startswith=old.name.split("~")[0]).count()
    name = f"{old.name.split('~')[0]}~{generation + 1}"
    new = _machine_register(
        actor, session, old.centre, name, KeySource.GENERATED, "1001", replaces=old
    )
    with mosip_step(f"Activating machine {new.mosip_id}"):
        remote.machine_activate(session, new.mosip_id)
    new = _machine_verify(actor, new)
    with transaction.atomic():
        OfficeMapping.objects.filter(machine=old).update(machine=new)
        old.retired_at = timezone.now()
        old.save(update_fields=["retired_at"])
        audit_record(
            actor=actor,
            action="onboarding.machine_key_rotated",
            target=new,
            details={"previous_machine": old.mosip_id},
        )
    return new


# Officer ----------------------------------------------------------------------------


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
    with mosip_step(f"Setting up officer {user_id} in Keycloak"):
        admin = remote.keycloak_admin(connection.keycloak_url, keycloak_admin)
        created = False
        if create:
            created = remote.kc_ensure_user(admin, user_id, secrets.token_urlsafe(24))
        elif not remote.kc_user_exists(admin, user_id):
            raise OnboardingError(f"Keycloak has no user {user_id}.")
        remote.kc_ensure_user_roles(admin, user_id, [OFFICER_ROLE])
    with transaction.atomic():
        officer, _ = Officer.objects.get_or_create(user_id=user_id)
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
        raise OnboardingError("Set up the default officer first.")
    return officer


def officer_map(*, actor, admin: MosipAdmin) -> Officer:
    """Zone mapping, activate, centre mapping, activate — MOSIP's strict order
    (§2.4). Each part already done is recognised and skipped."""
    centre = _centre_required()
    officer = _officer_required()
    session = remote.mosip_admin(connection_required(), admin)
    if officer.zone_mapping != MosipState.ACTIVE:
        with mosip_step("Mapping the officer to the centre's zone"):
            remote.zone_user_ensure(
                session, officer.user_id, centre.zone_code, centre.lang_code
            )
            remote.zone_user_activate(session, officer.user_id)
        _officer_save(actor, officer, "zone_mapped", zone_code=centre.zone_code,
                      zone_mapping=MosipState.ACTIVE)  # fmt: skip
    if officer.centre_mapping != MosipState.ACTIVE or officer.centre_id != centre.id:
        with mosip_step("Mapping the officer to the centre"):
            remote.user_centre_ensure(
                session, officer.user_id, centre.mosip_id, centre.lang_code
            )
            remote.user_centre_activate(session, officer.user_id)
        _officer_save(actor, officer, "centre_mapped", centre=centre,
                      centre_mapping=MosipState.ACTIVE)  # fmt: skip
    return officer_verify(actor=actor)


def _officer_save(actor, officer: Officer, what: str, **fields) -> None:
    with transaction.atomic():
        for name, value in fields.items():
            setattr(officer, name, value)
        officer.save(update_fields=list(fields))
        audit_record(actor=actor, action=f"onboarding.officer_{what}", target=officer)


def officer_verify(*, actor=None) -> Officer:
    """The officer's centre mapping, read back from MOSIP: active, our centre."""
    centre = _centre_required()
    officer = _officer_required()
    with mosip_step(f"Reading officer {officer.user_id}'s mapping from MOSIP"):
        details = remote.user_details(_portal(), officer.user_id)
    problem = officer_mapping_problem(details, centre)
    if problem:
        raise OnboardingError(problem)
    officer.verified_at = timezone.now()
    officer.save(update_fields=["verified_at"])
    return officer


def officer_mapping_problem(details: dict | None, centre: Centre) -> str:
    if not details:
        return "MOSIP has no centre mapping for the officer (KER-USR-007)."
    if str(details.get("regCenterId")) != centre.mosip_id:
        return (
            f"The officer is mapped to centre {details.get('regCenterId')} in MOSIP, "
            f"not to {centre.mosip_id}."
        )
    if not details.get("isActive"):
        return "The officer's centre mapping exists in MOSIP but is not active."
    return ""
