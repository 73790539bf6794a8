from celery import shared_task
from django.utils import timezone

from apps.core.models import Heartbeat


@shared_task(ignore_result=True)
def record_heartbeat() -> None:
    """Scheduled by beat, run by a worker: its timestamp proves both are alive."""
    Heartbeat.objects.update_or_create(
        name="worker", defaults={"beat_at": timezone.now()}
    )
