"""The page cache: what it stores, and that every change a reader could see reaches them at once."""

import logging
import socket
import uuid
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import caching, change_token, previews
from articles.models import Article, ArticleAuthor, Block, Correction, Photo

from .factories import PAGE_CACHE_HIT, PAGE_CACHE_TRUSTED_HIT, make_article, make_person, make_photo
from .workflow_support import editor, errors_text, form_data

pytestmark = pytest.mark.django_db


def get(client, url, **headers):
    response = client.get(url, **headers)
    return response, response.get("X-Page-Cache")


def text(response):
    return response.content.decode()


def surfaces(article):
    """Every public address that lists or shows ``article``."""
    tag = article.tags.first()
    person = article.interviewee_links.first().person
    return [
        article.get_absolute_url(),
        "/",
        reverse("articles:tag", kwargs={"slug": tag.slug}),
        person.get_absolute_url(),
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/json/",
        reverse("articles:tag_feed_rss", kwargs={"slug": tag.slug}),
        reverse("articles:person_feed_json", kwargs={"slug": person.slug}),
    ]


SITEMAPS = ("/sitemap-interviews.xml", "/sitemap-news.xml")


def editor_client():
    desk = Client()
    desk.force_login(editor())
    return desk


def admin_save(desk, article, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(desk.get(url))
    data.update(changes)
    response = desk.post(url, data)
    assert response.status_code == 302, errors_text(response)


# Stored and served -----------------------------------------------------------------


def test_a_second_request_is_served_from_the_cache(client):
    article = make_article(title="Mara Quill: tides")
    first, state = get(client, article.get_absolute_url())
    assert state == "miss"
    second, state = get(client, article.get_absolute_url())
    assert state == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    # HEAD is answered from the same copy.
    head = client.head(article.get_absolute_url())
    assert head.status_code == 200 and head["X-Page-Cache"] == "hit"


def test_hits_stop_asking_the_database_until_something_changes(client, django_assert_num_queries):
    article = make_article(title="Mara Quill: tides")
    other = make_article(title="Ada Brisk: currents")
    url = article.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(PAGE_CACHE_HIT):
        client.get(url)
    with django_assert_num_queries(PAGE_CACHE_TRUSTED_HIT):
        assert client.get(url)["X-Page-Cache"] == "hit"
    # Any change makes every page ask again, once; only the pages it touched are rendered again.
    other.title = "Ada Brisk: deeper currents"
    other.save()
    with django_assert_num_queries(PAGE_CACHE_HIT):
        assert client.get(url)["X-Page-Cache"] == "hit"
    with django_assert_num_queries(PAGE_CACHE_TRUSTED_HIT):
        client.get(url)
    article.title = "Mara Quill: high tides"
    article.save()
    response, state = get(client, url)
    assert state == "miss" and "high tides" in text(response)


@pytest.mark.skipif(
    not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"),
    reason="the change token is kept in Redis only when the page cache is (REDIS_URL, not SQLite)",
)
def test_a_change_token_lost_by_redis_makes_every_hit_ask_again(client, django_assert_num_queries):
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        pytest.skip("on SQLite the token is a file beside the database")
    article = make_article(title="Mara Quill: tides")
    url = article.get_absolute_url()
    client.get(url)
    client.get(url)
    with django_assert_num_queries(PAGE_CACHE_TRUSTED_HIT):
        client.get(url)
    caches["default"].delete(change_token.CacheToken.KEY)
    with django_assert_num_queries(PAGE_CACHE_HIT):
        assert client.get(url)["X-Page-Cache"] == "hit"
    with django_assert_num_queries(PAGE_CACHE_TRUSTED_HIT):
        client.get(url)


def test_a_process_that_cannot_write_the_change_token_never_trusts_it(tmp_path, caplog):
    token = change_token.FileToken(str(tmp_path / "gone" / "db.sqlite3-changes"))
    with caplog.at_level(logging.WARNING, logger="articles.change_token"):
        assert token.read() is None
    assert "every cache hit asks the database" in caplog.text
    written = change_token.FileToken(str(tmp_path / "db.sqlite3-changes"))
    first = written.read()
    assert first is not None and written.read() == first
    # Another process (another descriptor on the same file) replaces it.
    change_token.FileToken(written.path).replace()
    assert written.read() != first


def test_tracking_parameters_share_the_page_and_pagination_does_not(client):
    for _ in range(14):
        make_article()
    get(client, "/")
    assert get(client, "/?utm_source=social&fbclid=abc")[1] == "hit"
    second_page, state = get(client, "/?page=2")
    assert state == "miss" and second_page.status_code == 200
    assert text(second_page) != text(get(client, "/")[0])


def test_each_accepted_encoding_gets_its_own_copy(client):
    make_article()
    plain, _ = get(client, "/feeds/atom/")
    packed, state = get(client, "/feeds/atom/", HTTP_ACCEPT_ENCODING="gzip")
    assert state == "miss" and packed["Content-Encoding"] == "gzip"
    assert get(client, "/feeds/atom/")[0].content == plain.content
    assert get(client, "/feeds/atom/", HTTP_ACCEPT_ENCODING="gzip")[1] == "hit"


def test_search_drafts_previews_and_missing_pages_are_never_stored(client):
    make_article(title="Ilse Brandt: the harbour")
    draft = make_article(title="Secret draft", status=Article.Status.DRAFT)
    for url in ("/search/?q=harbour", draft.get_absolute_url(), "/interviews/no-such-thing/"):
        client.get(url)
        response = client.get(url)
        assert "X-Page-Cache" not in response or response["X-Page-Cache"] != "hit", url
    assert client.get("/search/?q=harbour").get("X-Page-Cache") is None
    assert client.get(draft.get_absolute_url()).status_code == 404
    # The draft published: its page appears at once (the 404 was never kept).
    draft.publish()
    assert "Secret draft" in text(client.get(draft.get_absolute_url()))


def test_a_preview_link_is_never_stored(client):
    draft = make_article(title="Embargoed words", status=Article.Status.REVIEW)
    link = previews.create_link(draft, editor())
    url = reverse("articles:preview", kwargs={"token": previews.link_token(link)})
    first = client.get(url)
    assert first.status_code == 200 and "Embargoed words" in text(first)
    assert first["Cache-Control"] == "private, no-store" and "X-Page-Cache" not in first
    link.revoked_at = timezone.now()
    link.save()
    assert "Embargoed words" not in text(client.get(url))


def test_a_signed_in_editor_never_gets_nor_fills_a_stored_page(client):
    article = make_article(title="Old headline")
    desk = editor_client()
    # The editor's visit stores nothing...
    response, state = get(desk, article.get_absolute_url())
    assert state is None and response["Cache-Control"] == "private, no-cache"
    assert get(client, article.get_absolute_url())[1] == "miss"
    # ...and a stored page is not what the editor gets: change the row behind
    # the page cache's back (update() sends no signal; a new version, as
    # rendering.new_version() gives, renders the header again) and only readers
    # see the copy.
    Article.objects.filter(pk=article.pk).update(title="New headline", body_version=uuid.uuid4())
    assert "Old headline" in text(get(client, article.get_absolute_url())[0])
    assert "New headline" in text(get(desk, article.get_absolute_url())[0])


def test_a_response_that_sets_a_cookie_is_not_stored(client, monkeypatch):
    from articles import views

    article = make_article()
    original = views.render_article_page

    def with_cookie(*args, **kwargs):
        response = original(*args, **kwargs)
        response.set_cookie("seen", "1")
        return response

    monkeypatch.setattr(views, "render_article_page", with_cookie)
    for _ in range(2):
        response, state = get(client, article.get_absolute_url())
        assert state is None and response.cookies["seen"].value == "1"


def test_cache_pages_off_stores_nothing(client, settings):
    settings.CACHE_PAGES = False
    article = make_article()
    for _ in range(2):
        response, state = get(client, article.get_absolute_url())
        assert state == "off" and response["ETag"]


def test_a_down_redis_serves_pages_uncached_and_says_so(client, settings, caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.redis_cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/5",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    article = make_article(title="Still served")
    with caplog.at_level(logging.WARNING, logger="articles.pagecache"):
        for _ in range(2):
            response = client.get(article.get_absolute_url())
            assert response.status_code == 200 and "Still served" in text(response)
    assert "Page cache unavailable" in caplog.text


# Invalidation -------------------------------------------------------------------------


def test_an_edit_in_the_admin_shows_on_the_next_request(client):
    article = make_article(title="First headline", tags=["sea"])
    for url in surfaces(article):
        assert get(client, url)[0].status_code == 200
        assert get(client, url)[1] == "hit", url
    admin_save(editor_client(), article, title="Second headline")
    for url in surfaces(article):
        response, state = get(client, url)
        assert state == "miss", url
        assert "Second headline" in text(response), url
        assert "First headline" not in text(response), url


def test_unpublishing_drops_it_from_every_surface_at_once(client):
    stays = make_article(title="Stays published", tags=["sea"])
    goes = make_article(
        title="Goes away", tags=["sea"], interviewees=[stays.interviewee_links.first().person]
    )
    for url in surfaces(goes):
        assert "Goes away" in text(client.get(url)), url
    for url in SITEMAPS:
        assert goes.slug in text(client.get(url))
    goes.unpublish()
    assert client.get(goes.get_absolute_url()).status_code == 404
    for url in surfaces(goes)[1:]:
        response = client.get(url)
        assert response.status_code == 200 and "Goes away" not in text(response), url
        assert "Stays published" in text(response), url
    for url in SITEMAPS:
        assert goes.slug not in text(client.get(url)) and stays.slug in text(client.get(url))


def test_a_scheduled_interview_appears_at_its_time(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    now = make_article(title="Out already", tags=["sea"])
    later = make_article(
        title="Out at noon",
        tags=["sea"],
        published_at=timezone.now() + timedelta(hours=1),
        interviewees=[now.interviewee_links.first().person],
    )
    for url in surfaces(now):
        response = client.get(url)
        assert "Out at noon" not in text(response), url
        assert client.get(url)["X-Page-Cache"] == "hit"
    assert client.get(later.get_absolute_url()).status_code == 404
    for url in SITEMAPS:
        assert later.slug not in text(client.get(url))
    time_machine.shift(timedelta(hours=1, seconds=1))
    for url in surfaces(later):
        assert "Out at noon" in text(client.get(url)), url
    for url in SITEMAPS:
        assert later.slug in text(client.get(url))


def test_bringing_a_scheduled_interview_forward_is_not_missed(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    make_article(title="Out already")
    later = make_article(title="Brought forward", published_at=timezone.now() + timedelta(hours=5))
    assert "Brought forward" not in text(client.get("/"))
    later.published_at = timezone.now() + timedelta(minutes=10)
    later.save()
    assert "Brought forward" not in text(client.get("/"))
    time_machine.shift(timedelta(minutes=11))
    assert "Brought forward" in text(client.get("/"))


def test_shown_people_photos_tags_blocks_and_corrections_invalidate_their_pages(client):
    article = make_article(title="Noor Adeyemi: rivers", tags=["rivers"], photos=1)
    url = article.get_absolute_url()
    person = article.interviewee_links.first().person
    photo = article.blocks.get(kind="photo").photo
    client.get(url)

    def changed_to(expected, change):
        assert client.get(url)["X-Page-Cache"] == "hit"
        change()
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss" and expected in text(response), expected

    def rename():
        person.name = "Noor A. Adeyemi"
        person.save()

    def credit():
        photo.credit = "Harbour Agency/New Credit"
        photo.save()

    def tag():
        t = article.tags.get()
        t.name = "Rivers and deltas"
        t.save()

    def block():
        answer = article.blocks.filter(kind="answer").first()
        answer.text = "<p>A corrected answer.</p>"
        answer.save()

    def correction():
        Correction.objects.create(article=article, text="<p>We misspelt a river.</p>")

    changed_to("Noor A. Adeyemi", rename)
    changed_to("Harbour Agency/New Credit", credit)
    changed_to("Rivers and deltas", tag)
    changed_to("A corrected answer.", block)
    changed_to("We misspelt a river.", correction)


def test_unrelated_pages_stay_cached(client):
    shown = make_article(title="About the sea", tags=["sea"])
    other = make_article(title="About the hills", tags=["hills"])
    for url in (shown.get_absolute_url(), other.get_absolute_url()):
        client.get(url)
    person = shown.interviewee_links.first().person
    person.name = "Someone renamed"
    person.save()
    assert client.get(other.get_absolute_url())["X-Page-Cache"] == "hit"
    assert client.get(shown.get_absolute_url())["X-Page-Cache"] == "miss"


def test_editing_a_draft_leaves_every_public_page_cached(client):
    public = make_article(title="Public one", tags=["sea"])
    draft = make_article(title="Draft one", tags=["sea"], status=Article.Status.DRAFT)
    for url in [*surfaces(public), *SITEMAPS, "/sitemap.xml", "/sitemap-tags.xml"]:
        client.get(url)
    desk = editor_client()
    admin_save(desk, draft, title="Draft, retitled", tags="sea, secret")
    Block.objects.create(article=draft, position=99, kind="paragraph", text="<p>More draft.</p>")
    ArticleAuthor.objects.create(article=draft, person=make_person(), position=5)
    for url in [*surfaces(public), *SITEMAPS, "/sitemap.xml", "/sitemap-tags.xml"]:
        assert client.get(url)["X-Page-Cache"] == "hit", url


def test_byline_and_tag_changes_reach_the_lists_they_touch(client):
    article = make_article(title="Shared byline", tags=["sea"])
    newcomer = make_person("Newcomer Writer", slug="newcomer")
    other = make_article(title="By the newcomer alone", authors=[newcomer])
    assert "Shared byline" not in text(client.get(newcomer.get_absolute_url()))
    ArticleAuthor.objects.create(article=article, person=newcomer, position=3)
    assert "Shared byline" in text(client.get(newcomer.get_absolute_url()))
    assert other.title in text(client.get(newcomer.get_absolute_url()))
    tag_url = reverse("articles:tag", kwargs={"slug": "sea"})
    assert "Shared byline" in text(client.get(tag_url))
    article.tags.add("coast")
    article.tags.remove("sea")
    assert client.get(tag_url).status_code == 404
    assert "Shared byline" in text(client.get(reverse("articles:tag", kwargs={"slug": "coast"})))


def test_a_slug_change_redirects_the_old_address_at_once(client):
    article = make_article(title="Moving house", slug="old-address")
    assert client.get("/interviews/old-address/")["X-Page-Cache"] == "miss"
    article.slug = "new-address"
    article.save()
    response = client.get("/interviews/old-address/")
    assert response.status_code == 301 and response["Location"].endswith("/interviews/new-address/")


def test_restoring_a_revision_reaches_the_public_page(client):
    desk = editor_client()
    article = make_article(title="Original headline")
    admin_save(desk, article, title="Original headline")
    admin_save(desk, article, title="Changed headline")
    assert "Changed headline" in text(client.get(article.get_absolute_url()))
    first = Version.objects.get_for_object(article).order_by("pk").first()
    url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    assert desk.post(url, form_data(desk.get(url))).status_code == 302
    assert "Original headline" in text(client.get(article.get_absolute_url()))


def test_deleting_an_interview_drops_it(client):
    article = make_article(title="To be deleted", tags=["sea"])
    make_article(title="Neighbour", tags=["sea"])
    for url in ("/", "/feeds/rss/", reverse("articles:tag", kwargs={"slug": "sea"})):
        assert "To be deleted" in text(client.get(url))
    article.delete()
    for url in ("/", "/feeds/rss/", reverse("articles:tag", kwargs={"slug": "sea"})):
        assert "To be deleted" not in text(client.get(url)), url


def test_a_rolled_back_change_leaves_the_stored_page_valid(client):
    from django.db import transaction

    article = make_article(title="Kept")
    client.get(article.get_absolute_url())
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "Never committed"
        article.save()
        raise RuntimeError
    response = client.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "hit" and "Kept" in text(response)


def test_changes_without_signals_are_announced_with_changed(client):
    photo = make_photo(credit="Before Agency")
    article = make_article(lead_photo=photo)
    client.get(article.get_absolute_url())
    Photo.objects.filter(pk=photo.pk).update(credit="After Agency")
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    caching.changed(photo)
    assert "After Agency" in text(client.get(article.get_absolute_url()))


def test_the_news_sitemap_drops_an_interview_when_it_leaves_the_window(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    article = make_article(published_at=timezone.now() - timedelta(hours=47))
    assert article.slug in text(client.get("/sitemap-news.xml"))
    assert client.get("/sitemap-news.xml")["X-Page-Cache"] == "hit"
    time_machine.shift(timedelta(hours=1, seconds=1))
    assert article.slug not in text(client.get("/sitemap-news.xml"))


def test_a_stored_page_is_not_served_to_a_host_the_site_does_not_serve(client):
    article = make_article()
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url(), HTTP_HOST="evil.example").status_code == 400
