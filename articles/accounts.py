"""Desk accounts: django-axes' throttling of sign-ins, where they come from, and its lockout page.

Failed sign-ins are counted per account and per address (settings, "Desk
accounts"); the lockout page is ``templates/admin/locked_out.html``, and
editors unlock accounts from the admin ("Access attempts"), operators with
``manage.py axes_reset_username``.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil


def client_address(request):
    """The address a sign-in came from.

    Behind ``TRUSTED_PROXIES`` proxies that each append the address they
    received from to X-Forwarded-For, the client is that many entries from the
    right; whatever is further left, the client wrote itself.
    """
    count = settings.TRUSTED_PROXIES
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets (429), in the desk's words."""
    now = timezone.now()
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "wait": timeuntil(now + settings.AXES_COOLOFF_TIME, now),
        "site_title": settings.SITE_NAME,
    }
    return render(request, "admin/locked_out.html", context, status=429)
