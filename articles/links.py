"""Personal links for people without an account: a signed key that expires and can be revoked.

Preview links (previews.py) and authorization links (authorization.py) share
this. An address carries only a random key, signed so that a guessed or
altered address is refused before the database is asked. Whatever is reached
through such a link is private: never indexed and never kept by a cache, so
one person's page is never served to another.
"""

import uuid

from django.conf import settings
from django.core import signing
from django.db import models
from django.shortcuts import render
from django.utils import timezone


class ExpiringLink(models.Model):
    """The fields and rule every personal link has; each kind adds what it points at."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_valid(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


class LinkSigner:
    """Turns a link into the token in its address, and a token back into the link."""

    def __init__(self, salt):
        self._signer = signing.Signer(salt=salt)

    def token(self, link):
        return self._signer.sign(str(link.key))

    def find(self, queryset, token):
        """The link in ``queryset`` that ``token`` names, or ``None`` if it is altered or unknown."""
        try:
            key = uuid.UUID(self._signer.unsign(token))
        except (signing.BadSignature, ValueError):
            return None
        return queryset.filter(key=key).first()


def make_private(response):
    """Never indexed, never stored by a browser, proxy or the site's own page cache."""
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


def unavailable(request, link, *, noun, link_name, reason=None):
    """The 410 page for a link that no longer works; it names nothing the link pointed at.

    ``noun`` completes "This … is no longer available", ``link_name`` "The editors withdrew this …".
    """
    if reason is None:
        reason = "revoked" if link.revoked_at else "expired"
    context = {"link": link, "noun": noun, "link_name": link_name, "reason": reason}
    return make_private(render(request, "articles/link_unavailable.html", context, status=410))
