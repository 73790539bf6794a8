"""Words for national ID checks (apps/registrations/services/id_checks/)."""

from django import template

from apps.registrations.services.id_checks import PROBLEM_WORDS, mismatch_words

register = template.Library()


@register.filter
def id_check_mismatches(check) -> str:
    """ "name in English, date of birth": what MOSIP did not match."""
    return mismatch_words(check) if check else ""


@register.filter
def id_check_problem(check) -> str:
    """What kept a check from being made, in words."""
    if not check or not check.problem:
        return ""
    return str(PROBLEM_WORDS.get(check.problem, check.problem))
