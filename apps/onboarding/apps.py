from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "apps.onboarding"
    verbose_name = "MOSIP onboarding"

    def ready(self):
        # Signal receivers connect once the app registry is ready.
        from apps.onboarding import signals

        signals.connect()
