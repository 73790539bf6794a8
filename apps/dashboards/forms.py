import datetime

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.accounts.queries import offices_visible_to
from apps.core.forms import PlainTextForm
from apps.dashboards import config
from apps.registrations.models import EventType

GRANULARITIES = [("day", _("Day")), ("week", _("Week")), ("month", _("Month"))]
MAX_RANGE_DAYS = 10 * 366
MAX_DAILY_RANGE_DAYS = 366


class DateInput(forms.DateInput):
    input_type = "date"


class DashboardFilterForm(PlainTextForm, forms.Form):
    office = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Office"),
        empty_label=_("All my offices"),
    )
    event_type = forms.ChoiceField(
        choices=[("", _("All event types")), *EventType.choices],
        required=False,
        label=_("Event type"),
    )
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("To"), widget=DateInput)
    granularity = forms.ChoiceField(choices=GRANULARITIES, label=_("Group by"))

    def __init__(self, data, *, user, today: datetime.date):
        defaults = {
            "start": (today - datetime.timedelta(days=config.default_days() - 1)),
            "end": today,
            "granularity": "day",
        }
        given = {key: value for key, value in data.items() if value != ""}
        super().__init__({**defaults, **given})
        self.fields["office"].queryset = offices_visible_to(user)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(
                    gettext("The start date is after the end date.")
                )
            days = (end - start).days + 1
            if days > MAX_RANGE_DAYS:
                raise forms.ValidationError(
                    gettext("Choose a range of at most ten years.")
                )
            if cleaned.get("granularity") == "day" and days > MAX_DAILY_RANGE_DAYS:
                self.add_error(
                    "granularity",
                    gettext("Group a range longer than a year by week or month."),
                )
        return cleaned
