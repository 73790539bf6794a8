"""An integration admin takes a fresh installation to ready: every step of the
onboarding wizard, in order, filled in as a person does, against a MOSIP of its own,
until the readiness checklist is green from top to bottom."""

import re

import pytest
from playwright.sync_api import Page, expect

from apps.mosip_sandbox import admins as seeded
from apps.onboarding import operator
from apps.onboarding_wizard.embedded import SANDBOX_POLICY_GROUP, apply_operator_changes
from tests.journeys.conftest import SANDBOX_SPEED
from tests.journeys.steps import sign_in
from tests.sandbox_process import SandboxProcess
from tests.waiting import wait_until

pytestmark = pytest.mark.browser

# The administrators the sandbox seeds, as a MOSIP operator would hand them over.
KEYCLOAK_ADMIN = (seeded.KEYCLOAK_ADMIN_USER, seeded.KEYCLOAK_ADMIN_PASSWORD)
MOSIP_ADMIN = (seeded.MOSIP_ADMIN_USER, seeded.MOSIP_ADMIN_PASSWORD)
ADMIN_CLIENT_SECRET = seeded.MOSIP_ADMIN_CLIENT_SECRET
PARTNER_ADMIN = (seeded.PARTNER_ADMIN_USER, seeded.PARTNER_ADMIN_PASSWORD)

STEPS = [
    "Keycloak client and roles",
    "Token check",
    "Registration centre",
    "Machine (one for every office)",
    "Default officer",
    "Officer mappings",
    "ID schema",
    "Process names",
    "Credential partner",
    "IDA authentication partner",
    "Office mappings",
    "WebSub subscriptions",
    "e-Signet client (informant verification)",
]
# The readiness checklist, in the wizard's order.
CHECKS = [
    "MOSIP connection and token",
    "Client roles",
    "Registration centre active (admin read-back)",
    "Machine carries the server signing key",
    "Officer mapped to the centre",
    "ID schema current",
    "Process names per event type",
    "Credential partner and certificate",
    "IDA authentication partner",
    "Office mappings",
    "Credentials arriving",
    "e-Signet reachable, client active",
    "WebSub subscriptions live",
]


@pytest.fixture
def own_sandbox(tmp_path):
    """Onboarding creates a client, a centre, machines and subscriptions in MOSIP:
    a sandbox of its own keeps the shared live portal's MOSIP as it was."""
    sandbox = SandboxProcess(tmp_path).start()
    sandbox.set_speed(SANDBOX_SPEED)
    yield sandbox
    sandbox.stop()


def _keycloak_admin(tab: Page) -> None:
    tab.get_by_label("Keycloak admin user").fill(KEYCLOAK_ADMIN[0])
    tab.get_by_label("Keycloak admin password").fill(KEYCLOAK_ADMIN[1])


def _mosip_admin(tab: Page) -> None:
    tab.get_by_label("MOSIP admin user").fill(MOSIP_ADMIN[0])
    tab.get_by_label("MOSIP admin password").fill(MOSIP_ADMIN[1])
    expect(tab.get_by_label("Admin client id")).to_have_value("mosip-admin-client")
    tab.get_by_label("Admin client secret").fill(ADMIN_CLIENT_SECRET)


def _run(tab: Page, done: str | re.Pattern, next_step: str | None) -> None:
    """Run the step on screen; the wizard confirms it and moves to the next one."""
    tab.get_by_role("button", name="Run this step").click()
    expect(tab.get_by_role("status").filter(has_text=done)).to_be_visible()
    if next_step:
        expect(tab.get_by_role("heading", level=1)).to_have_text(next_step)
        expect(tab.locator(".steps-nav [aria-current=step]")).to_have_text(next_step)


def _until_ready(tab: Page, timeout: float = 60) -> None:
    """The hub verifies subscriptions by calling the portal back, a moment after the
    last step: check again, as the admin would, until the summary says ready."""
    summary = tab.locator(".readiness-summary")

    def ready() -> bool:
        if "Ready" in summary.inner_text():
            return True
        # The checklist is fetched again and swapped in place.
        with tab.expect_response(lambda r: r.url.endswith("/onboarding/readiness/")):
            tab.get_by_role("link", name="Check again now").click()
        return "Ready" in summary.inner_text()

    wait_until(
        ready,
        timeout,
        "the readiness summary says Ready",
        interval=0.5,
        observe=lambda: tab.locator("#checklist").inner_text(),
    )


