"""Step 4: the portal's one machine and its key, created, recorded or rotated.

Packet manager signs every sub-packet with MOSIP's server signing key and verifies
it against the signPublicKey of the machine the packet names, so the machine
carries that key (KeySource.SERVER); MOSIP takes a key for one machine only
(KER-MSD-414), so every office's packets name this machine
(docs/mosip/machines-and-packets.md)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.onboarding import keys, remote
from apps.onboarding.models import Centre, KeySource, Machine, MosipState
from apps.onboarding.queries import current_machine, forget_sending_settings
from apps.onboarding.services.common import (
    MosipAdmin,
    OnboardingError,
    connection_required,
    mosip_step,
)
from apps.onboarding.services.masterdata.centre import centre_required


def machine_current() -> Machine | None:
    return current_machine()


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
        with mosip_step(_("Reading MOSIP's server signing key")):
            public_key, private_pem = remote.server_public_key(session), ""
    else:
        public_key, private_pem = keys.new_key_pair()
    with mosip_step(_("Registering machine %(machine)s") % {"machine": name}):
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
    key_source: str = KeySource.SERVER, spec_id: str = "1001",
) -> Machine:  # fmt: skip
    """Register the portal's machine (in the current centre) with its key and
    activate it, or finish activating the one registered earlier."""
    centre = centre_required()
    session = remote.mosip_admin(connection_required(), admin)
    machine = machine_current()
    if machine is None:
        machine = _machine_register(actor, session, centre, name, key_source, spec_id)
    if machine.state != MosipState.ACTIVE:
        with mosip_step(
            _("Activating machine %(machine)s") % {"machine": machine.mosip_id}
        ):
            remote.machine_activate(session, machine.mosip_id)
    return _machine_verify(actor, session, machine)


def machine_record_existing(*, actor, admin: MosipAdmin, mosip_id: str) -> Machine:
    """Use a machine MOSIP already has: active, and carrying the server signing
    key. Read as the MOSIP admin (getmachinesidlangcode lists none of the client's
    roles)."""
    centre = centre_required()
    session = remote.mosip_admin(connection_required(), admin)
    found = _fetch_machine(session, mosip_id)
    with mosip_step(_("Reading MOSIP's server signing key")):
        server_key = remote.server_public_key(session)
    if not keys.same_public_key(found.get("signPublicKey"), server_key):
        raise OnboardingError(
            _(
                "Machine %(machine)s does not carry MOSIP's server signing key, so "
                "packet manager would fail every packet naming it (%(error)s). Use "
                "the machine that carries the key."
            )
            % {
                "machine": mosip_id,
                "error": '"Packet Integrity and Signature check failed"',
            }
        )
    with transaction.atomic():
        machine, _created = Machine.objects.update_or_create(
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


def _fetch_machine(session, mosip_id: str) -> dict:
    # Which centre the machine sits in does not matter to MOSIP's CMD validator.
    with mosip_step(
        _("Reading machine %(machine)s from MOSIP as the MOSIP admin")
        % {"machine": mosip_id}
    ):
        found = remote.machine_get(session, mosip_id)
    if not found:
        raise OnboardingError(
            _("MOSIP has no machine %(machine)s.") % {"machine": mosip_id}
        )
    if not found.get("isActive"):
        raise OnboardingError(
            _("Machine %(machine)s exists in MOSIP but is not active.")
            % {"machine": mosip_id}
        )
    return found


def _machine_verify(actor, session, machine: Machine) -> Machine:
    _fetch_machine(session, machine.mosip_id)
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


def machine_rotate_key(
    *, actor, admin: MosipAdmin, machine: Machine | None = None
) -> Machine:
    """A new generated key without downtime: register a machine with a fresh key
    pair in the same centre, activate and verify it; every office's packets then
    name it. The old machine stays active in MOSIP, so packets already sent under
    it still pass. The server signing key belongs to MOSIP's keymanager and one
    machine only: it is not rotated from here."""
    old = machine or machine_current()
    if old is None or old.state != MosipState.ACTIVE or old.retired_at is not None:
        raise OnboardingError(_("There is no active machine to rotate."))
    if old.key_source == KeySource.SERVER:
        raise OnboardingError(
            _(
                "Machine %(machine)s carries MOSIP's server signing key, which "
                "MOSIP's keymanager holds and rotates; no other machine may carry it "
                "(%(code)s). Nothing to rotate here."
            )
            % {"machine": old.mosip_id, "code": "KER-MSD-414"}
        )
    session = remote.mosip_admin(connection_required(), admin)
    generation = Machine.objects.filter(name__startswith=old.name.split("~")[0]).count()
    name = f"{old.name.split('~')[0]}~{generation + 1}"
    new = _machine_register(
        actor, session, old.centre, name, KeySource.GENERATED, "1001", replaces=old
    )
    with mosip_step(_("Activating machine %(machine)s") % {"machine": new.mosip_id}):
        remote.machine_activate(session, new.mosip_id)
    new = _machine_verify(actor, session, new)
    with transaction.atomic():
        transaction.on_commit(forget_sending_settings)
        old.retired_at = timezone.now()
        old.save(update_fields=["retired_at"])
        audit_record(
            actor=actor,
            action="onboarding.machine_key_rotated",
            target=new,
            details={"previous_machine": old.mosip_id},
        )
    return new
