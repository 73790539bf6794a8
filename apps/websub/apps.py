from django.apps import AppConfig, apps


class WebsubConfig(AppConfig):
    name = "apps.websub"
    verbose_name = "MOSIP WebSub"

    def ready(self):
        if apps.is_installed("apps.onboarding"):
            try:
                from apps.onboarding.readiness import register_check
            except ImportError:
                return
            from apps.websub.queries import readiness_check

            register_check(
                "websub",
                "WebSub subscriptions verified and alive",
                readiness_check,
                "websub:subscriptions",
            )
