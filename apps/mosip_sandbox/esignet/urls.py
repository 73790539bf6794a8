"""e-Signet's routes: its service under /v1/esignet, and what its UI's web server
answers at the root (the authorize page, and the well-known documents it proxies)."""

from django.urls import path

from apps.mosip_sandbox.esignet import login, sandbox_api, views

_SERVICE = "v1/esignet/"

urlpatterns = [
    path(
        f"{_SERVICE}oidc/.well-known/openid-configuration", views.openid_configuration
    ),
    path(
        f"{_SERVICE}oauth/.well-known/oauth-authorization-server",
        views.oauth_server_metadata,
    ),
    path(f"{_SERVICE}oauth/.well-known/jwks.json", views.jwks),
    path(f"{_SERVICE}oauth/token", views.token),
    path(f"{_SERVICE}oauth/v2/token", views.token_v2),
    path(f"{_SERVICE}oidc/userinfo", views.userinfo),
    path(f"{_SERVICE}client-mgmt/oidc-client", views.create_oidc_client),
    path(
        f"{_SERVICE}client-mgmt/oidc-client/<str:client_id>", views.update_oidc_client
    ),
    path(f"{_SERVICE}client-mgmt/oauth-client", views.create_oauth_client),
    path(
        f"{_SERVICE}client-mgmt/oauth-client/<str:client_id>", views.update_oauth_client
    ),
    path(".well-known/openid-configuration", views.openid_configuration),
    path(".well-known/oauth-authorization-server", views.oauth_server_metadata),
    path(".well-known/jwks.json", views.jwks),
    path("authorize", login.authorize),
    path("authorize/send-otp", login.send_otp),
    path("authorize/authenticate", login.authenticate),
    path("authorize/consent", login.consent),
    path("sandbox/api/esignet/otps", sandbox_api.otps),
]
