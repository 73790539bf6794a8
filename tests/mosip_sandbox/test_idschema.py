import json

import pytest
import requests

from tests.mosip_sandbox.packet_helpers import cookie, token

PATH = "/v1/syncdata/latestidschema"


def get(
    sandbox, roles=("REGISTRATION_PROCESSOR",), azp="mosip-regproc-client", **params
):
    return requests.get(
        f"{sandbox.url}{PATH}",
        params=params,
        headers=cookie(sandbox, list(roles), azp=azp),
        timeout=10,
    )


def test_stock_syncdata_refuses_the_crvs_client(mosip_sandbox):
    """syncdata-default.properties does not list mosip-crvs1-client in its audience."""
    response = get(mosip_sandbox, azp="mosip-crvs1-client")
    assert response.status_code == 403
    assert response.json()["errors"][0]["errorCode"] == "KER-ATH-403"


def test_the_latest_schema_is_the_crvs_extension_of_mosips_schema(mosip_sandbox):
    response = get(mosip_sandbox)
    assert response.status_code == 200
    body = response.json()
    assert body["errors"] == []
    schema = body["response"]
    assert schema["idVersion"] == 0.2
    assert isinstance(schema["schemaJson"], str)
    fields = json.loads(schema["schemaJson"])["properties"]["identity"]["properties"]
    for mosip_field in (
        "fullName",
        "dateOfBirth",
        "gender",
        "UIN",
        "introducerInfoToken",
    ):
        assert mosip_field in fields
    for crvs_field in (
        "placeOfBirth",
        "motherName",
        "motherUIN",
        "fatherName",
        "fatherUIN",
        "dateOfDeath",
        "deceasedInformer",
        "declaredAsDeceased",
        "maritalStatus",
    ):
        assert crvs_field in fields
    assert fields["placeOfBirth"]["$ref"] == "#/definitions/simpleType"
    assert fields["dateOfDeath"]["validators"][0]["type"] == "regex"


def test_schema_version_zero_means_the_latest(mosip_sandbox):
    assert get(mosip_sandbox, schemaVersion="0").json()["response"]["idVersion"] == 0.2


def test_an_older_version_is_still_served(mosip_sandbox):
    schema = get(mosip_sandbox, schemaVersion="0.1").json()["response"]
    assert schema["idVersion"] == 0.1
    fields = json.loads(schema["schemaJson"])["properties"]["identity"]["properties"]
    assert "preferredLang" in fields and "placeOfBirth" not in fields


def test_an_unpublished_version_is_an_error(mosip_sandbox):
    body = get(mosip_sandbox, schemaVersion="9.9").json()
    assert body["response"] is None
    assert body["errors"]


def test_a_non_numeric_version_is_a_bad_request(mosip_sandbox):
    response = get(mosip_sandbox, schemaVersion="latest")
    assert response.status_code == 400
    assert "Traceback" not in response.text


def test_the_online_registration_role_alone_cannot_read_the_schema(mosip_sandbox):
    assert get(mosip_sandbox, roles=("ONLINE_REGISTRATION_CLIENT",)).status_code == 403


def test_a_bearer_only_request_is_refused(mosip_sandbox):
    bearer = token(mosip_sandbox, ["REGISTRATION_PROCESSOR"])
    response = requests.get(
        f"{mosip_sandbox.url}{PATH}",
        headers={"Authorization": f"Bearer {bearer}"},
        timeout=10,
    )
    assert response.status_code == 401


@pytest.fixture
def seeded_store(tmp_path, monkeypatch):
    """A sandbox store of this test process, in its fresh state."""
    from apps.mosip_sandbox import idschema, seed, store

    assert idschema.SEEDED  # the schemas register their seed on import
    monkeypatch.setenv("MOSIP_SANDBOX_DB", str(tmp_path / "state.sqlite3"))
    monkeypatch.setattr(store, "_store", None)
    seed.run_all()
    yield store.get_store()
    monkeypatch.setattr(store, "_store", None)


def test_the_date_of_birth_or_age_pair_needs_a_date_of_birth_in_this_schema(
    seeded_store,
):
    import pytest

    from apps.mosip_sandbox import idschema

    base = {"IDSchemaVersion": 0.2, "fullName": [{"language": "eng", "value": "Ama"}]}
    idschema.validate({**base, "dateOfBirth": "2024/01/02"}, ["dateOfBirth|age"])
    # `age` satisfies the pair, but the published schema does not declare it.
    with pytest.raises(idschema.InvalidIdentity, match="- age"):
        idschema.validate({**base, "age": "3"}, ["fullName", "dateOfBirth|age"])
    with pytest.raises(idschema.InvalidIdentity, match="dateOfBirth\\|age"):
        idschema.validate(base, ["fullName", "dateOfBirth|age"])


def test_a_multilingual_value_must_be_a_list_of_language_value_pairs(seeded_store):
    import pytest

    from apps.mosip_sandbox import idschema

    with pytest.raises(idschema.InvalidIdentity):
        idschema.validate({"IDSchemaVersion": 0.2, "fullName": "Ama Bello"}, [])
    with pytest.raises(idschema.InvalidIdentity):
        idschema.validate(
            {"IDSchemaVersion": 0.2, "fullName": [{"language": "eng", "text": "Ama"}]},
            [],
        )


