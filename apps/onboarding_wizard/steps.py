"""What each wizard step does with its valid form: one service call, and the
sentence that confirms it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    return _("Client %(client_id)s verified: MOSIP issued it a token.") % {
        "client_id": connection.client_id
    }


def _token(form, user) -> str:
    connection = services.connection_check_token(actor=user)
    missing = services.missing_roles(connection)
    if missing:
        return _("Token obtained, but it lacks: %(roles)s.") % {
            "roles": ", ".join(missing)
        }
    return _("Token obtained with all %(count)s roles the portal needs.") % {
        "count": len(connection.roles)
    }


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
    return _("Centre %(centre)s is active in MOSIP.") % {"centre": centre.mosip_id}


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
    return _(
        "Machine %(machine)s is active in MOSIP; every office's packets name it."
    ) % {"machine": machine.mosip_id}


def _officer(form, user) -> str:
    d = form.cleaned_data
    officer = services.officer_setup(
        actor=user, keycloak_admin=form.keycloak_admin(), user_id=d["user_id"],
        create=d["mode"] != EXISTING,
    )  # fmt: skip
    return _("Officer %(officer)s holds REGISTRATION_OFFICER in Keycloak.") % {
        "officer": officer.user_id
    }


def _mappings(form, user) -> str:
    officer = services.officer_map(actor=user, admin=form.mosip_admin())
    return _("Officer %(officer)s is mapped to zone and centre, both active.") % {
        "officer": officer.user_id
    }


def _schema(form, user) -> str:
    changes = services.id_schema_fetch(actor=user)
    version = changes["version"]
    if not changes["changed"]:
        return _("ID schema %(version)s is already the current one.") % {
            "version": version
        }
    previous = changes.get("previous_version")
    if previous:
        text = _("ID schema %(version)s kept (was %(previous)s)") % {
            "version": version,
            "previous": previous,
        }
    else:
        text = _("ID schema %(version)s kept") % {"version": version}
    if changes["added"]:
        text = _("%(text)s; new fields: %(fields)s") % {
            "text": text,
            "fields": ", ".join(changes["added"]),
        }
    if changes["removed"]:
        text = _("%(text)s; removed fields: %(fields)s") % {
            "text": text,
            "fields": ", ".join(changes["removed"]),
        }
    return text + "."


def _processes(form, user) -> str:
    services.process_names_save(
        actor=user, processes=form.processes(), source=form.cleaned_data["source"]
    )
    return _("Process names saved.")


def _partner(form, user) -> str:
    d = form.cleaned_data
    partner = services.partner_setup(
        actor=user, keycloak_admin=form.keycloak_admin(),
        partner_admin=form.partner_admin(), policy_group=d["policy_group"],
        policy_name=d["policy_name"], partner_id=d["partner_id"],
        organisation=d["organisation"], email=d["email"], phone=d["phone"],
    )  # fmt: skip
    return _(
        "Credential partner %(partner)s registered with its certificate; credential "
        "type %(credential_type)s mapped to policy %(policy)s."
    ) % {
        "partner": partner.partner_id,
        "credential_type": partner.credential_type,
        "policy": partner.policy_name,
    }


def _ida(form, user) -> str:
    d = form.cleaned_data
    partner = services.ida_partner_setup(
        actor=user, keycloak_admin=form.keycloak_admin(),
        partner_admin=form.partner_admin(), policy_name=d["policy_name"],
        partner_id=d["partner_id"], misp_id=d["misp_id"],
        licence_key=d.get("licence_key", ""), ida_url=d.get("ida_url", ""),
        email=d["email"],
    )  # fmt: skip
    return _(
        "Authentication partner %(partner)s holds its API key and the licence key of "
        "MISP %(misp)s; IDA accepted its request."
    ) % {"partner": partner.partner_id, "misp": partner.misp_id or _("(given)")}


def _offices(form, user) -> str:
    d = form.cleaned_data
    office = d.get("office")
    mapping = services.office_mapping_set(
        actor=user, office=office, centre=d.get("centre"), officer=d.get("officer")
    )
    if office:
        return _("%(office)s now sends under centre %(centre)s.") % {
            "office": office,
            "centre": mapping.centre.mosip_id,
        }
    return _("Every office now sends under centre %(centre)s.") % {
        "centre": mapping.centre.mosip_id
    }


def _esignet(form, user) -> str:
    d = form.cleaned_data
    client = services.esignet_client_setup(
        actor=user, partner_admin=form.partner_admin(), esignet_url=d["esignet_url"],
        redirect_uri=d["redirect_uri"], token_issuer=d["token_issuer"],
    )  # fmt: skip
    return _(
        "e-Signet client %(client)s is active for authentication partner "
        "%(partner)s; registrars can verify informants."
    ) % {"client": client.client_id, "partner": client.partner_id}


def _websub(form, user) -> str:
    websub_ensure(actor=user, base_url=form.cleaned_data.get("base_url"))
    return _("WebSub subscriptions requested; the hub verifies them in a moment.")


ACTIONS: dict[str, StepAction] = {
    "client": StepAction(forms.ClientForm, _client,
        gettext_lazy("The portal's confidential client in realm mosip, with the realm roles it needs.")),
    "token": StepAction(forms.EmptyForm, _token,
        gettext_lazy("Get a token with the stored credentials and see the roles and audience it carries.")),
    "centre": StepAction(forms.CentreForm, _centre,
        gettext_lazy("MOSIP creates centres inactive; the portal creates, then activates and reads "
        "it back as the MOSIP admin (the portal's own client may not read centres).")),
    "machine": StepAction(forms.MachineForm, _machine,
        gettext_lazy("One machine for the whole portal, registered with MOSIP's server signing key: "
        "packet manager signs each packet with that key and checks it against the "
        "machine the packet names. Read back as the MOSIP admin.")),
    "officer": StepAction(forms.OfficerForm, _officer,
        gettext_lazy("A Keycloak user with REGISTRATION_OFFICER: its user name is every packet's officerId.")),
    "mappings": StepAction(forms.MappingsForm, _mappings,
        gettext_lazy("Zone mapping, activate, centre mapping, activate — MOSIP's strict order.")),
    "schema": StepAction(forms.EmptyForm, _schema,
        gettext_lazy("Fetch MOSIP's latest published ID schema; packets are built against it.")),
    "processes": StepAction(forms.ProcessesForm, _processes,
        gettext_lazy("The MOSIP process and packet source each kind of event is sent under. Stock "
        "MOSIP has no marriage or divorce process: leave those blank (registered here "
        "only) until your MOSIP operator adds one.")),
    "partner": StepAction(forms.PartnerForm, _partner,
        gettext_lazy("MOSIP encrypts issued credentials to this partner's certificate.")),
    "ida": StepAction(forms.IdaPartnerForm, _ida,
        gettext_lazy("The portal checks each national ID typed into a form with MOSIP's ID "
        "Authentication: an authentication partner (certificate from the portal's CA), "
        "its Auth policy and API key, and a MISP licence key.")),
    "offices": StepAction(forms.OfficeForm, _offices,
        gettext_lazy("Each office sends under its own centre and officer, or the default; every "
        "office's packets name the one machine and carry the office in their meta info. "
        "Application ids start with the centre and machine: MOSIP derives the key "
        "reference from those first 10 digits.")),
    "websub": StepAction(forms.WebsubForm, _websub,
        gettext_lazy("Subscriptions to credential-issued and workflow-completed events.")),
    "esignet": StepAction(forms.EsignetForm, _esignet,
        gettext_lazy("Registrars verify informants with their national ID through e-Signet. As "
        "MOSIP does it, partner management creates an OIDC client in e-Signet for the "
        "authentication partner of the IDA step, under its approved Auth policy, for "
        "a key the portal generates and keeps.")),
}  # fmt: skip
