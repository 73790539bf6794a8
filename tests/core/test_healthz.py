import json

from apps.core.tasks import record_heartbeat
from tests.sandbox_process import free_port


def test_it_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_fails_when_the_broker_is_unreachable(client, db, settings):
    # A port picked free and left closed: nothing listens there.
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["status"] == "failing"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_it_shows_the_worker_heartbeat(client, db):
    assert json.loads(client.get("/healthz").content)["checks"]["worker"]["ok"] is False
    record_heartbeat()
    assert json.loads(client.get("/healthz").content)["checks"]["worker"]["ok"] is True
