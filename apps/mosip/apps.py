from django.apps import AppConfig


class MosipClientAppConfig(AppConfig):
    name = "apps.mosip"
    verbose_name = "MOSIP client"
