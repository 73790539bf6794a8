from django.apps import AppConfig


class OnboardingWizardConfig(AppConfig):
    name = "apps.onboarding_wizard"
    verbose_name = "MOSIP onboarding wizard"

    def ready(self):
        # The portal's own prerequisites join the readiness registry here (the
        # checks read the app registry's models, ready only now); other apps
        # (WebSub) add theirs from their own ready().
        from apps.onboarding_wizard import checks

        checks.register_all()
