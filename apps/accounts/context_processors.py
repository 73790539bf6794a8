from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import Role

# Each role's navigation: (label, url name). The first entry is the role's home.
# Labels are lazy: they print in the reader's language.
# Names only: the pages may belong to apps above this one.
NAVIGATION = {
    Role.REGISTRAR: [(gettext_lazy("Registrations"), "registrations:list")],
    Role.SUPERVISOR: [
        # The same order as the dashboards' own tabs.
        (gettext_lazy("Dashboard"), "dashboards:overview"),
        (gettext_lazy("MOSIP errors"), "dashboards:errors"),
        (gettext_lazy("Stuck events"), "dashboards:stuck"),
        (gettext_lazy("Completeness"), "dashboards:completeness"),
        (gettext_lazy("Likely duplicates"), "dashboards:duplicates"),
        (gettext_lazy("Offices"), "accounts:supervisor-home"),
    ],
    Role.INTEGRATION_ADMIN: [
        (gettext_lazy("MOSIP connection"), "integration:home"),
        (gettext_lazy("Onboarding"), "onboarding:wizard"),
        (gettext_lazy("Readiness"), "onboarding:readiness"),
        (gettext_lazy("WebSub"), "websub:subscriptions"),
    ],
}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(label, reverse(name)) for label, name in NAVIGATION.get(user.role, [])]
    if user.is_staff:
        items.append((_("Back office"), reverse("admin:index")))
    return {"nav_items": items}
