"""What each wizard step does with its valid form: one service call, and the
sentence that confirms it."""

from collections.abc import Callable
from dataclasses import dataclass

from apps.onboarding import forms, services
from apps.onboarding.forms import EXISTING
from apps.onboarding_wizard.services import websub_ensure


@dataclass(frozen=True)
class StepAction:
    form_class: type
    run: Callable[[object, object], str]
    intro: str


def _client(form, user) -> str:
    d = form.cleaned_data
    connection = services.connection_setup(
        actor=user, keycloak_url=d["keycloak_url"], api_url=d["api_url"],
        hub_url=d["hub_url"], client_id=d["client_id"], token_source=d["token_source"],
        app_id=d["app_id"], client_secret=d.get("client_secret", ""),
        keycloak_admin=form.keycloak_admin() if d["mode"] != EXISTING else None,
    )  # fmt: skip
    return f"Client {connection.client_id} verified: MOSIP issued it a token."


def _token(form, user) -> str:
    connection = services.connection_check_token(actor=user)
    missing = services.missing_roles(connection)
    if missing:
        return "Token obtained, but it lacks: " + ", ".join(missing) + "."
    return f"Token obtained with all {len(connection.roles)} roles the portal needs."


def _centre(form, user) -> str:
    d = form.cleaned_data
    if d["mode"] == EXISTING:
        centre = services.centre_record_existing(
            actor=user, admin=form.mosip_admin(), mosip_id=d["existing_id"]
        )
    else:
        centre = services.centre_setup(
            actor=user, admin=form.mosip_admin(), details=form.details(),
            another=d.get("another", False),
        )  # fmt: skip
    return f"Centre {centre.mosip_id} is active in MOSIP."


def _machine(form, user) -> str:
    d = form.cleaned_data
    if d["mode"] == EXISTING:
        machine = services.machine_record_existing(
            actor=user, admin=form.mosip_admin(), mosip_id=d["existing_id"]
        )
    else:
        machine = services.machine_setup(
            actor=user, admin=form.mosip_admin(), name=d["name"],
            key_source=d["key_source"], spec_id=d["spec_id"],
        )  # fmt: skip
    return (
        f"Machine {machine.mosip_id} is active in MOSIP; every office's packets "
        "name it."
    )


def _officer(form, user) -> str:
    d = form.cleaned_data
    officer = services.officer_setup(
        actor=user, keycloak_admin=form.keycloak_admin(), user_id=d["user_id"],
        create=d["mode"] != EXISTING,
    )  # fmt: skip
    return f"Officer {officer.user_id} holds REGISTRATION_OFFICER in Keycloak."


def _mappings(form, user) -> str:
    officer = services.officer_map(actor=user, admin=form.mosip_admin())
    return f"Officer {officer.user_id} is mapped to zone and centre, both active."


def _schema(form, user) -> str:
    changes = services.id_schema_fetch(actor=user)
    if not changes["changed"]:
        return f"ID schema {changes['version']} is already the current one."
    text = f"ID schema {changes['version']} kept"
    if changes.get("previous_version"):
        text += f" (was {changes['previous_version']})"
    if changes["added"]:
        text += "; new fields: " + ", ".join(changes["added"])
    if changes["removed"]:
        text += "; removed fields: " + ", ".join(changes["removed"])
    return text + "."


def _processes(form, user) -> str:
    services.process_names_save(
        actor=user, processes=form.processes(), source=form.cleaned_data["source"]
    )
    return "Process names saved."


def _partner(form, user) -> str:
    d = form.cleaned_data
    partner = services.partner_setup(
        actor=user, keycloak_admin=form.keycloak_admin(),
        partner_admin=form.partner_admin(), policy_group=d["policy_group"],
        policy_name=d["policy_name"], partner_id=d["partner_id"],
        organisation=d["organisation"], email=d["email"], phone=d["phone"],
    )  # fmt: skip
    return (
        f"Credential partner {partner.partner_id} registered with its certificate; "
        f"credential type {partner.credential_type} mapped to policy "
        f"{partner.policy_name}."
    )


