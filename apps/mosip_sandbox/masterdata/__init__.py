"""Kernel masterdata service under /v1/masterdata (docs/mosip/onboarding-websub.md §2)."""

from apps.mosip_sandbox.masterdata import (
    centres,
    idschema,
    machines,
    reference,
    users,
)

urlpatterns = [
    *reference.urlpatterns,
    *centres.urlpatterns,
    *machines.urlpatterns,
    *users.urlpatterns,
    *idschema.urlpatterns,
]
