"""The portal's own readiness checks, registered in the order of the wizard.

Each re-verifies its prerequisite against MOSIP (or the stored setting it needs)
and says in plain words what is wrong."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
        raise _Missing(_("No MOSIP connection is set up."))
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
        True,
        _("Token issued to %(client)s.")
        % {"client": claims.get("azp", connection.client_id)},
    )


@_guard
def check_roles() -> CheckResult:
    connection = _connection()
    claims = remote.token_claims(remote.portal_config(connection))
    held = set(claims.get("realm_access", {}).get("roles", []))
    missing = [r for r in connection.roles if r not in held]
    if missing:
        return CheckResult(
            False, _("The token lacks: %(roles)s.") % {"roles": ", ".join(missing)}
        )
    return CheckResult(
        True,
        _("All %(count)s roles the portal needs are in the token.")
        % {"count": len(connection.roles)},
    )


def _centre() -> Centre:
    centre = Centre.objects.order_by("-id").first()
    if centre is None:
        raise _Missing(_("No registration centre is recorded."))
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
                _(
                    "Centre %(centre)s has not been read back active; run the centre "
                    "step with the MOSIP admin."
                )
                % {"centre": centre.mosip_id}
            )
        else:
            fine.append(
                _("Centre %(centre)s read back active by the MOSIP admin on %(at)s.")
                % {
                    "centre": centre.mosip_id,
                    "at": f"{centre.verified_at:%Y-%m-%d %H:%M}",
                }
            )
    if fine and not problems:
        fine.append(
            _(
                "The portal's client may not read centres itself "
                "(getregistrationcentersidlangcode): re-run the centre step to "
                "re-check."
            )
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
        raise _Missing(_("No machine is recorded."))
    (machine,) = machines
    if machine.state != MosipState.ACTIVE or machine.verified_at is None:
        return CheckResult(
            False,
            _(
                "Machine %(machine)s has not been read back active; run the machine "
                "step with the MOSIP admin."
            )
            % {"machine": machine.mosip_id},
        )
    server_key = remote.server_public_key(remote.portal_config(_connection()))
    if not keys.same_public_key(machine.public_key, server_key):
        return CheckResult(
            False,
            _(
                "Machine %(machine)s does not carry MOSIP's server signing key: packet "
                "manager fails every packet it names unless the operator sets "
                "%(setting)s."
            )
            % {
                "machine": machine.mosip_id,
                "setting": "packetmanager.packet.signature.disable-verification=true",
            },
        )
    return CheckResult(
        True,
        _(
            "Machine %(machine)s carries MOSIP's server signing key; read back active "
            "by the MOSIP admin on %(at)s."
        )
        % {"machine": machine.mosip_id, "at": f"{machine.verified_at:%Y-%m-%d %H:%M}"},
    )


@_guard(service="kernel")
def check_officer() -> CheckResult:
    config = remote.portal_config(_connection())
    problems, fine = [], []
    officers = _in_use()[2]
    if not officers:
        raise _Missing(_("No default officer is recorded."))
    for officer in officers:
        centre = officer.centre or _centre()
        details = remote.user_details(config, officer.user_id)
        problem = officer_mapping_problem(details, centre)
        if problem:
            problems.append(
                _("%(officer)s: %(problem)s")
                % {"officer": officer.user_id, "problem": problem}
            )
        else:
            fine.append(
                _("%(officer)s is mapped to centre %(centre)s.")
                % {"officer": officer.user_id, "centre": centre.mosip_id}
            )
    return _all_hold(problems, fine)


@_guard(service="syncdata")
def check_id_schema() -> CheckResult:
    stored = IdSchemaVersion.objects.order_by("-fetched_at", "-id").first()
    if stored is None:
        return CheckResult(False, _("No ID schema has been fetched from MOSIP."))
    version, schema_json = remote.latest_id_schema(remote.portal_config(_connection()))
    if version != stored.version or schema_json != stored.schema_json:
        return CheckResult(
            False,
            _("MOSIP publishes version %(version)s; the portal holds %(held)s.")
            % {"version": version, "held": stored.version},
        )
    unplaced = unplaced_schema_fields(id_schema_current())
    if unplaced:
        return CheckResult(
            True,
            _(
                "Version %(version)s is current. No event form asks for %(fields)s: "
                "MOSIP receives these fields empty (fine unless a process needs them)."
            )
            % {"version": version, "fields": ", ".join(unplaced)},
        )
    return CheckResult(
        True, _("Version %(version)s is current.") % {"version": version}
    )


def check_processes() -> CheckResult:
    named = set(ProcessName.objects.values_list("event_type", flat=True))
    missing = [t for t in DEFAULT_PROCESSES if t not in named]
    if missing:
        return CheckResult(
            False,
            _("No process name for: %(event_types)s.")
            % {"event_types": ", ".join(missing)},
        )
    # Stock MOSIP has no marriage or divorce process: a blank name is a choice.
    without = list(
        ProcessName.objects.filter(process="").values_list("event_type", flat=True)
    )
    if without:
        return CheckResult(
            True,
            _(
                "Every event type has its setting; %(event_types)s events are "
                "registered without MOSIP (no MOSIP process named)."
            )
            % {"event_types": ", ".join(t for t in DEFAULT_PROCESSES if t in without)},
        )
    return CheckResult(True, _("Every event type has its process."))


def check_partner() -> CheckResult:
    partner = CredentialPartner.objects.order_by("-id").first()
    if partner is None or partner.certificate_uploaded_at is None:
        return CheckResult(False, _("The credential partner is not registered."))
    _not_before, not_after = keys.certificate_validity(partner.certificate)
    if not_after <= timezone.now():
        return CheckResult(False, _("The partner certificate has expired."))
    return CheckResult(
        True,
        _("%(partner)s, certificate valid until %(date)s.")
        % {"partner": partner.partner_id, "date": f"{not_after:%Y-%m-%d}"},
    )


def check_ida() -> CheckResult:
    """A harmless authentication (a UIN no one holds) shows whether IDA takes the
    partner's requests: licence key, API key, policy, certificates."""
    partner = IdaPartner.objects.order_by("-id").first()
    if partner is None or not partner.complete:
        return CheckResult(
            False,
            _(
                "The portal is not an IDA authentication partner yet: national IDs "
                "typed into forms are not checked with MOSIP. Run the IDA step."
            ),
        )
    if partner.licence_expires_at and partner.licence_expires_at <= timezone.now():
        return CheckResult(
            False,
            _(
                "The licence key of MISP %(misp)s expired on %(date)s: run the IDA "
                "step for a new one."
            )
            % {
                "misp": partner.misp_id or _("(given)"),
                "date": f"{partner.licence_expires_at:%Y-%m-%d}",
            },
        )
    probe = ida_probe(partner)
    if not probe.ok:
        return CheckResult(False, probe.reason)
    IdaPartner.objects.filter(pk=partner.pk).update(verified_at=timezone.now())
    if partner.licence_expires_at:
        return CheckResult(
            True,
            _(
                "%(partner)s: IDA accepted a request and signed its answer; licence "
                "valid until %(date)s."
            )
            % {
                "partner": partner.partner_id,
                "date": f"{partner.licence_expires_at:%Y-%m-%d}",
            },
        )
    return CheckResult(
        True,
        _("%(partner)s: IDA accepted a request and signed its answer.")
        % {"partner": partner.partner_id},
    )


