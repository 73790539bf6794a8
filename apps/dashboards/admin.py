from django.contrib import admin

from apps.dashboards.models import ExpectedEvents


@admin.register(ExpectedEvents)
class ExpectedEventsAdmin(admin.ModelAdmin):
    list_display = ["office", "year", "event_type", "expected", "source"]
    list_filter = ["year", "event_type", "office"]
    list_select_related = ["office"]
    search_fields = ["office__name", "office__code"]
