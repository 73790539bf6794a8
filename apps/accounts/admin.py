from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from apps.accounts import services
from apps.accounts.models import Office, SignInLock, User


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
            gettext_lazy("Role and offices"),
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
        (gettext_lazy("Role and offices"), {"fields": ("role", "office")}),
    )


class ActiveLockFilter(admin.SimpleListFilter):
    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("active", gettext_lazy("holding")),
            ("ended", gettext_lazy("ended or lifted")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(lifted_at=None, locked_until__gt=timezone.now())
        if self.value() == "ended":
            return queryset.exclude(lifted_at=None, locked_until__gt=timezone.now())
        return queryset


@admin.register(SignInLock)
class SignInLockAdmin(admin.ModelAdmin):
    """Sign-in locks as the throttle started them; staff lift them with the action."""

    list_display = [
        "username",
        "client_address",
        "scope",
        "locked_at",
        "locked_until",
        "holding",
        "lifted_at",
        "lifted_by",
    ]
    list_filter = [ActiveLockFilter, "scope"]
    search_fields = ["username", "client_address"]
    actions = ["lift_locks"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting the record would leave the lock itself holding: lift it instead.
        return False

    @admin.display(boolean=True)
    def holding(self, lock):
        return lock.is_active

    @admin.action(
        description=gettext_lazy("Lift the selected sign-in locks"),
        permissions=["lift"],
    )
    def lift_locks(self, request, queryset):
        lifted = sum(
            services.sign_in_lock_lift(lock=lock, actor=request.user)
            for lock in queryset
        )
        # The English text is the same for one lock and several.
        message = ngettext(
            "Lifted %(count)s sign-in lock(s).",
            "Lifted %(count)s sign-in lock(s).",
            lifted,
        )
        self.message_user(request, message % {"count": lifted})

    def has_lift_permission(self, request):
        return request.user.has_perm("accounts.change_signinlock")
