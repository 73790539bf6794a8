"""gunicorn settings, read from the working directory by `gunicorn crvs_portal.wsgi`.

One worker process per core does the Python work; threads (gthread) keep
connections alive and keep many requests waiting on the database at once. A WebSub
delivery is bound by its commit (a WAL flush): with many in flight, PostgreSQL
flushes them together, which is what lets two cores take over 1,000 a second
(bench/websub). Every value
can be overridden with GUNICORN_* environment variables.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 16))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# MOSIP's hub waits up to 60 s for a delivery; answer well before that.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
# gunicorn's runtime control socket is not used by anything here, and every server on
# a machine would share its default path (~/.gunicorn/gunicorn.ctl).
control_socket_disable = True
