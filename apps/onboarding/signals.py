"""Settings the pipeline keeps for a while, and the newest ID schema, are forgotten
when they change."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from apps.onboarding import models
from apps.onboarding.id_schema import forget_newest_schema
from apps.onboarding.queries import forget_sending_settings

SENDING_SETTINGS_MODELS = (
    models.OfficeMapping,
    models.Centre,
    models.Machine,
    models.Officer,
    models.ProcessName,
    models.IdaPartner,
)


def _forget(**kwargs) -> None:
    forget_sending_settings()
    # Again once committed: a read in between would keep the settings before the change.
    transaction.on_commit(forget_sending_settings, using=kwargs.get("using"))


def connect() -> None:
    for model in SENDING_SETTINGS_MODELS:
        post_save.connect(
            _forget, sender=model, dispatch_uid=f"forget-{model.__name__}"
        )
        post_delete.connect(
            _forget, sender=model, dispatch_uid=f"forget-del-{model.__name__}"
        )
    for signal in (post_save, post_delete):
        signal.connect(forget_newest_schema, sender=models.IdSchemaVersion)
