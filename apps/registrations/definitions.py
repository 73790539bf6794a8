"""What a registrar records for each kind of event, section by section.

Identity fields of the person MOSIP registers or updates come from the ID schema
(`SchemaRef`), so a country's schema decides their presence, languages and validators.
Facts of the event that the ID schema does not hold (time and place of birth, cause of
death, court, witnesses …) are the portal's own fields (`PortalField`).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from apps.registrations.models import EventType


@dataclass(frozen=True)
class PortalField:
    name: str
    label: str
    # text, textarea, date, time, select, uin, vid, phone, number
    kind: str = "text"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    help_text: str = ""
    max_length: int = 200
    # Bounds of a "number" (docs/input-limits.md).
    min_value: int | None = None
    max_value: int | None = None
    # The ID-schema field this answer is also sent as, when the schema declares it
    # (docs/mosip/processes-and-schema.md, "Fields filled from other answers"); the
    # answer must then meet that field's validators too.
    sends_as: str = ""


@dataclass(frozen=True)
class SchemaRef:
    schema_id: str
    # None: required when the event's MOSIP process needs it (config), else optional.
    required: bool | None = None
    label: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    fields: tuple[PortalField | SchemaRef, ...]


@dataclass(frozen=True)
class DocumentKind:
    code: str
    label: str
    # The ID schema documentType field the file is sent as; kept in the portal only
    # when the current schema has no such field.
    schema_field: str
    # MOSIP masterdata document type code (`doc_type`); must exist in the target MOSIP.
    mosip_type: str


# Labels for the ID schema fields; the schema itself carries none.
SCHEMA_LABELS = {
    "fullName": _("Full name"),
    "dateOfBirth": _("Date of birth"),
    "gender": _("Sex"),
    "addressLine1": _("Address line 1"),
    "addressLine2": _("Address line 2"),
    "addressLine3": _("Address line 3"),
    "region": _("Region"),
    "province": _("Province"),
    "city": _("City"),
    "zone": _("Zone"),
    "postalCode": _("Postal code"),
    "phone": _("Phone"),
    "email": _("Email"),
    "residenceStatus": _("Residence status"),
}

# Schema fields never typed by a registrar: filled by MOSIP, by the portal from other
# answers, or belonging to other processes. A typeable field that is neither here nor
# placed in a layout is listed for the integration admin (`unplaced_schema_fields`).
NOT_TYPED_SCHEMA_FIELDS = frozenset(
    {
        "IDSchemaVersion",
        "UIN",
        "VID",
        "referenceIdentityNumber",
        "preferredLang",
        "selectedHandles",
        "introducerRID",
        "introducerUIN",
        "introducerName",
        "introducerInfoToken",
        "deceasedInformer",
        "deceasedDeclarationDate",
        "declaredAsDeceased",
        "typeOfDeath",
        "dateOfDeath",
        "birthCertificateNumber",
        "deathCertificateNumber",
        "maritalStatus",
        "maritalStatusChangeDate",
        "marriageCertificateNumber",
        "spouseUIN",
    }
)

# Labels kept in English (gettext_noop: marked, translated where shown): certificates
# look them up by their English words (apps/certificates/content.py).
GENDER_CHOICES = (
    ("FLE", gettext_noop("Female")),
    ("MLE", gettext_noop("Male")),
    ("OTH", gettext_noop("Other")),
)
PLACE_TYPE_CHOICES = (
    ("health_facility", _("Health facility")),
    ("home", _("Home")),
    ("other", _("Other")),
)
RELATIONSHIP_CHOICES = (
    ("mother", _("Mother")),
    ("father", _("Father")),
    ("relative", _("Other relative")),
    ("other", _("Other")),
)
DEATH_INFORMANT_CHOICES = (
    ("spouse", _("Spouse")),
    ("child", pgettext_lazy("relationship to the deceased", "Child")),
    ("parent", _("Parent")),
    ("relative", _("Other relative")),
    ("official", _("Official (police, health worker)")),
    ("other", _("Other")),
)
ATTENDANT_CHOICES = (
    ("physician", _("Physician")),
    ("nurse", _("Nurse")),
    ("midwife", _("Midwife")),
    ("other", _("Other")),
    ("none", _("None")),
)
# Values double as the `typeOfDeath` sent to MOSIP.
MANNER_OF_DEATH_CHOICES = (
    ("NATURAL", _("Natural causes")),
    ("ACCIDENT", _("Accident")),
    ("SUICIDE", _("Suicide")),
    ("HOMICIDE", _("Homicide")),
    ("PENDING", _("Pending investigation")),
    ("UNDETERMINED", _("Undetermined")),
)
MARRIAGE_TYPE_CHOICES = (
    ("civil", _("Civil")),
    ("religious", _("Religious")),
    ("customary", _("Customary")),
)


def _parent(role: str, *, required_name: bool) -> tuple[PortalField, ...]:
    """A parent of the child, whose name and UIN the child's record also carries."""
    return (
        PortalField(
            "full_name", _("Full name"), required=required_name, sends_as=f"{role}Name"
        ),
        PortalField(
            "uin",
            _("National ID number (UIN)"),
            kind="uin",
            help_text=_("10 digits, e.g. 0712345678, if the parent has one"),
            sends_as=f"{role}UIN",
        ),
        PortalField("date_of_birth", _("Date of birth"), kind="date"),
    )


