import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crvs_portal.settings")

app = Celery("crvs_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
@signals.task_postrun.connect
def _database_connections_checked(sender=None, **kwargs) -> None:
    """Around each task, as around each web request: a connection past its age, or
    broken (say by a database restart), is closed, and a kept one is health-checked
    before its next use. Celery's own fixup would close every connection instead
    (see CELERY_DB_REUSE_MAX)."""
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
