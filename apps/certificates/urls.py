from django.urls import path

from apps.certificates import views

app_name = "certificates"

urlpatterns = [
    path(
        "registrations/<int:pk>/certificate/preview/",
        views.certificate_preview,
        name="preview",
    ),
    path(
        "registrations/<int:pk>/certificate/",
        views.certificate_section,
        name="section",
    ),
    path(
        "registrations/<int:pk>/certificate/issue/",
        views.certificate_issue,
        name="issue",
    ),
    path(
        "registrations/<int:pk>/certificates/<int:certificate_pk>/",
        views.certificate_download,
        name="download",
    ),
    path("verify/", views.verify, name="verify"),
    # The fixed address verifiers fetch the public keys from.
    path("verify/keys.json", views.key_set, name="keys"),
]
