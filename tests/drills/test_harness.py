"""The drills' portal is onboarded against a sandbox of its own and ready."""

import pytest

pytestmark = pytest.mark.drill


def test_a_drill_portal_is_ready_against_its_own_sandbox(drill_portal, drill_report):
    portal = drill_portal("harness")
    assert portal.sandbox_url == drill_portal.sandbox.url
    out = portal.manage("mosip_check")
    assert "FAIL" not in out, out
    drill_report("harness", checks_ok=out.count("[OK"))
