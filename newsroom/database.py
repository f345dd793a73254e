"""Upkeep of an SQLite database: statistics for its query planner.

Without statistics, SQLite answers "the latest interviews of this person or
tag" by walking every published interview and checking each one, so those
pages slow down as the archive grows. ``PRAGMA optimize`` gathers the
statistics of the tables this connection has used when they are missing or
out of date (a few milliseconds, bounded by ``analysis_limit``) and does
nothing otherwise; SQLite's documentation asks long-lived connections to run
it now and then. PostgreSQL keeps its own statistics (autovacuum).
"""

import time

from django.db import connections

EVERY_SECONDS = 600
# Rows SQLite samples per index: enough to tell a selective index from another.
ANALYSIS_LIMIT = 1000

_last_run = None


def keep_statistics(**kwargs):
    """At the end of a request, at most once every ``EVERY_SECONDS`` per process."""
    global _last_run
    now = time.monotonic()
    if _last_run is not None and now - _last_run < EVERY_SECONDS:
        return
    _last_run = now
    for connection in connections.all(initialized_only=True):
        if connection.vendor == "sqlite" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
                cursor.execute("PRAGMA optimize")