# How long a processed birth may wait for its credential before the check says
# MOSIP is not issuing it (the credential follows the workflow within minutes).
CREDENTIAL_WAIT = timedelta(hours=1)


def check_credentials() -> CheckResult:
    """Births MOSIP processed whose credential (the UIN) never came: MOSIP is not
    configured to issue credentials to the portal's partner."""
    if not CredentialPartner.objects.exists():
        return CheckResult(
            False,
            _("No credential partner yet: MOSIP has nobody to send credentials to."),
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
            _(
                "%(waiting)s processed birth(s) got no credential within %(hours)s "
                "hour. %(why)s"
            )
            % {
                "waiting": waiting,
                "hours": CREDENTIAL_WAIT.seconds // 3600,
                "why": credentials_not_configured(),
            },
        )
    return CheckResult(True, _("No processed birth is waiting for its credential."))


def check_offices() -> CheckResult:
    default = OfficeMapping.objects.filter(office__isnull=True).first()
    if default is None:
        return CheckResult(False, _("No default office mapping."))
    stale = [
        str(m.office or _("default"))
        for m in OfficeMapping.objects.select_related("centre", "office")
        if m.centre.state != MosipState.ACTIVE
    ]
    if stale:
        return CheckResult(
            False,
            _("Mapped to an inactive centre: %(offices)s")
            % {"offices": ", ".join(stale)},
        )
    return CheckResult(True, _("Every office sends under an active centre."))


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
                _(
                    "Not set up (ESIGNET_URL is empty): registrars type informants' "
                    "details without verifying them."
                ),
            )
        return CheckResult(
            False,
            _("No e-Signet client is registered: registrars cannot verify informants."),
        )
    remote.esignet_discover(client.esignet_url)
    partner = IdaPartner.objects.filter(partner_id=client.partner_id).first()
    if partner is None:
        return CheckResult(
            False,
            _(
                "Authentication partner %(partner)s is no longer recorded: run the IDA "
                "step, then the e-Signet step again."
            )
            % {"partner": client.partner_id},
        )
    as_partner = remote.partner_identity(
        _connection(), partner.partner_id, partner.keycloak_password
    )
    found = remote.oidc_client_get(as_partner, client.client_id)
    if found.status != "ACTIVE":
        return CheckResult(
            False,
            _("Client %(client)s is %(status)s.")
            % {"client": client.client_id, "status": found.status},
        )
    if client.redirect_uri not in found.redirect_uris:
        return CheckResult(
            False,
            _(
                "Client %(client)s does not list %(redirect_uri)s: run the e-Signet "
                "step again."
            )
            % {"client": client.client_id, "redirect_uri": client.redirect_uri},
        )
    missing = [c for c in ESIGNET_CLAIMS if c not in found.claims]
    if missing:
        return CheckResult(
            False,
            _(
                "Client %(client)s may not receive %(claims)s: the operator's Auth "
                "policy %(policy)s must share them."
            )
            % {
                "client": client.client_id,
                "claims": ", ".join(missing),
                "policy": repr(client.policy_name),
            },
        )
    return CheckResult(
        True,
        _("e-Signet answers at %(url)s; client %(client)s is active.")
        % {"url": client.esignet_url, "client": client.client_id},
    )


