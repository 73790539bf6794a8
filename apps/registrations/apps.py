from django.apps import AppConfig
from django.apps import apps as django_apps


class RegistrationsConfig(AppConfig):
    name = "apps.registrations"
    verbose_name = "Vital event registrations"

    def ready(self):
        if django_apps.is_installed("apps.websub"):
            from apps.registrations import results
            from apps.websub import handlers

            handlers.register("credential_issued", results.credential_issued)
            handlers.register("workflow_completed", results.workflow_completed)
