"""Vital events for tests, built through the real services."""

import datetime
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.onboarding.services import id_schema_record
from apps.registrations import services
from apps.registrations.definitions import DOCUMENT_KINDS
from apps.registrations.validators import verhoeff_check_digit
from tests.files import image_bytes, pdf_bytes

FIXTURES = Path(__file__).parent / "fixtures"
CRVS_SCHEMA_FILE = FIXTURES / "identity_schema.mosip-data-v1.3.0.json"
DOCS_SCHEMA_FILE = FIXTURES / "id-schema-sample.docs-1.2.0.json"
# The sandbox's published schema 0.2: MOSIP's with the civil-registration fields
# (parents, place of birth, marital status) added.
CIVIL_SCHEMA_FILE = (
    Path(__file__).parents[2] / "apps/mosip_sandbox/data/id_schema_0.2.json"
)

PDF_BYTES = pdf_bytes()
PNG_BYTES = image_bytes("PNG")
JPEG_BYTES = image_bytes("JPEG")


def load_id_schema(path: Path = CRVS_SCHEMA_FILE, version: str = "0.1"):
    return id_schema_record(version=version, schema_json=path.read_text())


def uin(body: str = "234567891") -> str:
    """A UIN with a valid Verhoeff check digit."""
    return body + verhoeff_check_digit(body)


def vid(body: str = "234567891234567") -> str:
    return body + verhoeff_check_digit(body)


def birth_data(*, child_born: str = "2025-01-10", **sections) -> dict:
    data = {
        "child": {
            "fullName": {"eng": "Amina Bello", "ara": "أمينة بيلو"},
            "gender": "FLE",
            "dateOfBirth": child_born,
            "addressLine1": {"eng": "12 Market Road", "ara": "١٢ طريق السوق"},
            "city": {"eng": "Port Town"},
            "zone": {"eng": "Ward 4"},
            "province": {"eng": "Lakeside"},
            "region": {"eng": "North"},
            "postalCode": "10114",
            "phone": "0711000000",
        },
        "birth": {
            "time_of_birth": "08:15",
            "place_type": "health_facility",
            "place": "Port Town General Hospital",
        },
        "mother": {
            "full_name": "Hauwa Bello",
            "uin": uin(),
            "date_of_birth": "1995-03-02",
        },
        "father": {"full_name": "Musa Bello"},
        "informant": {"relationship": "mother", "full_name": "Hauwa Bello"},
        "attendant": {"type": "midwife", "full_name": "Grace Obi"},
    }
    data.update(sections)
    return data


def death_data(
    *, deceased_uin: str | None = None, deceased_vid: str = "", **sections
) -> dict:
    data = {
        "deceased": {
            "fullName": {"eng": "Ibrahim Sule", "ara": "إبراهيم سولي"},
            "uin": uin("345678912") if deceased_uin is None else deceased_uin,
            "vid": deceased_vid,
            "gender": "MLE",
            "dateOfBirth": "1950-06-01",
        },
        "death": {
            "date": "2025-02-01",
            "time": "23:10",
            "place_type": "home",
            "place": "14 River Street",
            "cause": "Heart failure",
            "manner": "NATURAL",
        },
        "informant": {"full_name": "Zainab Sule", "relationship": "relative"},
    }
    data.update(sections)
    return data


def marriage_data(*, uin1: str | None = None, uin2: str | None = None) -> dict:
    return {
        "spouse1": {
            "fullName": {"eng": "John Okafor"},
            "uin": uin("456789123") if uin1 is None else uin1,
        },
        "spouse2": {
            "fullName": {"eng": "Mary Adeyemi"},
            "uin": uin("567891234") if uin2 is None else uin2,
        },
        "marriage": {
            "date": "2025-03-01",
            "place": "Port Town Registry",
            "type": "civil",
        },
        "witnesses": {"witness1_name": "Peter Eze", "witness2_name": "Ruth Ade"},
        "officiant": {"full_name": "Registrar Bako", "title": "Registrar"},
    }


def divorce_data(*, uin1: str | None = None, uin2: str | None = None) -> dict:
    return {
        "spouse1": {
            "fullName": {"eng": "John Okafor"},
            "uin": uin("456789123") if uin1 is None else uin1,
        },
        "spouse2": {
            "fullName": {"eng": "Mary Adeyemi"},
            "uin": "" if uin2 is None else uin2,
        },
        "divorce": {
            "court": "High Court of Port Town",
            "decree_number": "HC/DIV/2025/17",
            "decree_date": "2025-04-02",
            "marriage_date": "2019-05-05",
        },
    }


