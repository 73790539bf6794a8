"""Back office: onboarding data is read here and changed only through the wizard's
services, so every change is verified with MOSIP and audited."""

from django.contrib import admin

from apps.onboarding import models


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Connection)
class ConnectionAdmin(ReadOnlyAdmin):
    list_display = ["client_id", "api_url", "token_source", "verified_at"]
    exclude = ["client_secret", "previous_client_secret"]


@admin.register(models.Centre)
class CentreAdmin(ReadOnlyAdmin):
    list_display = ["mosip_id", "name", "zone_code", "state", "verified_at"]
    list_filter = ["state"]


@admin.register(models.Machine)
class MachineAdmin(ReadOnlyAdmin):
    list_display = ["mosip_id", "name", "centre", "key_source", "state", "retired_at"]
    list_filter = ["state", "key_source"]
    exclude = ["private_key"]


@admin.register(models.Officer)
class OfficerAdmin(ReadOnlyAdmin):
    list_display = ["user_id", "zone_code", "zone_mapping", "centre", "centre_mapping"]


@admin.register(models.OfficeMapping)
class OfficeMappingAdmin(ReadOnlyAdmin):
    list_display = ["office", "centre", "officer"]
    list_select_related = ["office", "centre", "officer"]


@admin.register(models.ProcessName)
class ProcessNameAdmin(ReadOnlyAdmin):
    list_display = ["event_type", "process", "source"]


@admin.register(models.CredentialPartner)
class CredentialPartnerAdmin(ReadOnlyAdmin):
    list_display = ["partner_id", "policy_group", "policy_name", "registered_at",
                    "certificate_uploaded_at"]  # fmt: skip
    exclude = ["private_key", "ca_private_key", "keycloak_password"]


@admin.register(models.IdaPartner)
class IdaPartnerAdmin(ReadOnlyAdmin):
    list_display = ["partner_id", "misp_id", "policy_name", "ida_url",
                    "licence_expires_at", "verified_at"]  # fmt: skip
    exclude = ["private_key", "misp_private_key", "keycloak_password",
               "misp_keycloak_password", "api_key", "licence_key"]  # fmt: skip


@admin.register(models.EsignetClient)
class EsignetClientAdmin(ReadOnlyAdmin):
    list_display = ["client_id", "partner_id", "esignet_url", "policy_name",
                    "registered_at"]  # fmt: skip
    exclude = ["private_key"]


@admin.register(models.IdSchemaVersion)
class IdSchemaVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "fetched_at"]
    readonly_fields = ["version", "schema_json", "fetched_at"]

    def has_add_permission(self, request):
        # Schemas come from MOSIP, never typed in, and events were checked against them.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
