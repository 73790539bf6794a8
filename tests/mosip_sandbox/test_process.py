import requests

from tests.sandbox_process import SandboxProcess


def test_it_answers_its_health_check(mosip_sandbox):
    response = requests.get(f"{mosip_sandbox.url}/sandbox/api/health", timeout=5)
    assert response.json() == {"status": "ok"}


def test_it_keeps_its_state_across_a_restart(tmp_path):
    first = SandboxProcess(tmp_path).start()
    try:
        requests.post(
            f"{first.url}/sandbox/api/clock", json={"speed": 7}, timeout=5
        ).raise_for_status()
    finally:
        first.stop()
    second = SandboxProcess(tmp_path).start()
    try:
        assert requests.get(f"{second.url}/sandbox/api/clock", timeout=5).json() == {
            "speed": 7.0
        }
    finally:
        second.stop()


def test_a_reset_forgets_everything(mosip_sandbox):
    mosip_sandbox.set_speed(50)
    mosip_sandbox.reset()
    clock = requests.get(f"{mosip_sandbox.url}/sandbox/api/clock", timeout=5).json()
    assert clock == {"speed": 1.0}


def test_it_answers_unknown_paths_without_a_stack_trace(mosip_sandbox):
    response = requests.get(f"{mosip_sandbox.url}/no/such/path", timeout=5)
    assert response.status_code == 404
    assert "Traceback" not in response.text


def test_a_minted_token_carries_the_requested_roles(mosip_sandbox):
    import jwt

    token = requests.post(
        f"{mosip_sandbox.url}/sandbox/api/tokens",
        json={"azp": "mosip-crvs1-client", "roles": ["ONLINE_REGISTRATION_CLIENT"]},
        timeout=5,
    ).json()["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["realm_access"]["roles"] == ["ONLINE_REGISTRATION_CLIENT"]
    assert claims["azp"] == "mosip-crvs1-client"
    assert claims["preferred_username"] == "service-account-mosip-crvs1-client"
