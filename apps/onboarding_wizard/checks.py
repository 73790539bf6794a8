"""The portal's own readiness checks, registered in the order of the wizard.

Each re-verifies its prerequisite against MOSIP (or the stored setting it needs)
and says in plain words what is wrong."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from apps.mosip.errors import MosipError
from apps.onboarding import keys, remote
from apps.onboarding.explain import credentials_not_configured, explain
from apps.onboarding.id_schema import id_schema_current
from apps.onboarding.models import (
    DEFAULT_PROCESSES,
    Centre,
    Connection,
    CredentialPartner,
    EsignetClient,
    IdaPartner,
    IdSchemaVersion,
    Machine,
    MosipState,
    OfficeMapping,
    Officer,
    ProcessName,
)
from apps.onboarding.queries import current_machine
from apps.onboarding.readiness import CheckResult, register_check
from apps.onboarding.services.ida import ida_probe
from apps.onboarding.services.masterdata import officer_mapping_problem
from apps.registrations.forms import unplaced_schema_fields
from apps.registrations.models import Packet, PacketStatus


class _Missing(Exception):
    pass


def _connection() -> Connection:
    connection = Connection.objects.first()
    if connection is None or connection.verified_at is None:
        raise _Missing("No MOSIP connection is set up.")
    return connection


def _guard(fn=None, *, service: str | None = None):
    """Missing setup and MOSIP errors become a red result with the reason; a
    refusal names the MOSIP configuration change that fixes it (`service`: the
    MOSIP service the check calls, when its error does not say)."""

    def decorate(check):
        def run() -> CheckResult:
            try:
                return check()
            except _Missing as exc:
                return CheckResult(False, str(exc))
            except MosipError as exc:
                return CheckResult(False, explain(exc, service=service))

        return run

    return decorate(fn) if fn is not None else decorate


@_guard
def check_connection() -> CheckResult:
    connection = _connection()
    claims = remote.token_claims(remote.portal_config(connection))
    return CheckResult(
        True, f"Token issued to {claims.get('azp', connection.client_id)}."
    )


@_guard
def check_roles() -> CheckResult:
    connection = _connection()
    claims = remote.token_claims(remote.portal_config(connection))
    held = set(claims.get("realm_access", {}).get("roles", []))
    missing = [r for r in connection.roles if r not in held]
    if missing:
        return CheckResult(False, "The token lacks: " + ", ".join(missing) + ".")
    return CheckResult(
        True, f"All {len(connection.roles)} roles the portal needs are in the token."
    )


def _centre() -> Centre:
    centre = Centre.objects.order_by("-id").first()
    if centre is None:
        raise _Missing("No registration centre is recorded.")
    return centre


def _in_use() -> tuple[list[Centre], list[Machine], list[Officer]]:
    """The current centre, the machine and officer, and every one an office maps
    to (the machine is the same for every office)."""
    mappings = list(OfficeMapping.objects.select_related("centre", "officer"))
    current_officer = Officer.objects.order_by("-id").first()
    centres = {_centre(), *(m.centre for m in mappings)}
    machines = {current_machine()} - {None}
    officers = ({m.officer for m in mappings} | {current_officer}) - {None}
    by_id = lambda objects: sorted(objects, key=lambda o: o.pk)  # noqa: E731
    return by_id(centres), by_id(machines), by_id(officers)


def _all_hold(problems: list[str], fine: list[str]) -> CheckResult:
    if problems:
        return CheckResult(False, " ".join(problems))
    return CheckResult(True, " ".join(fine))


@_guard(service="kernel")
def check_centre() -> CheckResult:
    """Needs the MOSIP admin: the portal's client holds none of the roles of
    getregistrationcentersidlangcode, so this reports the admin's last read-back
    (re-run the centre step to read it again)."""
    problems, fine = [], []
    for centre in _in_use()[0]:
        if centre.state != MosipState.ACTIVE or centre.verified_at is None:
            problems.append(
                f"Centre {centre.mosip_id} has not been read back active; run the "
                "centre step with the MOSIP admin."
            )
        else:
            fine.append(
                f"Centre {centre.mosip_id} read back active by the MOSIP admin on "
                f"{centre.verified_at:%Y-%m-%d %H:%M}."
            )
    if fine and not problems:
        fine.append(
            "The portal's client may not read centres itself "
            "(getregistrationcentersidlangcode): re-run the centre step to re-check."
        )
    return _all_hold(problems, fine)


@_guard(service="kernel")
def check_machine() -> CheckResult:
    """With the client's own token: the machine must carry the server signing key
    MOSIP's keymanager returns now (posttpmsigningpublickey lists
    REGISTRATION_OFFICER, which the client holds). Reading the machine itself needs
    the MOSIP admin (getmachinesidlangcode), so its state is the admin's last
    read-back."""
    machines = _in_use()[1]
    if not machines:
        raise _Missing("No machine is recorded.")
    (machine,) = machines
    if machine.state != MosipState.ACTIVE or machine.verified_at is None:
        return CheckResult(
            False,
            f"Machine {machine.mosip_id} has not been read back active; run the "
            "machine step with the MOSIP admin.",
        )
    server_key = remote.server_public_key(remote.portal_config(_connection()))
    if not keys.same_public_key(machine.public_key, server_key):
        return CheckResult(
            False,
            f"Machine {machine.mosip_id} does not carry MOSIP's server signing key: "
            "packet manager fails every packet it names unless the operator sets "
            "packetmanager.packet.signature.disable-verification=true.",
        )
    return CheckResult(
        True,
        f"Machine {machine.mosip_id} carries MOSIP's server signing key; read back "
        f"active by the MOSIP admin on {machine.verified_at:%Y-%m-%d %H:%M}.",
    )


@_guard(service="kernel")
def check_officer() -> CheckResult:
    config = remote.portal_config(_connection())
    problems, fine = [], []
    officers = _in_use()[2]
    if not officers:
        raise _Missing("No default officer is recorded.")
    for officer in officers:
        centre = officer.centre or _centre()
        details = remote.user_details(config, officer.user_id)
        problem = officer_mapping_problem(details, centre)
        if problem:
            problems.append(f"{officer.user_id}: {problem}")
        else:
            fine.append(f"{officer.user_id} is mapped to centre {centre.mosip_id}.")
    return _all_hold(problems, fine)


@_guard(service="syncdata")
def check_id_schema() -> CheckResult:
    stored = IdSchemaVersion.objects.order_by("-fetched_at", "-id").first()
    if stored is None:
        return CheckResult(False, "No ID schema has been fetched from MOSIP.")
    version, schema_json = remote.latest_id_schema(remote.portal_config(_connection()))
    if version != stored.version or schema_json != stored.schema_json:
        return CheckResult(
            False,
            f"MOSIP publishes version {version}; the portal holds {stored.version}.",
        )
    unplaced = unplaced_schema_fields(id_schema_current())
    if unplaced:
        return CheckResult(
            True,
            f"Version {version} is current. No event form asks for "
            + ", ".join(unplaced)
            + ": MOSIP receives these fields empty (fine unless a process needs them).",
        )
    return CheckResult(True, f"Version {version} is current.")


def check_processes() -> CheckResult:
    named = set(ProcessName.objects.values_list("event_type", flat=True))
    missing = [t for t in DEFAULT_PROCESSES if t not in named]
    if missing:
        return CheckResult(False, "No process name for: " + ", ".join(missing) + ".")
    # Stock MOSIP has no marriage or divorce process: a blank name is a choice.
    without = list(
        ProcessName.objects.filter(process="").values_list("event_type", flat=True)
    )
    if without:
        return CheckResult(
            True,
            "Every event type has its setting; "
            + ", ".join(t for t in DEFAULT_PROCESSES if t in without)
            + " events are registered without MOSIP (no MOSIP process named).",
        )
    return CheckResult(True, "Every event type has its process.")


def check_partner() -> CheckResult:
    partner = CredentialPartner.objects.order_by("-id").first()
    if partner is None or partner.certificate_uploaded_at is None:
        return CheckResult(False, "The credential partner is not registered.")
    _, not_after = keys.certificate_validity(partner.certificate)
    if not_after <= timezone.now():
        return CheckResult(False, "The partner certificate has expired.")
    return CheckResult(
        True, f"{partner.partner_id}, certificate valid until {not_after:%Y-%m-%d}."
    )


def check_ida() -> CheckResult:
    """A harmless authentication (a UIN no one holds) shows whether IDA takes the
    partner's requests: licence key, API key, policy, certificates."""
    partner = IdaPartner.objects.order_by("-id").first()
    if partner is None or not partner.complete:
        return CheckResult(
            False,
            "The portal is not an IDA authentication partner yet: national IDs "
            "typed into forms are not checked with MOSIP. Run the IDA step.",
        )
    if partner.licence_expires_at and partner.licence_expires_at <= timezone.now():
        return CheckResult(
            False,
            f"The licence key of MISP {partner.misp_id or '(given)'} expired on "
            f"{partner.licence_expires_at:%Y-%m-%d}: run the IDA step for a new one.",
        )
    probe = ida_probe(partner)
    if not probe.ok:
        return CheckResult(False, probe.reason)
    IdaPartner.objects.filter(pk=partner.pk).update(verified_at=timezone.now())
    until = (
        f"; licence valid until {partner.licence_expires_at:%Y-%m-%d}"
        if partner.licence_expires_at
        else ""
    )
    return CheckResult(
        True,
        f"{partner.partner_id}: IDA accepted a request and signed its answer{until}.",
    )


