"""Vital events, their history, documents, MOSIP packets, the outbox, and what
finds an event registered twice (models/duplicates.py).

One event may need several MOSIP packets (a marriage updates each spouse's identity
record), so the application id (AID) lives on `Packet`, one row per (event, subject),
not on the event. An AID is allocated when the event is first submitted and kept for
the life of that packet, through every retry and every corrected resubmission.
"""

from apps.registrations.models.counters import (
    ApplicationIdCounter,
    RegistrationNumberCounter,
)
from apps.registrations.models.documents import (
    DocumentFormat,
    EventDocument,
)

# Migration 0001 names the upload path by this module's path.
from apps.registrations.models.documents import _document_path as _document_path
from apps.registrations.models.duplicates import (
    DuplicateCandidate,
    DuplicateFlag,
    DuplicateRule,
    MatchKey,
    MatchKind,
)
from apps.registrations.models.events import (
    CERTIFIABLE_STATUSES,
    EDITABLE_STATUSES,
    SETTLED_STATUSES,
    EventStatus,
    EventStatusChange,
    EventType,
    VitalEvent,
)
from apps.registrations.models.id_checks import (
    BLOCKING_OUTCOMES,
    IdCheck,
    IdCheckOutcome,
)
from apps.registrations.models.notifications import Notification, NotificationKind
from apps.registrations.models.packets import (
    OutboxKind,
    OutboxMessage,
    OutboxStatus,
    Packet,
    PacketStatus,
    PacketSubject,
    RetiredApplicationId,
)
from apps.registrations.models.rollups import (
    EventCount,
    EventCountChange,
    EventCountWeekPart,
    MeasureChange,
    MeasureCount,
    MeasureCountMonth,
    MeasureCountWeekPart,
)
from apps.registrations.models.verifications import IdentityVerification, PhoneLogin

__all__ = [
    "BLOCKING_OUTCOMES",
    "IdCheck",
    "IdCheckOutcome",
    "CERTIFIABLE_STATUSES",
    "EDITABLE_STATUSES",
    "SETTLED_STATUSES",
    "ApplicationIdCounter",
    "DocumentFormat",
    "DuplicateCandidate",
    "DuplicateFlag",
    "DuplicateRule",
    "EventCount",
    "EventCountChange",
    "EventCountWeekPart",
    "MeasureChange",
    "MeasureCount",
    "MeasureCountMonth",
    "MeasureCountWeekPart",
    "EventDocument",
    "EventStatus",
    "EventStatusChange",
    "EventType",
    "IdentityVerification",
    "PhoneLogin",
    "MatchKey",
    "MatchKind",
    "Notification",
    "NotificationKind",
    "OutboxKind",
    "OutboxMessage",
    "OutboxStatus",
    "Packet",
    "PacketStatus",
    "PacketSubject",
    "RegistrationNumberCounter",
    "RetiredApplicationId",
    "VitalEvent",
]
