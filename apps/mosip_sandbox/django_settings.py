"""Django settings of the MOSIP sandbox's own process (`manage.py run_mosip_sandbox`).

The sandbox is another system that shares the portal's code base but none of its
configuration: only its own app is installed, it answers MOSIP's paths and its control
API and nothing else, with no sessions, CSRF, database or portal secret. Its state is
its own SQLite file (store.py), named by the command's `--data`.
"""

import os
import secrets

# Nothing the sandbox serves is signed with Django's key: a fresh one per process.
SECRET_KEY = secrets.token_urlsafe(50)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = ["apps.mosip_sandbox"]
MIDDLEWARE = [
    "apps.mosip_sandbox.server.ContentLengthMiddleware",
    "apps.mosip_sandbox.faults.FaultMiddleware",
]
ROOT_URLCONF = "apps.mosip_sandbox.urls"
# MOSIP's paths are matched as MOSIP writes them, trailing slash or not.
APPEND_SLASH = False
DATABASES = {}

USE_TZ = True
TIME_ZONE = "UTC"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "WARNING"}},
}
