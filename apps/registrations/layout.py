"""Event forms as the templates show them: sections, questions, summaries, errors."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _

from apps.registrations import config
from apps.registrations.forms import (
    SEPARATOR,
    EventForm,
    Question,
    SectionLayout,
    flatten,
)


@dataclass
class BoundInput:
    language: str
    language_name: str
    bound_field: forms.BoundField


@dataclass
class BoundQuestion:
    question: Question
    inputs: list[BoundInput]
    # What MOSIP said of the national ID asked here (services.id_checks.CheckShown).
    id_check: object = None

    @property
    def key(self) -> str:
        return self.question.key

    @property
    def has_errors(self) -> bool:
        return any(i.bound_field.errors for i in self.inputs)


@dataclass
class SummaryValue:
    text: str
    lang: str = ""
    dir: str = ""


# The step after the form's sections, where the evidence is attached.
DOCUMENTS_STEP = "documents"


@dataclass
class Step:
    key: str
    title: str
    number: int
    # Answered, and nothing in it needs correcting (meaningful after validation).
    complete: bool = False


def steps(form: EventForm) -> list[Step]:
    """The form's steps, one per section, then the documents: each shows as its own
    page, with every step named in the progress list."""
    result = [
        Step(section.key, section.title, number)
        for number, section in enumerate(form.layout, start=1)
    ]
    return result + [Step(DOCUMENTS_STEP, _("Documents"), len(result) + 1)]


def steps_with_progress(stored: EventForm) -> list[Step]:
    """`steps`, each marked complete when its section of the stored draft holds an
    answer (or asks nothing required) and no error. `stored`: the form bound to the
    stored draft, validated."""
    result = steps(stored)
    for step, section in zip(result, stored.layout, strict=False):
        names = [name for q in section.questions for _lang, name in q.inputs]
        answered = any((stored.data.get(n) or "").strip() for n in names) or not any(
            q.required for q in section.questions
        )
        step.complete = answered and not any(n in stored.errors for n in names)
    return result


def step_of(form: EventForm, key: str | None) -> str:
    """`key` when it names a step of the form, else the first step."""
    keys = [step.key for step in steps(form)]
    return key if key in keys else keys[0]


def step_after(form: EventForm, key: str) -> str | None:
    keys = [step.key for step in steps(form)]
    position = keys.index(key)
    return keys[position + 1] if position + 1 < len(keys) else None


def step_before(form: EventForm, key: str) -> str | None:
    keys = [step.key for step in steps(form)]
    position = keys.index(key)
    return keys[position - 1] if position > 0 else None


def step_errors(form: EventForm, key: str) -> bool:
    """Whether the bound form has an error in the inputs of step `key`."""
    return any(
        name in form.errors
        for section in form.layout
        if section.key == key
        for q in section.questions
        for _lang, name in q.inputs
    )


def first_step_with_errors(form: EventForm) -> str | None:
    return next(
        (s.key for s in form.layout if step_errors(form, s.key)),
        None,
    )


def bound_layout(
    form: EventForm, only: str | None = None
) -> list[tuple[SectionLayout, list[BoundQuestion]]]:
    """The form's sections with bound fields, in the order the template renders them;
    `only`: the one section of that step."""
    return [
        (section, [_bind(form, q) for q in section.questions])
        for section in form.layout
        if only is None or section.key == only
    ]


def bound_question(form: EventForm, key: str) -> BoundQuestion | None:
    for section in form.layout:
        for question in section.questions:
            if question.key == key:
                return _bind(form, question)
    return None


def _bind(form: EventForm, question: Question) -> BoundQuestion:
    return BoundQuestion(
        question,
        [
            BoundInput(lang, config.LANGUAGE_NAMES.get(lang, lang), form[name])
            for lang, name in question.inputs
        ],
    )


@dataclass
class SummarySection:
    key: str
    title: str
    rows: list[tuple[str, list[SummaryValue]]]


def summarise(form: EventForm, data: dict) -> list[SummarySection]:
    """Every section with its answered questions of `data` (label, values); a
    section with no answer has no rows."""
    flat = flatten(data)
    result = []
    for section in form.layout:
        rows = []
        for question in section.questions:
            values = []
            for lang, name in question.inputs:
                text = (flat.get(name) or "").strip()
                if not text:
                    continue
                choices = getattr(form.fields[name].widget, "choices", None)
                if choices:
                    text = dict(choices).get(text, text)
                tag = config.HTML_LANG_TAGS.get(lang, lang) if lang else ""
                direction = "rtl" if lang in config.RTL_LANGUAGES else ""
                values.append(SummaryValue(text, tag, direction))
            if values:
                rows.append((question.label, values))
        result.append(SummarySection(section.key, section.title, rows))
    return result


@dataclass
class ErrorItem:
    label: str
    message: str
    # The step holding the input, and the input's id: where "change" leads.
    step: str = ""
    input_id: str = ""


def error_list(form: EventForm) -> list[ErrorItem]:
    """Every error, with where to correct it, in the order of the inputs."""
    titles = {section.key: section.title for section in form.layout}
    result = []
    for name, messages in form.errors.items():
        item = ErrorItem("", "")
        if name in form.fields:
            step = name.split(SEPARATOR)[0]
            item = ErrorItem(
                f"{titles.get(step, '')} – {form.fields[name].label}",
                "",
                step,
                form[name].id_for_label,
            )
        result += [
            ErrorItem(item.label, message, item.step, item.input_id)
            for message in messages
        ]
    return result
