"""Keycloak's Admin REST API for realm `mosip`, and the realm's data."""

from django.urls import path

from apps.mosip_sandbox.keycloak_admin import views

_BASE = "auth/admin/realms/<str:realm_name>/"

urlpatterns = [
    path(_BASE + "roles", views.roles),
    path(_BASE + "roles/<str:name>", views.role),
    path(_BASE + "clients", views.clients),
    path(_BASE + "clients/<str:client_uuid>", views.client),
    path(_BASE + "clients/<str:client_uuid>/client-secret", views.client_secret),
    path(
        _BASE + "clients/<str:client_uuid>/service-account-user",
        views.client_service_account_user,
    ),
    path(_BASE + "users", views.users),
    path(_BASE + "users/<str:user_id>", views.user),
    path(_BASE + "users/<str:user_id>/reset-password", views.reset_password),
    path(_BASE + "users/<str:user_id>/role-mappings/realm", views.realm_role_mappings),
]
