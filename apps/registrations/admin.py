"""Back office for vital events: read-mostly; status fields belong to the services."""

from django.contrib import admin, messages

from apps.mosip.errors import MosipError
from apps.registrations import mosip_calls, pipeline
from apps.registrations.models import (
    EventDocument,
    EventStatusChange,
    Notification,
    OutboxMessage,
    OutboxStatus,
    Packet,
    PacketStatus,
    VitalEvent,
)


class EventStatusChangeInline(admin.TabularInline):
    model = EventStatusChange
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "actor", "code", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class PacketInline(admin.TabularInline):
    model = Packet
    extra = 0
    can_delete = False
    fields = ["application_id", "subject", "process", "status", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(VitalEvent)
class VitalEventAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "event_type",
        "status",
        "office",
        "mosip_process",
        "last_error_code",
        "updated_at",
    ]
    list_filter = ["status", "event_type", "office", "mosip_process"]
    list_select_related = ["office"]
    search_fields = ["registration_number", "packets__application_id"]
    raw_id_fields = ["created_by"]
    readonly_fields = [
        "status",
        "data",
        "subject_name",
        "registration_number",
        "registration_year",
        "mosip_process",
        "no_packet_reason",
        "last_error_code",
        "last_error_message",
        "office",
        "event_type",
        "created_by",
        "created_at",
        "updated_at",
        "draft_saved_at",
        "submitted_at",
    ]
    inlines = [PacketInline, EventStatusChangeInline]
    actions = ["send_now", "look_up_status"]

    def has_add_permission(self, request):
        # Events are recorded through the registrar pages, which run the services.
        return False

    @admin.action(description="Send waiting packets to MOSIP now")
    def send_now(self, request, queryset):
        rows = OutboxMessage.objects.filter(
            event__in=queryset, status=OutboxStatus.PENDING
        )
        for outbox in rows:
            pipeline.outbox_retry_now(outbox=outbox, actor=request.user)
        self.message_user(request, f"{len(rows)} packet(s) queued to send now.")

    @admin.action(description="Look up MOSIP's status of processing packets")
    def look_up_status(self, request, queryset):
        application_ids = list(
            Packet.objects.filter(
                event__in=queryset, status=PacketStatus.PROCESSING
            ).values_list("application_id", flat=True)[:100]
        )
        try:
            applied = mosip_calls.reconcile_packets(application_ids)
        except MosipError as error:
            self.message_user(
                request, f"MOSIP status search failed: {error}", messages.ERROR
            )
            return
        self.message_user(
            request,
            f"{len(application_ids)} packet(s) looked up, {applied} brought up to date.",
        )


@admin.register(Packet)
class PacketAdmin(admin.ModelAdmin):
    list_display = ["application_id", "event", "subject", "process", "status"]
    list_filter = ["status", "process"]
    list_select_related = ["event"]
    search_fields = ["application_id", "event__registration_number"]
    readonly_fields = [
        "event",
        "subject",
        "process",
        "application_id",
        "centre_id",
        "machine_id",
        "status",
        "uin",
        "vid",
        "result_code",
        "result_message",
        "sent_at",
        "processed_at",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "packet",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error_code",
    ]
    list_filter = ["status", "kind", "last_error_code"]
    actions = ["send_now"]
    list_select_related = ["packet"]
    search_fields = ["packet__application_id", "event__registration_number"]
    readonly_fields = [
        "event",
        "packet",
        "kind",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "last_error_code",
        "failing_since",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send now")
    def send_now(self, request, queryset):
        rows = queryset.filter(status=OutboxStatus.PENDING)
        for outbox in rows:
            pipeline.outbox_retry_now(outbox=outbox, actor=request.user)
        self.message_user(request, f"{len(rows)} packet(s) queued to send now.")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["event", "kind", "recipient", "created_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["event", "recipient"]
    readonly_fields = ["recipient", "event", "kind", "message", "created_at", "read_at"]

    def has_add_permission(self, request):
        return False


@admin.register(EventDocument)
class EventDocumentAdmin(admin.ModelAdmin):
    list_display = ["event", "kind", "file_format", "size", "uploaded_at"]
    list_filter = ["kind", "file_format"]
    list_select_related = ["event"]
    search_fields = ["event__registration_number", "sha256"]
    readonly_fields = [
        "event",
        "kind",
        "schema_field",
        "mosip_type",
        "file",
        "file_format",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    ]

    def has_add_permission(self, request):
        return False
