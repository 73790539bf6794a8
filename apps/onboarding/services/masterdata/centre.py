"""Step 3: the portal's registration centre, created or recorded, then verified."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.onboarding import remote
from apps.onboarding.models import Centre, MosipState
from apps.onboarding.services.common import (
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
        # Open around the clock. MOSIP 1.2's CMD validator only refuses packets
        # made on the holiday location's holidays (machines-and-packets.md §4).
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


def centre_current() -> Centre | None:
    return Centre.objects.order_by("-id").first()


def centre_setup(
    *, actor, admin: MosipAdmin, details: CentreDetails, another: bool = False
) -> Centre:
    """Create and activate the portal's registration centre, or finish activating
    the one created earlier; an active recorded centre is only re-verified.
    `another` creates one more centre (for offices of their own)."""
    pending = Centre.objects.filter(state=MosipState.CREATED).order_by("-id").first()
    centre = pending or (None if another else centre_current())
    session = remote.mosip_admin(connection_required(), admin)
    if centre is None:
        with mosip_step(_("Creating the registration centre")):
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
        with mosip_step(
            _("Activating centre %(centre)s") % {"centre": centre.mosip_id}
        ):
            remote.centre_activate(session, centre.mosip_id)
    return _centre_verify(actor, session, centre)


def centre_record_existing(
    *, actor, admin: MosipAdmin, mosip_id: str, lang_code: str = "eng"
) -> Centre:
    """Use a centre MOSIP already has; it must exist and be active. Read as the
    MOSIP admin: getregistrationcentersidlangcode lists none of the client's roles."""
    session = remote.mosip_admin(connection_required(), admin)
    found = _fetch_centre(session, mosip_id, lang_code)
    with transaction.atomic():
        centre, _created = Centre.objects.update_or_create(
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


def _fetch_centre(session, mosip_id: str, lang_code: str) -> dict:
    with mosip_step(
        _("Reading centre %(centre)s from MOSIP as the MOSIP admin")
        % {"centre": mosip_id}
    ):
        found = remote.centre_get(session, mosip_id, lang_code)
    if not found:
        raise OnboardingError(
            _("MOSIP has no registration centre %(centre)s.") % {"centre": mosip_id}
        )
    if not found.get("isActive"):
        raise OnboardingError(
            _("Centre %(centre)s exists in MOSIP but is not active.")
            % {"centre": mosip_id}
        )
    return found


def _centre_verify(actor, session, centre: Centre) -> Centre:
    _fetch_centre(session, centre.mosip_id, centre.lang_code)
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


def centre_required() -> Centre:
    centre = centre_current()
    if centre is None or centre.state != MosipState.ACTIVE:
        raise OnboardingError(_("Set up the registration centre first."))
    return centre
