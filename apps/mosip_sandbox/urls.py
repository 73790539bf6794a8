"""Every route the sandbox answers: MOSIP's paths, then the sandbox's own."""

from apps.mosip_sandbox import (
    auth_views,
    control,
    hub,
    keycloak_admin,
    keymanager,
    masterdata,
    packets,
    partners,
    processing_api,
    status,
    syncdata,
    workflow,
)
from apps.mosip_sandbox.credentials import views as credential_views

urlpatterns = [
    *auth_views.urlpatterns,
    *keycloak_admin.urlpatterns,
    *masterdata.urlpatterns,
    *keymanager.urlpatterns,
    *packets.urlpatterns,
    *workflow.urlpatterns,
    *status.urlpatterns,
    *syncdata.urlpatterns,
    *hub.urlpatterns,
    *partners.urlpatterns,
    *credential_views.urlpatterns,
    *processing_api.urlpatterns,
    *control.urlpatterns,
]
