"""Event forms as the templates show them: sections, questions, summaries, errors."""

from dataclasses import dataclass

from django import forms

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


def bound_layout(form: EventForm) -> list[tuple[SectionLayout, list[BoundQuestion]]]:
    """The form's sections with bound fields, in the order the template renders them."""
    return [
        (section, [_bind(form, q) for q in section.questions])
        for section in form.layout
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


def summarise(
    form: EventForm, data: dict
) -> list[tuple[str, list[tuple[str, list[SummaryValue]]]]]:
    """(section title, [(question label, values)]) for the answered questions of `data`."""
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
        if rows:
            result.append((section.title, rows))
    return result


def error_list(form: EventForm) -> list[tuple[str, str]]:
    """(section and input label, message) for every error, in the order of the inputs."""
    titles = {section.key: section.title for section in form.layout}
    result = []
    for name, messages in form.errors.items():
        label = ""
        if name in form.fields:
            section = titles.get(name.split(SEPARATOR)[0], "")
            label = f"{section} – {form.fields[name].label}"
        result += [(label, message) for message in messages]
    return result
