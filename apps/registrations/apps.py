from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "apps.registrations"
    verbose_name = "Vital event registrations"

    def ready(self):
        # The result handlers read this app's models, importable only once the app
        # registry is ready.
        from apps.registrations import result_handlers
        from apps.websub import handlers

        handlers.register("credential_issued", result_handlers.credential_issued)
        handlers.register("workflow_completed", result_handlers.workflow_completed)
