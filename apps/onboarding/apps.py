from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "apps.onboarding"
    verbose_name = "MOSIP onboarding"

    def ready(self):
        # The portal's own prerequisites join the readiness registry here; other
        # apps (WebSub) add theirs from their own ready().
        from apps.onboarding import checks, signals

        checks.register_all()
        signals.connect()