# How long a processed birth may wait for its credential before the check says
# MOSIP is not issuing it (the credential follows the workflow within minutes).
CREDENTIAL_WAIT = timedelta(hours=1)


def check_credentials() -> CheckResult:
    """Births MOSIP processed whose credential (the UIN) never came: MOSIP is not
    configured to issue credentials to the portal's partner."""
    if not CredentialPartner.objects.exists():
        return CheckResult(
            False, "No credential partner yet: MOSIP has nobody to send credentials to."
        )
    birth = ProcessName.objects.filter(event_type="birth").first()
    waiting = Packet.objects.filter(
        status=PacketStatus.PROCESSED,
        process=birth.process if birth else "CRVS_NEW",
        uin="",
        processed_at__lt=timezone.now() - CREDENTIAL_WAIT,
    ).count()
    if waiting:
        return CheckResult(
            False,
            f"{waiting} processed birth(s) got no credential within "
            f"{CREDENTIAL_WAIT.seconds // 3600} hour. " + credentials_not_configured(),
        )
    return CheckResult(True, "No processed birth is waiting for its credential.")


def check_offices() -> CheckResult:
    default = OfficeMapping.objects.filter(office__isnull=True).first()
    if default is None:
        return CheckResult(False, "No default office mapping.")
    stale = [
        str(m.office or "default")
        for m in OfficeMapping.objects.select_related("centre", "office")
        if m.centre.state != MosipState.ACTIVE
    ]
    if stale:
        return CheckResult(False, "Mapped to an inactive centre: " + ", ".join(stale))
    return CheckResult(True, "Every office sends under an active centre.")