def _ida(form, user) -> str:
    d = form.cleaned_data
    partner = services.ida_partner_setup(
        actor=user, keycloak_admin=form.keycloak_admin(),
        partner_admin=form.partner_admin(), policy_name=d["policy_name"],
        partner_id=d["partner_id"], misp_id=d["misp_id"],
        licence_key=d.get("licence_key", ""), ida_url=d.get("ida_url", ""),
        email=d["email"],
    )  # fmt: skip
    return (
        f"Authentication partner {partner.partner_id} holds its API key and the "
        f"licence key of MISP {partner.misp_id or '(given)'}; IDA accepted its "
        "request."
    )


def _offices(form, user) -> str:
    d = form.cleaned_data
    office = d.get("office")
    mapping = services.office_mapping_set(
        actor=user, office=office, centre=d.get("centre"), officer=d.get("officer")
    )
    return (
        f"{office or 'Every office'} now sends under centre {mapping.centre.mosip_id}."
    )


def _esignet(form, user) -> str:
    d = form.cleaned_data
    client = services.esignet_client_setup(
        actor=user, partner_admin=form.partner_admin(), esignet_url=d["esignet_url"],
        redirect_uri=d["redirect_uri"], token_issuer=d["token_issuer"],
    )  # fmt: skip
    return (
        f"e-Signet client {client.client_id} is active for authentication partner "
        f"{client.partner_id}; registrars can verify informants."
    )


def _websub(form, user) -> str:
    websub_ensure(actor=user, base_url=form.cleaned_data.get("base_url"))
    return "WebSub subscriptions requested; the hub verifies them in a moment."


ACTIONS: dict[str, StepAction] = {
    "client": StepAction(forms.ClientForm, _client,
        "The portal's confidential client in realm mosip, with the realm roles it needs."),
    "token": StepAction(forms.EmptyForm, _token,
        "Get a token with the stored credentials and see the roles and audience it carries."),
    "centre": StepAction(forms.CentreForm, _centre,
        "MOSIP creates centres inactive; the portal creates, then activates and reads "
        "it back as the MOSIP admin (the portal's own client may not read centres)."),
    "machine": StepAction(forms.MachineForm, _machine,
        "One machine for the whole portal, registered with MOSIP's server signing key: "
        "packet manager signs each packet with that key and checks it against the "
        "machine the packet names. Read back as the MOSIP admin."),
    "officer": StepAction(forms.OfficerForm, _officer,
        "A Keycloak user with REGISTRATION_OFFICER: its user name is every packet's officerId."),
    "mappings": StepAction(forms.MappingsForm, _mappings,
        "Zone mapping, activate, centre mapping, activate — MOSIP's strict order."),
    "schema": StepAction(forms.EmptyForm, _schema,
        "Fetch MOSIP's latest published ID schema; packets are built against it."),
    "processes": StepAction(forms.ProcessesForm, _processes,
        "The MOSIP process and packet source each kind of event is sent under. Stock "
        "MOSIP has no marriage or divorce process: leave those blank (registered here "
        "only) until your MOSIP operator adds one."),
    "partner": StepAction(forms.PartnerForm, _partner,
        "MOSIP encrypts issued credentials to this partner's certificate."),
    "ida": StepAction(forms.IdaPartnerForm, _ida,
        "The portal checks each national ID typed into a form with MOSIP's ID "
        "Authentication: an authentication partner (certificate from the portal's CA), "
        "its Auth policy and API key, and a MISP licence key."),
    "offices": StepAction(forms.OfficeForm, _offices,
        "Each office sends under its own centre and officer, or the default; every "
        "office's packets name the one machine and carry the office in their meta info. "
        "Application ids start with the centre and machine: MOSIP derives the key "
        "reference from those first 10 digits."),
    "websub": StepAction(forms.WebsubForm, _websub,
        "Subscriptions to credential-issued and workflow-completed events."),
    "esignet": StepAction(forms.EsignetForm, _esignet,
        "Registrars verify informants with their national ID through e-Signet. As "
        "MOSIP does it, partner management creates an OIDC client in e-Signet for the "
        "authentication partner of the IDA step, under its approved Auth policy, for "
        "a key the portal generates and keeps."),
}  # fmt: skip
