"""`manage.py check --deploy` is clean under production-like settings: HTTPS, secure
cookies, HSTS, no DEBUG, real hosts, fresh secrets."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "crvs_portal.settings",
        "DJANGO_READ_ENV_FILE": "false",
        "DEBUG": "false",
        "SECURE_DEPLOYMENT": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "ALLOWED_HOSTS": "registry.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "CACHE_URL": "rediscache://127.0.0.1:6379/1",
    }


def check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_check_deploy_is_clean_in_production(tmp_path):
    result = check(production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_https(tmp_path):
    # The same check with the HTTPS switch off must complain: it can fail.
    result = check({**production_env(tmp_path), "SECURE_DEPLOYMENT": "false"})
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS


def test_check_deploy_fails_with_a_per_process_cache(tmp_path):
    # Sign-in throttling counts in the cache; each gunicorn worker must see the same.
    env = production_env(tmp_path)
    del env["CACHE_URL"]
    result = check(env)
    assert result.returncode != 0
    assert "accounts.W001" in result.stderr + result.stdout
