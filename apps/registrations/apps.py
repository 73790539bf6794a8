from django.apps import AppConfig
from django.apps import apps as django_apps


class RegistrationsConfig(AppConfig):
    name = "apps.registrations"
    verbose_name = "Vital event registrations"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from apps.registrations.models import IdSchemaVersion
        from apps.registrations.schema import forget_newest_schema

        for signal in (post_save, post_delete):
            signal.connect(forget_newest_schema, sender=IdSchemaVersion)
        if django_apps.is_installed("apps.websub"):
            from apps.registrations import results
            from apps.websub import handlers

            handlers.register("credential_issued", results.credential_issued)
            handlers.register("workflow_completed", results.workflow_completed)
