"""gunicorn settings, read from the working directory by `gunicorn crvs_portal.wsgi`.

Threads (gthread) keep connections alive and overlap the database round trips of
the WebSub receiver; one worker process per core does the Python work. Every value
can be overridden with GUNICORN_* environment variables.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# MOSIP's hub waits up to 60 s for a delivery; answer well before that.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
