"""Step 7 and what packets carry besides: the application-id scheme, process names,
the ID schema, the credential partner, office mappings and WebSub."""

import json

from django.apps import apps as django_apps
from django.db import transaction
from django.utils import timezone

from apps.audit.services import audit_record
from apps.onboarding import keys, remote
from apps.onboarding.models import (
    AidFormat,
    ApplicationIdScheme,
    CredentialPartner,
    MosipState,
    OfficeMapping,
    Officer,
    ProcessName,
)
from apps.onboarding.services.common import (
    OnboardingError,
    connection_required,
    mosip_step,
)
from apps.onboarding.services.masterdata import centre_current, officer_current

# packet-api.md §3.6: birth and death have CRVS processes in mosip-config. Stock MOSIP
# has no marriage or divorce process (docs/mosip/processes-and-schema.md): blank
# means none, and those events are registered without a packet until the operator
# adds a process to MOSIP and it is named here.
DEFAULT_PROCESSES = {
    "birth": "CRVS_NEW",
    "death": "CRVS_DEATH",
    "marriage": "",
    "divorce": "",
}
OPTIONAL_PROCESSES = frozenset({"marriage", "divorce"})
DEFAULT_SOURCE = "CRVS1"


def aid_scheme_confirm(*, actor, format: str = AidFormat.KERNEL) -> ApplicationIdScheme:
    if format not in AidFormat.values:
        raise OnboardingError("Unknown application-id format.")
    with transaction.atomic():
        scheme = ApplicationIdScheme.objects.select_for_update().first()
        scheme = scheme or ApplicationIdScheme(confirmed_at=timezone.now())
        scheme.format = format
        scheme.confirmed_at = timezone.now()
        scheme.save()
        audit_record(
            actor=actor, action="onboarding.aid_scheme_confirmed", target=scheme,
            details={"format": format},
        )  # fmt: skip
    return scheme


def process_names_save(
    *, actor, processes: dict[str, str], source: str = DEFAULT_SOURCE
) -> list[ProcessName]:
    unknown = set(processes) - set(DEFAULT_PROCESSES)
    if unknown:
        raise OnboardingError(f"Unknown event types: {', '.join(sorted(unknown))}.")
    if not source.strip() or any(
        not p.strip()
        for event_type, p in processes.items()
        if event_type not in OPTIONAL_PROCESSES
    ):
        raise OnboardingError("Births and deaths need a process name, and a source.")
    with transaction.atomic():
        saved = [
            ProcessName.objects.update_or_create(
                event_type=event_type,
                defaults={"process": process.strip(), "source": source.strip()},
            )[0]
            for event_type, process in processes.items()
        ]
        audit_record(
            actor=actor, action="onboarding.process_names_saved",
            details={"processes": processes, "source": source},
        )  # fmt: skip
    return saved


def _field_names(schema_json: str) -> set[str]:
    try:
        schema = json.loads(schema_json)
        return set(schema["properties"]["identity"]["properties"])
    except (ValueError, KeyError, TypeError):
        return set()


def id_schema_fetch(*, actor) -> dict:
    """Fetch MOSIP's latest ID schema; keep it when it is new, and say what changed
    (fields added and removed) since the version held before."""
    from apps.registrations.models import IdSchemaVersion
    from apps.registrations.services import id_schema_record

    with mosip_step("Fetching the latest ID schema"):
        version, schema_json = remote.latest_id_schema(
            remote.portal_config(connection_required())
        )
    current = IdSchemaVersion.objects.order_by("-fetched_at", "-id").first()
    if current and current.version == version and current.schema_json == schema_json:
        return {"version": version, "changed": False, "added": [], "removed": []}
    before = _field_names(current.schema_json) if current else set()
    after = _field_names(schema_json)
    with transaction.atomic():
        try:
            record = id_schema_record(version=version, schema_json=schema_json)
        except ValueError as exc:
            raise OnboardingError(f"MOSIP's ID schema cannot be read: {exc}") from exc
        changes = {
            "version": version,
            "previous_version": current.version if current else None,
            "changed": True,
            "added": sorted(after - before),
            "removed": sorted(before - after),
        }
        audit_record(
            actor=actor, action="onboarding.id_schema_fetched", target=record,
            details=changes,
        )  # fmt: skip
    return changes


