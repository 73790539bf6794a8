"""Event forms built from the event definitions and the current ID schema.

Input names are `<section>__<field>` and, for multilingual fields, `<section>__<field>__<lang>`;
the stored draft keeps the same shape nested: `{"child": {"fullName": {"eng": "…"}}}`.
Every value stays a string, exactly as typed, so a draft can hold invalid input, with
two exceptions: a value holding a control character (PostgreSQL cannot store NUL) or
longer than its input's limit is not stored; the draft keeps what it held for that input
and the form says why (`unstorable`).
"""

from dataclasses import dataclass, field
from functools import partial

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from apps.core.forms import (
    PlainTextForm,
    PlainTextValidator,
    length_limit,
    make_plain_text,
)
from apps.onboarding.id_schema import FieldKind, IdSchema, SchemaField
from apps.registrations import config, definitions, documents, schema_rules
from apps.registrations.definitions import PortalField, SchemaRef, Section
from apps.registrations.models import EventStatus, EventType
from apps.registrations.queues import WORK_QUEUES
from apps.registrations.validators import (
    EARLIEST_DATE,
    parse_iso_date,
    validate_not_future,
    validate_not_too_early,
    validate_phone,
    validate_time,
    validate_uin,
    validate_vid,
    validate_whole_number,
)

SEPARATOR = "__"
# The portal's cap on a schema text field whose validators set none shorter
# (docs/input-limits.md).
SCHEMA_TEXT_MAX_CHARS = 200
# Schema field kinds a registrar can type; documents and biometrics are not typed.
_TYPEABLE = {FieldKind.MULTILINGUAL, FieldKind.STRING, FieldKind.NUMBER}


@dataclass
class Question:
    """One thing asked, with one input, or one per language for multilingual text."""

    key: str
    label: str
    required: bool
    multilingual: bool = False
    # (language code or "", input name)
    inputs: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SectionLayout:
    key: str
    title: str
    questions: list[Question]


def input_name(*parts: str) -> str:
    return SEPARATOR.join(parts)


def flatten(data: dict) -> dict[str, str]:
    """Stored draft data → input names and values."""
    flat = {}
    for section, values in (data or {}).items():
        for name, value in (values or {}).items():
            if isinstance(value, dict):
                for lang, text in value.items():
                    flat[input_name(section, name, lang)] = text
            else:
                flat[input_name(section, name)] = value
    return flat


def _schema_rule_words(schema_field: SchemaField) -> str:
    """What the field's validators ask for, in words (apps/registrations/schema_rules.py)."""
    return "; ".join(schema_rules.rule(p).words for p in schema_field.patterns)


def _schema_cap(schema_field: SchemaField) -> int:
    """The longest value the schema allows, within the portal's own cap."""
    limits = [schema_rules.rule(p).longest for p in schema_field.patterns]
    return min([n for n in limits if n] + [SCHEMA_TEXT_MAX_CHARS])


def _length_check(limit: int) -> MaxLengthValidator:
    return MaxLengthValidator(
        limit,
        message=gettext_lazy(
            "Use at most %(limit_value)d characters; this has %(show_value)d."
        ),
    )


def _schema_value_check(schema_field: SchemaField):
    cap = _schema_cap(schema_field)

    def check(value: str) -> None:
        # A value over the cap already has the length error: one message per problem.
        if value and len(value) <= cap and not schema_field.check(value):
            raise ValidationError(
                gettext("MOSIP accepts %(rule)s here."),
                code="schema_validator",
                params={"rule": _schema_rule_words(schema_field)},
            )

    return check


def _schema_date_check(schema_field: SchemaField):
    """A date the portal accepts, checked against the schema in MOSIP's form
    (YYYY/MM/DD); a date the portal refuses already has its own message."""

    def check(value: str) -> None:
        try:
            _date_value(value)
        except ValidationError:
            return
        if not schema_field.check(_packet_date(value)):
            raise ValidationError(
                gettext("MOSIP's ID schema does not accept this date."),
                code="schema_validator",
            )

    return check


def _readable_help(schema_field: SchemaField) -> str:
    rules = [schema_rules.rule(p) for p in schema_field.patterns]
    if not all(r.readable for r in rules):
        return ""
    words = "; ".join(r.words for r in rules)
    return words[:1].upper() + words[1:] + "."


def _date_value(value: str) -> None:
    date = parse_iso_date(value)
    validate_not_too_early(date)
    validate_not_future(date)


def _packet_date(value: str) -> str:
    return value.replace("-", "/")


