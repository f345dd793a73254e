"""The site's URLs plus uploaded media, which in production the web server or object storage serves."""

from django.conf import settings
from django.urls import path
from django.views.static import serve

from newsroom.urls import urlpatterns as site_urlpatterns


def media(request, path):
    # MEDIA_ROOT changes per test, so it is read at request time.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    path(settings.MEDIA_URL.lstrip("/") + "<path:path>", media),
    *site_urlpatterns,
]
