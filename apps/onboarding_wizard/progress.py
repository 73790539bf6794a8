"""What the wizard shows of its progress: each step, whether it is done, and the
next application id the default mapping would get."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.mosip.application_ids import AID_SEQUENCE_MAX, application_id_format
from apps.onboarding.models import (
    Centre,
    Connection,
    CredentialPartner,
    EsignetClient,
    IdaPartner,
    IdSchemaVersion,
    MosipState,
    OfficeMapping,
    Officer,
    ProcessName,
)
from apps.onboarding.queries import connection, current_machine, office_mapping
from apps.onboarding.services import missing_roles
from apps.registrations.models import ApplicationIdCounter
from apps.websub.queries import subscription_health


def aid_preview() -> str | None:
    """The next application id the default mapping would get, without using it."""
    mapping = office_mapping(None)
    centre = mapping.centre if mapping else Centre.objects.order_by("-id").first()
    machine = current_machine()
    if centre is None or machine is None:
        return None
    counter = ApplicationIdCounter.objects.filter(
        centre_id=centre.mosip_id, machine_id=machine.mosip_id
    ).first()
    last = counter.last_value if counter else 0
    return application_id_format(
        centre_id=centre.mosip_id,
        machine_id=machine.mosip_id,
        sequence=last % AID_SEQUENCE_MAX + 1,
        at=timezone.now(),
    )


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    url_name: str
    done: bool
    summary: str


def wizard_steps() -> list[Step]:
    """The wizard's steps in MOSIP's order, each with whether it is done."""
    conn = connection()
    centre = Centre.objects.order_by("-id").first()
    machine = current_machine()
    officer = Officer.objects.order_by("-id").first()
    partner = CredentialPartner.objects.order_by("-id").first()
    ida_partner = IdaPartner.objects.order_by("-id").first()
    schema = IdSchemaVersion.objects.order_by("-fetched_at", "-id").first()
    processes = ProcessName.objects.count()
    default_mapping = OfficeMapping.objects.filter(office__isnull=True).first()
    subscriptions = subscription_health()
    esignet = EsignetClient.objects.order_by("-id").first()
    active = MosipState.ACTIVE
    steps = [
        ("client", _("Keycloak client and roles"), conn and conn.verified_at,
         conn and f"{conn.client_id} ({conn.get_token_source_display()})"),
        ("token", _("Token check"), conn and conn.token_checked_at,
         conn and conn.token_checked_at and _roles_summary(conn)),
        ("centre", _("Registration centre"), centre and centre.state == active,
         centre and f"{centre.mosip_id} · {centre.get_state_display()}"),
        ("machine", _("Machine (one for every office)"), machine and machine.state == active,
         machine and f"{machine.mosip_id} · {machine.get_key_source_display()}"),
        ("officer", _("Default officer"), officer is not None, officer and officer.user_id),
        ("mappings", _("Officer mappings"), officer and officer.is_mapped,
         officer and officer.is_mapped and _("zone %(zone)s, centre %(centre)s") % {
             "zone": officer.zone_code,
             "centre": officer.centre.mosip_id if officer.centre else "—"}),
        ("schema", _("ID schema"), schema is not None,
         schema and _("version %(version)s") % {"version": schema.version}),
        ("processes", _("Process names"), processes > 0,
         processes and _("%(count)s event types") % {"count": processes}),
        ("partner", _("Credential partner"), partner and partner.certificate_uploaded_at,
         partner and partner.partner_id),
        ("ida", _("IDA authentication partner"),
         ida_partner and ida_partner.complete and ida_partner.verified_at,
         ida_partner and ida_partner.partner_id),
        ("offices", _("Office mappings"), default_mapping is not None,
         default_mapping and _("default → centre %(centre)s") % {
             "centre": default_mapping.centre.mosip_id}),
        ("websub", _("WebSub subscriptions"), subscriptions["ok"], subscriptions["detail"]),
        ("esignet", _("e-Signet client (informant verification)"),
         esignet and esignet.is_registered, esignet and esignet.client_id),
    ]  # fmt: skip
    return [
        Step(key, title, f"onboarding:step-{key}", bool(done), summary or "")
        for key, title, done, summary in steps
    ]


def _roles_summary(connection: Connection) -> str:
    missing = missing_roles(connection)
    if missing:
        return _("lacks %(missing)s of the %(count)s roles it needs") % {
            "missing": len(missing),
            "count": len(connection.roles),
        }
    return _("all %(count)s roles the portal needs") % {"count": len(connection.roles)}


@dataclass(frozen=True)
class Progress:
    """The wizard's steps, counted: how many are done, and the first still to do."""

    steps: list[Step]

    @property
    def done(self) -> int:
        return sum(s.done for s in self.steps)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def next_step(self) -> Step | None:
        return next((s for s in self.steps if not s.done), None)


def onboarding_progress() -> Progress:
    return Progress(wizard_steps())
