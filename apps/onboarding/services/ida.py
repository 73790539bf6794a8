"""The IDA step: the portal becomes an authentication partner of MOSIP's ID
Authentication, so it can check the national IDs typed into its forms
(docs/mosip/ida.md §4; docs/identity-verification.md).

What MOSIP 1.2 asks for, in order: an Auth_Partner registered in a policy group,
certified (its certificate issued by a CA uploaded for domain AUTH, re-signed by
MOSIP); a request for an Auth policy of that group, approved by a partner manager;
an API key the partner generates for that policy; a MISP (MISP_Partner, domain
MISP) and the licence key MOSIP issues it; IDA's certificates from MOSIP's file
server. Each partner's PMS calls are made by its own Keycloak user, named like it.
What MOSIP issues on the way (re-signed certificate, mapping key, API key, licence
key) is kept as it comes, so a re-run continues where a failed one stopped."""

import datetime
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.services import audit_record
from apps.mosip import ida
from apps.onboarding import keys, remote
from apps.onboarding.models import (
    DEFAULT_AUTH_POLICY_NAME,
    CredentialPartner,
    IdaPartner,
)
from apps.onboarding.operator.stock import auth_partner_ids
from apps.onboarding.queries import ida_partner_as_client
from apps.onboarding.services.common import (
    KeycloakAdmin,
    MosipAdmin,
    OnboardingError,
    connection_required,
    mosip_step,
)

AUTH_PARTNER_ROLES = ["AUTH_PARTNER"]
# postmisplicense lists MISP_PARTNER; the certificate upload does not, PARTNER it does
# (mosip-config v1.2.4.2 partner-management-default.properties).
MISP_ROLES = ["MISP_PARTNER", "PARTNER"]
# A number no MOSIP issues as a UIN (kernel's UIN generator never starts one with 0):
# the probe's answer shows IDA took the partner's request, and touches nobody.
PROBE_UIN = "0000000000"
# IDA answered the probe as it answers a partner it accepted.
ACCEPTED = frozenset(
    {ida.Outcome.NOT_FOUND, ida.Outcome.DEACTIVATED, ida.Outcome.MISMATCH,
     ida.Outcome.VERIFIED}
)  # fmt: skip
# What a refusal's problem asks of the integration admin.
FIXES = {
    ida.Problem.NOT_SET_UP: gettext_lazy("Run the IDA step of onboarding."),
    ida.Problem.LICENCE: gettext_lazy(
        "IDA does not accept the MISP licence key (unknown, blocked or expired): run "
        "the IDA step again for a new one, or give the licence MOSIP issued."
    ),
    ida.Problem.API_KEY: gettext_lazy(
        "IDA does not accept the partner or its API key (unknown, deactivated or "
        "expired): run the IDA step again for a new API key."
    ),
    ida.Problem.POLICY: gettext_lazy(
        "The partner's policy does not allow demographic authentication, or is not "
        "active: the MOSIP operator publishes the Auth policy (MOSIP configuration "
        "changes page), then run the IDA step again."
    ),
    ida.Problem.PARTNER_CERTIFICATE: gettext_lazy(
        "IDA does not accept the request's signature: the partner certificate MOSIP "
        "re-signed is not the one IDA holds. Run the IDA step again."
    ),
    ida.Problem.IDA_CERTIFICATE: gettext_lazy(
        "IDA could not decrypt the request: its encryption certificate has changed. "
        "Run the IDA step again to fetch it."
    ),
    ida.Problem.RESPONSE_SIGNATURE: gettext_lazy(
        "IDA's answer is not signed with a certificate MOSIP publishes for it "
        "(ida-sign.json): run the IDA step again to fetch them; if it persists, "
        "something between the portal and MOSIP alters the answers."
    ),
    ida.Problem.CLOCK: gettext_lazy(
        "IDA refused the request's time: this server's clock and MOSIP's differ by "
        "more than 30 seconds."
    ),
    ida.Problem.REQUEST: gettext_lazy("IDA refused a field of the request."),
    ida.Problem.BAD_RESPONSE: gettext_lazy(
        "The IDA URL does not answer as IDA does: check it in the IDA step."
    ),
}


def _email(base: str, tag: str) -> str:
    """PMS wants a new e-mail per partner (PMS_PRT_011): the credential partner's
    with a sub-address."""
    local, _at, domain = base.partition("@")
    return f"{local}+{tag}@{domain}" if domain else f"{tag}@example.org"


@dataclass(frozen=True)
class ProbeResult:
    ok: bool
    answer: ida.IdaAnswer
    reason: str


