"""Reads other parts of the portal use: the MOSIP client configuration, the ids an
office's packets carry, process names, the credential partner, what a wizard step
has recorded, the readiness checks' latest run."""

import datetime
from dataclasses import dataclass

from django.db.models import F, Q

from apps.core.kept import KeptForAWhile
from apps.mosip import ida
from apps.onboarding import remote
from apps.onboarding.models import (
    Connection,
    CredentialPartner,
    EsignetClient,
    IdaPartner,
    IdSchemaVersion,
    Machine,
    OfficeMapping,
    Officer,
    ProcessName,
    ReadinessRun,
)
from apps.onboarding.readiness import CheckOutcome


class NotOnboarded(Exception):
    """The portal has not (yet) been connected to MOSIP."""


def connection() -> Connection | None:
    return Connection.objects.first()


def mosip_config():
    """The portal's `apps.mosip.config.MosipConfig`, from the stored connection."""
    found = connection()
    if found is None or found.verified_at is None:
        raise NotOnboarded("The MOSIP connection is not set up.")
    return remote.portal_config(found)


def office_mapping(office) -> OfficeMapping | None:
    """The office's own mapping, else the default one; one query either way."""
    mappings = OfficeMapping.objects.select_related("centre", "officer")
    if office is None:
        return mappings.filter(office__isnull=True).first()
    return (
        mappings.filter(Q(office=office) | Q(office__isnull=True))
        .order_by(F("office").asc(nulls_last=True), "pk")
        .first()
    )


def current_machine() -> Machine | None:
    """The portal's one machine: every office's packets name it (only one machine
    can carry MOSIP's server signing key, docs/mosip/machines-and-packets.md)."""
    return Machine.objects.filter(retired_at__isnull=True).order_by("-id").first()


@dataclass(frozen=True)
class OfficeSender:
    """What an office's packets are sent as: MOSIP centre, machine and officer."""

    centre_id: str
    machine_id: str
    officer_id: str


# Every submission and every send reads the office's mapping and the process names.
# A change saved in this process is seen at once (`forget_sending_settings`, called
# on save), one saved in another process within 15 s.
_sending_settings = KeptForAWhile(15.0)
forget_sending_settings = _sending_settings.forget


def office_sender(office) -> OfficeSender | None:
    """The office's own mapping, else the default one; None when neither exists."""

    def load():
        mapping = office_mapping(office)
        machine = current_machine()
        if mapping is None or machine is None:
            return None
        return OfficeSender(
            centre_id=mapping.centre.mosip_id,
            machine_id=machine.mosip_id,
            officer_id=mapping.officer.user_id,
        )

    return _sending_settings.get(
        ("office", office.pk if office is not None else None), load
    )


def mosip_officer_id(office=None) -> str | None:
    sender = office_sender(office)
    if sender is not None:
        return sender.officer_id
    officer = Officer.objects.order_by("-id").first()
    return officer.user_id if officer else None


def process_for(event_type: str) -> ProcessName | None:
    return _sending_settings.get(
        ("process", event_type),
        lambda: ProcessName.objects.filter(event_type=event_type).first(),
    )


def packet_source() -> str | None:
    """The createPacket `source` onboarding recorded, if any."""
    return _sending_settings.get(
        ("source",),
        lambda: ProcessName.objects.values_list("source", flat=True).first(),
    )


def step_initial(key: str) -> dict:
    """What a wizard step's form shows before it is run again: the values stored
    (never a secret)."""
    if key == "client":
        found = connection()
        if found is not None:
            return {
                "mode": "existing",
                "keycloak_url": found.keycloak_url, "api_url": found.api_url,
                "hub_url": found.hub_url, "client_id": found.client_id,
                "token_source": found.token_source, "app_id": found.app_id,
            }  # fmt: skip
    if key == "officer":
        officer = Officer.objects.order_by("-id").first()
        if officer is not None:
            return {"user_id": officer.user_id}
    if key == "processes":
        initial = {
            f"process_{p.event_type}": p.process for p in ProcessName.objects.all()
        }
        source = ProcessName.objects.values_list("source", flat=True).first()
        return {**initial, "source": source} if source else initial
    if key == "esignet":
        client = EsignetClient.objects.order_by("-id").first()
        if client is not None:
            return {
                "esignet_url": client.esignet_url, "redirect_uri": client.redirect_uri,
                "token_issuer": client.token_issuer,
            }  # fmt: skip
    return {}


