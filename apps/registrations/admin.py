"""Back office for vital events: it looks and nudges the pipeline, it never edits.

Everything here is written by the registrations services (which lock, check the status
and audit); the civil register is corrected through the portal's correction flow, so
the back office can neither change a recorded fact nor delete anything but a draft.
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from apps.mosip.errors import MosipError
from apps.registrations import mosip_calls, pipeline, queries, services
from apps.registrations.models import (
    DuplicateFlag,
    EventDocument,
    EventStatus,
    EventStatusChange,
    IdCheck,
    IdentityVerification,
    Notification,
    OutboxMessage,
    OutboxStatus,
    Packet,
    PacketStatus,
    VitalEvent,
)


class RecordAdmin(admin.ModelAdmin):
    """Shown, searched and filtered; never added, changed or deleted by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
    fields = ["application_id", "subject", "process", "status", "uin", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class DuplicateFlagInline(admin.StackedInline):
    """The registrar's reason for registering the event although earlier events
    looked like it, and those events."""

    model = DuplicateFlag
    extra = 0
    can_delete = False
    fields = ["flagged_at", "flagged_by", "reason", "earlier_events"]
    readonly_fields = fields
    verbose_name = "Registered as a likely duplicate"
    verbose_name_plural = "Registered as a likely duplicate"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("candidates__candidate")

    @admin.display(description="Earlier events that looked like it")
    def earlier_events(self, flag):
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a> ({})',
            (
                (
                    reverse(
                        "admin:registrations_vitalevent_change",
                        args=[c.candidate_id],
                    ),
                    c.candidate,
                    c.get_rule_display()
                    + (f", names {round(c.score * 100)}% alike" if c.score < 1 else ""),
                )
                for c in flag.candidates.all()
            ),
        )


class FlaggedFilter(admin.SimpleListFilter):
    title = "likely duplicate"
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", "Registered as a likely duplicate")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=DuplicateFlag.objects.values("event_id"))
        return queryset


class IdCheckInline(admin.TabularInline):
    """National IDs of the event as MOSIP's ID Authentication last answered."""

    model = IdCheck
    extra = 0
    can_delete = False
    fields = ["section", "id_type", "id_masked", "outcome", "mismatches", "problem",
              "transaction_id", "checked_at", "overridden_by", "override_reason"]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class IdentityVerificationInline(admin.TabularInline):
    model = IdentityVerification
    extra = 0
    can_delete = False
    fields = ["verified_at", "section", "verified_by", "issuer", "subject", "filled"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(IdCheck)
class IdCheckAdmin(RecordAdmin):
    list_display = ["event", "section", "id_type", "id_masked", "outcome", "problem",
                    "checked_at", "overridden_at"]  # fmt: skip
    list_filter = ["outcome", "section", "event__event_type", "event__office"]
    list_select_related = ["event"]
    exclude = ["fingerprint", "auth_token"]


@admin.register(IdentityVerification)
class IdentityVerificationAdmin(RecordAdmin):
    """Verifications with e-Signet (docs/identity-verification.md): written only
    once e-Signet's tokens verified."""

    list_display = [
        "event",
        "section",
        "verified_at",
        "verified_by",
        "issuer",
        "subject",
    ]
    list_filter = ["section", "issuer"]
    list_select_related = ["event", "verified_by"]
    search_fields = ["event__registration_number", "subject"]
    readonly_fields = [field.name for field in IdentityVerification._meta.fields]


@admin.register(VitalEvent)
class VitalEventAdmin(RecordAdmin):
    list_display = [
        "__str__",
        "subject_name",
        "event_type",
        "status",
        "office",
        "mosip_process",
        "last_error_code",
        "updated_at",
    ]
    list_filter = ["status", "event_type", "office", "mosip_process", FlaggedFilter]
    list_select_related = ["office"]
    # Shows the search box; the search itself is the registrars' (get_search_results).
    search_fields = ["registration_number"]
    search_help_text = (
        "A name in any entry language, a registration number, an application id or a "
        "UIN."
    )
    readonly_fields = [field.name for field in VitalEvent._meta.fields]
    inlines = [
        DuplicateFlagInline,
        PacketInline,
        IdCheckInline,
        IdentityVerificationInline,
        EventStatusChangeInline,
    ]
    actions = ["send_now", "look_up_status"]

    def has_delete_permission(self, request, obj=None):
        # Only a draft, one at a time: what was submitted is part of the register.
        return (
            obj is not None
            and obj.status == EventStatus.DRAFT
            and super(RecordAdmin, self).has_delete_permission(request, obj)
        )

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(queries.event_search(search_term)), False

    def get_deleted_objects(self, objs, request):
        # A draft's documents and history go with it through the discard service,
        # which the back office may call even though it cannot delete those rows.
        deleted, counts, _, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj):
        services.event_discard_draft(event=obj, actor=request.user)

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
class PacketAdmin(RecordAdmin):
    list_display = ["application_id", "event", "subject", "process", "status", "uin"]
    list_filter = ["status", "process"]
    list_select_related = ["event"]
    search_fields = [
        "application_id",
        "uin",
        "event__registration_number",
        "event__subject_name",
    ]
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


@admin.register(OutboxMessage)
class OutboxMessageAdmin(RecordAdmin):
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

    @admin.action(description="Send now")
    def send_now(self, request, queryset):
        rows = queryset.filter(status=OutboxStatus.PENDING)
        for outbox in rows:
            pipeline.outbox_retry_now(outbox=outbox, actor=request.user)
        self.message_user(request, f"{len(rows)} packet(s) queued to send now.")


@admin.register(Notification)
class NotificationAdmin(RecordAdmin):
    list_display = ["event", "kind", "recipient", "created_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["event", "recipient"]
    readonly_fields = ["recipient", "event", "kind", "message", "created_at", "read_at"]


@admin.register(EventDocument)
class EventDocumentAdmin(RecordAdmin):
    list_display = ["event", "kind", "file_format", "size", "uploaded_at"]
    list_filter = ["kind", "file_format"]
    list_select_related = ["event"]
    search_fields = ["event__registration_number", "event__subject_name", "sha256"]
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
