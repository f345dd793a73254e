"""Tell the HTTP cache in front of the site (Varnish or a CDN) what changed.

``PURGE_BACKEND`` chooses one: ``varnish`` (a BAN on the Surrogate-Key header,
sent to every address in ``VARNISH_URLS``; see deploy/varnish/newsroom.vcl),
``fastly`` (the batch surrogate-key purge API) or ``cloudflare`` (purge by
Cache-Tag). None by default. caching.changed() calls ``purge()`` after commit
with the keys that changed; a purge that fails is logged, never raised: the
edit is saved, and the shared cache's own lifetime (s-maxage) bounds the damage.
"""

import json
import logging
import re
import urllib.error
import urllib.request

from django.conf import settings

logger = logging.getLogger(__name__)

KEY = re.compile(r"^[a-z0-9-]+$")
# Per request: Varnish ban expressions stay short; Fastly takes 256 keys, Cloudflare 100 tags.
VARNISH_BATCH = 50
FASTLY_BATCH = 256
CLOUDFLARE_BATCH = 100


def configured():
    return bool(settings.PURGE_BACKEND)


def purge(keys):
    backend = BACKENDS.get(settings.PURGE_BACKEND)
    if backend is None:
        return
    keys = sorted(k for k in keys if KEY.match(k))
    for start in range(0, len(keys), backend.batch):
        batch = keys[start : start + backend.batch]
        for request in backend.requests(batch):
            _send(request, batch)


def _send(request, keys):
    try:
        with urllib.request.urlopen(request, timeout=settings.PURGE_TIMEOUT) as response:
            response.read()
    except (urllib.error.URLError, OSError, ValueError) as error:
        logger.warning("Purging %s at %s failed: %s", " ".join(keys), request.full_url, error)
    else:
        logger.info("Purged %s at %s", " ".join(keys), request.full_url)


class Varnish:
    batch = VARNISH_BATCH

    @staticmethod
    def requests(keys):
        # One regular expression without spaces, so the VCL can paste it into a ban expression.
        pattern = r"(^|\s)(" + "|".join(keys) + r")(\s|$)"
        for base in settings.VARNISH_URLS:
            yield urllib.request.Request(
                base.rstrip("/") + "/", method="BAN", headers={"X-Ban-Surrogate-Key": pattern}
            )


class Fastly:
    batch = FASTLY_BATCH

    @staticmethod
    def requests(keys):
        url = f"{settings.FASTLY_API_URL.rstrip('/')}/service/{settings.FASTLY_SERVICE_ID}/purge"
        body = json.dumps({"surrogate_keys": keys}).encode()
        headers = {
            "Fastly-Key": settings.FASTLY_API_TOKEN,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        yield urllib.request.Request(url, data=body, method="POST", headers=headers)


class Cloudflare:
    batch = CLOUDFLARE_BATCH

    @staticmethod
    def requests(keys):
        url = f"{settings.CLOUDFLARE_API_URL.rstrip('/')}/zones/{settings.CLOUDFLARE_ZONE_ID}/purge_cache"
        body = json.dumps({"tags": keys}).encode()
        headers = {
            "Authorization": f"Bearer {settings.CLOUDFLARE_API_TOKEN}",
            "Content-Type": "application/json",
        }
        yield urllib.request.Request(url, data=body, method="POST", headers=headers)


BACKENDS = {"varnish": Varnish, "fastly": Fastly, "cloudflare": Cloudflare}
