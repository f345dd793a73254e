"""The site's URLs plus one that fails, for the error-reporting tests."""

from django.urls import path

from newsroom.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("boom from the error-reporting test")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
