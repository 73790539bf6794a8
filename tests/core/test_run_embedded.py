"""The embedded run's start: the stock sandbox gets the portal's MOSIP configuration
changes first, printed as property lines, then the portal onboards against it."""

from io import StringIO

from apps.onboarding import readiness
from apps.onboarding_wizard.management.commands.run_embedded import Command

SYNCDATA_LINE = (
    "syncdata-default.properties: auth.server.admin.allowed.audience="
    "mosip-regproc-client,mosip-prereg-client,mosip-admin-client,mosip-reg-client,"
    "mosip-resident-client,mosip-crvs1-client"
)


def _start(sandbox, live_server) -> str:
    out = StringIO()
    port = int(sandbox.url.rsplit(":", 1)[1])
    Command(stdout=out, stderr=out)._onboard(
        live_server.url.removeprefix("http://"), port, {}
    )
    return out.getvalue()


def test_the_embedded_run_applies_the_list_then_onboards(mosip_sandbox, live_server):
    first = _start(mosip_sandbox, live_server)

    assert "MOSIP configuration for this portal" in first and "changed:" in first
    assert f"    {SYNCDATA_LINE}\n" in first
    assert "kernel-default.properties: auth.server.admin.allowed.audience=" in first
    assert "onboarding offices: done" in first
    assert "NOT DONE" not in first.replace("onboarding websub: NOT DONE", "")
    checks = {o.key: o.ok for o in readiness.run_checks()}
    assert all(checks[f"onboarding.{k}"] for k in ("centre", "schema", "officer"))

    # The next start changes only what onboarding changed in the list (processes
    # set for marriage and divorce); the one after finds everything in place.
    again = _start(mosip_sandbox, live_server)
    assert "allowed.audience" not in again
    assert "credential.default.partner-ids" not in again
    assert "already in place." in _start(mosip_sandbox, live_server)
