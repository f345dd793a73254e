from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from articles import two_factor

admin.site.site_header = f"{settings.SITE_NAME} desk"
admin.site.site_title = f"{settings.SITE_NAME} desk"
admin.site.index_title = "Interviews, people and photos"

urlpatterns = [
    path("admin/two-factor/", include(two_factor.urls)),
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
