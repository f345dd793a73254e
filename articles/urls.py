from django.urls import path

from . import authorization_views, feeds, previews, sitemaps, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("interviews/<slug:slug>/", views.article_detail, name="detail"),
    # Each question's share address, with its own preview (articles/question_pages.py).
    path("interviews/<slug:slug>/q/<int:number>/", views.question_page, name="question"),
    path("people/<slug:slug>/", views.person_detail, name="person"),
    # Tag slugs keep accents ("économie"), which <slug:> would not match.
    path("tags/<str:slug>/", views.tag_detail, name="tag"),
    path("search/", views.search, name="search"),
    # Feeds: the whole site's, and each tag's and person's, as RSS, Atom and JSON Feed.
    path("feeds/rss/", feeds.InterviewFeed("rss"), name="feed_rss"),
    path("feeds/atom/", feeds.InterviewFeed("atom"), name="feed_atom"),
    path("feeds/json/", feeds.InterviewFeed("json"), name="feed_json"),
    path("tags/<str:slug>/feed/rss/", feeds.TagFeed("rss"), name="tag_feed_rss"),
    path("tags/<str:slug>/feed/atom/", feeds.TagFeed("atom"), name="tag_feed_atom"),
    path("tags/<str:slug>/feed/json/", feeds.TagFeed("json"), name="tag_feed_json"),
    path("people/<slug:slug>/feed/rss/", feeds.PersonFeed("rss"), name="person_feed_rss"),
    path("people/<slug:slug>/feed/atom/", feeds.PersonFeed("atom"), name="person_feed_atom"),
    path("people/<slug:slug>/feed/json/", feeds.PersonFeed("json"), name="person_feed_json"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-news.xml", sitemaps.news, name="sitemap_news"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap_section"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    # Shareable preview links; robots.txt keeps crawlers out of /preview/.
    path("preview/<str:token>/", previews.shared_preview, name="preview"),
    # The interviewee's personal authorization link; robots.txt keeps crawlers out of /authorize/.
    path("authorize/<str:token>/", authorization_views.read, name="authorize"),
    path("authorize/<str:token>/changes/", authorization_views.changes, name="authorize_changes"),
    path("authorize/<str:token>/approve/", authorization_views.approve, name="authorize_approve"),
]
