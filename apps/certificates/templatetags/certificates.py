from django import template

from apps.certificates import forms, queries

register = template.Library()


@register.inclusion_tag("certificates/_event_section.html", takes_context=True)
def certificate_section(context, event):
    """The certificate part of an event's page: what can be printed and what was."""
    return {
        "event": event,
        "eligibility": queries.certificate_eligibility(event),
        "certificates": queries.certificates_of(event),
        "reprint_form": forms.IssueForm(initial={"kind": "reprint"}),
        "csrf_token": context.get("csrf_token"),
    }
