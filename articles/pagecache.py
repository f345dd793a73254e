"""The page cache, and the HTTP caching headers of public pages.

``PageCacheMiddleware`` serves anonymous GET and HEAD requests for the views in
``PUBLIC_VIEWS`` from Django's cache (local memory, or Redis with REDIS_URL).
A stored page keeps the generation it was rendered at and the keys it loaded
(articles/caching.py); a hit costs at most one query, which checks that none
of those keys changed since, and none while the change token that every
change replaces (articles/change_token.py) is the one read before that check
last passed. Pages are never kept past the next scheduled publication time
they saw, so a scheduled interview appears at its time with no job to run.

Never cached: requests carrying a session or messages cookie (a signed-in
editor, whose pages the cache neither serves nor fills), responses that set a
cookie or say ``private``/``no-store`` (previews, the admin), anything but a
200, and every view not listed below (search, health checks, the admin).

Every public response also gets, with the cache on or off (``CACHE_PAGES=0``):
an ETag (a hash of the body), Last-Modified (when what it shows last changed),
Cache-Control for browsers and shared caches, and the ``Surrogate-Key`` and
``Cache-Tag`` (with the Cloudflare purger) headers naming what it shows, which the purgers use.
"""

import functools
import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.http.response import ResponseHeaders
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, get_max_age
from django.utils.http import http_date, parse_http_date_safe, quote_etag

from . import caching, change_token, compression, purgers

logger = logging.getLogger(__name__)

PUBLIC_VIEWS = {
    "articles:home",
    "articles:detail",
    "articles:question",
    "articles:person",
    "articles:tag",
    *(
        f"articles:{feed}_{fmt}"
        for feed in ("feed", "tag_feed", "person_feed")
        for fmt in ("rss", "atom", "json")
    ),
    "articles:sitemap",
    "articles:sitemap_news",
    "articles:sitemap_section",
    "articles:robots",
}
# Public, but different for every query: no cache may keep them without asking.
UNSTORED_VIEWS = {"articles:search"}
# Pages listing interviews site-wide: they change whenever any interview is published or unpublished.
SITE_LISTINGS = {
    "articles:home",
    "articles:feed_rss",
    "articles:feed_atom",
    "articles:feed_json",
    "articles:sitemap",
    "articles:sitemap_news",
    "articles:sitemap_section",
}
# The query parameters public views read; others (utm_source, fbclid...) do not change the page.
PAGE_PARAMETERS = ("page", "given", "written", "p")
# Who may be signed in, or have a message waiting: their pages are their own.
PERSONAL_COOKIES = ("messages",)
STALE_IF_ERROR = 86400
STALE_WHILE_REVALIDATE = 60
# As Django's GZipMiddleware decides.
GZIP = re.compile(r"\bgzip\b")
# After the cache fails, try it again after this many seconds (and log again).
RETRY_AFTER_FAILURE = 30
# A page found fresh is trusted at an unchanged token for at most this long: should a change ever fail to
# replace the token (Redis unreachable from one machine for a moment), no page outlives it by more.
TRUST_SECONDS = 60
# Pages remembered as fresh per process; beyond this, forgotten all at once (then asked about again).
MAX_TRUSTED = 10_000


class Entry:
    """A stored page. Plain attributes pickle small and fast."""

    __slots__ = ("content", "headers", "keys", "generation", "expires", "browser_max_age", "last_modified")

    def __init__(self, content, headers, keys, generation, expires, browser_max_age, last_modified):
        self.content = content
        self.headers = headers
        self.keys = keys
        self.generation = generation
        self.expires = expires
        self.browser_max_age = browser_max_age
        # As a timestamp, so that a hit answers If-Modified-Since without parsing the header.
        self.last_modified = last_modified

    def __getstate__(self):
        return tuple(getattr(self, name) for name in self.__slots__)

    def __setstate__(self, state):
        for name, value in zip(self.__slots__, state, strict=True):
            setattr(self, name, value)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.failed_at = None
        # cache key -> (generation, change token, when) of the last time the page was found fresh.
        self.trusted = {}

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        personal = _personal(request)
        cache_key = None
        if settings.CACHE_PAGES and not personal:
            # As CommonMiddleware would, before a stored page can answer: a host the site does not serve gets a 400.
            request.get_host()
            cache_key = _cache_key(request)
            # Only public views' pages are ever stored, so a hit needs no URL resolving.
            entry = self._get(cache_key)
            if entry is not None and self._fresh(cache_key, entry):
                return _serve(request, entry)
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            return self.get_response(request)
        if view_name not in PUBLIC_VIEWS:
            response = self.get_response(request)
            if view_name in UNSTORED_VIEWS and not response.has_header("Cache-Control"):
                response.headers["Cache-Control"] = "no-cache"
            return response
        if personal:
            response = self.get_response(request)
            response.headers["Cache-Control"] = "private, no-cache"
            return response

        generation, next_publication = snapshot = caching.snapshot()
        with caching.recording(snapshot) as dependencies:
            if view_name in SITE_LISTINGS:
                caching.depend_on(caching.LISTINGS)
            response = self.get_response(request)
        if not _storable(response):
            if not response.has_header("Cache-Control"):
                response.headers["Cache-Control"] = "no-cache"
            return response

        until = [t for t in (next_publication, dependencies.valid_until) if t is not None]
        expires = min(until).timestamp() if until else None
        browser_max_age = get_max_age(response)
        _describe(response, dependencies)
        _set_cache_control(response, expires, browser_max_age)
        if cache_key:
            entry = Entry(
                response.content,
                ResponseHeaders({name: value for name, value in response.items() if name != "Cache-Control"}),
                dependencies.checked_keys(),
                generation,
                expires,
                browser_max_age,
                _last_modified(response),
            )
            self._set(cache_key, entry, expires)
        response.headers["X-Page-Cache"] = "miss" if cache_key else "off"
        return _conditional(request, response)

    def _fresh(self, cache_key, entry):
        if entry.expires is not None and time.time() >= entry.expires:
            return False
        # Read before the query: a change committed after this read replaces the token again.
        token = change_token.read()
        now = time.monotonic()
        trusted = self.trusted.get(cache_key)
        if (
            token is not None
            and trusted is not None
            and trusted[:2] == (entry.generation, token)
            and now - trusted[2] < TRUST_SECONDS
        ):
            return True
        if not caching.is_fresh(entry.keys, entry.generation):
            return False
        if token is not None:
            if len(self.trusted) >= MAX_TRUSTED:
                self.trusted.clear()
            self.trusted[cache_key] = (entry.generation, token, now)
        return True

    # The cache may be down (Redis restarting): pages are then served uncached.

    def _get(self, cache_key):
        if self._resting():
            return None
        try:
            return caches[settings.PAGE_CACHE_ALIAS].get(cache_key)
        except Exception as error:  # Any backend's connection error.
            self._failed(error)
            return None

    def _set(self, cache_key, entry, expires):
        timeout = settings.CACHE_PAGE_SECONDS
        if expires is not None:
            timeout = min(timeout, int(expires - time.time()))
        if timeout <= 0 or self._resting():
            return
        try:
            caches[settings.PAGE_CACHE_ALIAS].set(cache_key, entry, timeout)
        except Exception as error:
            self._failed(error)

    def _failed(self, error):
        self.failed_at = time.monotonic()
        logger.warning(
            "Page cache unavailable, serving pages uncached for %ss: %s", RETRY_AFTER_FAILURE, error
        )

    def _resting(self):
        if self.failed_at is None:
            return False
        if time.monotonic() - self.failed_at > RETRY_AFTER_FAILURE:
            self.failed_at = None
            return False
        return True