DATA_BY_TYPE = {
    "birth": birth_data,
    "death": death_data,
    "marriage": marriage_data,
    "divorce": divorce_data,
}


# Names for events of different people (`distinct_name`): a given, a middle and a
# family name, coming back every 37, 43 and 41 names, so that no two of the first
# 1,500 share more than one word and the duplicate checks find none of them alike
# (docs/duplicates.md: at most 0.45 similar, where 0.6 counts).
GIVEN_NAMES = (
    "Amina Bashir Chidi Dalia Emeka Fatima Gideon Halima Idris Jamila Kwame Layla "
    "Musa Nadia Obinna Precious Qasim Rania Samuel Tunde Usman Violet Wale Yasmin "
    "Zainab Adaeze Bilal Chioma Dauda Efua Farouk Grace Hamza Ifeoma Jibril Kemi Lamin"
).split()
MIDDLE_NAMES = (
    "Adebayo Babatunde Chinedu Dayo Ebere Folake Gbenga Hadiza Ikechukwu Jumoke Kayode "
    "Lanre Maryam Nkechi Olumide Pius Rashidat Sadiq Temitope Uzoma Victor Wuraola "
    "Yetunde Zakari Aisha Bukola Chiamaka Danladi Ejike Funmilayo Garuba Hauwa Ijeoma "
    "Jide Kunle Lola Mustapha Nneka Oluchi Rotimi Segun Tolu Wasiu"
).split()
FAMILY_NAMES = (
    "Abubakar Bello Chukwu Danjuma Eze Fashola Garba Haruna Ibekwe Jalo Kano Lawal "
    "Mohammed Nwosu Okafor Pam Quadri Rufai Sani Tanko Uche Vandi Waziri Yakubu "
    "Zubairu Adeyemi Bamidele Coker Dike Ekpo Falana Gambo Hassan Ikenna Jatau Kolade "
    "Lere Mamman Nnadi Ogun Puri"
).split()


def distinct_name(n: int) -> str:
    """The `n`th of many names, unlike any other of the first 1,500."""
    return " ".join(
        names[n % len(names)] for names in (GIVEN_NAMES, MIDDLE_NAMES, FAMILY_NAMES)
    )


def _days_after(day: str, n: int) -> str:
    return (datetime.date.fromisoformat(day) + datetime.timedelta(days=n)).isoformat()


def distinct_data(event_type: str, n: int, **fields) -> dict:
    """The `n`th of several events of `event_type` that are each a different event,
    not one registered twice: other people each time (names from `distinct_name`,
    UINs and dates of birth from `n`), so the duplicate checks take none for another.
    `fields` go to the event type's data function (e.g. child_born)."""
    data = DATA_BY_TYPE[event_type](**fields)
    name = {"eng": distinct_name(n)}
    if event_type == "birth":
        data["child"]["fullName"] = name
        data["mother"]["uin"] = uin(f"{600000000 + n:09d}")
        data["mother"]["date_of_birth"] = _days_after("1985-01-01", n % 3000)
    elif event_type == "death":
        data["deceased"]["fullName"] = name
        data["deceased"]["uin"] = uin(f"{700000000 + n:09d}")
        data["deceased"]["dateOfBirth"] = _days_after("1940-01-01", n % 3000)
    else:
        data["spouse1"]["fullName"] = name
        data["spouse1"]["uin"] = uin(f"{800000000 + n:09d}")
        if data["spouse2"]["uin"]:
            data["spouse2"]["uin"] = uin(f"{810000000 + n:09d}")
        if event_type == "divorce":
            data["divorce"]["decree_number"] = f"HC/DIV/2025/{1000 + n}"
    return data


def make_event(registrar, event_type: str = "birth", data: dict | None = None):
    event = services.event_create_draft(actor=registrar, event_type=event_type)
    if data is None:
        data = DATA_BY_TYPE[event_type]()
    return services.event_save_draft(event=event, actor=registrar, data=data)


def attach_pdf(event, kind: str | None = None):
    kind = kind or DOCUMENT_KINDS[event.event_type][0].code
    return services.event_attach_document(
        event=event,
        actor=event.created_by,
        kind=kind,
        upload=SimpleUploadedFile("evidence.pdf", PDF_BYTES, "application/pdf"),
    )
