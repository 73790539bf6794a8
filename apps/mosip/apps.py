from django.apps import AppConfig


class MosipConfig(AppConfig):
    name = "apps.mosip"
    verbose_name = "MOSIP client"
