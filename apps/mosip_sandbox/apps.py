from django.apps import AppConfig


class MosipSandboxConfig(AppConfig):
    name = "apps.mosip_sandbox"
    verbose_name = "MOSIP sandbox"