def _widget(kind: str, choices=(), attrs=None) -> forms.Widget:
    attrs = dict(attrs or {})
    if kind == "date":
        attrs.update(
            type="date",
            min=EARLIEST_DATE.isoformat(),
            max=timezone.localdate().isoformat(),
        )
        return forms.TextInput(attrs=attrs)
    if kind == "time":
        return forms.TextInput(attrs=attrs | {"type": "time"})
    if kind == "select":
        return forms.Select(
            choices=[("", gettext_lazy("Choose…")), *choices], attrs=attrs
        )
    if kind == "textarea":
        return forms.Textarea(attrs=attrs | {"rows": 3})
    if kind in ("uin", "vid", "number"):
        return forms.TextInput(
            attrs=attrs | {"inputmode": "numeric", "autocomplete": "off"}
        )
    if kind == "phone":
        return forms.TextInput(attrs=attrs | {"type": "tel", "autocomplete": "off"})
    if kind == "email":
        return forms.TextInput(attrs=attrs | {"type": "email", "autocomplete": "off"})
    return forms.TextInput(attrs=attrs | {"autocomplete": "off"})


_KIND_VALIDATORS = {
    "date": [_date_value],
    "time": [validate_time],
    "uin": [validate_uin],
    "vid": [validate_vid],
    "phone": [validate_phone],
}


# Fields and layout of an event form, built once per event type, schema and language
# settings: building them is most of the cost of validating a submission.
_built: dict[tuple, tuple] = {}


class MarkedBoundField(forms.BoundField):
    """Django's input, which marks an error with aria-invalid and points at its
    message, under the id the event templates give the message."""

    @property
    def aria_describedby(self):
        described = super().aria_describedby
        if described and self.auto_id:
            described = described.replace(
                f"{self.auto_id}_error", f"{self.auto_id}-error"
            )
        return described


