from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from apps.accounts.access import public
from apps.accounts.language import language_choose
from apps.accounts.views import admin_sign_in, sign_out
from crvs_portal.views import healthz

admin.site.site_header = "Civil registration back office"
admin.site.site_title = "Civil registration"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("language/", language_choose, name="language"),
    # The few words of the portal's scripts, in the page's language.
    path("jsi18n/", public(JavaScriptCatalog.as_view()), name="javascript-catalog"),
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