def ida_probe(partner: IdaPartner) -> ProbeResult:
    """Send IDA a harmless authentication (a UIN no one holds, a date of birth only)
    and read whether IDA took the partner's request: its licence, API key, policy,
    certificate and encryption, and the signature of its answer."""
    answer = remote.ida_authenticate(
        ida_partner_as_client(partner), PROBE_UIN, ida.IdType.UIN,
        ida.Demographics({}, datetime.date(1900, 1, 1)),
    )  # fmt: skip
    if answer.outcome in ACCEPTED and answer.signed:
        return ProbeResult(True, answer, _("IDA accepted the partner's request."))
    if answer.outcome == ida.Outcome.UNREACHABLE:
        return ProbeResult(
            False, answer, _("IDA could not be reached at %(url)s (%(detail)s). Check "
            "the IDA URL and that MOSIP is up.")
            % {"url": partner.ida_url, "detail": answer.detail},
        )  # fmt: skip
    problem = answer.problem or ida.Problem.REQUEST
    codes = ", ".join(c for c in answer.error_codes if c)
    reason = str(FIXES[problem])
    if codes:
        reason = _("%(fix)s (IDA answered %(codes)s.)") % {
            "fix": reason,
            "codes": codes,
        }
    return ProbeResult(False, answer, reason)


def _material(
    existing: IdaPartner | None, credential: CredentialPartner, ids: tuple[str, str]
) -> dict:
    """The partner's and the MISP's keys and certificates, issued by the portal's
    CA (the credential partner's) for its organisation (PMS compares O=,
    KER-PCM-008); kept ones while they fit."""
    organisation = credential.organisation
    if (
        existing
        and existing.misp_certificate
        and keys.certificate_organisation(existing.certificate) == organisation
    ):
        return {
            "certificate": existing.certificate,
            "private_key": existing.private_key,
            "misp_certificate": existing.misp_certificate,
            "misp_private_key": existing.misp_private_key,
        }
    out = {}
    for prefix, common_name in zip(("", "misp_"), ids, strict=True):
        certificate, private_key = keys.new_partner_certificate(
            common_name, organisation, credential.ca_certificate,
            credential.ca_private_key,
        )  # fmt: skip
        out[f"{prefix}certificate"] = certificate
        out[f"{prefix}private_key"] = private_key
    return out


def _save(partner_id: str, **values) -> IdaPartner:
    partner, _created = IdaPartner.objects.update_or_create(
        partner_id=partner_id, defaults=values
    )
    return partner


