"""What packets carry besides the centre, machine and officer: process names, the ID
schema, the credential partner and office mappings."""

import datetime
import json
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import audit_record
from apps.onboarding import keys, remote
from apps.onboarding.id_schema import parse_id_schema
from apps.onboarding.models import (
    DEFAULT_POLICY_NAME,
    DEFAULT_PROCESSES,
    DEFAULT_SOURCE,
    CredentialPartner,
    IdSchemaVersion,
    MosipState,
    OfficeMapping,
    Officer,
    ProcessName,
)
from apps.onboarding.queries import current_machine
from apps.onboarding.services.common import (
    KeycloakAdmin,
    MosipAdmin,
    OnboardingError,
    connection_required,
    mosip_step,
)
from apps.onboarding.services.masterdata import centre_current, officer_current

OPTIONAL_PROCESSES = frozenset({"marriage", "divorce"})
# The partner's user: postpartnerscertificateupload / postpartnerscredentialtypepolicies.
PARTNER_ROLES = ["CREDENTIAL_PARTNER"]


def process_names_save(
    *, actor, processes: dict[str, str], source: str = DEFAULT_SOURCE
) -> list[ProcessName]:
    unknown = set(processes) - set(DEFAULT_PROCESSES)
    if unknown:
        raise OnboardingError(
            _("Unknown event types: %(event_types)s.")
            % {"event_types": ", ".join(sorted(unknown))}
        )
    if not source.strip() or any(
        not p.strip()
        for event_type, p in processes.items()
        if event_type not in OPTIONAL_PROCESSES
    ):
        raise OnboardingError(_("Births and deaths need a process name, and a source."))
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


def id_schema_record(
    *, version: str, schema_json: str, fetched_at: datetime.datetime | None = None
) -> IdSchemaVersion:
    """Keep an ID schema MOSIP published, after checking it can be read."""
    parse_id_schema(schema_json, version=version)
    float(version)  # packet manager parses schemaVersion as a number (§3.2)
    return IdSchemaVersion.objects.create(
        version=version,
        schema_json=schema_json,
        fetched_at=fetched_at or timezone.now(),
    )


def id_schema_fetch(*, actor) -> dict:
    """Fetch MOSIP's latest ID schema; keep it when it is new, and say what changed
    (fields added and removed) since the version held before."""
    with mosip_step(_("Fetching the latest ID schema")):
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
            raise OnboardingError(
                _("MOSIP's ID schema cannot be read: %(error)s") % {"error": exc}
            ) from exc
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


def _partner_keys(existing, partner_id: str, organisation: str) -> dict:
    """The CA and partner certificate to use: the kept ones while they still fit
    (issued by the portal's CA for this organisation), else new ones."""
    if (
        existing
        and existing.ca_certificate
        and existing.ca_private_key
        and keys.certificate_organisation(existing.certificate) == organisation
    ):
        return {
            "ca_certificate": existing.ca_certificate,
            "ca_private_key": existing.ca_private_key,
            "certificate": existing.certificate,
            "private_key": existing.private_key,
        }
    ca_certificate, ca_private_key = keys.new_partner_ca(organisation)
    certificate, private_key = keys.new_partner_certificate(
        partner_id, organisation, ca_certificate, ca_private_key
    )
    return {
        "ca_certificate": ca_certificate,
        "ca_private_key": ca_private_key,
        "certificate": certificate,
        "private_key": private_key,
    }


