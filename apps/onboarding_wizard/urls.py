from django.urls import path

from apps.onboarding_wizard import views
from apps.onboarding_wizard.steps import ACTIONS

app_name = "onboarding"

urlpatterns = [
    path("", views.wizard, name="wizard"),
    path("readiness/", views.readiness_page, name="readiness"),
    path("mosip-changes/", views.mosip_changes, name="mosip-changes"),
    path("rotate/secret/", views.rotate_secret, name="rotate-secret"),
    path("rotate/machine/", views.rotate_machine, name="rotate-machine"),
    *[
        path(f"steps/{key}/", views.step, {"key": key}, name=f"step-{key}")
        for key in ACTIONS
    ],
]
