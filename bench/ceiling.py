"""A bare Django view returning constant bytes: the most a Django process serves on this machine.

No middleware, no database, no templates. `make bench` serves it with the same
gunicorn settings as the site, and compares the site's cached pages with it.
CEILING_BYTES sets the body's size (the bench uses the interview page's).
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

BODY = b"x" * int(os.environ.get("CEILING_BYTES", "30000"))

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    SECRET_KEY="bench-ceiling-not-a-site",
    MIDDLEWARE=[],
)


def constant(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("", constant)]
application = get_wsgi_application()
