"""The embedded run's web process, started as `run_embedded` starts it (gunicorn,
DEBUG off whatever .env says), answers errors with the portal's own pages: no URL
patterns, no settings, no environment."""

import socket
import subprocess

import pytest
import requests
from django.conf import settings

from apps.onboarding_wizard.management.commands.run_embedded import Command
from tests.waiting import wait_until

TECHNICAL = (
    "Traceback",
    "URLconf",
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "urlpatterns",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def embedded_web(transactional_db, monkeypatch):
    # A developer's .env from an older run said DEBUG=true; the run must not care.
    monkeypatch.setenv("DEBUG", "true")
    env = Command.environment() | {
        "DJANGO_SETTINGS_MODULE": "crvs_portal.settings",
        "DJANGO_READ_ENV_FILE": "false",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": "memory://",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_ACCESSLOG": "",
    }
    Command.collect_static(env)
    addr = f"127.0.0.1:{_free_port()}"
    proc = subprocess.Popen(
        Command()._processes(addr, 0)["web"], env=env, start_new_session=True
    )
    url = f"http://{addr}"

    def answering() -> bool:
        assert proc.poll() is None, "the web process exited"
        try:
            requests.get(f"{url}/healthz", timeout=1)
        except requests.RequestException:
            return False
        return True

    try:
        wait_until(answering, timeout=60, message="the web process answered")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _assert_portal_page(response, status: int, heading: str):
    assert response.status_code == status
    assert "Civil registration portal" in response.text
    assert heading in response.text
    for marker in TECHNICAL:
        assert marker not in response.text


def test_the_web_process_is_gunicorn_with_the_production_config():
    web = Command()._processes("127.0.0.1:8000", 8090)["web"]
    assert web[1:4] == ["-m", "gunicorn", "crvs_portal.wsgi"]
    assert "gunicorn.conf.py" in web and "runserver" not in web
    assert Command.environment()["DEBUG"] == "false"


def test_a_missing_page_is_the_portals_own_404(embedded_web):
    response = requests.get(f"{embedded_web}/no-such-page/", timeout=10)

    _assert_portal_page(response, 404, "Page not found")
    # Static files are served, from the collected manifest.
    css = requests.get(f"{embedded_web}/static/css/portal.css", timeout=10)
    assert css.status_code == 200 and "text/css" in css.headers["Content-Type"]


def test_a_3_mb_password_gets_the_portals_own_400(embedded_web):
    session = requests.Session()
    sign_in = session.get(f"{embedded_web}/sign-in/", timeout=10)
    assert sign_in.status_code == 200
    response = session.post(
        f"{embedded_web}/sign-in/",
        data={
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "username": "alice",
            "password": "x" * (3 * 1024 * 1024),
        },
        headers={"Referer": f"{embedded_web}/sign-in/"},
        timeout=30,
    )

    _assert_portal_page(response, 400, "The request was not accepted")


def test_without_a_shared_cache_one_web_process_keeps_the_sign_in_counts(monkeypatch):
    """Sign-in failures are counted in the cache: with the per-process default, the
    embedded run serves from one process (threads), so every request sees one count."""
    monkeypatch.delenv("CACHE_URL", raising=False)
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    assert Command.environment()["GUNICORN_WORKERS"] == "1"
    monkeypatch.setenv("CACHE_URL", "rediscache://127.0.0.1:6379/1")
    assert "GUNICORN_WORKERS" not in Command.environment()
