"""gunicorn configuration for Newsroom: `gunicorn -c deploy/gunicorn.conf.py newsroom.wsgi`.

Threaded workers (gthread) rather than gunicorn's default sync workers: a sync
worker belongs to one connection until it closes, so a few idle or slow
clients hold every worker and the site stops answering. A gthread worker keeps
idle and kept-alive connections in its event loop and hands a connection to a
thread only once a request has arrived, and gives up on a client that opens a
connection and sends nothing within a few seconds.

A client that sends its request very slowly still holds a thread while it
does, so production puts Varnish, nginx or a CDN in front: they read the
whole request before passing it on and buffer the response for slow readers
(README, "Running in production"). `bench/slow_clients.py` measures both.

Every value can be overridden on the command line or in GUNICORN_CMD_ARGS.
"""

import os
import sys

# gunicorn's access log has a line per request, so the site's own request log
# (newsroom.requests), which says less, is silenced unless REQUEST_LOG_LEVEL
# asks for it: every request is logged once, not twice. Before the settings
# are read below, which configure logging.
os.environ.setdefault("REQUEST_LOG_LEVEL", "WARNING")

# Check the configuration once, in the master, before any worker starts: a
# missing SECRET_KEY or SITE_URL is one readable line, not a traceback per worker.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from django.conf import settings  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

try:
    settings.SECRET_KEY  # noqa: B018 (reading a setting imports the settings module)
except ImproperlyConfigured as error:
    sys.exit(f"Configuration error: {error}")

worker_class = "gthread"
# One process per core and a few threads each: the work is mostly waiting on
# PostgreSQL and Redis, and each thread holds one database connection.
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A request still running after this many seconds has its worker restarted.
timeout = 30
graceful_timeout = 30
# Seconds an idle kept-alive connection stays open. Behind a proxy, keep this
# above the proxy's own idle timeout towards the backend.
keepalive = 5
# Restart a worker now and then, so slow memory growth never builds up.
max_requests = 2000
max_requests_jitter = 200
# One line per request, from gunicorn (see REQUEST_LOG_LEVEL above): the
# client, the request, status, bytes, duration and browser.
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