def test_an_integration_admin_takes_a_fresh_portal_to_ready(
    own_sandbox, fresh_portal, open_tab
):
    portal = fresh_portal("wizard", "portal_setup.people()", sandbox=own_sandbox)
    portal.secrets += [KEYCLOAK_ADMIN[1], MOSIP_ADMIN[1], ADMIN_CLIENT_SECRET]
    sandbox = own_sandbox.url
    # The MOSIP operator has made the changes the portal lists for its default ids
    # (the MOSIP changes page), as in a real deployment before onboarding.
    apply_operator_changes(
        sandbox,
        operator.operator_changes(
            operator.PortalIds("mosip-crvs1-client", "mosip-crvs1-client")
        ),
    )
    tab = open_tab(portal)

    sign_in(tab, "integration", portal.password)
    tab.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Onboarding"
    ).click()
    expect(tab.get_by_role("heading", name="MOSIP onboarding")).to_be_visible()
    rows = tab.locator(".steps-table tbody tr")
    expect(rows).to_have_count(len(STEPS))
    expect(rows.locator(".badge.todo")).to_have_count(len(STEPS))
    # Nothing is ready on a fresh installation.
    tab.get_by_role("link", name="Check readiness").click()
    expect(tab.locator(".readiness-summary")).to_contain_text("Not ready")
    expect(tab.locator("table.checklist tbody tr")).to_have_count(len(CHECKS))
    expect(tab.locator("table.checklist tr.ok")).to_have_count(0)
    tab.get_by_role("link", name="Back to the onboarding steps").click()

    # 1. The portal's own client, created in Keycloak by its admin.
    tab.get_by_role("link", name=STEPS[0]).click()
    expect(tab.get_by_role("heading", level=1)).to_have_text(STEPS[0])
    tab.get_by_label("Create it in Keycloak").check()
    tab.get_by_label("Keycloak URL").fill(f"{sandbox}/auth")
    tab.get_by_label("MOSIP API gateway URL").fill(sandbox)
    tab.get_by_label("WebSub hub URL").fill(f"{sandbox}/hub")
    expect(tab.get_by_role("textbox", name="Client id", exact=True)).to_have_value(
        "mosip-crvs1-client"
    )
    tab.get_by_label("Token source").select_option(
        label="MOSIP authmanager (clientidsecretkey)"
    )
    _keycloak_admin(tab)
    _run(tab, "Client mosip-crvs1-client verified", STEPS[1])

    # 2. A token with the stored credentials, and the roles it carries.
    _run(tab, re.compile(r"Token obtained with all \d+ roles"), STEPS[2])

    # 3. A registration centre, created and activated by the MOSIP admin.
    tab.get_by_label("Create and activate a centre").check()
    _mosip_admin(tab)
    _run(tab, re.compile(r"Centre \d+ is active in MOSIP"), STEPS[3])

    # 4. The one machine, with MOSIP's server signing key (packet manager signs
    # every packet with it and checks it against the machine's key).
    tab.get_by_label("Register and activate a machine").check()
    tab.get_by_label("Keys").select_option(
        label="MOSIP server signing key (tpmsigning)"
    )
    _mosip_admin(tab)
    _run(tab, re.compile(r"Machine \d+ is active in MOSIP"), STEPS[4])

    # 5. The officer every packet names, a Keycloak user.
    tab.get_by_label("Create the user in Keycloak").check()
    expect(tab.get_by_label("Officer user name")).to_have_value("crvs.officer")
    _keycloak_admin(tab)
    _run(tab, "Officer crvs.officer holds REGISTRATION_OFFICER", STEPS[5])

    # 6. The officer mapped to zone and centre.
    _mosip_admin(tab)
    _run(tab, "Officer crvs.officer is mapped to zone and centre", STEPS[6])

    # 7. MOSIP's ID schema, fetched rather than loaded by hand.
    _run(tab, re.compile(r"ID schema [\d.]+ kept"), STEPS[7])

    # 8. Process names per event type, as proposed.
    expect(tab.get_by_label("Packet source")).not_to_be_empty()
    _run(tab, "Process names saved.", STEPS[8])

    # 9. The credential partner MOSIP encrypts credentials to. MOSIP's operator
    # made the policy group and its published policy, and configured reg-proc to
    # issue CRVS_NEW credentials to the partner, with the list above.
    tab.get_by_label("Organisation").fill("Port Town Civil Registry")
    tab.get_by_label("MOSIP policy group").fill(SANDBOX_POLICY_GROUP)
    expect(tab.get_by_label("Credential policy")).to_have_value(
        "crvs-credential-policy"
    )
    _keycloak_admin(tab)
    tab.get_by_label("MOSIP partner admin user").fill(PARTNER_ADMIN[0])
    tab.get_by_label("Partner admin password").fill(PARTNER_ADMIN[1])
    tab.get_by_label("Partner admin client secret").fill(ADMIN_CLIENT_SECRET)
    _run(tab, "Credential partner mosip-crvs1-client registered", STEPS[9])

    # 10. The authentication partner that checks the national IDs typed into forms
    # with MOSIP's ID Authentication; the operator published its Auth policy.
    expect(tab.get_by_label("Auth policy")).to_have_value("crvs-auth-policy")
    _keycloak_admin(tab)
    tab.get_by_label("MOSIP partner admin user").fill(PARTNER_ADMIN[0])
    tab.get_by_label("Partner admin password").fill(PARTNER_ADMIN[1])
    tab.get_by_label("Partner admin client secret").fill(ADMIN_CLIENT_SECRET)
    _run(tab, "Authentication partner mosip-crvs1-client-auth holds its API key",
         STEPS[10])  # fmt: skip

    # 11. Every office sends under the centre and machine just made.
    expect(tab.get_by_role("combobox", name="Office", exact=True)).to_have_value("")
    # With the next application id they give.
    expect(tab.get_by_text("Next application id:").locator("code")).to_have_text(
        re.compile(r"^\d{29}$")
    )
    _run(tab, re.compile(r"Every office now sends under centre \d+"), STEPS[11])

    # 12. WebSub subscriptions, called back at the portal's own address.
    _run(tab, "WebSub subscriptions requested", STEPS[12])

    # 13. The e-Signet client registrars verify informants with: partner management
    # creates it in e-Signet for the IDA step's authentication partner, under its
    # approved Auth policy.
    expect(tab.get_by_label("e-Signet address")).to_have_value(sandbox)
    expect(tab.get_by_label("Redirect URI")).to_have_value(
        f"{portal.url}/registrations/verify-identity/callback/"
    )
    tab.get_by_label("MOSIP partner admin user").fill(PARTNER_ADMIN[0])
    tab.get_by_label("Partner admin password").fill(PARTNER_ADMIN[1])
    tab.get_by_label("Partner admin client secret").fill(ADMIN_CLIENT_SECRET)
    _run(tab, re.compile(r"e-Signet client \S+ is active"), None)
    expect(tab.get_by_role("heading", name="MOSIP readiness")).to_be_visible()

    _until_ready(tab)
    expect(tab.locator(".readiness-summary")).to_have_text("Ready: every check holds.")
    checks = tab.locator("table.checklist tbody tr")
    expect(checks.locator("td:first-child")).to_have_text(CHECKS)
    expect(checks.locator("td:nth-child(2)")).to_have_text(["OK"] * len(CHECKS))
    expect(checks.locator(".badge.ok")).to_have_count(len(CHECKS))
    expect(tab.locator("table.checklist .badge.bad")).to_have_count(0)
    expect(tab.get_by_role("link", name="Fix")).to_have_count(0)

    # The wizard shows every step done.
    tab.get_by_role("link", name="Back to the onboarding steps").click()
    expect(rows.locator(".badge.ok")).to_have_count(len(STEPS))

    # The client secret Keycloak holds for the portal never shows either.
    secret = portal.setup(
        "from apps.onboarding.models import Connection; "
        "print(Connection.objects.get().client_secret)"
    )
    portal.secrets.append(secret.strip().splitlines()[-1])
    tab.get_by_role("link", name="Check readiness").click()
    expect(tab.locator(".readiness-summary")).to_have_text("Ready: every check holds.")
