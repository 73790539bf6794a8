"""Settings for the registrar portal, driven entirely by environment variables.

Every variable can also be given as `<NAME>_FILE` pointing at a file that holds the value
(container secrets). Secrets have no default: a missing one stops start-up.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from apps.websub.beat import WEBSUB_BEAT_SCHEDULE

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.FileAwareEnv()
if env.bool("DJANGO_READ_ENV_FILE", default=True) and (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("SECRET_KEY")
# Fernet key (urlsafe base64, 32 bytes) that encrypts MOSIP secrets and private keys at rest.
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY")
# Previous keys, still accepted for reading while values are re-encrypted.
FIELD_ENCRYPTION_OLD_KEYS = env.list("FIELD_ENCRYPTION_OLD_KEYS", default=[])
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "apps.core",
    "apps.accounts",
    "apps.audit",
    "apps.mosip",
    "apps.registrations",
    "apps.certificates",
    "apps.onboarding",
    "apps.onboarding_wizard",
    "apps.dashboards",
    "apps.websub",
    # Not apps.mosip_sandbox: it runs as its own process under its own settings
    # (apps/mosip_sandbox/django_settings.py), as MOSIP is another system.
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: the language cookie, else the browser's
    # Accept-Language; then a signed-in user's own choice wins (docs/languages.md).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "crvs_portal.urls"
WSGI_APPLICATION = "crvs_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "apps.accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one SQLite file in the embedded run: WAL lets them
    # read while one writes, and the timeout waits out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (docs/security/sign-in.md): failures are counted per (username,
# client address) and per client address, each with its own limit; a pair past half its
# limit waits a doubling delay before each further try.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=900)
LOGIN_SLOWDOWN_SECONDS = env.int("LOGIN_SLOWDOWN_SECONDS", default=2)
# How many reverse proxies sit in front of the portal, each appending to
# X-Forwarded-For; 0 reads the client address from REMOTE_ADDR and ignores the header.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en"
# The languages the portal's own words are shipped in (locale/), independent of the
# languages names are entered in (MOSIP's, apps/registrations/config.py). Adding one:
# README, "Languages".
LANGUAGES = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"
# Largest image (in pixels) an upload may decode to (docs/security/uploads.md).
UPLOADS_IMAGE_MAX_PIXELS = env.int("UPLOADS_IMAGE_MAX_PIXELS", default=40_000_000)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

_EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND}}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env("EMAIL_HOST", default="localhost"),
        "port": env.int("EMAIL_PORT", default=25),
        "username": env("EMAIL_HOST_USER", default=""),
        "password": env("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=False),
        "timeout": 10,
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="registry@localhost")

# Content Security Policy: nothing but our own origin; htmx needs no inline script.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# One switch for a deployment behind HTTPS.
SECURE_DEPLOYMENT = env.bool("SECURE_DEPLOYMENT", default=False)
if SECURE_DEPLOYMENT:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Health probes come from the load balancer over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Celery: the worker and beat read these through the CELERY_ namespace.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded run's broker: message files in a folder, no server needed.
    _broker_dir = Path(
        env("CELERY_BROKER_DIR", default=str(BASE_DIR / "var" / "broker"))
    )
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    # Kombu's filesystem transport, with messages that appear in the queue whole.
    CELERY_BROKER_TRANSPORT = "crvs_portal.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Its exchange table is runtime state: kept with the messages, not in the
        # working directory (kombu's default, ./control).
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # How long the worker sleeps when it finds the queue folder empty; a worker
        # taking one message per process at a time runs at most `concurrency`
        # tasks per interval.
        "polling_interval": env.float("CELERY_BROKER_POLLING_INTERVAL", default=1.0),
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery closes the worker's database connections around every task unless told to
# reuse them: a new PostgreSQL backend per task. The worker keeps them (up to
# DATABASE_CONN_MAX_AGE) and checks them around each task (crvs_portal/celery.py);
# Celery's own close then comes only every thousand tasks.
CELERY_DB_REUSE_MAX = 1000
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=60)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=90)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "record-heartbeat": {
        "task": "apps.core.tasks.record_heartbeat",
        "schedule": 60.0,
    },
}
from apps.registrations.beat import REGISTRATIONS_BEAT_SCHEDULE  # noqa: E402

CELERY_BEAT_SCHEDULE |= REGISTRATIONS_BEAT_SCHEDULE
# Registrations: languages of entry (MOSIP's codes; a blank second one turns it off),
# the oldest age MOSIP tags INFANT (its classifier's default is 0-5 inclusive; CRVS_NEW
# fails any other), the fields mosip-config makes mandatory for CRVS_NEW less what
# MOSIP fills in (docs/mosip/processes-and-schema.md), largest document, page size.
REGISTRATIONS_PRIMARY_LANGUAGE = env("REGISTRATIONS_PRIMARY_LANGUAGE", default="eng")
REGISTRATIONS_SECONDARY_LANGUAGE = env(
    "REGISTRATIONS_SECONDARY_LANGUAGE", default="ara"
)
REGISTRATIONS_INFANT_MAX_AGE_YEARS = env.int(
    "REGISTRATIONS_INFANT_MAX_AGE_YEARS", default=5
)
_CRVS_NEW_MANDATORY = (
    "fullName,dateOfBirth,gender,addressLine1,region,province,city,zone"
)
REGISTRATIONS_CRVS_NEW_MANDATORY = env.list(
    "REGISTRATIONS_CRVS_NEW_MANDATORY", default=_CRVS_NEW_MANDATORY.split(",")
)
REGISTRATIONS_DOCUMENT_MAX_BYTES = env.int(
    "REGISTRATIONS_DOCUMENT_MAX_BYTES", default=5 * 1024 * 1024
)
REGISTRATIONS_PAGE_SIZE = env.int("REGISTRATIONS_PAGE_SIZE", default=25)
# What packets are sent as until onboarding records the deployment's own: MOSIP
# processes by event type over the stock ones (apps/onboarding/models.py), e.g.
# MOSIP_PROCESS_BY_EVENT_TYPE=marriage=CRVS_MARRIAGE, and the centre, machine, officer.
MOSIP_PROCESS_BY_EVENT_TYPE = env.dict("MOSIP_PROCESS_BY_EVENT_TYPE", default={})
MOSIP_DEFAULT_CENTRE_ID = env("MOSIP_DEFAULT_CENTRE_ID", default="10001")
MOSIP_DEFAULT_MACHINE_ID = env("MOSIP_DEFAULT_MACHINE_ID", default="10002")
MOSIP_DEFAULT_OFFICER_ID = env("MOSIP_DEFAULT_OFFICER_ID", default="crvs.officer")
# Packet pipeline: retries of transient MOSIP failures (exponential backoff with
# jitter, given up past the horizon), a worker's hold on a row it is sending, and
# how long a packet may stay processing before its status is looked up.
REGISTRATIONS_RETRY_BASE_SECONDS = env.float(
    "REGISTRATIONS_RETRY_BASE_SECONDS", default=30
)
REGISTRATIONS_RETRY_MAX_DELAY_SECONDS = env.float(
    "REGISTRATIONS_RETRY_MAX_DELAY_SECONDS", default=3600
)
REGISTRATIONS_RETRY_HORIZON_SECONDS = env.float(
    "REGISTRATIONS_RETRY_HORIZON_SECONDS", default=3 * 86400
)
REGISTRATIONS_SEND_LEASE_SECONDS = env.float(
    "REGISTRATIONS_SEND_LEASE_SECONDS", default=120
)
REGISTRATIONS_RECONCILE_AFTER_SECONDS = env.float(
    "REGISTRATIONS_RECONCILE_AFTER_SECONDS", default=1800
)
# Outbox rows one send run claims and sends, one after the other; how long a run
# keeps starting sends (with one send's longest wait on MOSIP, inside the time limits);
# how often at most each process wakes a run after submissions (docs/pipeline.md);
# and packets looked up per status search (MOSIP serves at most 100).
REGISTRATIONS_SEND_BATCH_SIZE = env.int("REGISTRATIONS_SEND_BATCH_SIZE", default=20)
REGISTRATIONS_SEND_RUN_SECONDS = env.float("REGISTRATIONS_SEND_RUN_SECONDS", default=20)
REGISTRATIONS_SEND_WAKE_SECONDS = env.float(
    "REGISTRATIONS_SEND_WAKE_SECONDS", default=0.25
)
REGISTRATIONS_RECONCILE_BATCH_SIZE = min(
    100, env.int("REGISTRATIONS_RECONCILE_BATCH_SIZE", default=100)
)
REGISTRATIONS_NOTIFY_BY_EMAIL = env.bool("REGISTRATIONS_NOTIFY_BY_EMAIL", default=False)

# Minutes an event may wait per pipeline state before the dashboards call it stuck;
# any of them may be given, e.g.
# DASHBOARDS_STUCK_AFTER_MINUTES=submitted=60,packet_created=60,processing=1440
# (django-environ's typed dicts split on ";", so the values are converted here.)
DASHBOARDS_STUCK_AFTER_MINUTES = {
    "submitted": 60,
    "packet_created": 60,
    "processing": 24 * 60,
} | {
    state: int(minutes)
    for state, minutes in env.dict("DASHBOARDS_STUCK_AFTER_MINUTES", default={}).items()
}
# How often an open dashboard refreshes, the days shown before a supervisor picks a
# range (ending today), and rows per page of its lists.
DASHBOARDS_REFRESH_SECONDS = env.int("DASHBOARDS_REFRESH_SECONDS", default=60)
DASHBOARDS_DEFAULT_DAYS = env.int("DASHBOARDS_DEFAULT_DAYS", default=30)
DASHBOARDS_PAGE_SIZE = env.int("DASHBOARDS_PAGE_SIZE", default=50)
# e-Signet, MOSIP's OpenID Connect provider, with which registrars verify informants
# (docs/identity-verification.md): its address, e.g. https://esignet.example.org,
# the default of the onboarding wizard's e-Signet step (the embedded run sets the
# sandbox's). Empty: no default; the step asks for it.
ESIGNET_URL = env("ESIGNET_URL", default="")
# WebSub (docs/websub.md): this portal's public base URL as MOSIP's hub reaches it
# (callbacks), e.g. https://crvs.example.org.
WEBSUB_CALLBACK_BASE_URL = env("WEBSUB_CALLBACK_BASE_URL", default="")
# Keep-alive: each subscription is requested again this often (MOSIP's hub halts a
# subscriber after one failed delivery, silently), or after trouble this soon; one
# pending this long is in trouble.
WEBSUB_RESUBSCRIBE_SECONDS = env.int("WEBSUB_RESUBSCRIBE_SECONDS", default=6 * 3600)
WEBSUB_TROUBLE_RETRY_SECONDS = env.int("WEBSUB_TROUBLE_RETRY_SECONDS", default=60)
WEBSUB_PENDING_TIMEOUT_SECONDS = env.int("WEBSUB_PENDING_TIMEOUT_SECONDS", default=120)
# How long the previous secret stays valid once the hub has verified the new one.
WEBSUB_ROTATION_GRACE_SECONDS = env.int("WEBSUB_ROTATION_GRACE_SECONDS", default=3600)
# Hub lease asked for (MOSIP never expires leases; its default is 864000).
WEBSUB_LEASE_SECONDS = env.int("WEBSUB_LEASE_SECONDS", default=864000)
# Largest delivery body kept (MOSIP's own events are a few kilobytes); beyond the
# drain limit the receiver stops reading and answers 413.
WEBSUB_MAX_BODY_BYTES = env.int("WEBSUB_MAX_BODY_BYTES", default=1024 * 1024)
WEBSUB_DRAIN_LIMIT_BYTES = env.int("WEBSUB_DRAIN_LIMIT_BYTES", default=32 * 1024 * 1024)
# Quarantine: deliveries that may be genuine are held, never dropped for room (past
# the limit new ones get 503); of junk only the newest few per reason are kept, all
# counted; POSTs to unknown callbacks per client address and minute (beyond: 429).
WEBSUB_QUARANTINE_HELD_LIMIT = env.int("WEBSUB_QUARANTINE_HELD_LIMIT", default=1000)
WEBSUB_QUARANTINE_SAMPLE = env.int("WEBSUB_QUARANTINE_SAMPLE", default=20)
WEBSUB_UNKNOWN_CALLBACK_PER_MINUTE = env.int(
    "WEBSUB_UNKNOWN_CALLBACK_PER_MINUTE", default=30
)
# Inbox processing: attempts before an event is marked failed, and batch size.
WEBSUB_MAX_ATTEMPTS = env.int("WEBSUB_MAX_ATTEMPTS", default=8)
WEBSUB_SWEEP_BATCH = env.int("WEBSUB_SWEEP_BATCH", default=200)
# How long the receiver trusts its copy of a subscription's secrets.
WEBSUB_SECRET_CACHE_SECONDS = env.float("WEBSUB_SECRET_CACHE_SECONDS", default=5.0)
CELERY_BEAT_SCHEDULE.update(WEBSUB_BEAT_SCHEDULE)
# Seconds between runs of beat entries, by name, instead of their schedule, e.g.
# CELERY_BEAT_INTERVALS=websub-keep-alive=10,registrations-reconcile-processing=60
_beat_intervals = {
    name: float(seconds)
    for name, seconds in env.dict("CELERY_BEAT_INTERVALS", default={}).items()
}
if set(_beat_intervals) - set(CELERY_BEAT_SCHEDULE):
    raise ImproperlyConfigured(
        "CELERY_BEAT_INTERVALS names no beat entry: "
        + ", ".join(sorted(set(_beat_intervals) - set(CELERY_BEAT_SCHEDULE)))
    )
for _name, _interval in _beat_intervals.items():
    CELERY_BEAT_SCHEDULE[_name] = {**CELERY_BEAT_SCHEDULE[_name], "schedule": _interval}

# Certificates: `iss` of every signed QR (the portal's public address) and its lifetime.
CERTIFICATES_ISSUER = env("CERTIFICATES_ISSUER", default="https://localhost/")
CERTIFICATES_QR_VALIDITY_DAYS = env.int("CERTIFICATES_QR_VALIDITY_DAYS", default=3650)
# Claim 169 key 23, an ISO 3166 alpha-3 code; blank leaves it out.
CERTIFICATES_COUNTRY = env("CERTIFICATES_COUNTRY", default="")
# The public verify page: largest upload, checks per client address and minute.
CERTIFICATES_VERIFY_UPLOAD_MAX_BYTES = env.int(
    "CERTIFICATES_VERIFY_UPLOAD_MAX_BYTES", default=8 * 1024 * 1024
)
CERTIFICATES_VERIFY_CHECKS_PER_MINUTE = env.int(
    "CERTIFICATES_VERIFY_CHECKS_PER_MINUTE", default=30
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request bodies never reach the logs: they may hold personal data.
        "django.request": {"level": "WARNING"},
        # Both log every font subset and layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
