"""Masterdata calls: create bodies, activation by PATCH, not-found as None."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from apps.mosip import masterdata
from apps.mosip.errors import MosipRejected
from tests.mosip.fake_mosip import API, authmanager_answer, envelope, make_jwt

MD = f"{API}/v1/masterdata"


@pytest.fixture(autouse=True)
def _token(mocked):
    mocked.post(
        f"{API}/v1/authmanager/authenticate/clientidsecretkey",
        **authmanager_answer(make_jwt(roles=("GLOBAL_ADMIN",))),
    )


def test_activation_is_a_patch_with_query_parameters(mocked, client):
    call = mocked.patch(f"{MD}/registrationcenters", json=envelope({"status": "ok"}))
    assert masterdata.centre_activate(client, "10001") == "ok"
    query = parse_qs(urlsplit(call.calls[0].request.url).query)
    assert query == {"id": ["10001"], "isActive": ["true"]}


def test_zone_user_activation_names_the_user(mocked, client):
    call = mocked.patch(f"{MD}/zoneuser", json=envelope({"status": "ok"}))
    masterdata.zone_user_activate(client, "crvs.officer1")
    query = parse_qs(urlsplit(call.calls[0].request.url).query)
    assert query == {"userId": ["crvs.officer1"], "isActive": ["true"]}


def test_user_centre_create_sends_the_user_details_dto(mocked, client):
    call = mocked.post(
        f"{MD}/usercentermapping", json=envelope({"id": "crvs.officer1"})
    )
    masterdata.user_centre_create(
        client, user_id="crvs.officer1", centre_id="10001", name="Officer"
    )
    assert json.loads(call.calls[0].request.body)["request"] == {
        "id": "crvs.officer1",
        "name": "Officer",
        "statusCode": "ACT",
        "regCenterId": "10001",
        "langCode": "eng",
        "isActive": True,
    }


def test_a_missing_centre_is_none(mocked, client):
    mocked.get(
        f"{MD}/registrationcenters/99999/eng",
        json=envelope(
            errors=[
                {"errorCode": "KER-MSD-215", "message": "Registration Center not found"}
            ]
        ),
    )
    assert masterdata.centre_get(client, "99999") is None


def test_other_errors_on_get_still_raise(mocked, client):
    mocked.get(
        f"{MD}/machines/10001",
        json=envelope(errors=[{"errorCode": "KER-MSD-999", "message": "x"}]),
    )
    with pytest.raises(MosipRejected):
        masterdata.machine_get(client, "10001")


def test_mapping_before_zone_activation_is_rejected_with_ker_usr_008(mocked, client):
    mocked.post(
        f"{MD}/usercentermapping",
        json=envelope(
            errors=[
                {
                    "errorCode": "KER-USR-008",
                    "message": "Zone user mapping not exists or not active",
                }
            ]
        ),
    )
    with pytest.raises(MosipRejected) as caught:
        masterdata.user_centre_create(client, user_id="u", centre_id="10001")
    assert caught.value.codes == ["KER-USR-008"]
