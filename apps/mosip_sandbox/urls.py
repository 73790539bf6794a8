"""Every route the sandbox answers: MOSIP's paths, then the sandbox's own."""

from apps.mosip_sandbox import (
    auth_views,
    control,
    hub,
    ida,
    keycloak_admin,
    keymanager,
    masterdata,
    packets,
    partners,
    processing_api,
    spring,
    status,
    syncdata,
    workflow,
)
from apps.mosip_sandbox.credentials import views as credential_views
from apps.mosip_sandbox.esignet import urls as esignet_urls

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
    *esignet_urls.urlpatterns,
    *ida.urlpatterns,
    *processing_api.urlpatterns,
    *control.urlpatterns,
]

handler400 = spring.bad_request
handler403 = spring.forbidden
handler404 = spring.not_found
handler500 = spring.server_error
