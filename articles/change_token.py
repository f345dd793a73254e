"""A token that every change to what public pages show replaces: lets a cache hit skip the freshness query.

Deciding that a stored page is still fresh costs a query (``caching.is_fresh``),
and a cache hit does little else: the query is a third of its time. Changes
are rare next to reads, so each process remembers, per stored page, the token
it read before the query last found the page fresh; while the token is the
same, nothing has changed since, and the page is served without asking
(articles/pagecache.py).

Every ``caching.changed()`` replaces the token twice: at once (so the process
that made a change, a test inside its transaction included, sees it) and
after commit (so no process reads the new token before the change is visible
and then remembers a stale page as fresh).

The token must be seen by every process that can see the database:

- SQLite in a file: a 16-byte file beside the database. Every process using
  that database is on this machine, and reading it is one system call.
- SQLite in memory: the process itself, the only one that sees that database.
- Another database (PostgreSQL, perhaps on several machines) with the page
  cache in Redis: a key in Redis, which every machine shares.
- Another database with the page cache in local memory: no token; every hit
  asks the database.
"""

import functools
import logging
import os
import secrets

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.backends.sqlite3.creation import DatabaseCreation
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

SIZE = 16


class FileToken:
    def __init__(self, path):
        self.path = path
        self.descriptor = None
        self.unusable = False

    def _open(self):
        if self.descriptor is None:
            # For writing too: a process that could not replace the token must not trust it.
            self.descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        return self.descriptor

    def read(self):
        if self.unusable:
            return None
        try:
            token = os.pread(self._open(), SIZE, 0)
            if len(token) < SIZE:
                # A new file: no change has written one yet, so any token is current.
                self.replace()
                token = os.pread(self.descriptor, SIZE, 0)
        except OSError as error:
            self.unusable = True
            logger.warning(
                "No page cache change token at %s, every cache hit asks the database: %s", self.path, error
            )
            return None
        return token

    def replace(self):
        # One write at a fixed offset: a reader sees the old token, the new one,
        # or (torn) neither, and only the old one would let it skip the query.
        os.pwrite(self._open(), secrets.token_bytes(SIZE), 0)


class ProcessToken:
    def __init__(self):
        self.token = secrets.token_bytes(SIZE)

    def read(self):
        return self.token

    def replace(self):
        self.token = secrets.token_bytes(SIZE)


class CacheToken:
    """In Redis, when the page cache is there: shared by every machine, one round trip."""

    KEY = "page-cache-change-token"

    def __init__(self, alias):
        self.alias = alias

    def read(self):
        cache = caches[self.alias]
        try:
            token = cache.get(self.KEY)
            if token is None:
                # Gone (Redis restarted, or evicted it): pages stored under the
                # old one are asked about again, as they would be after a change.
                cache.add(self.KEY, secrets.token_bytes(SIZE), None)
                token = cache.get(self.KEY)
        except Exception:  # Any backend's connection error: the page cache says so and serves uncached.
            return None
        return token

    def replace(self):
        caches[self.alias].set(self.KEY, secrets.token_bytes(SIZE), None)


@functools.cache
def _token_for(engine, name, cache_backend):
    if engine == "django.db.backends.sqlite3":
        return ProcessToken() if DatabaseCreation.is_in_memory_db(name) else FileToken(f"{name}-changes")
    if issubclass(import_string(cache_backend), RedisCache):
        return CacheToken(settings.PAGE_CACHE_ALIAS)
    return None  # Local memory with a database other machines may share: nowhere to put one.


def _token():
    # Looked up each time (in the settings: the connection is a slower lookup): the test runner
    # points the database elsewhere after settings load.
    database = settings.DATABASES[DEFAULT_DB_ALIAS]
    cache = settings.CACHES[settings.PAGE_CACHE_ALIAS]
    return _token_for(database["ENGINE"], str(database["NAME"]), cache["BACKEND"])


def read():
    """The current token, or None where there is none (then every hit asks the database)."""
    token = _token()
    return token.read() if token is not None else None


def replace():
    """Called for every change, inside its transaction: replaces the token now and again after commit."""
    if _token() is None:
        return
    _replace()
    # Once per transaction is enough: the last commit callback runs after every change it holds.
    registered = any(callback is _replace for _, callback, _ in connection.run_on_commit)
    if not registered:
        transaction.on_commit(_replace)


def _replace():
    try:
        _token().replace()
    except Exception as error:  # The file's, or any cache backend's.
        # Other processes would go on trusting pages this change made stale (for
        # at most pagecache.TRUST_SECONDS): say so loudly.
        logger.error("Could not replace the page cache's change token, pages may be stale: %s", error)
