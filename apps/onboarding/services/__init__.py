"""Onboarding services: every change to the MOSIP connection goes through here."""

from apps.onboarding.services.common import (
    KeycloakAdmin,
    MosipAdmin,
    OnboardingError,
)
from apps.onboarding.services.connection import (
    connection_check_token,
    connection_rotate_secret,
    connection_setup,
    missing_roles,
)
from apps.onboarding.services.esignet import esignet_client_setup
from apps.onboarding.services.ida import ida_partner_setup, ida_probe
from apps.onboarding.services.masterdata import (
    CentreDetails,
    centre_record_existing,
    centre_setup,
    machine_record_existing,
    machine_rotate_key,
    machine_setup,
    officer_map,
    officer_setup,
    officer_verify,
)
from apps.onboarding.services.readiness_runs import readiness_run
from apps.onboarding.services.settings import (
    DEFAULT_PROCESSES,
    OPTIONAL_PROCESSES,
    id_schema_fetch,
    id_schema_record,
    office_mapping_set,
    partner_setup,
    process_names_save,
)

__all__ = [
    "CentreDetails",
    "DEFAULT_PROCESSES",
    "OPTIONAL_PROCESSES",
    "KeycloakAdmin",
    "MosipAdmin",
    "OnboardingError",
    "centre_record_existing",
    "centre_setup",
    "connection_check_token",
    "connection_rotate_secret",
    "connection_setup",
    "esignet_client_setup",
    "id_schema_fetch",
    "ida_partner_setup",
    "ida_probe",
    "id_schema_record",
    "machine_record_existing",
    "machine_rotate_key",
    "machine_setup",
    "missing_roles",
    "office_mapping_set",
    "officer_map",
    "officer_setup",
    "officer_verify",
    "partner_setup",
    "process_names_save",
    "readiness_run",
]
