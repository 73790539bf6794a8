from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from apps.accounts.models import Office, User


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "is_active"]
    list_filter = ["is_active", "region"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "role", "office", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff", "office"]
    list_select_related = ["office"]
    search_fields = ["username"]
    filter_horizontal = ["supervised_offices", "groups", "user_permissions"]
    autocomplete_fields = ["office"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (
            "Role and offices",
            {
                "fields": (
                    "role",
                    "office",
                    "supervised_offices",
                    "is_national_supervisor",
                )
            },
        ),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        ("Role and offices", {"fields": ("role", "office")}),
    )
