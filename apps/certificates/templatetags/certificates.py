from django import template

from apps.certificates import queries

register = template.Library()


@register.inclusion_tag("certificates/_event_section.html", takes_context=True)
def certificate_section(context, event):
    """The certificate part of an event's page: what can be printed and what was."""
    return {**queries.section_context(event), "csrf_token": context.get("csrf_token")}
