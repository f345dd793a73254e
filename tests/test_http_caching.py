"""HTTP caching: validators, lifetimes and the Surrogate-Key / Cache-Tag headers of public responses."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import previews
from articles.models import Article, Block

from .factories import make_article, make_person, make_photo
from .workflow_support import editor

pytestmark = pytest.mark.django_db


def directives(response):
    return dict(
        (part.strip().split("=", 1) + [""])[:2]
        for part in response["Cache-Control"].split(",")
        if part.strip()
    )


def test_an_interview_names_everything_it_shows(client):
    author, interviewee = make_person(), make_person()
    photo = make_photo()
    article = make_article(authors=[author], interviewees=[interviewee], tags=["sea"], lead_photo=photo)
    related = make_article(tags=["sea"])
    response = client.get(article.get_absolute_url())
    keys = set(response["Surrogate-Key"].split())
    tag = article.tags.get()
    assert {
        f"article-{article.pk}",
        f"article-{related.pk}",
        f"person-{author.pk}",
        f"person-{interviewee.pk}",
        f"photo-{photo.pk}",
        f"tag-{tag.pk}",
        "schedule",
    } <= keys
    assert "listings" not in keys
    assert not response.has_header("Cache-Tag")
    assert "listings" in client.get("/")["Surrogate-Key"].split()
    assert "listings" in client.get("/feeds/rss/")["Surrogate-Key"].split()


def test_cloudflare_gets_the_same_keys_in_its_own_header(client, settings):
    article = make_article()
    settings.PURGE_BACKEND = "cloudflare"
    response = client.get(article.get_absolute_url())
    assert set(response["Cache-Tag"].split(",")) == set(response["Surrogate-Key"].split())


def test_lifetimes_for_browsers_and_shared_caches(client, settings):
    article = make_article()
    cache_control = directives(client.get(article.get_absolute_url()))
    # Browsers revalidate (a 304 is cheap); a shared cache that nobody purges keeps a page a minute.
    assert cache_control == {
        "public": "",
        "max-age": "0",
        "s-maxage": "60",
        "stale-while-revalidate": "60",
        "stale-if-error": "86400",
    }
    settings.PURGE_BACKEND = "varnish"
    settings.VARNISH_URLS = []
    assert directives(client.get(article.get_absolute_url()))["s-maxage"] == "86400"
    # Feeds keep their own lifetime for browsers.
    assert directives(client.get("/feeds/rss/"))["max-age"] == "300"


def test_no_cache_keeps_a_page_past_the_next_publication(client, settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    settings.PURGE_BACKEND = "varnish"
    settings.VARNISH_URLS = []
    article = make_article()
    make_article(status=Article.Status.PUBLISHED, published_at=timezone.now() + timedelta(minutes=10))
    for url in (article.get_absolute_url(), "/", "/feeds/atom/", "/sitemap.xml"):
        cache_control = directives(client.get(url))
        assert int(cache_control["s-maxage"]) == 600, url
        assert int(cache_control["max-age"]) <= 600, url
        assert "stale-while-revalidate" not in cache_control, url
    # From the page cache five minutes later: the lifetime left, not the one stored.
    time_machine.shift(timedelta(minutes=5))
    response = client.get("/")
    assert response["X-Page-Cache"] == "hit" and directives(response)["s-maxage"] == "300"


def test_private_answers_say_so(client):
    draft = make_article(status=Article.Status.REVIEW)
    link = previews.create_link(draft, editor())
    preview = client.get(reverse("articles:preview", kwargs={"token": previews.link_token(link)}))
    assert preview["Cache-Control"] == "private, no-store" and "Surrogate-Key" not in preview
    desk = Client()
    desk.force_login(editor())
    admin = desk.get(reverse("admin:articles_article_changelist"))
    assert "private" in admin["Cache-Control"] and "no-store" in admin["Cache-Control"]
    public = desk.get(make_article().get_absolute_url())
    assert public["Cache-Control"] == "private, no-cache" and "Surrogate-Key" not in public
    assert client.get("/search/?q=anything")["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("cache_pages", [True, False])
def test_conditional_requests_answer_not_modified(client, settings, cache_pages):
    settings.CACHE_PAGES = cache_pages
    article = make_article()
    for url in (article.get_absolute_url(), "/", "/feeds/json/", "/sitemap-interviews.xml"):
        first = client.get(url)
        assert first["ETag"] and first["Last-Modified"], url
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b"", url
        since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304, url


# Issue 8, finding 9: a feed's validators depend only on what the feed shows.


def test_feed_validators_ignore_drafts_and_follow_shown_people_photos_and_tags(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    person = make_person("Aurelio Banks", slug="aurelio-banks")
    photo = make_photo(credit="First Agency")
    shown = make_article(title="Shown piece", interviewees=[person], lead_photo=photo, tags=["sea"])
    draft = make_article(
        title="Draft piece", status=Article.Status.DRAFT, interviewees=[person], tags=["sea"]
    )
    feeds = ["/feeds/rss/", "/feeds/atom/", "/tags/sea/feed/json/", "/people/aurelio-banks/feed/rss/"]

    def validators():
        return {url: (client.get(url)["ETag"], client.get(url)["Last-Modified"]) for url in feeds}

    before = validators()
    # An hour of work on the draft, in every part of it: the feeds do not move.
    time_machine.shift(timedelta(hours=1))
    draft.title = "Draft piece, retitled"
    draft.save()
    Block.objects.create(article=draft, position=50, kind="paragraph", text="<p>New draft text.</p>")
    draft.tags.add("secret")
    draft.author_links.create(person=make_person(), position=9)
    for url in feeds:
        assert client.get(url, HTTP_IF_NONE_MATCH=before[url][0]).status_code == 304, url
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=before[url][1]).status_code == 304, url
    assert validators() == before

    # What the feeds show changes: each change moves both validators.
    changes = [
        lambda: setattr(person, "name", "Aurelio B. Banks") or person.save(),
        lambda: setattr(photo, "credit", "Second Agency") or photo.save(),
        lambda: _rename_tag(shown, "Sea and coast"),
    ]
    previous = before
    for change in changes:
        time_machine.shift(timedelta(minutes=10))
        change()
        now = validators()
        for url in feeds:
            assert now[url][0] != previous[url][0], url
            assert now[url][1] != previous[url][1], url
            assert client.get(url, HTTP_IF_MODIFIED_SINCE=previous[url][1]).status_code == 200, url
        previous = now


def _rename_tag(article, name):
    tag = article.tags.get(name="sea")
    tag.name = name
    tag.save()
