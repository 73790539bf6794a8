"""Configuration the registration pipeline reads.

Values come from Django settings (crvs_portal/settings.py declares each, with its
default). The MOSIP identifiers per office and the process names per event type are
read here and nowhere else: onboarding, which records the real centre, machine and
processes agreed with MOSIP, plugs in at `mosip_ids_for_office`, `mosip_officer_id`,
`mosip_process_for` and `packet_source`; settings and MOSIP's stock processes stay the
fallback.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.onboarding import queries as onboarding
from apps.onboarding.models import DEFAULT_PROCESSES, DEFAULT_SOURCE

# Languages whose script runs right to left; inputs for them get dir="rtl".
RTL_LANGUAGES = frozenset({"ara", "fas", "urd", "heb"})
# ISO 639-2/3 codes (what MOSIP uses) to the BCP 47 tags HTML `lang` expects.
HTML_LANG_TAGS = {"eng": "en", "ara": "ar", "fra": "fr", "fas": "fa", "urd": "ur"}
HTML_LANG_TAGS |= {"heb": "he", "spa": "es", "por": "pt", "swa": "sw", "amh": "am"}
LANGUAGE_NAMES = {
    "eng": _("English"),
    "ara": _("Arabic"),
    "fra": _("French"),
    "fas": _("Persian"),
    "urd": _("Urdu"),
    "heb": _("Hebrew"),
    "spa": _("Spanish"),
    "por": _("Portuguese"),
    "swa": _("Swahili"),
    "amh": _("Amharic"),
}


@dataclass(frozen=True)
class MosipIds:
    centre_id: str
    machine_id: str


def primary_language() -> str:
    return settings.REGISTRATIONS_PRIMARY_LANGUAGE


def secondary_language() -> str:
    """Second language of entry for multilingual fields; blank turns it off."""
    return settings.REGISTRATIONS_SECONDARY_LANGUAGE


def entry_languages() -> list[str]:
    return [lang for lang in (primary_language(), secondary_language()) if lang]


def infant_max_age_years() -> int:
    """Oldest age, in completed years, MOSIP tags as INFANT.

    The packet classifier's default ranges are `INFANT: 0-5`, inclusive, and the
    CRVS_NEW route fails any packet whose AGE_GROUP is not INFANT.
    """
    return settings.REGISTRATIONS_INFANT_MAX_AGE_YEARS


def crvs_new_mandatory_fields() -> tuple[str, ...]:
    """What mosip-config makes mandatory for CRVS_NEW
    (`mosip.kernel.idobjectvalidator.mandatory-attributes.reg-processor.crvs_new`),
    minus what MOSIP fills in itself (IDSchemaVersion, UIN)."""
    return tuple(settings.REGISTRATIONS_CRVS_NEW_MANDATORY)


def document_max_bytes() -> int:
    return settings.REGISTRATIONS_DOCUMENT_MAX_BYTES


def page_size() -> int:
    return settings.REGISTRATIONS_PAGE_SIZE


def packet_source() -> str:
    """createPacket `source`: onboarding's, else the provider mosip-config ships."""
    return onboarding.packet_source() or DEFAULT_SOURCE


def mosip_process_for(event_type: str) -> str:
    """The MOSIP process a packet for this kind of event is sent under.

    Birth and death use the CRVS processes mosip-config defines (docs/mosip/packet-api.md §3.6).
    Stock MOSIP has no marriage or divorce process: blank (the default) means the
    deployment has none and such events are registered without a packet; a name is
    the process the deployment's MOSIP operator added (docs/mosip/
    processes-and-schema.md).
    """
    onboarded = onboarding.process_for(event_type)
    if onboarded is not None:
        return onboarded.process
    configured = settings.MOSIP_PROCESS_BY_EVENT_TYPE
    return configured.get(event_type, DEFAULT_PROCESSES[event_type])


def mosip_ids_for_office(office) -> MosipIds:
    """The MOSIP registration centre and machine packets from `office` are sent as.

    Onboarding's mapping of the office (or its default mapping) wins; without one,
    the deployment's settings give the pair.
    """
    sender = onboarding.office_sender(office)
    if sender is not None:
        return MosipIds(centre_id=sender.centre_id, machine_id=sender.machine_id)
    return MosipIds(
        centre_id=settings.MOSIP_DEFAULT_CENTRE_ID,
        machine_id=settings.MOSIP_DEFAULT_MACHINE_ID,
    )


def mosip_officer_id(office=None) -> str:
    """The MOSIP officer (Keycloak user) named in packet operations data (§3.5):
    the one onboarding mapped to the office (or by default), else the setting."""
    return onboarding.mosip_officer_id(office) or settings.MOSIP_DEFAULT_OFFICER_ID


# Pipeline ---------------------------------------------------------------------------


def retry_base_seconds() -> float:
    """First retry delay after a transient MOSIP failure; it doubles each attempt."""
    return settings.REGISTRATIONS_RETRY_BASE_SECONDS


def retry_max_delay_seconds() -> float:
    """Longest wait between two attempts, however many failed before."""
    return settings.REGISTRATIONS_RETRY_MAX_DELAY_SECONDS


def retry_horizon_seconds() -> float:
    """How long transient failures are retried before the event needs attention."""
    return settings.REGISTRATIONS_RETRY_HORIZON_SECONDS


def send_lease_seconds() -> float:
    """How long a worker holds a claimed outbox row; past it, the row is due again.

    Longer than the task's hard time limit, so a live worker is never overtaken; a
    worker killed mid-send leaves the row to be picked up once the lease ends.
    """
    return settings.REGISTRATIONS_SEND_LEASE_SECONDS


def send_batch_size() -> int:
    """Outbox rows one send run claims at most; a run that finds that many queues
    another, so a backlog is spread over the workers."""
    return max(1, settings.REGISTRATIONS_SEND_BATCH_SIZE)


def send_run_seconds() -> float:
    """How long a send run keeps starting sends; its rows not yet started then go
    back to the queue. With one send's longest wait on MOSIP it stays inside the
    task's time limits."""
    return settings.REGISTRATIONS_SEND_RUN_SECONDS


def send_wake_seconds() -> float:
    """Each process queues a send run at most once in this interval after a
    submission; 0 queues one for every submission."""
    return settings.REGISTRATIONS_SEND_WAKE_SECONDS


def reconcile_after_seconds() -> float:
    """How long a packet may be processing in MOSIP before its status is looked up."""
    return settings.REGISTRATIONS_RECONCILE_AFTER_SECONDS


def reconcile_batch_size() -> int:
    # MOSIP serves at most 100 ids per status search (docs/mosip/packet-api.md §7.1).
    return min(100, settings.REGISTRATIONS_RECONCILE_BATCH_SIZE)


def notify_by_email() -> bool:
    """Also e-mail the registrar when MOSIP issues an ID or rejects a packet."""
    return settings.REGISTRATIONS_NOTIFY_BY_EMAIL


def mosip_client_config():
    """The portal's MOSIP connection, as onboarding recorded it (NotOnboarded if none)."""
    return onboarding.mosip_config()