def _personal(request):
    cookies = request.COOKIES
    return (
        settings.SESSION_COOKIE_NAME in cookies
        or any(name in cookies for name in PERSONAL_COOKIES)
        or "HTTP_AUTHORIZATION" in request.META
    )


@functools.cache
def _code_version():
    """Changes with the code and templates, so a deployment never serves pages the old code rendered from Redis."""
    digest = hashlib.md5(usedforsecurity=False)
    for folder, pattern in ((settings.BASE_DIR / "articles", "*.py"), (settings.BASE_DIR / "templates", "*")):
        for path in sorted(folder.rglob(pattern)):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def _cache_key(request):
    parameters = []
    if request.META.get("QUERY_STRING"):
        parameters = sorted((name, request.GET.get(name)) for name in PAGE_PARAMETERS if name in request.GET)
    # Each encoding the compression middleware would choose gets its own copy.
    if compression.accepts(request, "br"):
        coding = "br"
    else:
        coding = "gzip" if GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else ""
    name = f"{_code_version()}|{request.path_info}?{parameters}|{coding}"
    return "page:" + hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()


def _serve(request, entry):
    response = HttpResponse(entry.content)
    # Checked when the page was stored; unpickled, they need no checking again.
    response.headers = entry.headers
    _set_cache_control(response, entry.expires, entry.browser_max_age)
    response.headers["X-Page-Cache"] = "hit"
    return get_conditional_response(
        request, etag=response.get("ETag"), last_modified=entry.last_modified, response=response
    )


def _storable(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def _describe(response, dependencies):
    if not response.has_header("ETag"):
        response.headers["ETag"] = quote_etag(
            hashlib.md5(response.content, usedforsecurity=False).hexdigest()
        )
    modified = caching.last_modified(dependencies)
    if modified is not None:
        response.headers["Last-Modified"] = http_date(modified.timestamp())
    keys = dependencies.surrogate_keys()
    response.headers["Surrogate-Key"] = " ".join(keys)
    # Cloudflare's name for the same list; nobody else reads it, and every response would carry it.
    if settings.PURGE_BACKEND == "cloudflare":
        response.headers["Cache-Tag"] = ",".join(keys)


def _set_cache_control(response, expires, browser_max_age, now=None):
    """Browsers revalidate (cheap: a 304 from the page cache); shared caches keep pages until purged.

    Neither keeps a page past the next scheduled publication time.
    """
    browser = settings.CACHE_BROWSER_MAX_AGE if browser_max_age is None else browser_max_age
    shared = settings.CACHE_SHARED_MAX_AGE
    if shared is None:
        # Without a purger, a shared cache cannot be told of changes: keep pages briefly.
        shared = 86400 if purgers.configured() else 60
    # Serving a stale copy while refetching is fine, except past a publication time.
    revalidate = f"stale-while-revalidate={STALE_WHILE_REVALIDATE}, "
    if expires is not None:
        left = max(0, int(expires - (now or time.time())))
        if left < shared + STALE_WHILE_REVALIDATE:
            shared, browser, revalidate = min(shared, left), min(browser, left), ""
    response.headers["Cache-Control"] = (
        f"public, max-age={browser}, s-maxage={shared}, {revalidate}stale-if-error={STALE_IF_ERROR}"
    )


def _last_modified(response):
    modified = response.get("Last-Modified")
    return parse_http_date_safe(modified) if modified else None


def _conditional(request, response):
    return get_conditional_response(
        request, etag=response.get("ETag"), last_modified=_last_modified(response), response=response
    )