def test_an_unpublished_schema_version_is_invalid(seeded_store):
    import pytest

    from apps.mosip_sandbox import idschema

    with pytest.raises(idschema.InvalidIdentity, match="IDSchemaVersion"):
        idschema.validate({"IDSchemaVersion": 0.7}, [])


# --- masterdata identity schema: create, update, publish, latest -------------------

ADMIN = ("GLOBAL_ADMIN",)


def admin_call(sandbox, method, path, body=None, roles=ADMIN, **params):
    return requests.request(
        method,
        f"{sandbox.url}/v1/masterdata/idschema{path}",
        params=params,
        json=body,
        headers=cookie(sandbox, list(roles), azp="mosip-admin-client"),
        timeout=10,
    )


def envelope_of(request: dict) -> dict:
    return {"id": "string", "version": "1.0", "requesttime": None, "request": request}


def own_schema(without: str | None = None) -> str:
    """The seeded 0.2 schema, as a country would start its own, minus a field."""
    schema = json.loads(
        (
            __import__("pathlib").Path("apps/mosip_sandbox/data/id_schema_0.2.json")
        ).read_text()
    )
    if without:
        schema["properties"]["identity"]["properties"].pop(without)
    return json.dumps(schema)


def later(seconds=60) -> str:
    from datetime import UTC, datetime, timedelta

    moment = datetime.now(UTC) + timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def create_draft(sandbox, schema=None) -> dict:
    body = envelope_of(
        {
            "title": "Country identity",
            "description": "ours",
            "schema": schema or own_schema(),
        }
    )
    answer = admin_call(sandbox, "POST", "", body).json()
    assert answer["errors"] == []
    return answer["response"]


def publish(sandbox, schema_id, effective_from=None) -> dict:
    body = envelope_of({"id": schema_id, "effectiveFrom": effective_from or later()})
    return admin_call(sandbox, "PUT", "/publish", body).json()


def test_a_created_schema_is_an_unpublished_draft(mosip_sandbox):
    draft = create_draft(mosip_sandbox)
    assert draft["status"] == "DRAFT"
    assert draft["idVersion"] == 0
    assert get(mosip_sandbox).json()["response"]["idVersion"] == 0.2


def test_a_schema_that_is_not_json_is_refused(mosip_sandbox):
    body = envelope_of({"title": "t", "description": "d", "schema": "{not json"})
    errors = admin_call(mosip_sandbox, "POST", "", body).json()["errors"]
    assert errors[0]["errorCode"] == "KER-SCH-013"


def test_creating_a_schema_needs_an_admin_role(mosip_sandbox):
    body = envelope_of({"title": "t", "description": "d", "schema": "{}"})
    response = admin_call(
        mosip_sandbox, "POST", "", body, roles=("REGISTRATION_PROCESSOR",)
    )
    assert response.status_code == 403


def test_publishing_takes_the_next_version_and_becomes_the_latest(mosip_sandbox):
    draft = create_draft(mosip_sandbox)
    answer = publish(mosip_sandbox, draft["id"])
    assert answer["errors"] == [] and answer["response"] == draft["id"]
    latest = admin_call(mosip_sandbox, "GET", "/latest").json()["response"]
    assert latest["id"] == draft["id"]
    assert latest["idVersion"] == 0.3
    assert latest["status"] == "PUBLISHED"
    synced = get(mosip_sandbox).json()["response"]
    assert synced["idVersion"] == 0.3 and synced["schemaJson"] == own_schema()
    # Older published versions are still served when asked for.
    assert (
        get(mosip_sandbox, schemaVersion="0.2").json()["response"]["idVersion"] == 0.2
    )


def test_a_draft_can_be_updated_until_it_is_published(mosip_sandbox):
    draft = create_draft(mosip_sandbox)
    body = envelope_of(
        {"title": "Renamed", "description": "d", "schema": own_schema("placeOfBirth")}
    )
    updated = admin_call(mosip_sandbox, "PUT", "", body, id=draft["id"]).json()
    assert updated["response"]["title"] == "Renamed"
    publish(mosip_sandbox, draft["id"])
    again = admin_call(mosip_sandbox, "PUT", "", body, id=draft["id"]).json()
    assert again["errors"][0]["errorCode"] == "KER-SCH-009"
    assert (
        publish(mosip_sandbox, draft["id"])["errors"][0]["errorCode"] == "KER-SCH-009"
    )
    missing = admin_call(mosip_sandbox, "PUT", "", body, id="no-such-id").json()
    assert missing["errors"][0]["errorCode"] == "KER-SCH-007"


def test_a_past_effective_date_is_refused(mosip_sandbox):
    draft = create_draft(mosip_sandbox)
    answer = publish(mosip_sandbox, draft["id"], "2020-01-01T00:00:00.000Z")
    assert answer["errors"][0]["errorCode"] == "KER-SCH-010"


def test_masterdata_answers_an_unpublished_version_with_schema_not_found(mosip_sandbox):
    answer = admin_call(mosip_sandbox, "GET", "/latest", schemaVersion="0.7").json()
    assert answer["errors"][0]["errorCode"] == "KER-SCH-007"
    synced = get(mosip_sandbox, schemaVersion="0.7").json()
    assert synced["errors"][0]["errorCode"] == "KER-SNC-166"
