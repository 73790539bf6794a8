from django.contrib import admin

from apps.websub.models import (
    BadInputCount,
    InboxEvent,
    QuarantinedDelivery,
    Subscription,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written only by the WebSub services; the back office looks, it does not edit."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("topic", "state", "verified_at", "requested_at", "trouble_since")
    list_filter = ("state", "kind")
    search_fields = ("topic",)
    exclude = ("secret", "previous_secret")


@admin.register(InboxEvent)
class InboxEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "kind", "status", "application_id", "received_at")
    list_filter = ("status", "kind")
    search_fields = ("application_id", "key")
    list_select_related = ("subscription",)
    exclude = ("body",)


@admin.register(QuarantinedDelivery)
class QuarantinedDeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "reason",
        "possibly_genuine",
        "status",
        "slug",
        "body_size",
        "received_at",
    )
    list_filter = ("possibly_genuine", "reason", "status")
    exclude = ("body",)


@admin.register(BadInputCount)
class BadInputCountAdmin(ReadOnlyAdmin):
    list_display = ("kind", "count", "last_seen_at")
