from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from apps.audit.models import AuditEvent


def audit_record(
    *,
    actor: Any | None,
    action: str,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one entry to the audit trail; callers pass ids and codes only."""
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        actor_id=actor_id,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target else None,
        target_id=str(target.pk) if target else "",
        details=details or {},
    )
