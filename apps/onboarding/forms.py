"""One form per wizard step. Admin passwords are PasswordInputs that never render
their value back: they are used for the step and forgotten."""

from django import forms

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
    kc_username = forms.CharField(label="Keycloak admin user", required=False)
    kc_password = _secret(
        "Keycloak admin password", help_text="Used for this step only; never stored."
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
                "kc_username", "The Keycloak admin's user and password are needed."
            )


class MosipAdminFields(PlainTextForm, forms.Form):
    admin_username = forms.CharField(label="MOSIP admin user", required=False,
                                     help_text="A zone-mapped GLOBAL_ADMIN / ZONAL_ADMIN user.")  # fmt: skip
    admin_password = _secret("MOSIP admin password", help_text="Never stored.")
    admin_client_id = forms.CharField(label="Admin client id", initial="mosip-admin-client",
                                      required=False)  # fmt: skip
    admin_client_secret = _secret("Admin client secret", help_text="Never stored.")

    def mosip_admin(self) -> MosipAdmin:
        d = self.cleaned_data
        return MosipAdmin(d["admin_username"], d["admin_password"],
                          d.get("admin_client_id") or "mosip-admin-client",
                          d.get("admin_client_secret", ""))  # fmt: skip

    def require_mosip_admin(self) -> None:
        d = self.cleaned_data
        if not d.get("admin_username") or not d.get("admin_password"):
            self.add_error(
                "admin_username", "The MOSIP admin's user and password are needed."
            )


class ClientForm(KeycloakAdminFields):
    field_order = ["mode", "keycloak_url", "api_url", "hub_url", "client_id",
                   "client_secret", "token_source", "app_id", "kc_username", "kc_password"]  # fmt: skip
    mode = forms.ChoiceField(
        label="Client",
        choices=[
            (CREATE, "Create it in Keycloak (needs the Keycloak admin)"),
            (EXISTING, "Use an existing client id and secret"),
        ],  # fmt: skip
        widget=forms.RadioSelect,
        initial=CREATE,
    )
    keycloak_url = forms.URLField(
        label="Keycloak URL",
        help_text="Including /auth, e.g. https://iam.example.org/auth",
    )
    api_url = forms.URLField(
        label="MOSIP API gateway URL", help_text="e.g. https://api-internal.example.org"
    )
    hub_url = forms.URLField(
        label="WebSub hub URL", help_text="e.g. https://api-internal.example.org/hub"
    )
    client_id = forms.CharField(
        label="Client id", initial="mosip-crvs1-client", max_length=100
    )
    client_secret = _secret("Client secret (existing client)")
    token_source = forms.ChoiceField(label="Token source", choices=TokenSource.choices)
    app_id = forms.CharField(
        label="authmanager appId", initial="regproc", max_length=40
    )

    def clean(self):
        data = super().clean()
        if data.get("mode") == CREATE:
            self.require_keycloak_admin()
        elif not data.get("client_secret"):
            self.add_error("client_secret", "The existing client's secret is needed.")
        return data


