"""Test settings: the real settings with throwaway secrets and a fast password hasher."""

import os
from pathlib import Path

# The test database and other local state live under var/, which git ignores.
(Path(__file__).resolve().parent.parent / "var").mkdir(exist_ok=True)

os.environ.setdefault("DJANGO_READ_ENV_FILE", "false")
os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-not-for-any-deployment-0123456789"
)
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEY", "dGVzdC1vbmx5LWZpZWxkLWtleS0zMi1ieXRlcyEhISE="
)
os.environ.setdefault("DATABASE_URL", "sqlite:///var/test.sqlite3")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
# WhiteNoise expects the collected-static folder; tests serve from finders instead.
STATIC_ROOT.mkdir(exist_ok=True)  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file rather than shared memory: live-server tests answer the MOSIP sandbox
    # from a second thread, which needs SQLite's busy timeout, not table locks.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test-db.sqlite3")}  # noqa: F405
