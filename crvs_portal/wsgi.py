import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crvs_portal.settings")

application = get_wsgi_application()

# WebSub deliveries skip Django's request cycle (see apps/websub/wsgi.py).
from apps.websub.wsgi import websub_fast_path  # noqa: E402

application = websub_fast_path(application)
