from django.urls import reverse

from apps.accounts.models import Role

# Each role's navigation: (label, url name). The first entry is the role's home.
NAVIGATION = {
    Role.REGISTRAR: [("Registrations", "registrations:list")],
    Role.SUPERVISOR: [
        ("Dashboard", "dashboards:overview"),
        ("Stuck events", "dashboards:stuck"),
        ("MOSIP errors", "dashboards:errors"),
        ("Completeness", "dashboards:completeness"),
        ("Offices", "accounts:supervisor-home"),
    ],
    Role.INTEGRATION_ADMIN: [
        ("MOSIP connection", "accounts:integration-home"),
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