def partner_setup(
    *, actor, partner_id: str = "", organisation: str = "Civil Registry",
    email: str = "registry@example.org", phone: str = "+000000000",
    address: str = "Civil Registry HQ",
) -> CredentialPartner:  # fmt: skip
    """Register the credential partner and upload its certificate; the key pair is
    generated once and kept (private key encrypted). Re-running re-uploads the same
    certificate. The partner id defaults to the client id: MOSIP's hub lets only an
    identity named like the partner subscribe to its credentials (§4.3)."""
    connection = connection_required()
    partner_id = (partner_id or connection.client_id).strip()
    existing = CredentialPartner.objects.filter(partner_id=partner_id).first()
    if existing:
        certificate, private_key = existing.certificate, existing.private_key
    else:
        certificate, private_key = keys.new_partner_certificate(partner_id)
    config = remote.portal_config(connection)
    with mosip_step(f"Registering credential partner {partner_id}"):
        remote.partner_register(
            config,
            {
                "partnerId": partner_id, "organizationName": organisation,
                "address": address, "contactNumber": phone, "emailId": email,
                "partnerType": "Credential_Partner",
                "policyGroup": "mpolicygroup-default-crvs", "langCode": "eng",
            },
        )  # fmt: skip
    with mosip_step(f"Uploading the certificate of partner {partner_id}"):
        certificate_id = remote.partner_upload_certificate(
            config, partner_id, certificate
        )
    now = timezone.now()
    with transaction.atomic():
        partner, created = CredentialPartner.objects.update_or_create(
            partner_id=partner_id,
            defaults={
                "certificate": certificate,
                "private_key": private_key,
                "certificate_id": certificate_id or "",
                "registered_at": existing.registered_at if existing else now,
                "certificate_uploaded_at": now,
            },
        )
        audit_record(
            actor=actor,
            action="onboarding.partner_registered"
            if created
            else "onboarding.partner_certificate_uploaded",
            target=partner,
        )
    return partner


def office_mapping_set(
    *, actor, office=None, centre=None, machine=None, officer=None
) -> OfficeMapping:
    """Send `office`'s events (None: every office without its own) under a centre,
    its machine and an officer mapped to it (by default the current ones)."""
    centre = centre or centre_current()
    machine = machine or (
        centre
        and centre.machines.filter(retired_at__isnull=True).order_by("-id").first()
    )
    officer = officer or (
        centre and Officer.objects.filter(centre=centre).order_by("-id").first()
    ) or officer_current()  # fmt: skip
    if not (centre and machine and officer) or not officer.is_mapped:
        raise OnboardingError(
            "Centre, machine and a mapped officer are needed before offices can be "
            "mapped."
        )
    if centre.state != MosipState.ACTIVE or machine.state != MosipState.ACTIVE:
        raise OnboardingError("The centre and the machine must be active first.")
    if machine.centre_id != centre.id or machine.retired_at is not None:
        raise OnboardingError(
            f"Machine {machine.mosip_id} is not in use at centre {centre.mosip_id}."
        )
    if officer.centre_id != centre.id:
        raise OnboardingError(
            f"Officer {officer.user_id} is mapped to another centre in MOSIP; an "
            "officer belongs to one centre."
        )
    with transaction.atomic():
        mapping, _ = OfficeMapping.objects.update_or_create(
            office=office,
            defaults={"centre": centre, "machine": machine, "officer": officer},
        )
        audit_record(
            actor=actor, action="onboarding.office_mapped", target=mapping,
            details={"office": office.code if office else None,
                     "centre": centre.mosip_id, "machine": machine.mosip_id,
                     "officer": officer.user_id},
        )  # fmt: skip
    return mapping


def websub_installed() -> bool:
    return django_apps.is_installed("apps.websub")


def websub_ensure(*, actor, base_url: str | None = None):
    """Subscribe (or renew) the portal's WebSub subscriptions, each with its own
    secret; owned by the WebSub part of the portal. `base_url` is the portal's
    address as MOSIP's hub reaches it (default: WEBSUB_CALLBACK_BASE_URL)."""
    if not websub_installed():
        raise OnboardingError(
            "The WebSub part of the portal is not installed, so the subscriptions "
            "cannot be set up yet."
        )
    from apps.websub import services as websub_services

    partner = CredentialPartner.objects.order_by("-id").first()
    if partner is None:
        raise OnboardingError("Register the credential partner first.")
    try:
        return websub_services.subscriptions_ensure(
            base_url=base_url or None, partner_id=partner.partner_id, actor=actor
        )
    except ValueError as exc:
        raise OnboardingError(
            f"WebSub needs {exc}: set it, then run this step again."
        ) from exc
