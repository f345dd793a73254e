"""What operators rely on: the health check, one log line per request, and media served by the site itself."""

import logging
import mimetypes
import posixpath
import time

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.utils._os import safe_join
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)
request_logger = logging.getLogger("newsroom.requests")

HEALTH_CACHE_KEY = "healthz"


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache():
    cache.set(HEALTH_CACHE_KEY, "ok", 10)
    if cache.get(HEALTH_CACHE_KEY) != "ok":
        raise RuntimeError("the cache did not keep a value")


def _storage():
    # One cheap round trip; whether the probe name exists does not matter.
    default_storage.exists("healthz")


CHECKS = {"database": _database, "cache": _cache, "storage": _storage}


@never_cache
def healthz(request):
    """200 when the database, the cache and the media storage answer, 503 otherwise.

    The body names each check and says "ok" or "error", nothing more: the
    reason goes to the log, not to whoever asks.
    """
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception:
            logger.exception("Health check failed: %s", name)
            results[name] = "error"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results}, status=200 if healthy else 503
    )


class RequestLogMiddleware:
    """One INFO line per request: method, path, status and duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        request_logger.info(
            "%s %s %s %.1fms",
            request.method,
            request.path,
            response.status_code,
            (time.perf_counter() - started) * 1000,
        )
        return response


# Media on one machine ---------------------------------------------------------------

IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"}
# Renditions and cards are named from their content and originals have unique names: a new file, a new name.
IMMUTABLE_PREFIXES = ("renditions/", "cards/", "photos/")


def media(request, path):
    """A file from MEDIA_ROOT, for a site run without a web server in front of it.

    Never lists a folder, never leaves MEDIA_ROOT; sends the real type with
    nosniff; anything that is not an image is a download, never a page.
    """
    path = posixpath.normpath(path).lstrip("/")
    if path.startswith("..") or "\\" in path or "\x00" in path:
        raise Http404
    try:
        full_path = safe_join(settings.MEDIA_ROOT, path)
        file = open(full_path, "rb")  # noqa: SIM115 (FileResponse closes it)
    except (ValueError, OSError) as error:
        # safe_join refuses a path outside MEDIA_ROOT; a folder or a missing file cannot be opened.
        raise Http404 from error
    content_type, _ = mimetypes.guess_type(path)
    is_image = content_type in IMAGE_TYPES
    response = FileResponse(
        file,
        content_type=content_type if is_image else "application/octet-stream",
        as_attachment=not is_image,
        filename=posixpath.basename(path),
    )
    response["X-Content-Type-Options"] = "nosniff"
    if path.startswith(IMMUTABLE_PREFIXES):
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "public, max-age=3600"
    return response
