from django.urls import path

from apps.registrations import identity_views, views

app_name = "registrations"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_new, name="new"),
    path(
        "notifications/read/",
        views.notifications_read,
        name="notifications-read",
    ),
    path("<int:pk>/", views.event_detail, name="detail"),
    path(
        "<int:pk>/verify-identity/",
        identity_views.identity_verify_start,
        name="identity-start",
    ),
    path(
        "<int:pk>/verify-identity/phone/",
        identity_views.identity_phone_start,
        name="identity-phone-start",
    ),
    path(
        "<int:pk>/verify-identity/phone/<int:login_id>/",
        identity_views.identity_phone_page,
        name="identity-phone",
    ),
    path(
        "<int:pk>/verify-identity/phone/<int:login_id>/status/",
        identity_views.identity_phone_status,
        name="identity-phone-status",
    ),
    path(
        "verify-identity/phone/<str:state>/",
        identity_views.identity_phone_open,
        name="identity-phone-open",
    ),
    path(
        "<int:pk>/verify-identity/<str:state>/",
        identity_views.identity_verify_continue,
        name="identity-continue",
    ),
    path(
        "verify-identity/callback/",
        identity_views.identity_verify_callback,
        name="identity-callback",
    ),
    path("<int:pk>/timeline/", views.event_timeline, name="timeline"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/discard/", views.event_discard, name="discard"),
    path("<int:pk>/autosave/", views.event_autosave, name="autosave"),
    path("<int:pk>/validate/", views.event_validate, name="validate"),
    path("<int:pk>/review/", views.event_review, name="review"),
    path("<int:pk>/submit/", views.event_submit, name="submit"),
    path("<int:pk>/documents/", views.document_upload, name="document-upload"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        views.document_download,
        name="document",
    ),
    path(
        "<int:pk>/documents/<int:document_pk>/remove/",
        views.document_remove,
        name="document-remove",
    ),
]
