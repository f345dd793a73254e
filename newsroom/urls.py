from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from articles import two_factor
from articles.admin import site as desk_site
from newsroom import operations

admin.site.site_header = f"{settings.SITE_NAME} desk"
admin.site.site_title = f"{settings.SITE_NAME} desk"
admin.site.index_title = "Interviews, people and photos"

urlpatterns = [
    path("admin/two-factor/", include(two_factor.urls)),
    path("healthz", operations.healthz, name="healthz"),
    # Before the admin's own, which checks no rights on the object (articles/admin/site.py).
    path(
        "admin/r/<path:content_type_id>/<path:object_id>/",
        admin.site.admin_view(desk_site.view_on_site),
        name="desk_view_on_site",
    ),
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

if settings.SERVE_MEDIA:
    # Files on this machine's disk with no web server in front (README, "Running in production").
    prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.insert(0, re_path(rf"^{prefix}(?P<path>.+)$", operations.media, name="media"))
