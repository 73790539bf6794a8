"""The sandbox runs under its own settings (apps/mosip_sandbox/django_settings.py) and
is no part of a deployed portal: production neither installs nor routes it."""

import json
import os
import subprocess
import sys
from pathlib import Path

from apps.mosip_sandbox import admins as seeded
from apps.onboarding_wizard import embedded
from tests.security.test_deploy_check import production_env

ROOT = Path(__file__).resolve().parents[2]
PORTAL_SECRETS = ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "DATABASE_URL")

INSPECT = """
import json, sys
import django
django.setup()
from django.apps import apps
from django.conf import settings
from django.core.management import get_commands
from django.urls import Resolver404, resolve

def routed(path):
    try:
        return resolve(path).func.__module__
    except Resolver404:
        return None

import importlib

importlib.import_module(settings.ROOT_URLCONF)
print(json.dumps({
    "installed": [config.name for config in apps.get_app_configs()],
    "sandbox_installed": apps.is_installed("apps.mosip_sandbox"),
    "routes": {path: routed(path) for path in (
        "/sandbox/", "/sandbox/api/health", "/sandbox/api/config",
        "/commons/v1/packetmanager/createPacket", "/registrations/",
    )},
    "commands": sorted(get_commands()),
    "modules": sorted({m.split(".")[1] for m in sys.modules if m.startswith("apps.")}),
}))
"""


def _inspect(env: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", INSPECT],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _without_portal_configuration() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in PORTAL_SECRETS and not k.startswith("DJANGO_")
    }
    # A local .env holds the portal's secrets; the portal's settings would read it.
    return {**env, "DJANGO_READ_ENV_FILE": "false"}


def test_production_neither_installs_nor_routes_the_sandbox(tmp_path):
    seen = _inspect(production_env(tmp_path))
    assert "apps.registrations" in seen["installed"]
    assert not seen["sandbox_installed"]
    assert not any(name.startswith("apps.mosip_sandbox") for name in seen["installed"])
    assert seen["routes"]["/registrations/"] is not None
    assert seen["routes"]["/sandbox/"] is None
    assert seen["routes"]["/sandbox/api/health"] is None
    assert seen["routes"]["/sandbox/api/config"] is None
    assert seen["routes"]["/commons/v1/packetmanager/createPacket"] is None
    assert "run_mosip_sandbox" not in seen["commands"]
    # Nothing the portal loads imports the sandbox.
    assert "mosip_sandbox" not in seen["modules"]


def test_the_sandbox_settings_install_the_sandbox_alone():
    env = {
        **_without_portal_configuration(),
        "DJANGO_SETTINGS_MODULE": "apps.mosip_sandbox.django_settings",
    }
    seen = _inspect(env)
    assert seen["installed"] == ["apps.mosip_sandbox"]
    assert seen["routes"]["/sandbox/api/health"] == "apps.mosip_sandbox.control"
    assert seen["routes"]["/commons/v1/packetmanager/createPacket"] is not None
    assert seen["routes"]["/registrations/"] is None
    assert "run_mosip_sandbox" in seen["commands"]
    assert seen["modules"] == ["mosip_sandbox"]


def test_manage_py_runs_the_sandbox_under_its_own_settings():
    # No portal secret, and the portal's settings named: the command is still found
    # and its settings load (it then stops at its own check of the listening address).
    env = {
        **_without_portal_configuration(),
        "DJANGO_SETTINGS_MODULE": "crvs_portal.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "run_mosip_sandbox", "--host", "0.0.0.0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2, result.stdout + result.stderr
    assert "The sandbox listens on loopback only." in result.stderr


def test_the_portal_settings_without_the_sandbox_command_do_not_know_it():
    # The same call for a portal command fails for want of the portal's secrets:
    # the previous test passed through the sandbox's settings, not the portal's.
    env = {
        **_without_portal_configuration(),
        "DJANGO_SETTINGS_MODULE": "crvs_portal.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_embedded_run_signs_in_as_the_administrators_the_sandbox_serves(
    mosip_sandbox,
):
    keycloak_admin, mosip_admin = embedded.sandbox_admins(mosip_sandbox.url)
    partner_admin = embedded.sandbox_partner_admin(mosip_sandbox.url)

    assert (keycloak_admin.username, keycloak_admin.password) == (
        seeded.KEYCLOAK_ADMIN_USER,
        seeded.KEYCLOAK_ADMIN_PASSWORD,
    )
    assert (mosip_admin.username, mosip_admin.client_secret) == (
        seeded.MOSIP_ADMIN_USER,
        seeded.MOSIP_ADMIN_CLIENT_SECRET,
    )
    assert partner_admin.username == seeded.PARTNER_ADMIN_USER
