"""The stored lists of tags and people (articles/listings.py) stay exactly what the interviews say.

After every kind of change (publish, schedule, reschedule, unpublish, tags and
bylines added, changed or removed, deletion, bulk writes) the entries are
compared with what they must be, and the pages that read them (tag and person
pages, their feeds, the sitemaps) show what readers may see, and only that,
at every moment: a scheduled interview appears at its time with no write.
"""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles import listings
from articles.listings import ListEntry
from articles.models import Article, ArticleAuthor, ArticleInterviewee
from articles.sitemaps import w3c_datetime

from .factories import make_article, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

SITE = settings.SITE_URL


@pytest.fixture
def no_page_cache(settings):
    # The entries are under test here, not the page cache's freshness.
    settings.CACHE_PAGES = False


def expected_entries():
    """What the entries must be, from the interviews themselves."""
    published = dict(Article.objects.filter(status="published").values_list("pk", "published_at"))
    rows = {
        ("tag", item.tag_id, item.object_id, published[item.object_id])
        for item in TaggedItem.objects.filter(object_id__in=published)
    }
    for kind, model in (("given", ArticleInterviewee), ("written", ArticleAuthor)):
        rows |= {
            (kind, link.person_id, link.article_id, published[link.article_id])
            for link in model.objects.filter(article_id__in=published)
        }
    return rows


def stored_entries():
    return set(ListEntry.objects.values_list("kind", "item_id", "article_id", "published_at"))


def assert_entries_exact():
    assert stored_entries() == expected_entries()


def listed(client, url):
    response = client.get(url)
    assert response.status_code in (200, 404), response.status_code
    if response.status_code == 404:
        return []
    html = response.content.decode()
    shown = [(html.index(a.title), a.title) for a in Article.objects.all() if a.title in html]
    return [title for _, title in sorted(shown)]


def sitemap_lastmods(client, section):
    from lxml import etree

    root = etree.fromstring(client.get(f"/sitemap-{section}.xml").content)
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return {url.findtext("sm:loc", namespaces=ns): url.findtext("sm:lastmod", namespaces=ns) for url in root}


@pytest.fixture
def writer():
    return make_person("Wren Writer", slug="wren")


@pytest.fixture
def guest():
    return make_person("Gil Guest", slug="gil")


