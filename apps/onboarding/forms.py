"""One form per wizard step. Admin passwords are PasswordInputs that never render
their value back: they are used for the step and forgotten."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Office
from apps.core.forms import PlainTextForm
from apps.onboarding.models import (
    DEFAULT_AUTH_POLICY_NAME,
    DEFAULT_POLICY_NAME,
    Centre,
    KeySource,
    MosipState,
    Officer,
    TokenSource,
)
from apps.onboarding.services import CentreDetails, KeycloakAdmin, MosipAdmin
from apps.onboarding.services.settings import (
    DEFAULT_PROCESSES,
    DEFAULT_SOURCE,
    OPTIONAL_PROCESSES,
)

CREATE, EXISTING = "create", "existing"


def _secret(label: str, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )


class KeycloakAdminFields(PlainTextForm, forms.Form):
    kc_username = forms.CharField(label=_("Keycloak admin user"), required=False)
    kc_password = _secret(
        _("Keycloak admin password"),
        help_text=_("Used for this step only; never stored."),
    )

    def keycloak_admin(self) -> KeycloakAdmin | None:
        data = self.cleaned_data
        if not data.get("kc_username"):
            return None
        return KeycloakAdmin(data["kc_username"], data.get("kc_password", ""))

    def require_keycloak_admin(self) -> None:
        data = self.cleaned_data
        if not data.get("kc_username") or not data.get("kc_password"):
            self.add_error(
                "kc_username", _("The Keycloak admin's user and password are needed.")
            )


class MosipAdminFields(PlainTextForm, forms.Form):
    admin_username = forms.CharField(label=_("MOSIP admin user"), required=False,
                                     help_text=_("A zone-mapped GLOBAL_ADMIN / ZONAL_ADMIN user."))  # fmt: skip
    admin_password = _secret(_("MOSIP admin password"), help_text=_("Never stored."))
    admin_client_id = forms.CharField(label=_("Admin client id"), initial="mosip-admin-client",
                                      required=False)  # fmt: skip
    admin_client_secret = _secret(
        _("Admin client secret"), help_text=_("Never stored.")
    )

    def mosip_admin(self) -> MosipAdmin:
        d = self.cleaned_data
        return MosipAdmin(d["admin_username"], d["admin_password"],
                          d.get("admin_client_id") or "mosip-admin-client",
                          d.get("admin_client_secret", ""))  # fmt: skip

    def require_mosip_admin(self) -> None:
        d = self.cleaned_data
        if not d.get("admin_username") or not d.get("admin_password"):
            self.add_error(
                "admin_username", _("The MOSIP admin's user and password are needed.")
            )


class ClientForm(KeycloakAdminFields):
    field_order = ["mode", "keycloak_url", "api_url", "hub_url", "client_id",
                   "client_secret", "token_source", "app_id", "kc_username", "kc_password"]  # fmt: skip
    mode = forms.ChoiceField(
        label=_("Client"),
        choices=[
            (CREATE, _("Create it in Keycloak (needs the Keycloak admin)")),
            (EXISTING, _("Use an existing client id and secret")),
        ],  # fmt: skip
        widget=forms.RadioSelect,
        initial=CREATE,
    )
    keycloak_url = forms.URLField(
        label=_("Keycloak URL"),
        help_text=_("Including /auth, e.g. https://iam.example.org/auth"),
    )
    api_url = forms.URLField(
        label=_("MOSIP API gateway URL"),
        help_text=_("e.g. https://api-internal.example.org"),
    )
    hub_url = forms.URLField(
        label=_("WebSub hub URL"),
        help_text=_("e.g. https://api-internal.example.org/hub"),
    )
    client_id = forms.CharField(
        label=_("Client id"), initial="mosip-crvs1-client", max_length=100
    )
    client_secret = _secret(_("Client secret (existing client)"))
    token_source = forms.ChoiceField(
        label=_("Token source"), choices=TokenSource.choices
    )
    app_id = forms.CharField(
        label=_("authmanager appId"), initial="regproc", max_length=40
    )

    def clean(self):
        data = super().clean()
        if data.get("mode") == CREATE:
            self.require_keycloak_admin()
        elif not data.get("client_secret"):
            self.add_error(
                "client_secret", _("The existing client's secret is needed.")
            )
        return data


class CentreForm(MosipAdminFields):
    field_order = ["mode", "existing_id", "another", "name", "zone_code", "location_code",
                   "holiday_location_code", "centre_type", "latitude", "longitude",
                   "address", "admin_username", "admin_password", "admin_client_id", "admin_client_secret"]  # fmt: skip
    mode = forms.ChoiceField(
        choices=[(CREATE, _("Create and activate a centre")),
                 (EXISTING, _("Use an existing centre"))],
        widget=forms.RadioSelect, initial=CREATE, label=_("Centre"),
    )  # fmt: skip
    existing_id = forms.CharField(
        label=_("Existing centre id"), required=False, max_length=10
    )
    another = forms.BooleanField(
        label=_("Create one more centre (for offices of their own)"), required=False
    )
    name = forms.CharField(label=_("Name"), initial=CentreDetails.name, max_length=128)
    zone_code = forms.CharField(label=_("Zone code"), initial=CentreDetails.zone_code)
    location_code = forms.CharField(
        label=_("Location code"), initial=CentreDetails.location_code
    )
    holiday_location_code = forms.CharField(
        label=_("Holiday location code"), initial=CentreDetails.holiday_location_code
    )
    centre_type = forms.CharField(
        label=_("Centre type code"), initial=CentreDetails.centre_type
    )
    latitude = forms.CharField(label=_("Latitude"), initial=CentreDetails.latitude)
    longitude = forms.CharField(label=_("Longitude"), initial=CentreDetails.longitude)
    address = forms.CharField(label=_("Address"), initial=CentreDetails.address)

    def clean(self):
        # Both modes read the centre back as the MOSIP admin: the portal's client
        # holds none of getregistrationcentersidlangcode's roles.
        data = super().clean()
        if data.get("mode") == EXISTING and not data.get("existing_id"):
            self.add_error("existing_id", _("Give the centre id MOSIP shows."))
        self.require_mosip_admin()
        return data

    def details(self) -> CentreDetails:
        d = self.cleaned_data
        return CentreDetails(
            name=d["name"], zone_code=d["zone_code"], location_code=d["location_code"],
            holiday_location_code=d["holiday_location_code"], centre_type=d["centre_type"],
            latitude=d["latitude"], longitude=d["longitude"], address=d["address"],
        )  # fmt: skip


class MachineForm(MosipAdminFields):
    field_order = ["mode", "existing_id", "name", "key_source", "spec_id", "admin_username", "admin_password", "admin_client_id", "admin_client_secret"]  # fmt: skip
    mode = forms.ChoiceField(
        choices=[(CREATE, _("Register and activate a machine")),
                 (EXISTING, _("Use an existing machine"))],
        widget=forms.RadioSelect, initial=CREATE, label=_("Machine"),
    )  # fmt: skip
    existing_id = forms.CharField(
        label=_("Existing machine id"), required=False, max_length=10
    )
    name = forms.CharField(label=_("Name"), initial="crvs-portal-01", max_length=60)
    key_source = forms.ChoiceField(
        label=_("Keys"),
        choices=KeySource.choices,
        initial=KeySource.SERVER,
        help_text=_(
            "MOSIP's packet manager signs every packet with its own server key and "
            "checks that signature against the machine's key: only the server key "
            "lets packets through while packetmanager.packet.signature."
            "disable-verification is false (MOSIP's default). A generated key "
            "fails every packet at packet validation unless the operator disables "
            "that check. MOSIP takes a key for one machine only, so this one "
            "machine serves every office."
        ),
    )
    spec_id = forms.CharField(label=_("Machine specification id"), initial="1001")

    def clean(self):
        # Both modes read the machine back as the MOSIP admin: the portal's client
        # holds none of getmachinesidlangcode's roles.
        data = super().clean()
        if data.get("mode") == EXISTING and not data.get("existing_id"):
            self.add_error("existing_id", _("Give the machine id MOSIP shows."))
        self.require_mosip_admin()
        return data


class OfficerForm(KeycloakAdminFields):
    field_order = ["mode", "user_id", "kc_username", "kc_password"]  # fmt: skip
    mode = forms.ChoiceField(
        choices=[(CREATE, _("Create the user in Keycloak")),
                 (EXISTING, _("Use an existing Keycloak user"))],
        widget=forms.RadioSelect, initial=CREATE, label=_("Officer"),
    )  # fmt: skip
    user_id = forms.CharField(
        label=_("Officer user name"), initial="crvs.officer", max_length=100
    )

    def clean(self):
        data = super().clean()
        self.require_keycloak_admin()
        return data


class MappingsForm(MosipAdminFields):
    def clean(self):
        data = super().clean()
        self.require_mosip_admin()
        return data


class EmptyForm(PlainTextForm, forms.Form):
    pass


# Each event type's process field, by event type (DEFAULT_PROCESSES' keys).
PROCESS_LABELS = {
    "birth": _("Process for birth"),
    "death": _("Process for death"),
    "marriage": _("Process for marriage"),
    "divorce": _("Process for divorce"),
}


class ProcessesForm(PlainTextForm, forms.Form):
    source = forms.CharField(
        label=_("Packet source"), initial=DEFAULT_SOURCE, max_length=50
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for event_type, process in DEFAULT_PROCESSES.items():
            optional = event_type in OPTIONAL_PROCESSES
            self.fields[f"process_{event_type}"] = forms.CharField(
                label=PROCESS_LABELS.get(event_type, f"Process for {event_type}"),
                initial=process,
                max_length=50,
                required=not optional,
                help_text=(
                    _(
                        "Blank: stock MOSIP has no such process, so these events are "
                        "registered here and MOSIP's records are not updated. Name a "
                        "process only once the MOSIP operator has added it."
                    )
                    if optional
                    else ""
                ),
            )

    def processes(self) -> dict[str, str]:
        return {
            t: (self.cleaned_data.get(f"process_{t}") or "").strip()
            for t in DEFAULT_PROCESSES
        }


class PartnerForm(KeycloakAdminFields):
    partner_id = forms.CharField(label=_("Partner id"), required=False, max_length=100,
                                 help_text=_("Blank: the client id (MOSIP's hub requires them equal)."))  # fmt: skip
    organisation = forms.CharField(label=_("Organisation"), initial="Civil Registry", max_length=200,
                                   help_text=_("Also the O= of the partner certificate."))  # fmt: skip
    email = forms.EmailField(label=_("Email"), initial="registry@example.org")
    phone = forms.CharField(label=_("Phone"), initial="+000000000", max_length=16)
    policy_group = forms.CharField(
        label=_("MOSIP policy group"), max_length=128,
        help_text=_("The partner-management policy group the partner joins; it must exist in MOSIP."),
    )  # fmt: skip
    policy_name = forms.CharField(
        label=_("Credential policy"), max_length=128, initial=DEFAULT_POLICY_NAME,
        help_text=_("A published policy of that group sharing UIN; mapped to credential type vercred."),
    )  # fmt: skip
    pa_username = forms.CharField(label=_("MOSIP partner admin user"), required=False,
                                  help_text=_("PARTNER_ADMIN: uploads the partner's CA certificate."))  # fmt: skip
    pa_password = _secret(_("Partner admin password"), help_text=_("Never stored."))
    pa_client_id = forms.CharField(label=_("Partner admin client id"), initial="mosip-admin-client",
                                   required=False)  # fmt: skip
    pa_client_secret = _secret(
        _("Partner admin client secret"), help_text=_("Never stored.")
    )

    def clean(self):
        super().clean()
        self.require_keycloak_admin()
        d = self.cleaned_data
        if not d.get("pa_username") or not d.get("pa_password"):
            self.add_error(
                "pa_username",
                _("The MOSIP partner admin's user and password are needed."),
            )
        return d

    def partner_admin(self) -> MosipAdmin:
        d = self.cleaned_data
        return MosipAdmin(d["pa_username"], d["pa_password"],
                          d.get("pa_client_id") or "mosip-admin-client",
                          d.get("pa_client_secret", ""))  # fmt: skip


class PartnerAdminFields(PlainTextForm, forms.Form):
    pa_username = forms.CharField(label=_("MOSIP partner admin user"), required=False,
                                  help_text=_("PARTNER_ADMIN: uploads the CA, approves the policy request."))  # fmt: skip
    pa_password = _secret(_("Partner admin password"), help_text=_("Never stored."))
    pa_client_id = forms.CharField(label=_("Partner admin client id"), initial="mosip-admin-client",
                                   required=False)  # fmt: skip
    pa_client_secret = _secret(
        _("Partner admin client secret"), help_text=_("Never stored.")
    )

    def partner_admin(self) -> MosipAdmin | None:
        d = self.cleaned_data
        if not d.get("pa_username"):
            return None
        return MosipAdmin(d["pa_username"], d.get("pa_password", ""),
                          d.get("pa_client_id") or "mosip-admin-client",
                          d.get("pa_client_secret", ""))  # fmt: skip

    def require_partner_admin(self) -> None:
        d = self.cleaned_data
        if not d.get("pa_username") or not d.get("pa_password"):
            self.add_error(
                "pa_username",
                _("The MOSIP partner admin's user and password are needed."),
            )


class IdaPartnerForm(KeycloakAdminFields, PartnerAdminFields):
    """The IDA step (docs/mosip/ida.md §4)."""

    field_order = ["partner_id", "policy_name", "ida_url", "misp_id", "licence_key",
                   "email"]  # fmt: skip
    partner_id = forms.CharField(label=_("Authentication partner id"), required=False,
                                 max_length=36, help_text=_("Blank: the client id with -auth."))  # fmt: skip
    policy_name = forms.CharField(
        label=_("Auth policy"), max_length=128, initial=DEFAULT_AUTH_POLICY_NAME,
        help_text=_("A published Auth policy of the credential partner's group allowing "
        "demographic authentication (the MOSIP operator creates it)."),
    )  # fmt: skip
    ida_url = forms.URLField(label=_("IDA URL"), required=False, assume_scheme="https",
                             help_text=_("Where IDA and MOSIP's file server (/mosip-certs/) "
                             "answer; blank: the API URL."))  # fmt: skip
    misp_id = forms.CharField(label=_("MISP id"), required=False, max_length=36,
                              help_text=_("Blank: the client id with -misp. The portal "
                              "registers this MISP and gets its licence key."))  # fmt: skip
    licence_key = _secret(_("MISP licence key"), help_text=_("Only for a licence MOSIP "
                          "issued to a MISP the portal does not run; stored encrypted."))  # fmt: skip
    email = forms.EmailField(label=_("Contact e-mail"), initial="registry@example.org",
                             help_text=_("Each partner is registered under a sub-address of it."))  # fmt: skip

    def clean(self):
        super().clean()
        self.require_keycloak_admin()
        self.require_partner_admin()
        return self.cleaned_data


class EsignetForm(PartnerAdminFields):
    """The e-Signet step (docs/mosip/esignet.md §9): the IDA step's authentication
    partner gets its OIDC client."""

    field_order = ["esignet_url", "redirect_uri", "token_issuer"]
    esignet_url = forms.URLField(
        label=_("e-Signet address"), assume_scheme="https",
        help_text=_("Where e-Signet serves /.well-known/openid-configuration "
        "(ESIGNET_URL)."),
    )  # fmt: skip
    redirect_uri = forms.URLField(
        label=_("Redirect URI"), max_length=500, assume_scheme="https",
        help_text=_("This portal's e-Signet callback as the registrar's browser "
        "reaches it."),
    )  # fmt: skip
    token_issuer = forms.CharField(
        label=_("Issuer in e-Signet's tokens"), required=False, max_length=300,
        help_text=_("Blank: the discovery issuer followed by /v1/esignet, as stock "
        "e-Signet signs."),
    )  # fmt: skip

    def clean(self):
        super().clean()
        self.require_partner_admin()
        return self.cleaned_data


class OfficeForm(PlainTextForm, forms.Form):
    office = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Office"),
        empty_label=_("Default (every office without its own)"),
    )
    centre = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Centre"),
        empty_label=_("The latest centre"),
    )
    officer = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Officer"),
        empty_label=_("The centre's officer"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(is_active=True)
        self.fields["centre"].queryset = Centre.objects.filter(state=MosipState.ACTIVE)
        self.fields["officer"].queryset = Officer.objects.exclude(centre=None)


class WebsubForm(PlainTextForm, forms.Form):
    base_url = forms.URLField(
        label=_("Portal address as MOSIP's hub reaches it"),
        required=False,
        help_text=_("Blank: the WEBSUB_CALLBACK_BASE_URL setting."),
    )


class RotateSecretForm(KeycloakAdminFields):
    new_secret = _secret(
        _("New client secret"),
        help_text=_(
            "Already set in Keycloak; or leave blank and give the Keycloak admin to "
            "regenerate it."
        ),
    )

    def clean(self):
        data = super().clean()
        if not data.get("new_secret"):
            self.require_keycloak_admin()
        return data