class CentreForm(MosipAdminFields):
    field_order = ["mode", "existing_id", "another", "name", "zone_code", "location_code",
                   "holiday_location_code", "centre_type", "latitude", "longitude",
                   "address", "admin_username", "admin_password", "admin_client_id", "admin_client_secret"]  # fmt: skip
    mode = forms.ChoiceField(
        choices=[(CREATE, "Create and activate a centre"), (EXISTING, "Use an existing centre")],
        widget=forms.RadioSelect, initial=CREATE, label="Centre",
    )  # fmt: skip
    existing_id = forms.CharField(
        label="Existing centre id", required=False, max_length=10
    )
    another = forms.BooleanField(
        label="Create one more centre (for offices of their own)", required=False
    )
    name = forms.CharField(initial=CentreDetails.name, max_length=128)
    zone_code = forms.CharField(label="Zone code", initial=CentreDetails.zone_code)
    location_code = forms.CharField(
        label="Location code", initial=CentreDetails.location_code
    )
    holiday_location_code = forms.CharField(
        label="Holiday location code", initial=CentreDetails.holiday_location_code
    )
    centre_type = forms.CharField(
        label="Centre type code", initial=CentreDetails.centre_type
    )
    latitude = forms.CharField(initial=CentreDetails.latitude)
    longitude = forms.CharField(initial=CentreDetails.longitude)
    address = forms.CharField(label="Address", initial=CentreDetails.address)

    def clean(self):
        # Both modes read the centre back as the MOSIP admin: the portal's client
        # holds none of getregistrationcentersidlangcode's roles.
        data = super().clean()
        if data.get("mode") == EXISTING and not data.get("existing_id"):
            self.add_error("existing_id", "Give the centre id MOSIP shows.")
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
        choices=[(CREATE, "Register and activate a machine"), (EXISTING, "Use an existing machine")],
        widget=forms.RadioSelect, initial=CREATE, label="Machine",
    )  # fmt: skip
    existing_id = forms.CharField(
        label="Existing machine id", required=False, max_length=10
    )
    name = forms.CharField(initial="crvs-portal-01", max_length=60)
    key_source = forms.ChoiceField(
        label="Keys",
        choices=KeySource.choices,
        initial=KeySource.SERVER,
        help_text=(
            "MOSIP's packet manager signs every packet with its own server key and "
            "checks that signature against the machine's key: only the server key "
            "lets packets through while packetmanager.packet.signature."
            "disable-verification is false (MOSIP's default). A generated key "
            "fails every packet at packet validation unless the operator disables "
            "that check. MOSIP takes a key for one machine only, so this one "
            "machine serves every office."
        ),
    )
    spec_id = forms.CharField(label="Machine specification id", initial="1001")

    def clean(self):
        # Both modes read the machine back as the MOSIP admin: the portal's client
        # holds none of getmachinesidlangcode's roles.
        data = super().clean()
        if data.get("mode") == EXISTING and not data.get("existing_id"):
            self.add_error("existing_id", "Give the machine id MOSIP shows.")
        self.require_mosip_admin()
        return data