def ida_partner_setup(
    *, actor, keycloak_admin: KeycloakAdmin | None, partner_admin: MosipAdmin | None,
    policy_name: str = DEFAULT_AUTH_POLICY_NAME, partner_id: str = "",
    misp_id: str = "", licence_key: str = "", ida_url: str = "",
    email: str = "registry@example.org",
) -> IdaPartner:  # fmt: skip
    """Make the portal an authentication partner of IDA and prove it with a probe.

    `licence_key`: a licence MOSIP issued to a MISP the portal does not run; when
    empty, the portal registers its own MISP (`misp_id`) and asks for its licence.
    `ida_url`: IDA's public gateway (default: the connection's API URL); MOSIP's file
    server answers there too. `email`: the contact address; each partner is
    registered under a sub-address of it (PMS wants one e-mail per partner)."""
    connection = connection_required()
    credential = CredentialPartner.objects.order_by("-id").first()
    if credential is None or not credential.ca_private_key:
        raise OnboardingError(
            _(
                "IDA partner: the credential partner step comes first (its CA issues "
                "the authentication partner's certificate)."
            )
        )
    if keycloak_admin is None or partner_admin is None or not partner_admin.username:
        raise OnboardingError(
            _(
                "IDA partner: the Keycloak admin (for the partners' users) and a MOSIP "
                "partner admin (PARTNER_ADMIN: CA upload, policy approval) are needed."
            )
        )
    default_partner, default_misp = auth_partner_ids(connection.client_id)
    partner_id = (partner_id or default_partner).strip()
    misp_id = (misp_id or default_misp).strip()
    licence_key = (licence_key or "").strip()
    policy_name = (policy_name or DEFAULT_AUTH_POLICY_NAME).strip()
    ida_url = (ida_url or connection.api_url).strip().rstrip("/")
    existing = IdaPartner.objects.filter(partner_id=partner_id).first()
    material = _material(existing, credential, (partner_id, misp_id))
    policy_changed = existing is not None and existing.policy_name != policy_name
    password = (existing and existing.keycloak_password) or secrets.token_urlsafe(24)
    misp_password = (
        existing and existing.misp_keycloak_password
    ) or secrets.token_urlsafe(24)
    own_misp = not licence_key
    group = credential.policy_group
    organisation = credential.organisation
    base = {
        "organisation": organisation, "ida_url": ida_url, "policy_group": group,
        "policy_name": policy_name, "keycloak_password": password,
        "misp_keycloak_password": misp_password if own_misp else "",
        "misp_id": misp_id if own_misp else "", **material,
    }  # fmt: skip

    with mosip_step(_("Creating the Keycloak users of the IDA partners")):
        session = remote.keycloak_admin(connection.keycloak_url, keycloak_admin)
        remote.kc_enable_password_sign_in(session, connection.client_id)
        remote.kc_ensure_partner_user(session, partner_id, password, AUTH_PARTNER_ROLES)
        if own_misp:
            remote.kc_ensure_partner_user(session, misp_id, misp_password, MISP_ROLES)
    admin = remote.mosip_admin(connection, partner_admin)
    with mosip_step(
        _("Uploading the portal's CA for domains AUTH and MISP (partner admin)")
    ):
        remote.ca_certificate_upload(admin, credential.ca_certificate, "AUTH")
        if own_misp:
            remote.ca_certificate_upload(admin, credential.ca_certificate, "MISP")

    as_partner = remote.partner_identity(connection, partner_id, password)
    with mosip_step(
        _("Registering authentication partner %(partner)s") % {"partner": partner_id}
    ):
        remote.partner_register(as_partner, {
            "partnerId": partner_id, "organizationName": organisation,
            "address": "Civil Registry", "contactNumber": "+000000000",
            "emailId": _email(email, "auth"),
            "partnerType": "Auth_Partner", "policyGroup": group, "langCode": "eng",
        })  # fmt: skip
    with mosip_step(
        _("Uploading the certificate of partner %(partner)s") % {"partner": partner_id}
    ):
        uploaded = remote.partner_upload_certificate(
            as_partner, partner_id, material["certificate"], "AUTH"
        )
    partner = _save(
        partner_id, signed_certificate=uploaded.signed_certificate,
        registered_at=(existing and existing.registered_at) or timezone.now(), **base,
    )  # fmt: skip

    mapping_key = partner.mapping_key
    with mosip_step(
        _("Requesting policy %(policy)s for partner %(partner)s")
        % {"policy": repr(policy_name), "partner": partner_id}
    ):
        requested = remote.policy_map_request(as_partner, partner_id, policy_name)
    if requested:
        mapping_key = requested
        partner = _save(partner_id, mapping_key=mapping_key)
    if mapping_key:
        with mosip_step(
            _("Approving policy %(policy)s (partner admin)")
            % {"policy": repr(policy_name)}
        ):
            remote.policy_map_approve(admin, mapping_key)

    if own_misp:
        as_misp = remote.partner_identity(connection, misp_id, misp_password)
        with mosip_step(_("Registering MISP %(misp)s") % {"misp": misp_id}):
            remote.partner_register(as_misp, {
                "partnerId": misp_id, "organizationName": organisation,
                "address": "Civil Registry", "contactNumber": "+000000000",
                "emailId": _email(email, "misp"),
                "partnerType": "MISP_Partner", "policyGroup": "", "langCode": "eng",
            })  # fmt: skip
        with mosip_step(
            _("Uploading the certificate of MISP %(misp)s") % {"misp": misp_id}
        ):
            remote.partner_upload_certificate(
                as_misp, misp_id, material["misp_certificate"], "MISP"
            )
        if not partner.licence_key:
            with mosip_step(
                _("Getting the licence key of MISP %(misp)s") % {"misp": misp_id}
            ):
                licence = remote.misp_licence(as_misp, misp_id)
            if licence is None:
                raise OnboardingError(
                    _(
                        "MOSIP issued MISP %(misp)s its licence key before, and the "
                        "portal does not hold it: give that licence key in this step, "
                        "or another MISP id."
                    )
                    % {"misp": misp_id}
                )
            partner = _save(
                partner_id, licence_key=licence.licence_key,
                licence_expires_at=_expiry(licence.expires),
            )  # fmt: skip
    else:
        partner = _save(partner_id, licence_key=licence_key, licence_expires_at=None)

    with mosip_step(
        _("Fetching IDA's certificates from %(url)s")
        % {"url": f"{ida_url}/mosip-certs/"}
    ):
        ida_certificate, signing = remote.ida_certificates(ida_url)
    partner = _save(
        partner_id, ida_certificate=ida_certificate, ida_signing_certificates=signing,
        certificates_fetched_at=timezone.now(),
    )  # fmt: skip
    if not partner.api_key or policy_changed:
        partner = _new_api_key(as_partner, partner)
    probe = ida_probe(partner)
    if not probe.ok and probe.answer.problem == ida.Problem.API_KEY:
        # The kept key may be one MOSIP no longer holds (expired, a reset MOSIP).
        partner = _new_api_key(as_partner, partner)
        probe = ida_probe(partner)
    if not probe.ok:
        raise OnboardingError(
            _("IDA partner %(partner)s is registered, but %(reason)s")
            % {"partner": partner_id, "reason": probe.reason}
        )
    with transaction.atomic():
        partner = _save(partner_id, verified_at=timezone.now())
        audit_record(
            actor=actor, action="onboarding.ida_partner_ready", target=partner,
            details={"partner_id": partner_id, "misp_id": partner.misp_id,
                     "policy": policy_name, "ida_url": ida_url,
                     "api_key_label": partner.api_key_label},
        )  # fmt: skip
    return partner


def _new_api_key(as_partner, partner: IdaPartner) -> IdaPartner:
    label = f"crvs-portal-{timezone.now():%Y%m%d%H%M%S}-{secrets.token_hex(2)}"
    with mosip_step(
        _("Generating an API key for policy %(policy)s")
        % {"policy": repr(partner.policy_name)}
    ):
        issued = remote.api_key_generate(
            as_partner, partner.partner_id, partner.policy_name, label
        )
    return _save(partner.partner_id, api_key=issued.api_key, api_key_label=issued.label)


def _expiry(text: str) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
