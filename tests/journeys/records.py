"""The journeys' side of records_setup: build a record in the live portal and read
what it printed, and look at the sandbox's ID repository as MOSIP's own tools would."""

import json

import requests


def build(live_portal, call: str):
    """Run `records_setup.<call>` in the portal; the JSON it printed last."""
    out = live_portal.setup(
        f"from tests.journeys import records_setup; records_setup.{call}"
    )
    return json.loads(out.strip().splitlines()[-1])


def identity(live_portal, uin: str) -> dict:
    """The sandbox's ID repository record for a UIN."""
    response = requests.get(
        f"{live_portal.sandbox_url}/sandbox/api/identities",
        params={"uin": uin},
        timeout=10,
    )
    response.raise_for_status()
    return response.json()


def set_faults(live_portal, **switches) -> None:
    requests.post(
        f"{live_portal.sandbox_url}/sandbox/api/faults", json=switches, timeout=10
    ).raise_for_status()


def clear_faults(live_portal) -> None:
    requests.post(
        f"{live_portal.sandbox_url}/sandbox/api/faults/clear", timeout=10
    ).raise_for_status()