def _spouse(key: str, title: str) -> Section:
    return Section(
        key,
        title,
        (
            SchemaRef("fullName", required=True),
            PortalField(
                "uin",
                _("National ID number (UIN)"),
                kind="uin",
                help_text=_("10 digits; MOSIP updates this person's record when given"),
            ),
            PortalField("date_of_birth", _("Date of birth"), kind="date"),
        ),
    )


BIRTH = (
    Section(
        "child",
        _("Child"),
        (
            SchemaRef("fullName"),
            SchemaRef("gender"),
            SchemaRef("dateOfBirth"),
            SchemaRef("addressLine1", label=_("Residence: address line 1")),
            SchemaRef("addressLine2", label=_("Residence: address line 2")),
            SchemaRef("addressLine3", label=_("Residence: address line 3")),
            SchemaRef("city"),
            SchemaRef("zone"),
            SchemaRef("province"),
            SchemaRef("region"),
            SchemaRef("postalCode"),
            SchemaRef("phone", label=_("Parent's phone")),
            SchemaRef("email", label=_("Parent's email")),
        ),
    ),
    Section(
        "birth",
        _("Time and place of birth"),
        (
            PortalField("time_of_birth", _("Time of birth"), kind="time"),
            PortalField(
                "place_type",
                _("Place of birth"),
                kind="select",
                required=True,
                choices=PLACE_TYPE_CHOICES,
            ),
            PortalField(
                "place",
                _("Facility or address"),
                required=True,
                help_text=_("Where the birth happened"),
                sends_as="placeOfBirth",
            ),
            PortalField(
                "weight_grams",
                _("Weight at birth (grams)"),
                kind="number",
                min_value=100,
                max_value=10000,
                max_length=5,
            ),
        ),
    ),
    Section("mother", _("Mother"), _parent("mother", required_name=True)),
    Section("father", _("Father"), _parent("father", required_name=False)),
    Section(
        "informant",
        _("Informant"),
        (
            PortalField(
                "relationship",
                _("Relationship to the child"),
                kind="select",
                required=True,
                choices=RELATIONSHIP_CHOICES,
            ),
            PortalField("full_name", _("Full name"), required=True),
            PortalField(
                "uin",
                _("National ID number (UIN)"),
                kind="uin",
                help_text=_("10 digits, if the informant has one"),
            ),
            PortalField("date_of_birth", _("Date of birth"), kind="date"),
            PortalField(
                "phone",
                _("Phone"),
                kind="phone",
                help_text=_("6 to 15 digits, may start with +, e.g. +961 71 234 567"),
            ),
        ),
    ),
    Section(
        "attendant",
        _("Attendant at birth"),
        (
            PortalField(
                "type", _("Attendant"), kind="select", choices=ATTENDANT_CHOICES
            ),
            PortalField("full_name", _("Attendant's name")),
        ),
    ),
)

DEATH = (
    Section(
        "deceased",
        _("Deceased"),
        (
            SchemaRef("fullName", required=True),
            PortalField(
                "uin",
                _("National ID number (UIN)"),
                kind="uin",
                help_text=_("10 digits; needed for MOSIP to record the death"),
            ),
            PortalField(
                "vid",
                _("Virtual ID (VID)"),
                kind="vid",
                help_text=_("16 digits, if the UIN is not known"),
            ),
            SchemaRef("gender", required=False),
            SchemaRef("dateOfBirth", required=False),
        ),
    ),
    Section(
        "death",
        _("Death"),
        (
            PortalField("date", _("Date of death"), kind="date", required=True),
            PortalField("time", _("Time of death"), kind="time"),
            PortalField(
                "place_type",
                _("Place of death"),
                kind="select",
                required=True,
                choices=PLACE_TYPE_CHOICES,
            ),
            PortalField("place", _("Facility or address"), required=True),
            PortalField(
                "cause",
                _("Cause of death"),
                kind="textarea",
                required=True,
                max_length=500,
            ),
            PortalField(
                "manner",
                _("Manner of death"),
                kind="select",
                required=True,
                choices=MANNER_OF_DEATH_CHOICES,
            ),
        ),
    ),
    Section(
        "informant",
        _("Informant"),
        (
            PortalField("full_name", _("Full name"), required=True),
            PortalField(
                "relationship",
                _("Relationship to the deceased"),
                kind="select",
                choices=DEATH_INFORMANT_CHOICES,
            ),
            PortalField(
                "uin",
                _("National ID number (UIN)"),
                kind="uin",
                help_text=_("10 digits"),
            ),
            PortalField(
                "phone",
                _("Phone"),
                kind="phone",
                help_text=_("6 to 15 digits, may start with +, e.g. +961 71 234 567"),
            ),
        ),
    ),
)

