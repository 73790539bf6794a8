"""Every write to vital events: one function per action, each in one transaction.

Each action locks the event row, checks the status allows it, writes its change, a
history row when the status moves, and an audit row (ids and codes only). Submission
also writes one outbox row per MOSIP packet in the same transaction; the packet worker
picks pending rows up after commit, so a crash between commit and send loses nothing.
"""

from apps.registrations.models import CERTIFIABLE_STATUSES
from apps.registrations.services.common import (
    DocumentRejectedError,
    DuplicateReasonRequiredError,
    EventEditConflictError,
    EventInvalidError,
    EventStatusError,
)
from apps.registrations.services.documents import (
    event_attach_document,
    event_remove_document,
)
from apps.registrations.services.drafts import (
    event_create_draft,
    event_discard_draft,
    event_save_draft,
)
from apps.registrations.services.id_checks import (
    EventIdCheckBlocked,
    blocking_check,
    current_checks,
    id_check_override,
    id_check_question,
    id_checks_bring_up_to_date,
)
from apps.registrations.services.identifiers import (
    application_id_allocate,
)
from apps.registrations.services.submission import (
    event_correct_and_resubmit,
    event_plan,
    event_submit,
)
from apps.registrations.services.supervision import (
    REQUEUEABLE_STATUSES,
    event_mark_certified,
    event_resubmit,
)

__all__ = [
    "CERTIFIABLE_STATUSES",
    "DocumentRejectedError",
    "DuplicateReasonRequiredError",
    "EventEditConflictError",
    "EventIdCheckBlocked",
    "EventInvalidError",
    "EventStatusError",
    "REQUEUEABLE_STATUSES",
    "application_id_allocate",
    "blocking_check",
    "current_checks",
    "event_attach_document",
    "event_correct_and_resubmit",
    "event_create_draft",
    "event_discard_draft",
    "event_mark_certified",
    "event_plan",
    "event_remove_document",
    "event_resubmit",
    "event_save_draft",
    "event_submit",
    "id_check_override",
    "id_check_question",
    "id_checks_bring_up_to_date",
]
