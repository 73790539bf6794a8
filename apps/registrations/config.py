"""Configuration the registration pipeline reads, each with a default.

Values come from Django settings when present (`getattr` with a default), so a deployment
can override them without code changes. The MOSIP identifiers per office and the process
names per event type are read here and nowhere else: onboarding, which records the real
centre, machine and processes agreed with MOSIP, plugs in at `mosip_ids_for_office`,
`mosip_officer_id`, `mosip_process_for` and `packet_source`; settings stay the fallback.
"""

from dataclasses import dataclass

from django.conf import settings

from apps.onboarding import queries as onboarding

# Languages whose script runs right to left; inputs for them get dir="rtl".
RTL_LANGUAGES = frozenset({"ara", "fas", "urd", "heb"})
# ISO 639-2/3 codes (what MOSIP uses) to the BCP 47 tags HTML `lang` expects.
HTML_LANG_TAGS = {"eng": "en", "ara": "ar", "fra": "fr", "fas": "fa", "urd": "ur"}
HTML_LANG_TAGS |= {"heb": "he", "spa": "es", "por": "pt", "swa": "sw", "amh": "am"}
LANGUAGE_NAMES = {
    "eng": "English",
    "ara": "Arabic",
    "fra": "French",
    "fas": "Persian",
    "urd": "Urdu",
    "heb": "Hebrew",
    "spa": "Spanish",
    "por": "Portuguese",
    "swa": "Swahili",
    "amh": "Amharic",
}

# mosip-config `mosip.kernel.idobjectvalidator.mandatory-attributes.reg-processor.crvs_new`
# (packet-api.md §8.3), minus what reg-proc fills in itself (IDSchemaVersion, UIN).
DEFAULT_CRVS_NEW_MANDATORY = (
    "fullName",
    "dateOfBirth",
    "gender",
    "addressLine1",
    "region",
    "province",
    "city",
    "zone",
)


@dataclass(frozen=True)
class MosipIds:
    centre_id: str
    machine_id: str


def primary_language() -> str:
    return getattr(settings, "REGISTRATIONS_PRIMARY_LANGUAGE", "eng")


def secondary_language() -> str:
    """Second language of entry for multilingual fields; blank turns it off."""
    return getattr(settings, "REGISTRATIONS_SECONDARY_LANGUAGE", "ara")


def entry_languages() -> list[str]:
    return [lang for lang in (primary_language(), secondary_language()) if lang]


def infant_max_age_years() -> int:
    """Oldest age, in completed years, MOSIP tags as INFANT.

    The packet classifier's default ranges are `INFANT: 0-5`, inclusive, and the
    CRVS_NEW route fails any packet whose AGE_GROUP is not INFANT.
    """
    return getattr(settings, "REGISTRATIONS_INFANT_MAX_AGE_YEARS", 5)


def crvs_new_mandatory_fields() -> tuple[str, ...]:
    return tuple(
        getattr(
            settings, "REGISTRATIONS_CRVS_NEW_MANDATORY", DEFAULT_CRVS_NEW_MANDATORY
        )
    )


def document_max_bytes() -> int:
    return getattr(settings, "REGISTRATIONS_DOCUMENT_MAX_BYTES", 5 * 1024 * 1024)


def page_size() -> int:
    return getattr(settings, "REGISTRATIONS_PAGE_SIZE", 25)


def packet_source() -> str:
    """createPacket `source`; `CRVS1` is the provider mosip-config ships (§3.6)."""
    onboarded = onboarding.packet_source()
    return onboarded or getattr(settings, "MOSIP_PACKET_SOURCE", "CRVS1")


