"""The integration admin's landing, at /integration/, where the admin arrives after
signing in (apps/accounts/context_processors.py names it by its URL name)."""

from django.urls import path

from apps.onboarding_wizard import views

app_name = "integration"

urlpatterns = [
    path("", views.landing, name="home"),
]
