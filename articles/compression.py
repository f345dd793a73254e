"""Compressed responses: brotli where the client accepts it, else gzip.

Compression attacks (BREACH) read a secret out of the size of responses that
also reflect what the attacker sends. Public pages carry no secret, so only
they are compressed: nothing for a request with a session cookie (a signed-in
editor), nothing whose page used the CSRF token (every form that posts),
nothing that sets a cookie or is marked private (previews, the admin).
Static files never get here: whitenoise serves them, compressed ahead of time.
"""

import brotli
from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

# Quality 5 compresses a page about as well as gzip -9, in a few milliseconds.
BROTLI_QUALITY = 5
MIN_LENGTH = 200


def accepts(request, coding):
    """Whether the request's Accept-Encoding allows ``coding`` (a q of 0 refuses it)."""
    # META, not request.headers, which copies every header of the request first.
    for part in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() == coding:
            quality = params.strip().removeprefix("q=").strip()
            return quality in ("", "1") or quality.replace(".", "", 1).isdigit() and float(quality) > 0
    return False


def holds_no_secret(request, response):
    cache_control = response.get("Cache-Control", "")
    return not (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or response.cookies
        or "private" in cache_control
        or "no-store" in cache_control
    )


class CompressionMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not holds_no_secret(request, response) or response.has_header("Content-Encoding"):
            return response
        if response.streaming or len(response.content) < MIN_LENGTH or not accepts(request, "br"):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        compressed = brotli.compress(response.content, quality=BROTLI_QUALITY)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        # The bytes differ from the uncompressed ones: a strong validator would lie.
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "br"
        return response
