from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "apps.registrations"
    verbose_name = "Vital event registrations"

    def ready(self):
        # The result handlers read this app's models, importable only once the app
        # registry is ready.
        from apps.registrations import results
        from apps.websub import handlers

        handlers.register("credential_issued", results.credential_issued)
        handlers.register("workflow_completed", results.workflow_completed)
