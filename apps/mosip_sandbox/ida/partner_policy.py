"""IDA's checks of the partner behind a request (PartnerServiceManager
.validateAndGetPolicy, IdAuthFilter.checkAllowedAuthTypeBasedOnPolicy;
docs/mosip/ida.md §4.4).

On MOSIP, IDA holds the partners, API keys, licences and policies PMS published to it
(APIKEY_APPROVED, MISP_LICENSE_GENERATED, PARTNER_UPDATED, POLICY_UPDATED); the
sandbox's IDA reads them from the sandbox's PMS. In IDA's order:

- the (partner, API key) pair is known: else IDA-MPA-009;
- the partner is active: else IDA-MPA-012; its policy active and within its dates:
  else IDA-MPA-019; the API key active (IDA-MPA-012) and within its dates (IDA-MPA-039);
- the certificate of the `signature` header is the partner's MOSIP-signed certificate
  (or the MISP's): else IDA-MPA-021;
- the licence key is known (IDA-MPA-007), active (IDA-MPA-017), started (IDA-MPA-007)
  and not expired (IDA-MPA-008).
"""

import datetime

from cryptography import x509

from apps.mosip_sandbox import envelope
from apps.mosip_sandbox.ida import errors, protection
from apps.mosip_sandbox.partners import apikeys, common, misp, policies
from apps.mosip_sandbox.store import get_store


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _certificate_matches(partner_id: str, thumbprint_hex: str) -> bool:
    partner = common.get_partner(partner_id) or {}
    signed = partner.get("signedCertificate")
    if not signed:
        return False
    cert = x509.load_pem_x509_certificate(signed.encode())
    return protection.certificate_thumbprint_hex(cert) == thumbprint_hex


def validate_and_get_policy(
    partner_id: str, api_key: str, licence_key: str, header_thumbprint: str
) -> dict:
    """The partner's policy document (PMS `policies`), or a filter refusal."""
    mapping = apikeys.partner_policy(partner_id, api_key)
    if mapping is None:
        raise errors.filter_refusal(errors.PARTNER_NOT_REGISTERED)
    partner = common.get_partner(partner_id)
    if partner is None:
        raise errors.filter_refusal(errors.PARTNER_NOT_REGISTERED)
    if not partner.get("isActive"):
        raise errors.filter_refusal(errors.PARTNER_DEACTIVATED)
    policy = get_store().get(policies.POLICIES, mapping["policyId"])
    if policy is None:
        raise errors.filter_refusal(errors.INVALID_POLICY_ID)
    if not policy.get("isActive") or not _within(
        policy.get("publishDate"), policy.get("validTill"), utc=True
    ):
        raise errors.filter_refusal(errors.PARTNER_POLICY_NOT_ACTIVE)
    if not mapping.get("isActive"):
        raise errors.filter_refusal(errors.PARTNER_DEACTIVATED)
    if not _within(mapping["validFrom"], mapping["validTo"]):
        raise errors.filter_refusal(errors.PARTNER_API_EXPIRED)
    licence = misp.licence(licence_key)
    if not _certificate_matches(partner_id, header_thumbprint) and not (
        licence and _certificate_matches(licence["mispId"], header_thumbprint)
    ):
        raise errors.filter_refusal(errors.PARTNER_CERTIFICATE_NOT_MATCHED)
    if licence is None:
        raise errors.filter_refusal(errors.INVALID_LICENSEKEY)
    if not licence.get("isActive"):
        raise errors.filter_refusal(errors.LICENSEKEY_SUSPENDED)
    now = _now()
    if datetime.datetime.fromisoformat(licence["validFrom"]) > now:
        raise errors.filter_refusal(errors.INVALID_LICENSEKEY)
    if datetime.datetime.fromisoformat(licence["validTo"]) < now:
        raise errors.filter_refusal(errors.LICENSEKEY_EXPIRED)
    return policy


def _within(start: str | None, end: str | None, *, utc: bool = False) -> bool:
    parse = envelope.parse_utc_timestamp if utc else datetime.datetime.fromisoformat
    now = _now()
    if start and parse(start) > now:
        return False
    return not (end and parse(end) < now)


def _allowed(policy: dict, auth_type: str) -> bool:
    return any(
        str(item.get("authType", "")).lower() == auth_type
        for item in (policy.get("policies") or {}).get("allowedAuthTypes") or []
    )


def check_auth_types(policy: dict, *, demo: bool, otp: bool) -> None:
    """The request's auth types are in the policy (IDA-MPA-006) and every mandatory
    one of the policy is in the request (IDA-MPA-015)."""
    if demo and not _allowed(policy, "demo"):
        raise errors.filter_refusal(errors.AUTHTYPE_NOT_ALLOWED, "DEMO")
    if otp and not _allowed(policy, "otp"):
        raise errors.filter_refusal(errors.AUTHTYPE_NOT_ALLOWED, "OTP")
    present = {"demo": demo, "otp": otp}
    for item in (policy.get("policies") or {}).get("allowedAuthTypes") or []:
        kind = str(item.get("authType", "")).lower()
        if item.get("mandatory") and not present.get(kind, False):
            name = kind if kind != "bio" else f"bio-{item.get('authSubType', '')}"
            raise errors.filter_refusal(errors.AUTHTYPE_MANDATORY, name)


def check_otp_request_allowed(policy: dict) -> None:
    """OTPFilter: the policy lists `otp-request` (IDA-MPA-005)."""
    if not _allowed(policy, "otp-request"):
        raise errors.filter_refusal(errors.OTPREQUEST_NOT_ALLOWED)


def auth_token_type(policy: dict) -> str:
    return str((policy.get("policies") or {}).get("authTokenType") or "random")
