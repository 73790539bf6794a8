"""MOSIP's configuration in the sandbox: stock mosip-config v1.2.4.2 values per
service, changed by `--config` files or over HTTP, and read by each service's auth
adapter (docs/mosip/sandbox-configuration.md)."""

import requests

from apps.mosip_sandbox import mosip_config
from tests.sandbox_process import SandboxProcess

AUDIENCE = "auth.server.admin.allowed.audience"
CREATE_PACKET = "/v1/packetmanager/createPacket"
CENTRE = "/v1/masterdata/registrationcenters/10001/eng"


def _mint(sandbox, azp, roles):
    return requests.post(
        f"{sandbox.url}/sandbox/api/tokens",
        json={"azp": azp, "roles": roles},
        timeout=5,
    ).json()["access_token"]


def _config(sandbox):
    return requests.get(f"{sandbox.url}/sandbox/api/config", timeout=5).json()


def test_java_properties_lines_are_read_as_java_reads_them():
    text = (
        "# comment\n! also a comment\n"
        "plain=value\n"
        "spaced : with colon\n"
        "continued=first,\\\n    second\n"
        "escaped\\=key=a\\tb\n"
        "empty=\n"
    )
    assert mosip_config.parse_properties(text) == {
        "plain": "value",
        "spaced": "with colon",
        "continued": "first,second",
        "escaped=key": "a\tb",
        "empty": "",
    }


def test_a_fresh_sandbox_has_the_stock_audience_of_each_service(mosip_sandbox):
    effective = _config(mosip_sandbox)["effective"]
    assert "mosip-crvs1-client" in effective["packet-manager"][AUDIENCE].split(",")
    assert "mosip-crvs1-client" in effective["registration-processor"][AUDIENCE]
    for service in ("kernel", "syncdata", "partner-management"):
        assert "mosip-crvs1-client" not in effective[service][AUDIENCE].split(",")
    assert _config(mosip_sandbox)["changed"] == {}


def test_each_service_checks_its_own_audience(mosip_sandbox):
    """The CRVS client may create packets (packet-manager lists it) but may not read
    masterdata (kernel does not), whatever roles it holds."""
    token = _mint(
        mosip_sandbox, "mosip-crvs1-client", ["GLOBAL_ADMIN", "REGISTRATION_PROCESSOR"]
    )
    cookie = {"Cookie": f"Authorization={token}"}
    centre = requests.get(mosip_sandbox.url + CENTRE, headers=cookie, timeout=5)
    assert centre.status_code == 403
    assert centre.json()["errors"][0]["errorCode"] == "KER-ATH-403"
    packet = requests.put(
        mosip_sandbox.url + CREATE_PACKET, json={}, headers=cookie, timeout=5
    )
    assert packet.status_code != 403


def test_a_patched_property_applies_at_once_and_null_takes_it_back(mosip_sandbox):
    token = _mint(mosip_sandbox, "mosip-crvs1-client", ["GLOBAL_ADMIN"])
    cookie = {"Cookie": f"Authorization={token}"}
    stock = _config(mosip_sandbox)["effective"]["kernel"][AUDIENCE]
    url = f"{mosip_sandbox.url}/sandbox/api/config"

    requests.patch(
        url, json={"kernel": {AUDIENCE: stock + ",mosip-crvs1-client"}}, timeout=5
    )
    assert (
        requests.get(mosip_sandbox.url + CENTRE, headers=cookie, timeout=5).status_code
        == 200
    )

    requests.patch(url, json={"kernel": {AUDIENCE: None}}, timeout=5)
    assert _config(mosip_sandbox)["effective"]["kernel"][AUDIENCE] == stock
    assert (
        requests.get(mosip_sandbox.url + CENTRE, headers=cookie, timeout=5).status_code
        == 403
    )


def test_a_bad_change_is_refused_with_a_reason_and_changes_nothing(mosip_sandbox):
    url = f"{mosip_sandbox.url}/sandbox/api/config"
    for body, reason in (
        ({"kernal": {"a": "b"}}, "unknown service 'kernal'"),
        ({"kernel": {"a": 1}}, "values are strings"),
        ({"kernel": "a=b"}, "expected an object"),
        ([], "expected"),
    ):
        response = requests.patch(url, json=body, timeout=5)
        assert response.status_code == 400
        assert reason in response.json()["error"]
    assert _config(mosip_sandbox)["changed"] == {}


def test_a_reset_goes_back_to_stock(mosip_sandbox):
    url = f"{mosip_sandbox.url}/sandbox/api/config"
    requests.patch(url, json={"kernel": {AUDIENCE: "only-me"}}, timeout=5)
    mosip_sandbox.reset()
    assert _config(mosip_sandbox)["changed"] == {}


def test_config_files_given_at_start_change_stock(tmp_path):
    folder = tmp_path / "mosip-config"
    folder.mkdir()
    (folder / "kernel-default.properties").write_text(
        "# the operator's change\n"
        f"{AUDIENCE}=mosip-admin-client,\\\n  mosip-crvs1-client\n"
    )
    (folder / "registration-processor-credential-partners.json").write_text(
        '{"partners": []}'
    )
    sandbox = SandboxProcess(tmp_path, config=[folder]).start()
    try:
        body = _config(sandbox)
        assert (
            body["effective"]["kernel"][AUDIENCE]
            == "mosip-admin-client,mosip-crvs1-client"
        )
        assert body["changed"]["files"] == {
            "registration-processor-credential-partners.json": '{"partners": []}'
        }
        token = _mint(sandbox, "mosip-crvs1-client", ["GLOBAL_ADMIN"])
        centre = requests.get(
            sandbox.url + CENTRE,
            headers={"Cookie": f"Authorization={token}"},
            timeout=5,
        )
        assert centre.status_code == 200
    finally:
        sandbox.stop()


def test_an_unknown_config_file_stops_the_sandbox_with_a_reason(tmp_path):
    bad = tmp_path / "kernal-default.properties"
    bad.write_text("a=b\n")
    sandbox = SandboxProcess(tmp_path, config=[bad])
    try:
        sandbox.start(timeout=20)
    except RuntimeError as exc:
        assert "not a file the sandbox reads" in str(exc)
    else:
        sandbox.stop()
        raise AssertionError("the sandbox started with an unknown config file")
