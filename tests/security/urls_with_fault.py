"""The portal's URLs plus a view that fails while holding a secret, for the check that
the 500 page and its log record show none of it."""

from django.conf import settings
from django.urls import path

from crvs_portal.urls import urlpatterns as portal_urlpatterns


def fault(request):
    key = settings.FIELD_ENCRYPTION_KEY  # a debug page would print this local
    raise RuntimeError("the view failed") from ValueError(len(key))


urlpatterns = [path("fault/", fault), *portal_urlpatterns]