class EventForm(forms.Form):
    """All sections of one event type; validation only, it saves nothing."""

    bound_field_class = MarkedBoundField

    def __init__(self, *args, event_type: str, schema: IdSchema, **kwargs):
        super().__init__(*args, **kwargs)
        self.event_type = event_type
        self.schema = schema
        key = (
            event_type,
            schema.version,
            hash(schema.text),
            tuple(config.entry_languages()),
            # Labels, help and language names are said in the page's language.
            translation.get_language(),
            config.crvs_new_mandatory_fields(),
            timezone.localdate(),  # date inputs cannot pick a day after today
        )
        built = _built.get(key)
        if built is None:
            self.layout: list[SectionLayout] = []
            self._date_inputs: dict[str, str] = {}
            for section in definitions.SECTIONS[event_type]:
                questions = [
                    q for item in section.fields if (q := self._add(section, item))
                ]
                self.layout.append(SectionLayout(section.key, section.title, questions))
            if len(_built) > 32:
                _built.clear()
            built = _built[key] = (self.fields, self.layout, self._date_inputs)
        # Shared between forms, so never changed: errors are marked as each input
        # is rendered (MarkedBoundField); the layout is only read.
        self.fields = dict(built[0])
        self.layout, self._date_inputs = built[1], built[2]

    # Building ------------------------------------------------------------------

    def _required(self, ref: SchemaRef) -> bool:
        if ref.required is not None:
            return ref.required
        return (
            self.event_type == EventType.BIRTH
            and ref.schema_id in config.crvs_new_mandatory_fields()
        )

    def _add(self, section: Section, item) -> Question | None:
        if isinstance(item, PortalField):
            name = input_name(section.key, item.name)
            validators = [*_KIND_VALIDATORS.get(item.kind, [])]
            limit, help_text = item.max_length, item.help_text
            target = self.schema.get(item.sends_as) if item.sends_as else None
            if target is not None:
                limit = min(limit, _schema_cap(target))
                help_text = help_text or _readable_help(target)
                if item.kind not in _KIND_VALIDATORS:
                    # UINs and dates have the portal's own, stricter check.
                    validators.append(_schema_value_check(target))
            validators.append(_length_check(limit))
            self.fields[name] = forms.CharField(
                label=item.label,
                required=item.required,
                help_text=help_text,
                validators=validators,
                widget=_widget(item.kind, item.choices),
            )
            if item.kind == "select":
                self.fields[name].validators.append(_choice_check(item.choices))
            if item.kind == "number":
                self.fields[name].validators.append(
                    partial(
                        validate_whole_number,
                        min_value=item.min_value,
                        max_value=item.max_value,
                    )
                )
            make_plain_text(self.fields[name])
            if item.kind == "date":
                self._date_inputs[f"{section.key}.{item.name}"] = name
            return Question(name, item.label, item.required, inputs=[("", name)])
        schema_field = self.schema.get(item.schema_id)
        if schema_field is None or schema_field.kind not in _TYPEABLE:
            return None
        label = (
            item.label
            or definitions.SCHEMA_LABELS.get(item.schema_id)
            or _humanise(item.schema_id)
        )
        required = self._required(item)
        coded = definitions.CODED_SCHEMA_FIELDS.get(item.schema_id)
        if schema_field.kind == FieldKind.MULTILINGUAL and not coded:
            return self._add_multilingual(section, schema_field, label, required)
        name = input_name(section.key, item.schema_id)
        is_date = item.schema_id.startswith("dateOf") or item.schema_id.endswith("Date")
        validators = [_length_check(_schema_cap(schema_field))]
        if coded:
            validators.append(_choice_check(coded))
            # Coded labels stay English where they are kept (definitions.py).
            coded = tuple((code, gettext_lazy(text)) for code, text in coded)
        elif is_date:
            validators += [_date_value, _schema_date_check(schema_field)]
            self._date_inputs[f"{section.key}.{item.schema_id}"] = name
        else:
            validators.append(_schema_value_check(schema_field))
        kind = (
            "select" if coded else "date" if is_date else _string_kind(item.schema_id)
        )
        self.fields[name] = make_plain_text(
            forms.CharField(
                label=label,
                required=required,
                validators=validators,
                widget=_widget(kind, coded or ()),
                help_text="" if coded or is_date else _readable_help(schema_field),
            )
        )
        return Question(name, label, required, inputs=[("", name)])

    def _add_multilingual(self, section, schema_field, label, required) -> Question:
        question = Question(
            input_name(section.key, schema_field.id), label, required, multilingual=True
        )
        for position, lang in enumerate(config.entry_languages()):
            name = input_name(section.key, schema_field.id, lang)
            attrs = {
                "lang": config.HTML_LANG_TAGS.get(lang, lang),
                "autocomplete": "off",
            }
            # Each box in its own script's direction, whatever the page's (docs/
            # languages.md): an English name reads left to right on an Arabic page.
            attrs["dir"] = "rtl" if lang in config.RTL_LANGUAGES else "ltr"
            language = config.LANGUAGE_NAMES.get(lang, lang)
            self.fields[name] = make_plain_text(
                forms.CharField(
                    label=gettext("%(label)s (%(language)s)")
                    % {"label": label, "language": language},
                    # Only the primary language is mandatory; the others are welcome.
                    required=required and position == 0,
                    validators=[
                        _length_check(_schema_cap(schema_field)),
                        _schema_value_check(schema_field),
                    ],
                    widget=forms.TextInput(attrs=attrs),
                )
            )
            question.inputs.append((lang, name))
        return question

    # Validation ----------------------------------------------------------------

    def _date(self, path: str):
        name = self._date_inputs.get(path)
        value = self.cleaned_data.get(name) if name else None
        return parse_iso_date(value) if value else None

    def _value(self, section: str, name: str) -> str:
        return self.cleaned_data.get(input_name(section, name)) or ""

    def _not_before(self, later: str, earlier: str, message: str) -> None:
        late, early = self._date(later), self._date(earlier)
        if late and early and late < early:
            self.add_error(
                self._date_inputs[later], ValidationError(message, code="date_order")
            )

    @classmethod
    def over_draft(cls, posted, *, draft: dict, **kwargs) -> "EventForm":
        """The form bound to the stored `draft` with the inputs `posted` on top: a
        step posts only its own inputs, and the others keep their stored values."""
        names = cls(**kwargs).fields
        data = flatten(draft) | {n: posted[n] for n in names if n in posted}
        return cls(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.event_type == EventType.BIRTH:
            for parent, message in (
                ("mother", gettext("The child cannot be born before the mother.")),
                ("father", gettext("The child cannot be born before the father.")),
            ):
                self._not_before(
                    "child.dateOfBirth", f"{parent}.date_of_birth", message
                )
        elif self.event_type == EventType.DEATH:
            self._not_before(
                "death.date",
                "deceased.dateOfBirth",
                gettext("The date of death is before the date of birth."),
            )
        else:
            uins = [self._value(s, "uin") for s in ("spouse1", "spouse2")]
            if uins[0] and uins[0] == uins[1]:
                self.add_error(
                    "spouse2__uin", gettext("Both spouses have the same UIN.")
                )
            if self.event_type == EventType.MARRIAGE:
                for spouse in ("spouse1", "spouse2"):
                    self._not_before(
                        "marriage.date",
                        f"{spouse}.date_of_birth",
                        gettext(
                            "The marriage date is before a spouse's date of birth."
                        ),
                    )
            else:
                self._not_before(
                    "divorce.decree_date",
                    "divorce.marriage_date",
                    gettext("The decree is dated before the marriage."),
                )
        return cleaned

    # Output --------------------------------------------------------------------

    def unstorable(self) -> dict[str, ValidationError]:
        """Inputs whose typed value cannot be kept in a draft: a control character,
        or longer than the input's limit. The same checks give the field errors."""
        problems = {}
        for name, form_field in self.fields.items():
            value = self.data.get(name, "")
            if not isinstance(value, str):
                continue
            try:
                for check in form_field.validators:
                    if isinstance(check, PlainTextValidator):
                        check(value)
                limit = length_limit(form_field)
                if limit is not None and len(value) > limit:
                    raise ValidationError(
                        gettext(
                            "This is longer than the %(limit)d characters it can hold."
                        ),
                        code="max_length",
                        params={"limit": limit},
                    )
            except ValidationError as error:
                problems[name] = error
        return problems

    def raw_data(self, previous: dict | None = None) -> dict:
        """What was typed, by section, valid or not (for saving a draft); an input
        whose value cannot be stored keeps its `previous` value."""
        kept = flatten(previous or {})
        unstorable = self.unstorable()
        return _nest(
            {
                name: kept.get(name, "")
                if name in unstorable
                else self.data.get(name, "")
                for name in self.fields
            }
        )

    def cleaned_event_data(self) -> dict:
        """Validated values by section, trimmed; call only when the form is valid."""
        return _nest(
            {name: (self.cleaned_data.get(name) or "") for name in self.fields}
        )


def unplaced_schema_fields(schema: IdSchema) -> list[str]:
    """Demographic fields of `schema` that no event form asks for and the portal does
    not fill: MOSIP receives them empty. Listed for the integration admin."""
    placed = {
        item.schema_id if isinstance(item, SchemaRef) else item.sends_as
        for sections in definitions.SECTIONS.values()
        for section in sections
        for item in section.fields
    }
    return sorted(
        f.id
        for f in schema.fields.values()
        if f.id not in placed
        and f.id not in definitions.NOT_TYPED_SCHEMA_FIELDS
        and f.kind in _TYPEABLE
        and f.category in ("pvt", "kyc")
        and f.field_type == "default"
    )


def _nest(values: dict[str, str]) -> dict:
    data: dict = {}
    for name, value in values.items():
        value = value if isinstance(value, str) else ""
        parts = name.split(SEPARATOR)
        section = data.setdefault(parts[0], {})
        if len(parts) == 3:
            section.setdefault(parts[1], {})[parts[2]] = value
        else:
            section[parts[1]] = value
    return data


def _choice_check(choices):
    allowed = {value for value, _ in choices}

    def check(value: str) -> None:
        if value and value not in allowed:
            raise ValidationError(
                gettext("Choose one of the listed options."), code="invalid_choice"
            )

    return check


def _string_kind(schema_id: str) -> str:
    return {"phone": "phone", "email": "email"}.get(schema_id, "text")


def _humanise(field_id: str) -> str:
    words, current = [], ""
    for char in field_id:
        if char.isupper() and current:
            words.append(current)
            current = char.lower()
        else:
            current += char
    words.append(current)
    return " ".join(words).capitalize()


class NewEventForm(PlainTextForm, forms.Form):
    event_type = forms.ChoiceField(
        label=gettext_lazy("Type of event"),
        choices=EventType.choices,
        widget=forms.RadioSelect,
    )


class DocumentUploadForm(PlainTextForm, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Document"))
    file = forms.FileField(
        label=gettext_lazy("File"),
        error_messages={
            "empty": gettext_lazy(
                "The file is empty (0 bytes): choose the document's file again."
            ),
            "required": gettext_lazy("Choose the file to upload."),
        },
    )

    def __init__(self, *args, event_type: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = documents.accepted()
        self.fields["kind"].choices = [
            (k.code, k.label) for k in definitions.DOCUMENT_KINDS[event_type]
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The content is parsed when it is attached; the size is known already.
        if upload.size > config.document_max_bytes():
            raise forms.ValidationError(
                gettext("The file is too large. Send a %(accepted)s.")
                % {"accepted": documents.accepted()}
            )
        return upload


class EventFilterForm(PlainTextForm, forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    event_type = forms.ChoiceField(
        label=gettext_lazy("Type"),
        required=False,
        choices=[("", gettext_lazy("All types")), *EventType.choices],
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    queue = forms.ChoiceField(label=gettext_lazy("Work queue"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].choices = [
            ("", gettext("All events")),
            *((queue.key, queue.label) for queue in WORK_QUEUES),
        ]
        self.fields["status"].choices = [
            ("", gettext("All statuses")),
            ("needs_attention", gettext("Needs attention")),
            *EventStatus.choices,
        ]
