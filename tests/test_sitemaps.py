"""Sitemaps (with the image extension), the Google News sitemap and robots.txt."""

import gzip
import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from lxml import etree

from articles import sitemaps
from articles.models import Block, Photo

from .factories import PAGE_CACHE_HIT, PAGE_CACHE_MISS, make_article, make_person, make_photo

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"
OTHER_HOST = "other.example"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$")
HOSTILE = 'Q&A: <script>alert("x")</script> & “Ça va?” — l\'été 🎉'


@pytest.fixture(autouse=True)
def site(settings):
    """A canonical origin that differs from the Host every request below sends."""
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, OTHER_HOST]


def fetch(client, url):
    return client.get(url, HTTP_HOST=OTHER_HOST)


def xml(client, url):
    response = fetch(client, url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/xml"
    return etree.fromstring(response.content)


def urls(client, url):
    """{location: <url> element} of a sitemap."""
    root = xml(client, url)
    assert root.tag == f"{{{NS['sm']}}}urlset"
    return {element.findtext("sm:loc", namespaces=NS): element for element in root.findall("sm:url", NS)}


def interview(title=None, **fields):
    """A published interview with a small lead photo (large ones only slow the tests down)."""
    fields.setdefault("lead_photo", make_photo(size=(400, 250)))
    return make_article(title, questions=1, **fields)


def page(article):
    return f"{SITE}/interviews/{article.slug}/"


def w3c(value):
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def test_index_lists_every_section_on_the_canonical_origin(client):
    interview()
    root = xml(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    entries = root.findall("sm:sitemap", NS)
    assert [entry.findtext("sm:loc", namespaces=NS) for entry in entries] == [
        f"{SITE}/sitemap-interviews.xml",
        f"{SITE}/sitemap-tags.xml",
        f"{SITE}/sitemap-people.xml",
    ]
    for entry in entries:
        assert W3C_DATETIME.match(entry.findtext("sm:lastmod", namespaces=NS))
    for section in ("interviews", "tags", "people"):
        assert fetch(client, f"/sitemap-{section}.xml").status_code == 200
    assert fetch(client, "/sitemap-nothing.xml").status_code == 404


def test_the_index_says_when_the_sections_last_changed(client, time_machine):
    def lastmods():
        root = xml(client, "/sitemap.xml")
        return {entry.findtext("sm:lastmod", namespaces=NS) for entry in root.findall("sm:sitemap", NS)}

    start = timezone.now().replace(microsecond=0)
    time_machine.move_to(start, tick=False)
    article = interview(published_at=start - timedelta(days=2))
    assert lastmods() == {w3c(start)}

    time_machine.move_to(start + timedelta(hours=1), tick=False)
    article.title = "Edited"
    article.save()
    assert lastmods() == {w3c(start + timedelta(hours=1))}

    due = start + timedelta(hours=3)
    scheduled = interview(published_at=due)
    assert lastmods() == {w3c(start + timedelta(hours=1))}
    time_machine.move_to(due + timedelta(minutes=5), tick=False)
    assert lastmods() == {w3c(due)}

    time_machine.move_to(due + timedelta(hours=1), tick=False)
    scheduled.unpublish()
    assert lastmods() == {w3c(due + timedelta(hours=1))}


def test_interviews_sitemap_has_lastmod_and_every_photo(client):
    with_photos = interview(photos=0)
    Block.objects.create(article=with_photos, position=10, kind="photo", photo=make_photo(size=(300, 200)))
    Block.objects.create(article=with_photos, position=11, kind="photo", photo=make_photo(size=(300, 200)))
    # The lead photo placed again in the body is listed once.
    Block.objects.create(article=with_photos, position=12, kind="photo", photo=with_photos.lead_photo)
    without = interview(lead_photo=None)
    listed = urls(client, "/sitemap-interviews.xml")
    assert set(listed) == {page(with_photos), page(without)}

    entry = listed[page(with_photos)]
    with_photos.refresh_from_db()
    lastmod = max(with_photos.updated_at, with_photos.published_at)
    assert entry.findtext("sm:lastmod", namespaces=NS) == w3c(lastmod)
    images = [element.text for element in entry.findall("image:image/image:loc", NS)]
    assert len(images) == 3
    prefix = SITE + default_storage.base_url
    for image in images:
        assert image.startswith(prefix)
        assert default_storage.exists(image.removeprefix(prefix))
    photo_ids = {with_photos.lead_photo_id, *with_photos.blocks.values_list("photo", flat=True)} - {None}
    assert len(photo_ids) == 3 and Photo.objects.filter(pk__in=photo_ids).count() == 3
    assert listed[page(without)].findall("image:image", NS) == []


def test_tag_and_person_sitemaps_list_only_pages_with_published_interviews(client):
    public_person, hidden_person = make_person(), make_person()
    three_days_ago = timezone.now() - timedelta(days=3)
    older = interview(tags=["water"], authors=[public_person], published_at=three_days_ago)
    newer = interview(tags=["water", "Économie"], interviewees=[public_person])
    make_article(status="draft", tags=["secret"], authors=[hidden_person], interviewees=[hidden_person])
    make_article(status="review", tags=["secret"])

    tags = urls(client, "/sitemap-tags.xml")
    assert set(tags) == {f"{SITE}/tags/water/", f"{SITE}/tags/%C3%A9conomie/"}
    assert tags[f"{SITE}/tags/water/"].findtext("sm:lastmod", namespaces=NS) == w3c(newer.published_at)

    people = urls(client, "/sitemap-people.xml")
    assert f"{SITE}/people/{public_person.slug}/" in people
    assert f"{SITE}/people/{hidden_person.slug}/" not in people
    lastmod = people[f"{SITE}/people/{public_person.slug}/"].findtext("sm:lastmod", namespaces=NS)
    assert lastmod == w3c(newer.published_at) != w3c(older.published_at)
    for location in people:
        assert fetch(client, location.removeprefix(SITE)).status_code == 200


def test_news_sitemap_has_the_last_48_hours(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    now = timezone.now()
    fresh = interview(title=HOSTILE, published_at=now - timedelta(hours=1))
    day_old = interview(published_at=now - timedelta(hours=47))
    interview(published_at=now - timedelta(hours=49))
    scheduled = interview(published_at=now + timedelta(hours=1))
    make_article(status="draft")

    listed = urls(client, "/sitemap-news.xml")
    assert list(listed) == [page(fresh), page(day_old)]
    news = listed[page(fresh)].find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "Newsroom"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:publication_date", namespaces=NS) == w3c(fresh.published_at)
    assert W3C_DATETIME.match(news.findtext("news:publication_date", namespaces=NS))
    assert news.findtext("news:title", namespaces=NS) == HOSTILE

    time_machine.shift(timedelta(hours=2))
    assert list(urls(client, "/sitemap-news.xml")) == [page(scheduled), page(fresh)]


def test_drafts_and_scheduled_interviews_appear_nowhere_until_published(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    due = timezone.now() + timedelta(hours=3)
    writer = make_person()
    people = {"authors": [writer], "interviewees": [writer]}
    draft = interview(status="draft", tags=["only-draft"], **people)
    review = interview(status="review", tags=["only-draft"], **people)
    scheduled = interview(published_at=due, tags=["only-scheduled"], **people)
    sections = ["/sitemap-interviews.xml", "/sitemap-tags.xml", "/sitemap-people.xml", "/sitemap-news.xml"]

    def everything():
        return {location for section in sections for location in urls(client, section)}

    assert everything() == set()
    time_machine.move_to(due, tick=False)
    assert everything() == {
        page(scheduled),
        f"{SITE}/tags/only-scheduled/",
        f"{SITE}/people/{writer.slug}/",
    }
    assert list(urls(client, "/sitemap-news.xml")) == [page(scheduled)]

    draft.publish()
    review.publish()
    assert everything() == {
        page(scheduled),
        page(draft),
        page(review),
        f"{SITE}/tags/only-scheduled/",
        f"{SITE}/tags/only-draft/",
        f"{SITE}/people/{writer.slug}/",
    }
    draft.unpublish()
    review.unpublish()
    scheduled.unpublish()
    assert everything() == set()


def index_locations(client):
    return [loc.text for loc in xml(client, "/sitemap.xml").findall("sm:sitemap/sm:loc", NS)]


def test_a_sitemap_holds_at_most_the_protocols_50000_addresses():
    assert sitemaps.MAX_URLS == 50_000
    assert sitemaps.MAX_BYTES == 50 * 1024 * 1024
    for section in sitemaps.SECTIONS.values():
        assert section().limit == 50_000


def test_past_the_limit_a_section_is_split_and_the_index_lists_every_page(client, monkeypatch):
    # Three interviews against a limit of two stand for 50,001 against 50,000.
    monkeypatch.setattr(sitemaps, "MAX_URLS", 2)
    articles = [interview(lead_photo=None) for _ in range(3)]
    assert index_locations(client) == [
        f"{SITE}/sitemap-interviews.xml",
        f"{SITE}/sitemap-interviews.xml?p=2",
        f"{SITE}/sitemap-tags.xml",
        f"{SITE}/sitemap-people.xml",
        f"{SITE}/sitemap-people.xml?p=2",
        f"{SITE}/sitemap-people.xml?p=3",
    ]
    first, second = urls(client, "/sitemap-interviews.xml"), urls(client, "/sitemap-interviews.xml?p=2")
    assert len(first) == 2 and len(second) == 1
    assert set(first) | set(second) == {page(article) for article in articles}
    assert len(urls(client, "/sitemap-people.xml?p=3")) == 2
    for url in ("/sitemap-interviews.xml?p=3", "/sitemap-people.xml?p=4", "/sitemap-interviews.xml?p=x"):
        assert fetch(client, url).status_code == 404


def test_only_tags_with_published_interviews_count_towards_a_split(client, monkeypatch):
    monkeypatch.setattr(sitemaps, "MAX_URLS", 2)
    interview(lead_photo=None, tags=["one", "two"], authors=[], interviewees=[])
    make_article(status="draft", tags=["draft-only"], authors=[], interviewees=[])
    # Three tags exist, two have a published interview: one page.
    assert f"{SITE}/sitemap-tags.xml?p=2" not in index_locations(client)
    interview(lead_photo=None, tags=["three"], authors=[], interviewees=[])
    assert f"{SITE}/sitemap-tags.xml?p=2" in index_locations(client)
    assert list(urls(client, "/sitemap-tags.xml?p=2")) == [f"{SITE}/tags/two/"]


def test_photos_are_listed_only_while_the_page_stays_under_its_size_limit(client, monkeypatch, settings):
    settings.CACHE_PAGES = False  # The same page, rendered twice.
    articles = [interview(photos=2) for _ in range(3)]

    def listed():
        response = fetch(client, "/sitemap-interviews.xml")
        root = etree.fromstring(response.content)
        return len(response.content), {
            element.findtext("sm:loc", namespaces=NS): element.findall("image:image", NS)
            for element in root.findall("sm:url", NS)
        }

    size, entries = listed()
    each = len(entries[page(articles[0])])
    assert each > 1 and [len(photos) for photos in entries.values()] == [each] * 3
    monkeypatch.setattr(sitemaps, "MAX_BYTES", size - 1)
    size, entries = listed()
    assert size <= sitemaps.MAX_BYTES
    assert set(entries) == {page(article) for article in articles}
    counts = [len(photos) for photos in entries.values()]
    assert counts[0] == each and sum(counts) < 3 * each


def test_sitemaps_never_use_the_request_host(client):
    interview(tags=["water"], photos=1)
    for url in ("/sitemap.xml", "/sitemap-interviews.xml", "/sitemap-tags.xml", "/sitemap-news.xml"):
        body = fetch(client, url).content.decode()
        assert OTHER_HOST not in body and "testserver" not in body
        origins = set(re.findall(r"<(?:loc|image:loc)>(https?://[^/<]+)", body))
        assert origins == {SITE}, url


def test_sitemaps_are_cacheable_and_compressed(client):
    for _ in range(3):
        interview()
    for url in ("/sitemap.xml", "/sitemap-interviews.xml", "/sitemap-news.xml", "/robots.txt"):
        assert fetch(client, url)["Cache-Control"] == (
            "public, max-age=3600, s-maxage=60, stale-while-revalidate=60, stale-if-error=86400"
        )
    for url in ("/sitemap.xml", "/sitemap-interviews.xml", "/sitemap-news.xml"):
        packed = client.get(url, HTTP_HOST=OTHER_HOST, HTTP_ACCEPT_ENCODING="gzip")
        assert packed["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.content) == fetch(client, url).content


def test_robots_txt(client):
    response = fetch(client, "/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "User-agent: *\n"
        "Allow: /\n"
        "Disallow: /admin/\n"
        "Disallow: /preview/\n"
        "Disallow: /authorize/\n"
        f"Sitemap: {SITE}/sitemap.xml\n"
        f"Sitemap: {SITE}/sitemap-news.xml\n"
    )


# Query counts: the index reads the latest publication and the lists' last
# change, then counts each section (interviews, and all tags and people: see
# ListingSitemap.page_count); the interviews section counts its rows, fetches
# them, their body's photo ids (one query per PHOTO_BATCH interviews) and the
# photos they all show; the tags and people sections fetch their rows, each
# with its latest publication (listings.py); the news sitemap counts and
# fetches.
@pytest.mark.parametrize("count", [2, 20])
def test_sitemap_query_counts_do_not_grow(client, django_assert_num_queries, count):
    for n in range(count):
        article = interview(tags=[f"tag-{n}", "shared"])
        Block.objects.bulk_create(
            Block(article=article, position=10 + k, kind="photo", photo=article.lead_photo) for k in range(3)
        )
    for url, queries in (
        ("/sitemap.xml", 5),
        ("/sitemap-interviews.xml", 4),
        ("/sitemap-tags.xml", 1),
        ("/sitemap-people.xml", 1),
        ("/sitemap-news.xml", 2),
    ):
        with django_assert_num_queries(queries + PAGE_CACHE_MISS):
            assert fetch(client, url).status_code == 200
        with django_assert_num_queries(PAGE_CACHE_HIT):
            assert fetch(client, url).status_code == 200
    assert len(urls(client, "/sitemap-interviews.xml")) == count
    assert len(urls(client, "/sitemap-tags.xml")) == count + 1
