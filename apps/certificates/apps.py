from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "apps.certificates"
    verbose_name = "Certificates"