def mosip_process_for(event_type: str) -> str:
    """The MOSIP process a packet for this kind of event is sent under.

    Birth and death use the CRVS processes mosip-config defines (packet-api.md §3.6).
    Stock MOSIP has no marriage or divorce process: blank (the default) means the
    deployment has none and such events are registered without a packet; a name is
    the process the deployment's MOSIP operator added (docs/mosip/
    processes-and-schema.md).
    """
    defaults = {
        "birth": "CRVS_NEW",
        "death": "CRVS_DEATH",
        "marriage": "",
        "divorce": "",
    }
    onboarded = onboarding.process_for(event_type)
    if onboarded is not None:
        return onboarded.process
    configured = getattr(settings, "MOSIP_PROCESS_BY_EVENT_TYPE", {})
    return configured.get(event_type, defaults[event_type])


def mosip_ids_for_office(office) -> MosipIds:
    """The MOSIP registration centre and machine packets from `office` are sent as.

    Onboarding's mapping of the office (or its default mapping) wins; without one,
    the deployment's settings give the pair.
    """
    sender = onboarding.office_sender(office)
    if sender is not None:
        return MosipIds(centre_id=sender.centre_id, machine_id=sender.machine_id)
    return MosipIds(
        centre_id=getattr(settings, "MOSIP_DEFAULT_CENTRE_ID", "10001"),
        machine_id=getattr(settings, "MOSIP_DEFAULT_MACHINE_ID", "10002"),
    )


def mosip_officer_id(office=None) -> str:
    """The MOSIP officer (Keycloak user) named in packet operations data (§3.5):
    the one onboarding mapped to the office (or by default), else the setting."""
    return onboarding.mosip_officer_id(office) or getattr(
        settings, "MOSIP_DEFAULT_OFFICER_ID", "crvs.officer"
    )


# Pipeline ---------------------------------------------------------------------------


def retry_base_seconds() -> float:
    """First retry delay after a transient MOSIP failure; it doubles each attempt."""
    return float(getattr(settings, "REGISTRATIONS_RETRY_BASE_SECONDS", 30))


def retry_max_delay_seconds() -> float:
    """Longest wait between two attempts, however many failed before."""
    return float(getattr(settings, "REGISTRATIONS_RETRY_MAX_DELAY_SECONDS", 3600))


def retry_horizon_seconds() -> float:
    """How long transient failures are retried before the event needs attention."""
    return float(getattr(settings, "REGISTRATIONS_RETRY_HORIZON_SECONDS", 3 * 86400))


def send_lease_seconds() -> float:
    """How long a worker holds a claimed outbox row; past it, the row is due again.

    Longer than the task's hard time limit, so a live worker is never overtaken; a
    worker killed mid-send leaves the row to be picked up once the lease ends.
    """
    return float(getattr(settings, "REGISTRATIONS_SEND_LEASE_SECONDS", 120))


def dispatch_batch_size() -> int:
    """Outbox rows one dispatch run claims at most."""
    return int(getattr(settings, "REGISTRATIONS_DISPATCH_BATCH_SIZE", 200))


def reconcile_after_seconds() -> float:
    """How long a packet may be processing in MOSIP before its status is looked up."""
    return float(getattr(settings, "REGISTRATIONS_RECONCILE_AFTER_SECONDS", 1800))


def reconcile_batch_size() -> int:
    # MOSIP serves at most 100 ids per status search (packet-api.md §7.1).
    return min(100, int(getattr(settings, "REGISTRATIONS_RECONCILE_BATCH_SIZE", 100)))


def notify_by_email() -> bool:
    """Also e-mail the registrar when MOSIP issues an ID or rejects a packet."""
    return bool(getattr(settings, "REGISTRATIONS_NOTIFY_BY_EMAIL", False))


def dispatch_chunk_size() -> int:
    """Outbox rows one worker task sends in a row after a dispatch run."""
    return int(getattr(settings, "REGISTRATIONS_DISPATCH_CHUNK_SIZE", 20))


def mosip_client_config():
    """The portal's MOSIP connection, as onboarding recorded it (NotOnboarded if none)."""
    return onboarding.mosip_config()