MARRIAGE = (
    _spouse("spouse1", _("First spouse")),
    _spouse("spouse2", _("Second spouse")),
    Section(
        "marriage",
        _("Marriage"),
        (
            PortalField("date", _("Date of marriage"), kind="date", required=True),
            PortalField("place", _("Place of marriage"), required=True),
            PortalField(
                "type",
                _("Type of marriage"),
                kind="select",
                choices=MARRIAGE_TYPE_CHOICES,
            ),
        ),
    ),
    Section(
        "witnesses",
        _("Witnesses"),
        (
            PortalField("witness1_name", _("First witness: full name"), required=True),
            PortalField(
                "witness1_uin", _("First witness: national ID number (UIN)"), kind="uin"
            ),
            PortalField("witness2_name", _("Second witness: full name"), required=True),
            PortalField(
                "witness2_uin",
                _("Second witness: national ID number (UIN)"),
                kind="uin",
            ),
        ),
    ),
    Section(
        "officiant",
        _("Officiant"),
        (
            PortalField("full_name", _("Full name"), required=True),
            PortalField(
                "title",
                _("Title or office"),
                help_text=_("e.g. Registrar, Imam, Priest"),
            ),
        ),
    ),
)

DIVORCE = (
    _spouse("spouse1", _("First spouse")),
    _spouse("spouse2", _("Second spouse")),
    Section(
        "divorce",
        _("Court decree"),
        (
            PortalField("court", _("Court"), required=True),
            PortalField(
                "decree_number", _("Decree number"), required=True, max_length=60
            ),
            PortalField("decree_date", _("Date of decree"), kind="date", required=True),
            PortalField("marriage_date", _("Date of the marriage"), kind="date"),
            PortalField(
                "marriage_registration_number",
                _("Marriage registration number"),
                max_length=40,
                sends_as="marriageCertificateNumber",
            ),
        ),
    ),
)

SECTIONS = {
    EventType.BIRTH: BIRTH,
    EventType.DEATH: DEATH,
    EventType.MARRIAGE: MARRIAGE,
    EventType.DIVORCE: DIVORCE,
}

# The section whose person may prove who they are with e-Signet, per event type
# (docs/identity-verification.md), and the claim each of its answers is filled from.
VERIFIED_SECTIONS = {EventType.BIRTH: "informant", EventType.DEATH: "informant"}
VERIFIED_ANSWERS = {
    "full_name": "name",
    "date_of_birth": "birthdate",
    "uin": "individual_id",
}

# The section holding the name shown in lists, per event type.
# Where each event type keeps the date the event happened (timeliness is measured from it).
EVENT_DATE_FIELDS = {
    EventType.BIRTH: ("child", "dateOfBirth"),
    EventType.DEATH: ("death", "date"),
    EventType.MARRIAGE: ("marriage", "date"),
    EventType.DIVORCE: ("divorce", "decree_date"),
}

SUBJECT_NAME_FIELDS = {
    EventType.BIRTH: ("child", "fullName"),
    EventType.DEATH: ("deceased", "fullName"),
    EventType.MARRIAGE: ("spouse1", "fullName"),
    EventType.DIVORCE: ("spouse1", "fullName"),
}

# Default type codes are placeholders; each must exist in the target MOSIP's masterdata.
DOCUMENT_KINDS = {
    EventType.BIRTH: (
        DocumentKind(
            "birth_notification",
            _("Medical birth notification"),
            "proofOfDateOfBirth",
            "DOC004",
        ),
        DocumentKind(
            "parent_identity",
            _("Parent's identity document"),
            "proofOfRelationship",
            "DOC006",
        ),
    ),
    EventType.DEATH: (
        DocumentKind(
            "medical_certificate",
            _("Medical certificate of cause of death"),
            "proofOfDeath",
            "DOC010",
        ),
        DocumentKind(
            "deceased_identity",
            _("Deceased's identity document"),
            "proofOfIdentity",
            "DOC001",
        ),
    ),
    EventType.MARRIAGE: (
        DocumentKind(
            "marriage_certificate",
            _("Signed marriage record"),
            "proofOfRelationship",
            "DOC007",
        ),
    ),
    EventType.DIVORCE: (
        DocumentKind(
            "divorce_decree",
            _("Court decree of divorce"),
            "proofOfRelationship",
            "DOC008",
        ),
    ),
}


def document_kind(event_type: str, code: str) -> DocumentKind | None:
    return next((k for k in DOCUMENT_KINDS[event_type] if k.code == code), None)


# Multilingual schema fields whose value is a code from a list, entered once and sent
# in every language (MOSIP's sample packet: gender `MLE` in eng and ara).
CODED_SCHEMA_FIELDS = {"gender": GENDER_CHOICES}
