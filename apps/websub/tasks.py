from celery import shared_task

from apps.websub import processing, services


@shared_task(ignore_result=True)
def sweep_inbox() -> int:
    """Beat: apply the inbox events that are due and send the status updates owed."""
    return processing.inbox_process_due()


@shared_task(ignore_result=True)
def keep_subscriptions_alive() -> dict:
    """Beat: re-subscribe what is due or in trouble; finish secret rotations."""
    return services.subscriptions_keep_alive()