def test_publishing_scheduling_and_unpublishing_keep_the_lists_exact(client, writer, guest, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    now = timezone.now()
    old = make_article("Old tides", published_at=now - timedelta(days=2), tags=["sea"], authors=[writer])
    draft = make_article("Draft tides", status="draft", tags=["sea"], authors=[writer], interviewees=[guest])
    soon = make_article(
        "Soon tides",
        published_at=now + timedelta(hours=1),
        tags=["sea"],
        authors=[writer],
        interviewees=[guest],
    )
    assert_entries_exact()
    assert listed(client, "/tags/sea/") == ["Old tides"]
    assert listed(client, "/people/wren/") == ["Old tides"]
    # Gil is only in a draft and a scheduled interview: no page yet.
    assert client.get("/people/gil/").status_code == 404
    assert "1 interview<" in client.get("/tags/sea/").content.decode()

    # Its time comes, with no write: it leads the lists, and the counts include it.
    time_machine.shift(timedelta(hours=1))
    assert listed(client, "/tags/sea/") == ["Soon tides", "Old tides"]
    assert "2 interviews<" in client.get("/tags/sea/").content.decode()
    assert listed(client, "/people/gil/") == ["Soon tides"]
    assert listed(client, "/tags/sea/feed/rss/") == ["Soon tides", "Old tides"]
    assert listed(client, "/people/wren/feed/rss/") == ["Soon tides", "Old tides"]

    # Published now, the draft joins; moved back in time, the old one changes place.
    draft.status, draft.published_at = "published", now + timedelta(minutes=30)
    draft.save()
    old.published_at = now + timedelta(minutes=45)
    old.save()
    assert_entries_exact()
    assert listed(client, "/tags/sea/") == ["Soon tides", "Old tides", "Draft tides"]

    # Unpublished: gone at once, from the lists, the counts, the feeds and the sitemaps.
    soon.unpublish()
    assert_entries_exact()
    assert listed(client, "/tags/sea/") == ["Old tides", "Draft tides"]
    assert listed(client, "/people/wren/feed/rss/") == ["Old tides", "Draft tides"]
    for article in (old, draft):
        article.unpublish()
    assert_entries_exact()
    assert ListEntry.objects.count() == 0
    for url in (
        "/tags/sea/",
        "/people/wren/",
        "/people/gil/",
        "/tags/sea/feed/rss/",
        "/people/wren/feed/rss/",
    ):
        assert client.get(url).status_code == 404, url
    assert sitemap_lastmods(client, "tags") == {}
    assert sitemap_lastmods(client, "people") == {}


def test_sitemap_lastmod_is_the_latest_public_publication(client, writer, guest, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    now = timezone.now()
    make_article("Given", published_at=now - timedelta(days=3), interviewees=[writer], tags=["sea"])
    make_article("Written", published_at=now - timedelta(days=1), authors=[writer], tags=["sea"])
    make_article("Later", published_at=now + timedelta(days=1), authors=[writer], tags=["sea"])
    assert sitemap_lastmods(client, "tags") == {f"{SITE}/tags/sea/": w3c_datetime(now - timedelta(days=1))}
    people = sitemap_lastmods(client, "people")
    assert people[f"{SITE}/people/wren/"] == w3c_datetime(now - timedelta(days=1))
    time_machine.shift(timedelta(days=2))
    assert sitemap_lastmods(client, "tags") == {f"{SITE}/tags/sea/": w3c_datetime(now + timedelta(days=1))}
    assert sitemap_lastmods(client, "people")[f"{SITE}/people/wren/"] == w3c_datetime(now + timedelta(days=1))


def test_tags_added_changed_and_removed(client, writer):
    article = make_article("Harbour talk", tags=["sea"], authors=[writer])
    article.tags.add("ports")
    assert_entries_exact()
    assert listed(client, "/tags/ports/") == ["Harbour talk"]
    article.tags.remove("sea")
    assert_entries_exact()
    assert client.get("/tags/sea/").status_code == 404
    # A tagging moved to another tag (as a script or a restore may do).
    tagging = TaggedItem.objects.get(object_id=article.pk)
    tagging.tag = Tag.objects.create(name="Rivers", slug="rivers")
    tagging.save()
    assert_entries_exact()
    assert listed(client, "/tags/rivers/") == ["Harbour talk"]
    article.tags.set(["lakes", "rivers"])
    assert_entries_exact()
    article.tags.clear()
    assert_entries_exact()
    # Deleting a tag deletes its taggings, and with them its list.
    article.tags.add("sea")
    Tag.objects.get(slug="sea").delete()
    assert_entries_exact()


def test_bylines_added_changed_and_removed(client, writer, guest):
    article = make_article("Harbour talk", authors=[writer], interviewees=[])
    ArticleInterviewee.objects.create(article=article, person=guest)
    assert_entries_exact()
    assert listed(client, "/people/gil/") == ["Harbour talk"]
    other = make_person("Oda Other", slug="oda")
    link = ArticleAuthor.objects.get(article=article, person=writer)
    link.person = other
    link.save()
    assert_entries_exact()
    assert client.get("/people/wren/").status_code == 404
    assert listed(client, "/people/oda/") == ["Harbour talk"]
    ArticleInterviewee.objects.filter(article=article).delete()
    assert_entries_exact()
    assert client.get("/people/gil/").status_code == 404


def test_deleting_an_interview_deletes_its_entries(client, writer):
    article = make_article("Harbour talk", tags=["sea"], authors=[writer], interviewees=[writer])
    make_article("Kept", tags=["sea"])
    article.delete()
    assert_entries_exact()
    assert listed(client, "/tags/sea/") == ["Kept"]
    assert client.get("/people/wren/").status_code == 404


def test_someone_who_gave_and_wrote_an_interview_gets_it_once_in_their_feed(client, writer):
    now = timezone.now()
    for n in range(25):
        make_article(
            f"Both ways {n:02}",
            published_at=now - timedelta(hours=n + 1),
            authors=[writer],
            interviewees=[writer],
        )
    assert listed(client, "/people/wren/feed/rss/") == [f"Both ways {n:02}" for n in range(20)]


def test_refresh_and_the_migration_rebuild_what_the_signals_keep(writer, guest):
    now = timezone.now()
    make_article("Public", tags=["sea", "ports"], authors=[writer], interviewees=[guest])
    make_article("Scheduled", published_at=now + timedelta(days=1), tags=["sea"], authors=[guest])
    make_article("Draft", status="draft", tags=["sea"], authors=[writer])
    kept = stored_entries()
    assert kept == expected_entries()

    ListEntry.objects.all().delete()
    listings.refresh(Article.objects.values_list("pk", flat=True))
    assert stored_entries() == kept

    ListEntry.objects.all().delete()
    migration = importlib.import_module("articles.migrations.0015_list_entries")
    migration.fill(apps, None)
    assert stored_entries() == kept


def test_bulk_written_interviews_are_listed_after_refresh(client):
    call_command("make_scale_content", "--count", "12")
    assert_entries_exact()
    assert len(listed(client, "/tags/scale-topic-0/")) == 3
