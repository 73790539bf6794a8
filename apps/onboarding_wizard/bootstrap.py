"""Every onboarding step in MOSIP's order, through the same services the wizard
calls: used by the embedded run and by tests. Re-running reuses what exists."""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from apps.onboarding import services
from apps.onboarding.models import DEFAULT_POLICY_NAME, TokenSource
from apps.onboarding_wizard.services import websub_ensure


@dataclass(frozen=True)
class StepReport:
    step: str
    ok: bool
    message: str


def onboard_all(
    *,
    keycloak_url: str,
    api_url: str,
    hub_url: str,
    keycloak_admin: services.KeycloakAdmin,
    mosip_admin: services.MosipAdmin,
    client_id: str = "mosip-crvs1-client",
    token_source: str = TokenSource.AUTHMANAGER,
    actor=None,
    centre: services.CentreDetails | None = None,
    until: str | None = None,
    callback_base_url: str | None = None,
    partner_admin: services.MosipAdmin | None = None,
    policy_group: str = "",
    policy_name: str = DEFAULT_POLICY_NAME,
    esignet_url: str = "",
    portal_url: str | None = None,
) -> list[StepReport]:
    """Run each step (up to and including `until`); stop at the first failure
    (later steps need the earlier ones). WebSub and, when `esignet_url` is given,
    e-Signet come last, each reported on its own: the portal's address
    (`portal_url`, else `callback_base_url`, else WEBSUB_CALLBACK_BASE_URL) is
    e-Signet's redirect base."""
    steps = [
        ("client", lambda: services.connection_setup(
            actor=actor, keycloak_url=keycloak_url, api_url=api_url, hub_url=hub_url,
            client_id=client_id, token_source=token_source,
            keycloak_admin=keycloak_admin)),
        ("token", lambda: services.connection_check_token(actor=actor)),
        ("centre", lambda: services.centre_setup(
            actor=actor, admin=mosip_admin, details=centre or services.CentreDetails())),
        ("machine", lambda: services.machine_setup(actor=actor, admin=mosip_admin)),
        ("officer", lambda: services.officer_setup(
            actor=actor, keycloak_admin=keycloak_admin)),
        ("mappings", lambda: services.officer_map(actor=actor, admin=mosip_admin)),
        ("schema", lambda: services.id_schema_fetch(actor=actor)),
        ("processes", lambda: services.process_names_save(
            actor=actor, processes=dict(services.DEFAULT_PROCESSES))),
        ("partner", lambda: services.partner_setup(
            actor=actor, keycloak_admin=keycloak_admin, partner_admin=partner_admin,
            policy_group=policy_group, policy_name=policy_name)),
        ("ida", lambda: services.ida_partner_setup(
            actor=actor, keycloak_admin=keycloak_admin, partner_admin=partner_admin)),
        ("offices", lambda: services.office_mapping_set(actor=actor)),
    ]  # fmt: skip
    reports = []
    for name, run in steps:
        try:
            run()
        except services.OnboardingError as exc:
            reports.append(StepReport(name, False, exc.message))
            return reports
        reports.append(StepReport(name, True, ""))
        if name == until:
            return reports
    try:
        websub_ensure(actor=actor, base_url=callback_base_url)
    except services.OnboardingError as exc:
        reports.append(StepReport("websub", False, exc.message))
    else:
        reports.append(StepReport("websub", True, ""))
    if esignet_url:
        base = portal_url or callback_base_url or settings.WEBSUB_CALLBACK_BASE_URL
        try:
            services.esignet_client_setup(
                actor=actor, partner_admin=partner_admin, esignet_url=esignet_url,
                redirect_uri=f"{base.rstrip('/')}{reverse('registrations:identity-callback')}"
                if base else "",
            )  # fmt: skip
        except services.OnboardingError as exc:
            reports.append(StepReport("esignet", False, exc.message))
        else:
            reports.append(StepReport("esignet", True, ""))
    return reports
