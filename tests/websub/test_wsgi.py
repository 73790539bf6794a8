"""The lean WSGI entry used under gunicorn behaves like the Django view."""

import hashlib
import hmac
import io
import json

import pytest

from apps.websub import receiver
from apps.websub.models import (
    EventKind,
    InboxEvent,
    QuarantinedDelivery,
    Subscription,
    SubscriptionState,
)
from crvs_portal.wsgi import application

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def subscription():
    receiver.forget_cached()
    yield Subscription.objects.create(
        topic="REGISTRATION_PROCESSOR_WORKFLOW_COMPLETED_EVENT",
        kind=EventKind.WORKFLOW_COMPLETED,
        callback_url="http://testserver/websub/x/",
        secret="s3cr3t",
        state=SubscriptionState.VERIFIED,
    )
    receiver.forget_cached()


def call(path: str, body: bytes, signature: str | None, method: str = "POST"):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    if signature is not None:
        environ["HTTP_X_HUB_SIGNATURE"] = signature
    seen = {}

    def start_response(status, headers):
        seen["status"] = status

    b"".join(application(environ, start_response))
    return seen["status"]


def test_a_signed_delivery_is_stored_once(subscription):
    body = json.dumps({"instanceId": "rid-1", "resultCode": "PROCESSED"}).encode()
    signature = "sha256=" + hmac.new(b"s3cr3t", body, hashlib.sha256).hexdigest()
    path = f"/websub/{subscription.slug}/"
    assert call(path, body, signature) == "202 Accepted"
    assert call(path, body, signature) == "202 Accepted"
    (event,) = InboxEvent.objects.all()
    assert event.application_id == "rid-1" and event.body == body.decode()


def test_a_forged_delivery_is_quarantined(subscription):
    body = b'{"instanceId": "rid-1", "resultCode": "PROCESSED"}'
    assert call(f"/websub/{subscription.slug}/", body, "sha256=00") == "202 Accepted"
    assert InboxEvent.objects.count() == 0
    assert QuarantinedDelivery.objects.get().reason == "bad_signature"


def test_an_unknown_callback_is_gone(db):
    assert call("/websub/nothing-here/", b"{}", "sha256=00") == "410 Gone"


def test_other_requests_go_through_django(subscription):
    # Django's CSRF check answers, not the delivery path.
    assert call("/websub/manage/", b"", None).startswith("403")
    assert call("/healthz", b"", None, method="GET").split()[0] in ("200", "503")
