from django.apps import AppConfig


class WebsubConfig(AppConfig):
    name = "apps.websub"
    verbose_name = "MOSIP WebSub"

    def ready(self):
        # The check reads this app's models, importable only once the app registry
        # is ready.
        from apps.onboarding.readiness import register_check
        from apps.websub.queries import readiness_check

        register_check(
            "websub",
            "WebSub subscriptions live",
            readiness_check,
            "websub:subscriptions",
        )
