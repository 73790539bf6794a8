"""Certificate settings (crvs_portal/settings.py declares each, with its default)."""

from django.conf import settings


def issuer() -> str:
    """CWT `iss` of every QR code: the portal's public address (a full URI, §1.4)."""
    return settings.CERTIFICATES_ISSUER


def qr_validity_days() -> int:
    """Days a QR code stays valid after printing; 0 gives codes without expiry."""
    return settings.CERTIFICATES_QR_VALIDITY_DAYS


def country_of_issuance() -> str:
    """Claim 169 key 23, ISO 3166 alpha-3 code; blank leaves it out."""
    return settings.CERTIFICATES_COUNTRY


def verify_upload_max_bytes() -> int:
    return settings.CERTIFICATES_VERIFY_UPLOAD_MAX_BYTES


def verify_checks_per_minute() -> int:
    """Checks one client address may run per minute on the public verify page."""
    return settings.CERTIFICATES_VERIFY_CHECKS_PER_MINUTE
