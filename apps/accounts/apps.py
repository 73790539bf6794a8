from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = "Accounts and offices"

    def ready(self):
        from apps.accounts import checks  # noqa: F401  (registers the deploy check)
