"""MOSIP's ID Authentication (IDA 1.2) for an authentication partner
(docs/mosip/ida.md): demographic authentication of a UIN or VID, and the
certificates MOSIP's file server publishes for it. Built on `cryptography`;
mosip-auth-sdk is not used (it pins cryptography<44 and never checks IDA's
response signature, docs/mosip/ida.md §10).

    partner = AuthPartner(ida_url=..., licence_key=..., partner_id=..., api_key=...,
                          private_key_pem=..., certificate_pem=<PMS re-signed>,
                          ida_certificate_pem=..., ida_signing_certificates=(...))
    answer = authenticate(partner, "2345678901", IdType.UIN,
                          Demographics({"eng": "Amina Yusuf Haddad"}, date(2025, 3, 1)))
    answer.outcome   # Outcome.VERIFIED, MISMATCH, NOT_FOUND, DEACTIVATED,
                     # UNREACHABLE or REFUSED (answer.problem says what to fix)

An answer whose `response-signature` does not verify with a published IDA signing
certificate is REFUSED with Problem.RESPONSE_SIGNATURE and `signed` False.
"""

from apps.mosip.ida.answers import IdaAnswer, Mismatch, Outcome, Problem
from apps.mosip.ida.client import (
    AuthPartner,
    Demographics,
    IdType,
    authenticate,
    fetch_partner_certificate,
    fetch_signing_certificates,
)

__all__ = [
    "AuthPartner",
    "Demographics",
    "IdType",
    "IdaAnswer",
    "Mismatch",
    "Outcome",
    "Problem",
    "authenticate",
    "fetch_partner_certificate",
    "fetch_signing_certificates",
]
