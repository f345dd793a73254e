from django.urls import include, path
from interviews.feeds import LatestInterviewsFeed
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # The same address as Newsroom's feed, so the benchmark asks both sites for the same path.
    path("feeds/rss/", LatestInterviewsFeed(), name="feed"),
    # Everything else is a page of Wagtail's tree; this must come last.
    path("", include(wagtail_urls)),
]
