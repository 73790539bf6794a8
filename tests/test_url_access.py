"""Every URL pattern declares who may use it, and each rule holds for every role."""

import datetime
from collections.abc import Callable

import pytest
from django.contrib.auth.views import redirect_to_login
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from apps.accounts.access import NAMESPACE_RULES
from apps.accounts.models import Role
from apps.registrations.models import PhoneLogin, VitalEvent
from apps.registrations.services import event_submit as submit_event
from tests.certificates.factories import certifiable_event
from tests.registrations.factories import attach_pdf, load_id_schema, make_event


def _registrar_event(request) -> dict:
    # A real event (with a document) of the registrar persona's office, so that
    # allowed roles reach the view itself rather than a 404.
    load_id_schema()
    event = make_event(request.getfixturevalue("registrar"))
    return {"pk": event.pk}


def _phone_login(request) -> dict:
    # A login waiting for the informant's phone, started by the registrar persona.
    registrar = request.getfixturevalue("registrar")
    load_id_schema()
    event = make_event(registrar)
    login = PhoneLogin.objects.create(
        state="s" * 43, event=event, started_by=registrar, nonce="n",
        code_verifier="v", authorize_url="https://esignet.example/authorize",
        started_at=timezone.now(),
    )  # fmt: skip
    return {"pk": event.pk, "login_id": login.pk}


def _registrar_document(request) -> dict:
    request.getfixturevalue("settings").MEDIA_ROOT = request.getfixturevalue("tmp_path")
    load_id_schema()
    event = make_event(request.getfixturevalue("registrar"))
    document = attach_pdf(event)
    return {"pk": event.pk, "document_pk": document.pk}


def _registrar_certificate(request) -> dict:
    from apps.certificates.services import certificate_issue

    request.getfixturevalue("settings").MEDIA_ROOT = request.getfixturevalue("tmp_path")
    registrar = request.getfixturevalue("registrar")
    event = certifiable_event(registrar)
    certificate = certificate_issue(event=event, actor=registrar)
    return {"pk": event.pk, "certificate_pk": certificate.pk}


def _stuck_event(request) -> dict:
    # A submitted event of the supervisor persona's office, unchanged for a day.
    load_id_schema()
    event = make_event(request.getfixturevalue("registrar"))
    event = submit_event(event=event, actor=event.created_by)
    VitalEvent.objects.filter(pk=event.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=1)
    )
    return {"pk": event.pk}


def _blocked_death_check(request) -> dict:
    # A death of the supervisor persona's office whose deceased's UIN does not match.
    from apps.registrations.models import IdCheck

    load_id_schema()
    event = make_event(request.getfixturevalue("registrar"), "death")
    check = IdCheck.objects.create(
        event=event, section="deceased", id_type="UIN", id_masked="******1234",
        fingerprint="x", outcome="mismatch", checked_at=timezone.now(),
    )  # fmt: skip
    return {"pk": event.pk, "check_pk": check.pk}


def _websub_subscription(request) -> dict:
    from apps.websub.models import EventKind, Subscription

    sub = Subscription.objects.create(
        topic="REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT",
        kind=EventKind.WORKFLOW_COMPLETED,
        slug="example-subscription",
        callback_url="http://testserver/websub/example-subscription/",
        secret="example-secret",
    )
    return {"pk": sub.pk}


def _websub_callback(request) -> dict:
    _websub_subscription(request)
    return {"slug": "example-subscription"}


def _websub_orphan(request) -> dict:
    from django.utils import timezone

    from apps.websub.models import InboxEvent, InboxStatus, Subscription

    _websub_subscription(request)
    event = InboxEvent.objects.create(
        subscription=Subscription.objects.get(slug="example-subscription"),
        kind="workflow_completed",
        key="sha256:example",
        body="{}",
        received_at=timezone.now(),
        next_attempt_at=timezone.now(),
        status=InboxStatus.ORPHAN,
    )
    return {"pk": event.pk}


# Sample arguments for URL patterns that take parameters, by "namespace:name": a dict,
# or a function of the pytest request that builds the object and returns the dict.
# A new parameterised route fails the audit until it is given an example here.
URL_EXAMPLES: dict[str, dict | Callable] = {
    **{
        f"registrations:{name}": _registrar_event
        for name in (
            "detail",
            "timeline",
            "edit",
            "autosave",
            "validate",
            "review",
            "submit",
            "document-upload",
            "identity-start",
            "identity-phone-start",
        )
    },
    "registrations:identity-phone": _phone_login,
    "registrations:identity-phone-status": _phone_login,
    "registrations:identity-phone-open": {"state": "not-started"},
    "registrations:document": _registrar_document,
    "registrations:identity-continue": lambda request: {
        **_registrar_event(request),
        "state": "not-started",
    },
    "registrations:document-remove": _registrar_document,
    "certificates:preview": _registrar_event,
    "certificates:section": _registrar_event,
    "certificates:issue": _registrar_event,
    "certificates:download": _registrar_certificate,
    "dashboards:error-events": {"code": "KER-PUT-006"},
    "dashboards:resubmit": _stuck_event,
    "dashboards:event": _stuck_event,
    "dashboards:id-check-override": _blocked_death_check,
    "registrations:discard": _registrar_event,
    "dashboards:export": {"table": "volumes"},
    "websub:resubscribe": _websub_subscription,
    "websub:rotate": _websub_subscription,
    "websub:orphan-retry": _websub_orphan,
    "websub:callback": _websub_callback,
}
# Query strings some routes need to answer at all.
URL_QUERIES = {
    "admin:autocomplete": "?app_label=accounts&model_name=user&field_name=office",
    # The hub's intent verification for a pending subscription.
    "websub:callback": "?hub.mode=subscribe"
    "&hub.topic=REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT&hub.challenge=c1",
}

