import pytest

from apps.onboarding.id_schema import (
    FieldKind,
    IdSchemaMissingError,
    id_schema_current,
    parse_id_schema,
)
from tests.registrations.factories import (
    CRVS_SCHEMA_FILE,
    DOCS_SCHEMA_FILE,
    load_id_schema,
)


def _crvs_schema():
    return parse_id_schema(CRVS_SCHEMA_FILE.read_text(), version="0.1")


def test_it_reads_the_kind_of_each_identity_field():
    schema = _crvs_schema()
    assert schema.get("fullName").kind == FieldKind.MULTILINGUAL
    assert schema.get("dateOfBirth").kind == FieldKind.STRING
    assert schema.get("proofOfDateOfBirth").kind == FieldKind.DOCUMENT
    assert schema.get("individualBiometrics").kind == FieldKind.BIOMETRICS
    assert schema.get("IDSchemaVersion").kind == FieldKind.NUMBER


def test_it_reads_categories_requirements_and_the_crvs_death_fields():
    schema = _crvs_schema()
    assert schema.get("introducerName").category == "evidence"
    assert schema.get("fullName").required
    assert not schema.get("UIN").required
    for field_id in ("deceasedDeclarationDate", "declaredAsDeceased", "typeOfDeath"):
        assert schema.has(field_id)
    assert schema.get("preferredLang").field_type == "dynamic"


def test_regex_validators_are_applied_like_javas_pattern_matches():
    schema = _crvs_schema()
    full_name = schema.get("fullName")  # ^(?=.{3,50}$).*
    assert full_name.check("Amina Bello")
    assert not full_name.check("Al")
    date_of_birth = schema.get("dateOfBirth")
    assert date_of_birth.check("2025/02/14")
    assert not date_of_birth.check("2025-02-14")
    assert schema.get("declaredAsDeceased").check("Y")
    assert not schema.get("declaredAsDeceased").check("Yes")


def test_the_older_sample_schema_has_no_death_fields():
    schema = parse_id_schema(DOCS_SCHEMA_FILE.read_text(), version="0.1")
    assert schema.has("fullName")
    assert not schema.has("deceasedDeclarationDate")


def test_without_a_cached_schema_it_says_so(db):
    with pytest.raises(IdSchemaMissingError):
        id_schema_current()


def test_the_current_schema_is_the_newest_fetched(db):
    load_id_schema(DOCS_SCHEMA_FILE, version="0.1")
    load_id_schema(CRVS_SCHEMA_FILE, version="0.2")
    current = id_schema_current()
    assert current.version == "0.2"
    assert current.text == CRVS_SCHEMA_FILE.read_text()
