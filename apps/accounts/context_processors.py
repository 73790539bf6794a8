from django.urls import reverse

from apps.accounts.models import Role

# Each role's navigation: (label, url name). The first entry is the role's home.
# Names only: the pages may belong to apps above this one.
NAVIGATION = {
    Role.REGISTRAR: [("Registrations", "registrations:list")],
    Role.SUPERVISOR: [
        # The same order as the dashboards' own tabs.
        ("Dashboard", "dashboards:overview"),
        ("MOSIP errors", "dashboards:errors"),
        ("Stuck events", "dashboards:stuck"),
        ("Completeness", "dashboards:completeness"),
        ("Likely duplicates", "dashboards:duplicates"),
        ("Offices", "accounts:supervisor-home"),
    ],
    Role.INTEGRATION_ADMIN: [
        ("MOSIP connection", "integration:home"),
        ("Onboarding", "onboarding:wizard"),
        ("Readiness", "onboarding:readiness"),
        ("WebSub", "websub:subscriptions"),
    ],
}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(label, reverse(name)) for label, name in NAVIGATION.get(user.role, [])]
    if user.is_staff:
        items.append(("Back office", reverse("admin:index")))
    return {"nav_items": items}