_CHECKS = [
    ("onboarding.connection", gettext_lazy("MOSIP connection and token"), check_connection, "client"),
    ("onboarding.roles", gettext_lazy("Client roles"), check_roles, "token"),
    ("onboarding.centre", gettext_lazy("Registration centre active (admin read-back)"), check_centre, "centre"),
    ("onboarding.machine", gettext_lazy("Machine carries the server signing key"), check_machine, "machine"),
    ("onboarding.officer", gettext_lazy("Officer mapped to the centre"), check_officer, "mappings"),
    ("onboarding.schema", gettext_lazy("ID schema current"), check_id_schema, "schema"),
    ("onboarding.processes", gettext_lazy("Process names per event type"), check_processes, "processes"),
    ("onboarding.partner", gettext_lazy("Credential partner and certificate"), check_partner, "partner"),
    ("onboarding.ida", gettext_lazy("IDA authentication partner"), check_ida, "ida"),
    ("onboarding.offices", gettext_lazy("Office mappings"), check_offices, "offices"),
    ("onboarding.credentials", gettext_lazy("Credentials arriving"), check_credentials, "partner"),
    ("onboarding.esignet", gettext_lazy("e-Signet reachable, client active"), check_esignet, "esignet"),
]  # fmt: skip


def register_all() -> None:
    """Register the checks; WebSub registers its own."""
    for key, label, fn, step in _CHECKS:
        register_check(key, label, fn, f"onboarding:step-{step}")