# Routes an allowed role still gets 403 from, by design.
FORBIDDEN_BY_DESIGN = {
    "admin:audit_auditevent_add": "the audit trail is append-only",
    "admin:accounts_signinlock_add": "locks are started only by failed sign-ins",
    **{
        f"admin:registrations_{model}_add": "written only by the registration services"
        for model in (
            "vitalevent",
            "packet",
            "outboxmessage",
            "eventdocument",
            "notification",
            "idcheck",
            "identityverification",
        )
    },
    **{
        f"admin:onboarding_{model}_add": "changed only through the onboarding wizard"
        for model in (
            "connection",
            "centre",
            "machine",
            "officer",
            "officemapping",
            "processname",
            "credentialpartner",
            "idapartner",
            "esignetclient",
            "idschemaversion",
        )
    },
    "admin:certificates_certificate_add": "written only by the certificate services",
    "admin:certificates_issuerkey_add": "keys are made only by rotation",
    **{
        f"admin:websub_{model}_add": "written only by the WebSub services"
        for model in (
            "subscription",
            "inboxevent",
            "quarantineddelivery",
            "badinputcount",
        )
    },
}

PERSONAS = ["anonymous", "registrar", "supervisor", "integration_admin", "staff_user"]
PERSONA_ROLES = {
    "registrar": Role.REGISTRAR,
    "supervisor": Role.SUPERVISOR,
    "integration_admin": Role.INTEGRATION_ADMIN,
    "staff_user": "",
}


def _walk(patterns, namespace=None, top_namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, full_ns, top_namespace or ns)
        elif isinstance(entry, URLPattern):
            yield entry, namespace, top_namespace


def all_routes():
    routes = []
    for pattern, namespace, top in _walk(get_resolver().url_patterns):
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        rule = NAMESPACE_RULES.get(top) or getattr(
            pattern.callback, "access_rule", None
        )
        routes.append((name, pattern, rule, top))
    return routes


def test_every_route_declares_an_access_rule():
    undeclared = [
        f"{name or '(unnamed)'} -> {pattern.pattern}"
        for name, pattern, rule, _ in all_routes()
        if rule is None
    ]
    assert not undeclared, "Routes without an access rule:\n" + "\n".join(undeclared)


def test_every_portal_route_has_a_name_for_the_audit():
    unnamed = [str(p.pattern) for name, p, _, top in all_routes() if not name]
    assert not unnamed


def _checked_routes():
    """Portal routes, plus the admin routes that take no parameters."""
    checked = []
    for name, pattern, rule, top in all_routes():
        takes_args = bool(pattern.pattern.regex.groupindex) or "<" in str(
            pattern.pattern
        )
        if top in NAMESPACE_RULES and takes_args:
            continue
        checked.append((name, rule, takes_args))
    return checked


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "route", _checked_routes(), ids=lambda r: r[0] if isinstance(r, tuple) else str(r)
)
def test_each_rule_holds_for_each_role(route, persona, request, client, db):
    name, _, takes_args = route
    if takes_args:
        assert name in URL_EXAMPLES, f"add sample arguments for {name} to URL_EXAMPLES"
    example = URL_EXAMPLES.get(name)
    kwargs = example(request) if callable(example) else example
    url = reverse(name, kwargs=kwargs) + URL_QUERIES.get(name, "")
    # The view that actually answers (a portal view may shadow an admin one).
    match = resolve(url.split("?")[0])
    rule = getattr(match.func, "access_rule", None) or NAMESPACE_RULES.get(
        match.namespaces[0] if match.namespaces else None
    )
    assert rule is not None, name
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    if user is not None:
        client.force_login(user)

    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)

    allowed = rule.allows(user) if user is not None else not rule.login_required
    if allowed and name in FORBIDDEN_BY_DESIGN:
        assert response.status_code == 403
    elif allowed:
        assert response.status_code in (200, 204, 302), (
            name,
            persona,
            response.status_code,
        )
        if response.status_code == 302:
            # Bounced to sign-in with this very URL as next: the rule kept us out.
            bounce = redirect_to_login(url)["Location"]
            assert response["Location"] != bounce, response["Location"]
    else:
        if response.status_code == 302:
            assert "login" in response["Location"] or "sign-in" in response["Location"]
        else:
            assert response.status_code == 403, (name, persona, response.status_code)


def test_rules_name_the_roles_of_each_home(registrar, supervisor, integration_admin):
    homes = {
        "accounts:registrar-home": registrar,
        "accounts:supervisor-home": supervisor,
        "integration:home": integration_admin,
    }
    rules = {name: rule for name, _, rule, _ in all_routes()}
    for name, owner in homes.items():
        assert rules[name].roles == {owner.role}


def test_onboarding_pages_are_for_integration_admins_only():
    onboarding = {
        name: rule
        for name, _, rule, _ in all_routes()
        if name.startswith("onboarding:")
    }
    assert {
        "onboarding:wizard",
        "onboarding:readiness",
        "onboarding:mosip-changes",
        "onboarding:step-client",
    } <= set(onboarding)
    for name, rule in onboarding.items():
        assert rule.roles == {Role.INTEGRATION_ADMIN}, name
