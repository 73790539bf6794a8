from django.contrib import admin
from django.urls import include, path

from apps.accounts.views import admin_sign_in, sign_out
from crvs_portal.views import healthz

admin.site.site_header = "Civil registration back office"
admin.site.site_title = "Civil registration"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The back office signs in through the portal's throttled sign-in page.
    path("admin/login/", admin_sign_in, name="admin-login"),
    path("admin/logout/", sign_out, name="admin-logout"),
    path("admin/", admin.site.urls),
    path("registrations/", include("apps.registrations.urls")),
    path("", include("apps.certificates.urls")),
    path("onboarding/", include("apps.onboarding_wizard.urls")),
    path("integration/", include("apps.onboarding_wizard.landing_urls")),
    path("dashboards/", include("apps.dashboards.urls")),
    path("websub/", include("apps.websub.urls")),
    path("", include("apps.accounts.urls")),
]
