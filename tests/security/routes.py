"""Every URL pattern as a concrete URL, for checks that must cover every route.

Built on the URL audit (tests/test_url_access.py): its `URL_EXAMPLES` give real objects
for the portal's parameterised routes; the Django admin's change, history and delete
pages get the first object of their model when there is one; any other parameter gets
a placeholder that fits its converter. A route added later is covered as soon as the
URL audit knows it.
"""

from django.apps import apps
from django.urls import NoReverseMatch, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from apps.accounts.access import NAMESPACE_RULES
from tests.test_url_access import (
    PERSONA_ROLES,
    URL_EXAMPLES,
    URL_QUERIES,
    all_routes,
)

PERSONAS = ["anonymous", *PERSONA_ROLES]
_PLACEHOLDERS = ("1", "accounts", "example")
_ADMIN_OBJECT_PAGES = ("_change", "_history", "_delete")


def route_names() -> list[str]:
    """Every named route. The admin's two unnamed patterns (its object-id redirect and
    catch-all) are Django's own and answer only by redirecting or 404."""
    return sorted(
        {name for name, *_ in all_routes() if name and not name.endswith(":None")}
    )


def _pattern(name: str):
    for route_name, pattern, _, _ in all_routes():
        if route_name == name:
            return pattern
    raise KeyError(name)


def _admin_object_pk(name: str) -> str | None:
    """The pk of an existing object for an admin change/history/delete route."""
    if not name.startswith("admin:"):
        return None
    label = name.removeprefix("admin:")
    for suffix in _ADMIN_OBJECT_PAGES:
        if label.endswith(suffix):
            app_label, _, model = label.removesuffix(suffix).partition("_")
            try:
                model_class = apps.get_model(app_label, model)
            except LookupError:
                return None
            obj = model_class._default_manager.order_by("pk").first()
            return str(obj.pk) if obj is not None else None
    return None


def _placeholder_kwargs(name: str, pattern) -> dict | None:
    if isinstance(pattern.pattern, RoutePattern):
        params = list(pattern.pattern.converters)
    elif isinstance(pattern.pattern, RegexPattern):
        params = list(pattern.pattern.regex.groupindex)
    else:
        params = []
    if not params:
        return {}
    object_pk = _admin_object_pk(name)
    for value in _PLACEHOLDERS:
        kwargs = {
            param: object_pk if param == "object_id" and object_pk else value
            for param in params
        }
        try:
            reverse(name, kwargs=kwargs)
            return kwargs
        except NoReverseMatch:
            continue
    return None


def concrete_url(name: str, request) -> str:
    """A URL for route `name`, with objects built through `request`'s fixtures."""
    example = URL_EXAMPLES.get(name)
    if example is not None:
        kwargs = example(request) if callable(example) else example
    else:
        kwargs = _placeholder_kwargs(name, _pattern(name))
        assert kwargs is not None, f"no arguments fit {name}; add it to URL_EXAMPLES"
    return reverse(name, kwargs=kwargs) + URL_QUERIES.get(name, "")


def answering_view(url: str):
    """The view function that actually answers `url`."""
    return resolve(url.split("?")[0]).func


def access_rule(url: str):
    match = resolve(url.split("?")[0])
    return getattr(match.func, "access_rule", None) or NAMESPACE_RULES.get(
        match.namespaces[0] if match.namespaces else None
    )


def persona_user(persona: str, request):
    return None if persona == "anonymous" else request.getfixturevalue(persona)


def allowed_personas(url: str, request) -> list[str]:
    """Personas the route's access rule lets in (anonymous only for public routes)."""
    rule = access_rule(url)
    allowed = []
    for persona in PERSONAS:
        user = persona_user(persona, request)
        if user is None:
            if not rule.login_required:
                allowed.append(persona)
        elif rule.allows(user):
            allowed.append(persona)
    return allowed