# What the informant step fills from e-Signet; the Auth policy must share them.
ESIGNET_CLAIMS = ("name", "birthdate", "individual_id")


@_guard(service="partner-management")
def check_esignet() -> CheckResult:
    """e-Signet answers its discovery, and partner management holds the portal's
    client active, with the portal's redirect URI and the claims the informant step
    fills (docs/identity-verification.md)."""
    client = EsignetClient.objects.order_by("-id").first()
    if client is None or not client.is_registered:
        if not settings.ESIGNET_URL:
            return CheckResult(
                True,
                "Not set up (ESIGNET_URL is empty): registrars type informants' "
                "details without verifying them.",
            )
        return CheckResult(
            False,
            "No e-Signet client is registered: registrars cannot verify informants.",
        )
    remote.esignet_discover(client.esignet_url)
    partner = IdaPartner.objects.filter(partner_id=client.partner_id).first()
    if partner is None:
        return CheckResult(
            False,
            f"Authentication partner {client.partner_id} is no longer recorded: run "
            "the IDA step, then the e-Signet step again.",
        )
    as_partner = remote.partner_identity(
        _connection(), partner.partner_id, partner.keycloak_password
    )
    found = remote.oidc_client_get(as_partner, client.client_id)
    if found.status != "ACTIVE":
        return CheckResult(False, f"Client {client.client_id} is {found.status}.")
    if client.redirect_uri not in found.redirect_uris:
        return CheckResult(
            False,
            f"Client {client.client_id} does not list {client.redirect_uri}: run the "
            "e-Signet step again.",
        )
    missing = [c for c in ESIGNET_CLAIMS if c not in found.claims]
    if missing:
        return CheckResult(
            False,
            f"Client {client.client_id} may not receive {', '.join(missing)}: the "
            f"operator's Auth policy {client.policy_name!r} must share them.",
        )
    return CheckResult(
        True,
        f"e-Signet answers at {client.esignet_url}; client {client.client_id} is "
        "active.",
    )


_CHECKS = [
    ("onboarding.connection", "MOSIP connection and token", check_connection, "client"),
    ("onboarding.roles", "Client roles", check_roles, "token"),
    ("onboarding.centre", "Registration centre active (admin read-back)", check_centre, "centre"),
    ("onboarding.machine", "Machine carries the server signing key", check_machine, "machine"),
    ("onboarding.officer", "Officer mapped to the centre", check_officer, "mappings"),
    ("onboarding.schema", "ID schema current", check_id_schema, "schema"),
    ("onboarding.processes", "Process names per event type", check_processes, "processes"),
    ("onboarding.partner", "Credential partner and certificate", check_partner, "partner"),
    ("onboarding.ida", "IDA authentication partner", check_ida, "ida"),
    ("onboarding.offices", "Office mappings", check_offices, "offices"),
    ("onboarding.credentials", "Credentials arriving", check_credentials, "partner"),
    ("onboarding.esignet", "e-Signet reachable, client active", check_esignet, "esignet"),
]  # fmt: skip


def register_all() -> None:
    """Register the checks; WebSub registers its own."""
    for key, label, fn, step in _CHECKS:
        register_check(key, label, fn, f"onboarding:step-{step}")