def partner_setup(
    *, actor, keycloak_admin: KeycloakAdmin | None, partner_admin: MosipAdmin | None,
    policy_group: str, policy_name: str = DEFAULT_POLICY_NAME, partner_id: str = "",
    organisation: str = "Civil Registry", email: str = "registry@example.org",
    phone: str = "+000000000", address: str = "Civil Registry HQ",
    credential_type: str = "vercred",
) -> CredentialPartner:  # fmt: skip
    """Make the portal MOSIP's credential partner as PMS v1.2.0.1 requires
    (docs/mosip/credential-partner.md):

    1. the portal's own CA and a partner certificate it issues, O= `organisation`
       (keys kept, encrypted);
    2. Keycloak (admin typed for the step): the partner's user, named like the
       partner id, with a generated password kept encrypted, role
       CREDENTIAL_PARTNER; password sign-in allowed on the portal's client;
    3. the CA uploaded by the partner admin typed for the step (never stored);
    4. as the partner's user: self-registration in `policy_group` (PMS_PRT_011 /
       PMS_PRT_051 on a re-run mean it exists), the certificate upload (MOSIP
       answers it re-signed: kept, credentials are encrypted for it), and the
       mapping of `credential_type` to `policy_name`.

    The partner id defaults to the client id: MOSIP's hub lets only an identity
    named like the partner subscribe to its credentials (§4.3)."""
    policy_group = (policy_group or "").strip()
    policy_name = (policy_name or DEFAULT_POLICY_NAME).strip()
    if not policy_group:
        raise OnboardingError(
            _(
                "Credential partner: give the MOSIP policy group the partner joins (a "
                "partner admin creates it in MOSIP's partner management)."
            )
        )
    if keycloak_admin is None:
        raise OnboardingError(
            _(
                "Credential partner: the Keycloak admin is needed to create the "
                "partner's user."
            )
        )
    if partner_admin is None or not partner_admin.username:
        raise OnboardingError(
            _(
                "Credential partner: a MOSIP partner admin (PARTNER_ADMIN) is needed "
                "to upload the CA certificate."
            )
        )
    connection = connection_required()
    partner_id = (partner_id or connection.client_id).strip()
    existing = CredentialPartner.objects.filter(partner_id=partner_id).first()
    material = _partner_keys(existing, partner_id, organisation)
    password = (existing and existing.keycloak_password) or secrets.token_urlsafe(24)
    with mosip_step(
        _("Creating Keycloak user %(partner)s for the partner")
        % {"partner": partner_id}
    ):
        session = remote.keycloak_admin(connection.keycloak_url, keycloak_admin)
        remote.kc_enable_password_sign_in(session, connection.client_id)
        remote.kc_set_user_password(session, partner_id, password)
        remote.kc_ensure_user_roles(session, partner_id, PARTNER_ROLES)
    with mosip_step(_("Uploading the partner's CA certificate (partner admin)")):
        remote.ca_certificate_upload(
            remote.mosip_admin(connection, partner_admin), material["ca_certificate"]
        )
    as_partner = remote.partner_identity(connection, partner_id, password)
    try:
        with mosip_step(
            _("Registering credential partner %(partner)s") % {"partner": partner_id}
        ):
            remote.partner_register(
                as_partner,
                {
                    "partnerId": partner_id, "organizationName": organisation,
                    "address": address, "contactNumber": phone, "emailId": email,
                    "partnerType": "Credential_Partner", "policyGroup": policy_group,
                    "langCode": "eng",
                },
            )  # fmt: skip
    except OnboardingError as exc:
        if exc.code == "PMS_PRT_002":
            raise OnboardingError(
                _(
                    "Registering credential partner %(partner)s: %(code)s: MOSIP has "
                    "no policy group %(group)s. A partner admin creates it (with a "
                    "published policy %(policy)s sharing UIN), or give the name of an "
                    "existing group."
                )
                % {
                    "partner": partner_id,
                    "code": "PMS_PRT_002",
                    "group": repr(policy_group),
                    "policy": repr(policy_name),
                },
                code=exc.code,
            ) from exc
        raise
    with mosip_step(
        _("Uploading the certificate of partner %(partner)s") % {"partner": partner_id}
    ):
        uploaded = remote.partner_upload_certificate(
            as_partner, partner_id, material["certificate"]
        )
    with mosip_step(
        _(
            "Mapping credential type %(credential_type)s of partner %(partner)s to "
            "policy %(policy)s of group %(group)s"
        )
        % {
            "credential_type": credential_type,
            "partner": partner_id,
            "policy": repr(policy_name),
            "group": repr(policy_group),
        }
    ):
        remote.credential_type_map(as_partner, partner_id, credential_type, policy_name)
    now = timezone.now()
    with transaction.atomic():
        partner, created = CredentialPartner.objects.update_or_create(
            partner_id=partner_id,
            defaults={
                **material,
                "organisation": organisation,
                "signed_certificate": uploaded.signed_certificate,
                "certificate_id": uploaded.certificate_id or "",
                "keycloak_password": password,
                "policy_group": policy_group,
                "policy_name": policy_name,
                "credential_type": credential_type,
                "registered_at": existing.registered_at if existing else now,
                "certificate_uploaded_at": now,
                "policy_mapped_at": now,
            },
        )
        audit_record(
            actor=actor,
            action="onboarding.partner_registered"
            if created
            else "onboarding.partner_certificate_uploaded",
            target=partner,
            details={"policy_group": policy_group, "policy": policy_name,
                     "credential_type": credential_type},
        )  # fmt: skip
    return partner


def office_mapping_set(
    *, actor, office=None, centre=None, officer=None
) -> OfficeMapping:
    """Send `office`'s events (None: every office without its own) under a centre
    and an officer mapped to it (by default the current ones). Every office's
    packets name the portal's one machine, which need not be in that centre
    (CMD validation does not tie them, docs/mosip/machines-and-packets.md §4)."""
    centre = centre or centre_current()
    officer = officer or (
        centre and Officer.objects.filter(centre=centre).order_by("-id").first()
    ) or officer_current()  # fmt: skip
    machine = current_machine()
    if not (centre and machine and officer) or not officer.is_mapped:
        raise OnboardingError(
            _(
                "A centre, the machine and a mapped officer are needed before offices "
                "can be mapped."
            )
        )
    if centre.state != MosipState.ACTIVE or machine.state != MosipState.ACTIVE:
        raise OnboardingError(_("The centre and the machine must be active first."))
    if officer.centre_id != centre.id:
        raise OnboardingError(
            _(
                "Officer %(officer)s is mapped to another centre in MOSIP; an officer "
                "belongs to one centre."
            )
            % {"officer": officer.user_id}
        )
    with transaction.atomic():
        mapping, _created = OfficeMapping.objects.update_or_create(
            office=office, defaults={"centre": centre, "officer": officer}
        )
        audit_record(
            actor=actor, action="onboarding.office_mapped", target=mapping,
            details={"office": office.code if office else None,
                     "centre": centre.mosip_id, "machine": machine.mosip_id,
                     "officer": officer.user_id},
        )  # fmt: skip
    return mapping
