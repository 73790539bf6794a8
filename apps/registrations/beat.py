"""Beat entries of the pipeline (merged into CELERY_BEAT_SCHEDULE by the settings).

Plain data, importable from the settings before Django is set up.
"""

REGISTRATIONS_BEAT_SCHEDULE = {
    # Rows due again: after a transient failure, or left by a worker that died mid-send.
    "registrations-dispatch-due-outbox": {
        "task": "apps.registrations.tasks.dispatch_due_outbox",
        "schedule": 10.0,
    },
    # Packets MOSIP has had for long, in case a WebSub delivery was missed.
    "registrations-reconcile-processing": {
        "task": "apps.registrations.tasks.reconcile_processing",
        "schedule": 300.0,
    },
    # The dashboards read folded counts plus the changes not folded yet, so a short
    # interval only keeps the second part small (docs/rollups.md).
    "registrations-fold-event-counts": {
        "task": "apps.registrations.tasks.fold_event_counts",
        "schedule": 15.0,
    },
}
