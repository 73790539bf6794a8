"""Partner management (PMS v1.2.0.1) as far as a credential partner and an auth
partner with an OIDC client need it (docs/mosip/credential-partner.md,
docs/mosip/esignet.md §9). MOSIP side, Cookie auth, kernel envelopes:

- `POST /v1/partnermanager/partners`: self-registration (`registration`).
- `POST /v1/partnermanager/partners/certificate/ca/upload` and
  `POST /v1/partnermanager/partners/certificate/upload`: through keymanager's
  partner certificate manager (`certificates`, `apps.mosip_sandbox.partnercerts`).
- `POST /v1/policymanager/policies/group/new`, `POST /v1/policymanager/policies`,
  `POST /v1/policymanager/policies/{policyId}/group/{policygroupId}/publish`,
  `GET /v1/policymanager/policies/group/all` (`policies`).
- `POST|GET /v1/partnermanager/partners/{partnerId}/credentialtype/{credentialType}/policies[/{policyName}]`
  (`policies`).
- `POST /v1/partnermanager/partners/{partnerId}/policy/map`,
  `PUT /v1/partnermanager/partners/policy/{mappingkey}`: a partner's policy request
  and its approval (`policy_requests`), which API keys, MISP licence keys and OIDC
  clients all depend on.
- `POST /v1/partnermanager/oidc/client`, `GET /v1/partnermanager/oidc/client/{id}`:
  an auth partner's OIDC client, created in e-Signet by PMS (`oidc_clients`).

and as far as an authentication partner needs it (docs/mosip/ida.md §4):

- `POST /v1/partnermanager/misps`: a MISP's licence key (`misp`).
- `PATCH /v1/partnermanager/partners/{partnerId}/generate/apikey`: the partner's API
  key for an approved policy request (`apikeys`).

Which partner receives credentials for which process is reg-proc configuration
(`registration-processor-credential-partners.json` and
`mosip.registration.processor.credential.default.partner-ids`), changed through
`PATCH /sandbox/api/config` like every other MOSIP property.
"""

from apps.mosip_sandbox.partners import (
    apikeys,
    certificates,
    misp,
    oidc_clients,
    policies,
    policy_requests,
    registration,
)
from apps.mosip_sandbox.partners.common import (
    get_partner,
    public_base_url,
    remember_base_url,
)

__all__ = ["get_partner", "public_base_url", "remember_base_url", "urlpatterns"]


urlpatterns = [
    *registration.urlpatterns,
    *certificates.urlpatterns,
    *policies.urlpatterns,
    *policy_requests.urlpatterns,
    *misp.urlpatterns,
    *apikeys.urlpatterns,
    *oidc_clients.urlpatterns,
]