def step_details(key: str) -> list[tuple[str, str]]:
    """Rows of what a step has recorded, shown under its heading."""
    if key == "schema":
        return [
            (f"Version {v.version}", f"fetched {v.fetched_at:%Y-%m-%d %H:%M}")
            for v in IdSchemaVersion.objects.order_by("-fetched_at", "-id")[:10]
        ]
    if key == "offices":
        return [
            (str(m.office or "Default (every other office)"),
             f"centre {m.centre.mosip_id}, officer {m.officer.user_id}")
            for m in OfficeMapping.objects.select_related(
                "office", "centre", "officer"
            ).order_by("office__name")
        ]  # fmt: skip
    if key == "machine":
        return [
            (f"Machine {m.mosip_id}", f"{m.name}, {m.get_key_source_display()}"
             + (f", retired {m.retired_at:%Y-%m-%d}" if m.retired_at else ", in use"))
            for m in Machine.objects.order_by("-id")[:10]
        ]  # fmt: skip
    return []


@dataclass(frozen=True)
class PartnerKey:
    partner_id: str
    private_key_pem: str
    certificate_pem: str


def credential_partner() -> PartnerKey | None:
    """The credential partner id, its private key (to decrypt credentials) and the
    certificate MOSIP encrypts for (the one MOSIP re-signed at upload)."""
    partner = CredentialPartner.objects.order_by("-id").first()
    if partner is None:
        return None
    return PartnerKey(
        partner.partner_id, partner.private_key, partner.encryption_certificate
    )


def ida_partner_as_client(partner: IdaPartner, **overrides) -> ida.AuthPartner:
    """The IDA client's view of the stored partner (`overrides` replace fields)."""
    values = {
        "ida_url": partner.ida_url,
        "licence_key": partner.licence_key,
        "partner_id": partner.partner_id,
        "api_key": partner.api_key,
        "private_key_pem": partner.private_key,
        "certificate_pem": partner.signed_certificate,
        "ida_certificate_pem": partner.ida_certificate,
        "ida_signing_certificates": tuple(partner.ida_signing_certificates or ()),
    }
    values.update(overrides)
    return ida.AuthPartner(**values)


def ida_partner():
    """The portal's IDA authentication partner as the IDA client takes it
    (`apps.mosip.ida.AuthPartner`), or None before the IDA step is complete. Kept
    15 s per process, like the sending settings: every UIN check reads it."""

    def load():
        partner = IdaPartner.objects.order_by("-id").first()
        if partner is None or not partner.complete:
            return None
        return ida_partner_as_client(partner)

    return _sending_settings.get(("ida",), load)


@dataclass(frozen=True)
class ReadinessSummary:
    """The readiness checks' latest run: when, and how each check came out."""

    ran_at: datetime.datetime
    outcomes: list[CheckOutcome]

    @property
    def holding(self) -> int:
        return sum(o.ok for o in self.outcomes)

    @property
    def failing(self) -> list[CheckOutcome]:
        return [o for o in self.outcomes if not o.ok]

    @property
    def failing_by_reason(self) -> list[tuple[str, list[CheckOutcome]]]:
        """The failing checks grouped by their reason, in order of first failure:
        when MOSIP cannot be reached, one reason stands for every check it failed."""
        groups: dict[str, list[CheckOutcome]] = {}
        for outcome in self.failing:
            groups.setdefault(outcome.reason, []).append(outcome)
        return list(groups.items())

    @property
    def ready(self) -> bool:
        return bool(self.outcomes) and not self.failing


def latest_readiness() -> ReadinessSummary | None:
    """The latest run of the readiness checks as it was kept; None before the
    first run. Reads the database only: it never calls MOSIP."""
    run = ReadinessRun.objects.order_by("-ran_at").first()
    if run is None:
        return None
    return ReadinessSummary(
        ran_at=run.ran_at,
        outcomes=[
            CheckOutcome(
                key=item["key"],
                label=item["label"],
                ok=bool(item["ok"]),
                reason=item.get("reason", ""),
                fix_url=item.get("fix_url", ""),
            )
            for item in run.outcomes
        ],
    )


def esignet_client() -> EsignetClient | None:
    """The portal's e-Signet client, once the wizard's e-Signet step registered it."""
    client = EsignetClient.objects.order_by("-id").first()
    return client if client is not None and client.is_registered else None
