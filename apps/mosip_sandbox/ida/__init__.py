"""MOSIP ID Authentication (IDA 1.2, id-authentication v1.2.0.1) as partners meet it
(docs/mosip/ida.md):

- `POST /idauthentication/v1/auth/{MISP-LK}/{partnerId}/{apiKey}`: demographic and
  OTP authentication of a UIN or VID (`pipeline.authenticate`);
- `POST /idauthentication/v1/otp/{MISP-LK}/{partnerId}/{apiKey}`: an OTP for a UIN or
  VID (`pipeline.request_otp`);
- `GET /idauthentication/v1/internal/getCertificate`: IDA's keymanager certificates;
- `GET /mosip-certs/ida-partner.cer`, `GET /mosip-certs/ida-sign.json`: what MOSIP's
  file server publishes of them for partners.

Partners, API keys, licences and policies come from the sandbox's PMS
(apps/mosip_sandbox/partners). The sandbox's own test API is `control`.
"""

from django.urls import path

from apps.mosip_sandbox.ida import control, views

urlpatterns = [
    path("idauthentication/v1/auth/<path:rest>", views.authenticate),
    path("idauthentication/v1/otp/<path:rest>", views.request_otp),
    path("idauthentication/v1/internal/getCertificate", views.get_certificate),
    path("mosip-certs/ida-partner.cer", views.partner_certificate_file),
    path("mosip-certs/ida-sign.json", views.sign_certificates_file),
    path("sandbox/api/ida/partners", control.partners_view),
    path("sandbox/api/ida/otps", control.otps_view),
]
