"""The WebSub beat entries, merged into CELERY_BEAT_SCHEDULE by the settings."""

WEBSUB_BEAT_SCHEDULE = {
    "websub-sweep-inbox": {
        "task": "apps.websub.tasks.sweep_inbox",
        "schedule": 5.0,
    },
    # Checks every minute; each subscription is re-subscribed every
    # WEBSUB_RESUBSCRIBE_SECONDS (6 h), or within a minute or two of any trouble.
    "websub-keep-alive": {
        "task": "apps.websub.tasks.keep_subscriptions_alive",
        "schedule": 60.0,
    },
}