class OfficerForm(KeycloakAdminFields):
    field_order = ["mode", "user_id", "kc_username", "kc_password"]  # fmt: skip
    mode = forms.ChoiceField(
        choices=[(CREATE, "Create the user in Keycloak"), (EXISTING, "Use an existing Keycloak user")],
        widget=forms.RadioSelect, initial=CREATE, label="Officer",
    )  # fmt: skip
    user_id = forms.CharField(
        label="Officer user name", initial="crvs.officer", max_length=100
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


class ProcessesForm(PlainTextForm, forms.Form):
    source = forms.CharField(
        label="Packet source", initial=DEFAULT_SOURCE, max_length=50
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for event_type, process in DEFAULT_PROCESSES.items():
            optional = event_type in OPTIONAL_PROCESSES
            self.fields[f"process_{event_type}"] = forms.CharField(
                label=f"Process for {event_type}",
                initial=process,
                max_length=50,
                required=not optional,
                help_text=(
                    "Blank: stock MOSIP has no such process, so these events are "
                    "registered here and MOSIP's records are not updated. Name a "
                    "process only once the MOSIP operator has added it."
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
    partner_id = forms.CharField(label="Partner id", required=False, max_length=100,
                                 help_text="Blank: the client id (MOSIP's hub requires them equal).")  # fmt: skip
    organisation = forms.CharField(initial="Civil Registry", max_length=200,
                                   help_text="Also the O= of the partner certificate.")  # fmt: skip
    email = forms.EmailField(initial="registry@example.org")
    phone = forms.CharField(initial="+000000000", max_length=16)
    policy_group = forms.CharField(
        label="MOSIP policy group", max_length=128,
        help_text="The partner-management policy group the partner joins; it must exist in MOSIP.",
    )  # fmt: skip
    policy_name = forms.CharField(
        label="Credential policy", max_length=128, initial=DEFAULT_POLICY_NAME,
        help_text="A published policy of that group sharing UIN; mapped to credential type vercred.",
    )  # fmt: skip
    pa_username = forms.CharField(label="MOSIP partner admin user", required=False,
                                  help_text="PARTNER_ADMIN: uploads the partner's CA certificate.")  # fmt: skip
    pa_password = _secret("Partner admin password", help_text="Never stored.")
    pa_client_id = forms.CharField(label="Partner admin client id", initial="mosip-admin-client",
                                   required=False)  # fmt: skip
    pa_client_secret = _secret("Partner admin client secret", help_text="Never stored.")

    def clean(self):
        super().clean()
        self.require_keycloak_admin()
        d = self.cleaned_data
        if not d.get("pa_username") or not d.get("pa_password"):
            self.add_error(
                "pa_username", "The MOSIP partner admin's user and password are needed."
            )
        return d

    def partner_admin(self) -> MosipAdmin:
        d = self.cleaned_data
        return MosipAdmin(d["pa_username"], d["pa_password"],
                          d.get("pa_client_id") or "mosip-admin-client",
                          d.get("pa_client_secret", ""))  # fmt: skip


class PartnerAdminFields(PlainTextForm, forms.Form):
    pa_username = forms.CharField(label="MOSIP partner admin user", required=False,
                                  help_text="PARTNER_ADMIN: uploads the CA, approves the policy request.")  # fmt: skip
    pa_password = _secret("Partner admin password", help_text="Never stored.")
    pa_client_id = forms.CharField(label="Partner admin client id", initial="mosip-admin-client",
                                   required=False)  # fmt: skip
    pa_client_secret = _secret("Partner admin client secret", help_text="Never stored.")

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
                "pa_username", "The MOSIP partner admin's user and password are needed."
            )


class IdaPartnerForm(KeycloakAdminFields, PartnerAdminFields):
    """The IDA step (docs/mosip/ida.md §4)."""

    field_order = ["partner_id", "policy_name", "ida_url", "misp_id", "licence_key",
                   "email"]  # fmt: skip
    partner_id = forms.CharField(label="Authentication partner id", required=False,
                                 max_length=36, help_text="Blank: the client id with -auth.")  # fmt: skip
    policy_name = forms.CharField(
        label="Auth policy", max_length=128, initial=DEFAULT_AUTH_POLICY_NAME,
        help_text="A published Auth policy of the credential partner's group allowing "
        "demographic authentication (the MOSIP operator creates it).",
    )  # fmt: skip
    ida_url = forms.URLField(label="IDA URL", required=False, assume_scheme="https",
                             help_text="Where IDA and MOSIP's file server (/mosip-certs/) "
                             "answer; blank: the API URL.")  # fmt: skip
    misp_id = forms.CharField(label="MISP id", required=False, max_length=36,
                              help_text="Blank: the client id with -misp. The portal "
                              "registers this MISP and gets its licence key.")  # fmt: skip
    licence_key = _secret("MISP licence key", help_text="Only for a licence MOSIP "
                          "issued to a MISP the portal does not run; stored encrypted.")  # fmt: skip
    email = forms.EmailField(label="Contact e-mail", initial="registry@example.org",
                             help_text="Each partner is registered under a sub-address of it.")  # fmt: skip

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
        label="e-Signet address", assume_scheme="https",
        help_text="Where e-Signet serves /.well-known/openid-configuration "
        "(ESIGNET_URL).",
    )  # fmt: skip
    redirect_uri = forms.URLField(
        label="Redirect URI", max_length=500, assume_scheme="https",
        help_text="This portal's e-Signet callback as the registrar's browser "
        "reaches it.",
    )  # fmt: skip
    token_issuer = forms.CharField(
        label="Issuer in e-Signet's tokens", required=False, max_length=300,
        help_text="Blank: the discovery issuer followed by /v1/esignet, as stock "
        "e-Signet signs.",
    )  # fmt: skip

    def clean(self):
        super().clean()
        self.require_partner_admin()
        return self.cleaned_data


class OfficeForm(PlainTextForm, forms.Form):
    office = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="Default (every office without its own)",
    )
    centre = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="The latest centre"
    )
    officer = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="The centre's officer"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.objects.filter(is_active=True)
        self.fields["centre"].queryset = Centre.objects.filter(state=MosipState.ACTIVE)
        self.fields["officer"].queryset = Officer.objects.exclude(centre=None)


class WebsubForm(PlainTextForm, forms.Form):
    base_url = forms.URLField(
        label="Portal address as MOSIP's hub reaches it",
        required=False,
        help_text="Blank: the WEBSUB_CALLBACK_BASE_URL setting.",
    )


class RotateSecretForm(KeycloakAdminFields):
    new_secret = _secret(
        "New client secret",
        help_text="Already set in Keycloak; or leave blank and give the Keycloak admin to regenerate it.",
    )

    def clean(self):
        data = super().clean()
        if not data.get("new_secret"):
            self.require_keycloak_admin()
        return data
