"""State for the journeys, built inside the live portal's own environment through the
real services (run by `LivePortal.setup`, never imported by the test process).

Every user gets the password in JOURNEY_PASSWORD, a fresh one per run.
"""

import os

from apps.accounts import services as accounts
from apps.accounts.models import Office, Role, User
from apps.onboarding.models import IdSchemaVersion
from tests.registrations.factories import load_id_schema

OFFICE_CODE = "journey"
USERS = {
    "registrar": {"role": Role.REGISTRAR},
    "supervisor": {"role": Role.SUPERVISOR},
    "integration": {"role": Role.INTEGRATION_ADMIN},
}


def people() -> None:
    """The office and one user per role (idempotent)."""
    password = os.environ["JOURNEY_PASSWORD"]
    office = Office.objects.filter(code=OFFICE_CODE).first() or accounts.office_create(
        code=OFFICE_CODE, name="Port Town Registry Office", region="Lakeside"
    )
    for username, fields in USERS.items():
        if User.objects.filter(username=username).exists():
            continue
        extra = {}
        if fields["role"] == Role.REGISTRAR:
            extra["office"] = office
        if fields["role"] == Role.SUPERVISOR:
            extra["supervised_offices"] = [office]
        accounts.user_create(
            username=username, password=password, role=fields["role"], **extra
        )


def back_office() -> None:
    """The back office's user, staff as the demo's `backoffice` is (idempotent)."""
    if not User.objects.filter(username="backoffice").exists():
        accounts.user_create(
            username="backoffice",
            password=os.environ["JOURNEY_PASSWORD"],
            role="",
            is_superuser=True,
        )


def id_schema() -> None:
    """The CRVS ID schema, as if fetched from MOSIP (idempotent)."""
    if not IdSchemaVersion.objects.exists():
        load_id_schema()


def onboarded() -> None:
    """Onboard against the sandbox at SANDBOX_URL through the wizard's services, as the
    embedded run does: the operator's changes for the portal in the sandbox's
    configuration, offices, MOSIP's credential partner, then WebSub (the hub
    verifies subscriptions by calling the portal at PORTAL_URL back)."""
    from apps.onboarding_wizard import embedded

    sandbox, portal = os.environ["SANDBOX_URL"], os.environ["PORTAL_URL"]
    # The sandbox is stock MOSIP: the operator's changes for the portal go in first.
    embedded.apply_operator_changes(sandbox)
    reports = embedded.onboard_sandbox(sandbox, portal_url=portal)
    failed = [f"{r.step}: {r.message}" for r in reports if not r.ok]
    if failed:
        raise RuntimeError(f"onboarding failed: {failed}")


def marriage_process(process: str) -> None:
    """The deployment has added a marriage process to MOSIP: the integration admin
    names it in the processes step, and the MOSIP operator makes the changes the
    portal then lists for it (docs/mosip/operator-changes.md) in the sandbox at
    SANDBOX_URL."""
    from apps.onboarding import services
    from apps.onboarding.models import ProcessName
    from apps.onboarding_wizard import embedded

    processes = dict(ProcessName.objects.values_list("event_type", "process"))
    services.process_names_save(
        actor=None, processes={**processes, "marriage": process}
    )
    embedded.apply_operator_changes(os.environ["SANDBOX_URL"])
