"""RSS, Atom and JSON feeds, read by a real feed client (feedparser) and checked against their rules."""

import gzip
import html
import json
import re
from datetime import timedelta
from email.utils import parsedate_to_datetime

import feedparser
import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from articles.models import Block, Correction, Photo

from .factories import PAGE_CACHE_HIT, PAGE_CACHE_MISS, make_article, make_person, make_photo

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"
OTHER_HOST = "other.example"
ATOM = "{http://www.w3.org/2005/Atom}"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "media": "http://search.yahoo.com/mrss/",
}
RFC_822 = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
RFC_3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")
HOSTILE = 'Q&A: <script>alert("x")</script> & “Ça va?” — l\'été <b>brûlant</b> 🎉'

SITE_FEEDS = ["/feeds/rss/", "/feeds/atom/", "/feeds/json/"]


@pytest.fixture(autouse=True)
def site(settings):
    """A canonical origin that differs from the Host every request below sends."""
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, OTHER_HOST]


def fetch(client, url, **headers):
    return client.get(url, HTTP_HOST=OTHER_HOST, **headers)


def parse(client, url):
    response = fetch(client, url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def json_feed(client, url="/feeds/json/"):
    response = fetch(client, url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    return json.loads(response.content)


def titles(client, url):
    if url.endswith("/json/"):
        return [item["title"] for item in json_feed(client, url)["items"]]
    entries = parse(client, url).entries
    if url.endswith("/rss/"):
        # RSS titles are HTML (feedparser says text/html): unescaped, they are the text.
        return [html.unescape(entry.title) for entry in entries]
    return [entry.title for entry in entries]


def interview(title=None, **fields):
    """A published interview with a small lead photo (large ones only slow the tests down)."""
    fields.setdefault("lead_photo", make_photo(size=(400, 250)))
    return make_article(title, **fields)


def rich_interview(**fields):
    """A published interview with two authors, two interviewees, tags, a body photo and a correction."""
    authors = [make_person("Ada Writer"), make_person("Ben Scribe")]
    interviewees = [make_person("Cleo Speaker", role="Minister"), make_person("Dev Answer", role="")]
    article = interview(
        authors=authors,
        interviewees=interviewees,
        tags=["Économie", "R&D"],
        questions=2,
        photos=1,
        **fields,
    )
    answer = article.blocks.filter(kind="answer").first()
    answer.speaker = interviewees[1]
    answer.save()
    Block.objects.create(
        article=article,
        position=50,
        kind="quote",
        text="<p>A line worth repeating.</p>",
        attribution="Cleo Speaker",
    )
    Block.objects.create(article=article, position=60, kind="heading", text="<p>Later &amp; after</p>")
    Correction.objects.create(article=article, text="<p>An earlier version misspelled a name.</p>")
    return article


def storage_name(url):
    """The storage name of a media file from its absolute URL."""
    prefix = SITE + default_storage.base_url
    assert url.startswith(prefix), url
    return url.removeprefix(prefix)


# Every field, as a feed reader sees it ----------------------------------------


def test_rss_item_carries_the_whole_interview(client):
    article = rich_interview()
    feed = parse(client, "/feeds/rss/")

    assert feed.version == "rss20"
    assert feed.feed.title == "Newsroom"
    assert feed.feed.link == f"{SITE}/"
    assert feed.feed.subtitle == "Long-form interviews with the people shaping public life."
    assert feed.feed.language == "en"
    assert {"rel": "self", "href": f"{SITE}/feeds/rss/"}.items() <= next(
        link for link in feed.feed.links if link.rel == "self"
    ).items()
    assert feed.feed.image.href == f"{SITE}/static/feeds/icon-144.png"
    assert feed.feed.updated_parsed

    (entry,) = feed.entries
    assert html.unescape(entry.title) == article.title
    assert entry.link == f"{SITE}/interviews/{article.slug}/"
    assert entry.id == f"urn:uuid:{article.uuid}"
    assert entry.guidislink is False
    assert entry.summary == article.standfirst
    assert [author.name for author in entry.authors] == ["Ada Writer", "Ben Scribe"]
    assert sorted(tag.term for tag in entry.tags) == ["R&D", "Économie"]
    assert entry.published == timezone.localtime(article.published_at).strftime("%a, %d %b %Y %H:%M:%S %z")
    updated = timezone.localtime(max(article.updated_at, article.published_at)).replace(microsecond=0)
    assert entry.updated == updated.isoformat()
    assert_full_content(entry.content[0].value, article)
    assert_lead_photo(entry, article)


def test_atom_entry_carries_the_whole_interview(client):
    article = rich_interview()
    feed = parse(client, "/feeds/atom/")

    assert feed.version == "atom10"
    assert feed.feed.title == "Newsroom"
    assert feed.feed.link == f"{SITE}/"
    assert feed.feed.subtitle == "Long-form interviews with the people shaping public life."
    assert feed.feed.language == "en"
    assert next(link for link in feed.feed.links if link.rel == "self").href == f"{SITE}/feeds/atom/"
    assert feed.feed.icon == f"{SITE}/static/feeds/icon-512.png"
    assert feed.feed.logo == f"{SITE}/static/img/logo.png"

    (entry,) = feed.entries
    assert entry.title == article.title
    assert entry.title_detail.type == "text/plain"
    assert entry.link == f"{SITE}/interviews/{article.slug}/"
    assert entry.id == f"urn:uuid:{article.uuid}"
    assert entry.summary == article.standfirst
    assert [author.name for author in entry.authors] == ["Ada Writer", "Ben Scribe"]
    authors = article.authors.order_by("author_links__position")
    assert [author.href for author in entry.authors] == [f"{SITE}{p.get_absolute_url()}" for p in authors]
    assert sorted(tag.term for tag in entry.tags) == ["R&D", "Économie"]
    published = timezone.localtime(article.published_at).replace(microsecond=0)
    assert entry.published == published.isoformat()
    updated = timezone.localtime(max(article.updated_at, published)).replace(microsecond=0)
    assert entry.updated == updated.isoformat()
    assert entry.content[0].type == "text/html"
    assert_full_content(entry.content[0].value, article)
    assert_lead_photo(entry, article)


def test_json_feed_carries_the_same_items(client):
    article = rich_interview()
    feed = json_feed(client)

    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Newsroom"
    assert feed["home_page_url"] == f"{SITE}/"
    assert feed["feed_url"] == f"{SITE}/feeds/json/"
    assert feed["language"] == "en"
    assert feed["icon"].startswith(SITE) and feed["favicon"].startswith(SITE)

    (item,) = feed["items"]
    assert item["id"] == f"urn:uuid:{article.uuid}"
    assert item["url"] == f"{SITE}/interviews/{article.slug}/"
    assert item["title"] == article.title
    assert item["summary"] == article.standfirst
    assert [author["name"] for author in item["authors"]] == ["Ada Writer", "Ben Scribe"]
    assert sorted(item["tags"]) == ["R&D", "Économie"]
    assert RFC_3339.match(item["date_published"]) and RFC_3339.match(item["date_modified"])
    assert_full_content(item["content_html"], article)
    (attachment,) = item["attachments"]
    assert item["image"] == attachment["url"]
    assert attachment["mime_type"] == "image/jpeg"
    assert attachment["size_in_bytes"] == default_storage.size(storage_name(attachment["url"]))


def assert_full_content(content, article):
    """Standfirst, every block in order, photos with absolute URLs, captions and credits."""
    blocks = list(article.blocks.select_related("photo"))
    expected = [article.standfirst, "Cleo Speaker, Minister", "Caption of"]
    for block in blocks:
        if block.kind == "photo":
            expected += [block.photo.caption, f"Credit: {block.photo.credit}"]
        elif block.kind == "heading":
            expected.append("<h2>Later &amp; after</h2>")
        else:
            expected.append(re.sub(r"</?p>", "", block.text.split("</p>")[0]))
    expected.append("Corrections and updates")
    expected.append("An earlier version misspelled a name.")
    position = 0
    for text in expected:  # each one after the one before
        position = content.find(text, position)
        assert position != -1, f"{text!r} missing or out of order"
    assert "<strong>Question 1?</strong>" in content
    assert "<strong>Dev Answer:</strong> Answer 1" in content
    assert "<blockquote><p>A line worth repeating.</p><p>— Cleo Speaker</p></blockquote>" in content
    sources = re.findall(r'<img [^>]*src="([^"]+)"', content)
    assert len(sources) == 2
    assert all(source.startswith(f"{SITE}/media/") for source in sources)
    assert f'<a href="{SITE}/interviews/{article.slug}/">' in content


def assert_lead_photo(entry, article):
    photo = Photo.objects.get(pk=article.lead_photo_id)
    (enclosure,) = entry.enclosures
    assert enclosure.href.startswith(f"{SITE}/media/")
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == default_storage.size(storage_name(enclosure.href))
    (media,) = entry.media_content
    assert media["url"] == enclosure.href
    assert media["medium"] == "image"
    assert int(media["width"]) > 0 and int(media["height"]) > 0
    assert int(media["width"]) / int(media["height"]) == pytest.approx(photo.width / photo.height, rel=0.01)
    assert entry.media_credit == [{"content": photo.credit}]
    assert entry.content[0].value.count(photo.caption) == 1


def test_media_rss_description_is_the_caption(client):
    article = interview()
    body = fetch(client, "/feeds/rss/").content
    item = etree.fromstring(body).find("channel/item")
    media = item.find("media:content", NS)
    assert media.find("media:description", NS).text == article.lead_photo.caption
    assert media.find("media:description", NS).get("type") == "plain"
    assert media.find("media:credit", NS).text == article.lead_photo.credit


def test_png_lead_photo_keeps_a_true_type_and_length(client):
    article = interview(lead_photo=make_photo(fmt="PNG"))
    (entry,) = parse(client, "/feeds/rss/").entries
    (enclosure,) = entry.enclosures
    name = storage_name(enclosure.href)
    assert enclosure.type == ("image/png" if name.endswith(".png") else "image/jpeg")
    assert int(enclosure.length) == default_storage.size(name)
    assert article.lead_photo.caption in entry.content[0].value


def test_photo_without_renditions_is_attached_as_the_original(client):
    photo = make_photo(size=(400, 250))
    # Stored dimensions, as an upload through the admin has them: without them
    # Django reads every photo file when it loads the row.
    Photo.objects.filter(pk=photo.pk).update(renditions={}, width=400, height=250)
    interview(lead_photo=photo)
    (entry,) = parse(client, "/feeds/rss/").entries
    (enclosure,) = entry.enclosures
    assert enclosure.href == f"{SITE}{photo.image.url}"
    assert int(enclosure.length) == default_storage.size(photo.image.name)
    # A file lost from the storage costs the enclosure, not the feed (once
    # the feed is rendered again: losing a file is not an edit).
    default_storage.delete(photo.image.name)
    caches[settings.PAGE_CACHE_ALIAS].clear()
    (entry,) = parse(client, "/feeds/rss/").entries
    assert entry.enclosures == []
    assert entry.media_content[0]["url"] == f"{SITE}{photo.image.url}"


def test_interview_without_lead_photo_has_no_enclosure(client):
    interview(lead_photo=None)
    for url in ("/feeds/rss/", "/feeds/atom/"):
        (entry,) = parse(client, url).entries
        assert entry.enclosures == []
        assert "media_content" not in entry
    (item,) = json_feed(client)["items"]
    assert item["attachments"] == [] and "image" not in item


# The formats' own rules -----------------------------------------------------------------


def test_rss_follows_the_rss_2_rules(client):
    for _ in range(3):
        interview()
    response = fetch(client, "/feeds/rss/")
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    rss = etree.fromstring(response.content)
    assert rss.tag == "rss" and rss.get("version") == "2.0"
    (channel,) = rss.findall("channel")
    for required in ("title", "link", "description", "language", "lastBuildDate"):
        assert channel.findtext(required), required
    assert RFC_822.match(channel.findtext("lastBuildDate"))
    self_link = channel.find("atom:link[@rel='self']", NS)
    assert self_link.get("href") == f"{SITE}/feeds/rss/"
    image = channel.find("image")
    assert image.findtext("title") == channel.findtext("title")
    assert image.findtext("link") == channel.findtext("link")
    assert int(image.findtext("width")) <= 144
    items = channel.findall("item")
    assert len(items) == 3
    guids = []
    for item in items:
        for required in ("title", "link", "description", "pubDate", "guid", "content:encoded", "dc:creator"):
            assert item.find(required, NS) is not None, required
        date = item.findtext("pubDate")
        assert RFC_822.match(date), date
        assert parsedate_to_datetime(date).tzinfo is not None
        assert RFC_3339.match(item.findtext("dcterms:modified", namespaces=NS))
        guid = item.find("guid")
        assert guid.get("isPermaLink") == "false"
        guids.append(guid.text)
        (enclosure,) = item.findall("enclosure")
        assert enclosure.get("url").startswith(SITE)
        assert enclosure.get("length").isdigit() and int(enclosure.get("length")) > 0
        assert enclosure.get("type") == "image/jpeg"
    assert len(set(guids)) == len(guids)


def test_atom_follows_the_atom_rules(client):
    for _ in range(3):
        interview()
    response = fetch(client, "/feeds/atom/")
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = etree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    for required in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{required}")) == 1, required
    assert RFC_3339.match(feed.findtext(f"{ATOM}updated"))
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE}/feeds/atom/"
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{SITE}/"
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Newsroom"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    ids = []
    for entry in entries:
        for required in ("id", "title", "updated", "published"):
            assert len(entry.findall(f"{ATOM}{required}")) == 1, required
        for date in ("updated", "published"):
            assert RFC_3339.match(entry.findtext(f"{ATOM}{date}"))
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith(f"{SITE}/interviews/")
        assert entry.find(f"{ATOM}author/{ATOM}name").text
        assert entry.find(f"{ATOM}content").get("type") == "html"
        assert entry.find(f"{ATOM}summary").get("type") == "html"
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(set(ids)) == len(ids)
    assert all(identifier.startswith("urn:uuid:") for identifier in ids)


def test_times_carry_the_sites_time_zone(client, settings):
    settings.TIME_ZONE = "America/Sao_Paulo"  # UTC-3 all year
    article = interview()
    rss = etree.fromstring(fetch(client, "/feeds/rss/").content).find("channel/item")
    pub_date = rss.findtext("pubDate")
    assert pub_date.endswith(" -0300")
    assert parsedate_to_datetime(pub_date) == article.published_at.replace(microsecond=0)
    (entry,) = parse(client, "/feeds/atom/").entries
    assert entry.published.endswith("-03:00")
    assert json_feed(client)["items"][0]["date_published"] == entry.published


def test_latest_twenty_newest_first(client):
    now = timezone.now()
    articles = [interview(published_at=now - timedelta(hours=hours), questions=1) for hours in range(1, 23)]
    newest = [article.title for article in articles[:20]]
    for url in SITE_FEEDS:
        assert titles(client, url) == newest


# Identity that survives editing ---------------------------------------------------


def test_guid_survives_editing_the_title_and_slug(client):
    article = interview(slug="first-slug")
    before_rss = parse(client, "/feeds/rss/").entries[0]
    before_atom = parse(client, "/feeds/atom/").entries[0]
    article.title = "A better headline"
    article.slug = "better-slug"
    article.save()
    after_rss = parse(client, "/feeds/rss/").entries[0]
    after_atom = parse(client, "/feeds/atom/").entries[0]
    assert after_rss.id == before_rss.id == f"urn:uuid:{article.uuid}"
    assert after_atom.id == before_atom.id
    assert json_feed(client)["items"][0]["id"] == before_rss.id
    assert after_rss.link == f"{SITE}/interviews/better-slug/"
    assert after_rss.title == "A better headline"


# Hostile text -------------------------------------------------------------------


def test_hostile_text_survives_every_format(client):
    tag = "R&D <i>“quoted”</i>"
    article = interview(title=HOSTILE, standfirst=f"Standfirst: {HOSTILE}", tags=[tag])
    for url in ("/feeds/rss/", "/feeds/atom/"):
        body = fetch(client, url).content
        etree.fromstring(body)  # well formed
        assert b"<script>" not in body and b"<b>" not in body
        (entry,) = parse(client, url).entries
        shown = html.unescape(entry.title) if url.endswith("/rss/") else entry.title
        assert shown == HOSTILE
        assert html.unescape(entry.summary) == f"Standfirst: {HOSTILE}"
        assert [t.term for t in entry.tags] == [tag]
        assert f"Standfirst: {HOSTILE}" in html.unescape(entry.content[0].value)
    (item,) = json_feed(client)["items"]
    assert item["title"] == HOSTILE
    assert item["summary"] == f"Standfirst: {HOSTILE}"
    assert item["tags"] == [tag]
    assert article.title == HOSTILE


# Publication state ------------------------------------------------------------------


def test_drafts_and_interviews_in_review_never_appear(client):
    person = make_person()
    interview(title="Live", tags=["shared"], authors=[person])
    interview(title="Draft", status="draft", tags=["shared"], authors=[person])
    interview(title="In review", status="review", tags=["shared"], authors=[person])
    feeds = [*SITE_FEEDS, "/tags/shared/feed/rss/", "/tags/shared/feed/atom/", "/tags/shared/feed/json/"]
    feeds += [f"/people/{person.slug}/feed/{fmt}/" for fmt in ("rss", "atom", "json")]
    for url in feeds:
        assert titles(client, url) == ["Live"], url


def test_scheduled_interview_appears_only_once_its_time_comes(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    interview(title="Live", tags=["later"])
    due = timezone.now() + timedelta(hours=2)
    interview(title="Scheduled", published_at=due, tags=["later"])
    for url in [*SITE_FEEDS, "/tags/later/feed/atom/"]:
        assert titles(client, url) == ["Live"]
    time_machine.move_to(due - timedelta(seconds=1), tick=False)
    assert titles(client, "/feeds/rss/") == ["Live"]
    time_machine.move_to(due, tick=False)
    for url in [*SITE_FEEDS, "/tags/later/feed/atom/"]:
        assert titles(client, url) == ["Scheduled", "Live"]


def test_unpublished_interview_disappears(client):
    keep = interview(title="Stays")
    gone = interview(title="Goes", published_at=keep.published_at + timedelta(minutes=1))
    assert titles(client, "/feeds/atom/") == ["Goes", "Stays"]
    gone.unpublish()
    for url in SITE_FEEDS:
        assert titles(client, url) == ["Stays"]


# Per-tag and per-person feeds -----------------------------------------------------


def test_tag_feed_has_only_that_tags_interviews(client):
    interview(title="Water one", tags=["water", "rivers"])
    interview(title="Water two", tags=["water"])
    interview(title="Energy", tags=["energy"])
    for fmt in ("rss", "atom", "json"):
        assert sorted(titles(client, f"/tags/water/feed/{fmt}/")) == ["Water one", "Water two"]
    feed = parse(client, "/tags/water/feed/atom/").feed
    assert feed.title == "Newsroom: interviews about water"
    assert feed.link == f"{SITE}/tags/water/"
    assert next(link for link in feed.links if link.rel == "self").href == f"{SITE}/tags/water/feed/atom/"


def test_tag_feed_with_accents_in_its_slug(client):
    interview(title="Prices", tags=["Économie"])
    url = reverse("articles:tag_feed_rss", kwargs={"slug": "économie"})
    assert titles(client, url) == ["Prices"]


def test_person_feed_has_interviews_given_and_written(client):
    person = make_person("Fay Both")
    interview(title="Gave", interviewees=[person])
    interview(title="Wrote", authors=[person], published_at=timezone.now() - timedelta(minutes=5))
    interview(title="Both", authors=[person], interviewees=[person, make_person()])
    interview(title="Someone else")
    for fmt in ("rss", "atom", "json"):
        assert sorted(titles(client, f"/people/{person.slug}/feed/{fmt}/")) == ["Both", "Gave", "Wrote"]
    feed = parse(client, f"/people/{person.slug}/feed/rss/").feed
    assert feed.title == "Newsroom: interviews with and by Fay Both"
    assert feed.link == f"{SITE}/people/{person.slug}/"


def test_feeds_of_unknown_or_unpublished_tags_and_people_are_not_found(client):
    draft_only = make_person()
    interview(status="draft", tags=["secret"], authors=[draft_only])
    for url in (
        "/tags/nothing/feed/rss/",
        "/tags/secret/feed/atom/",
        "/people/nobody/feed/rss/",
        f"/people/{draft_only.slug}/feed/json/",
    ):
        assert fetch(client, url).status_code == 404, url


# Absolute URLs from SITE_URL ----------------------------------------------------------


@pytest.mark.parametrize("url", SITE_FEEDS)
def test_links_use_the_canonical_origin_not_the_host_header(client, url):
    rich_interview()
    body = fetch(client, url).content.decode()
    assert OTHER_HOST not in body and "testserver" not in body
    links = re.findall(r'(?:href|url|src)(?:=|&#x3D;|": ?)\\?"(https?://[^/"\\]+)', body)
    links += re.findall(r"<(?:link|url|id|loc)>(https?://[^/<]+)", body)
    assert links and set(links) == {SITE}


# Conditional GET --------------------------------------------------------------------


@pytest.mark.parametrize("url", [*SITE_FEEDS, "/tags/cached/feed/rss/"])
def test_repeated_request_answers_not_modified(client, url, django_assert_num_queries):
    interview(tags=["cached"])
    first = fetch(client, url)
    assert first.status_code == 200
    cache_control = "public, max-age=300, s-maxage=60, stale-while-revalidate=60, stale-if-error=86400"
    assert first["Cache-Control"] == cache_control
    etag, last_modified = first["ETag"], first["Last-Modified"]
    # From the page cache.
    with django_assert_num_queries(PAGE_CACHE_HIT):
        again = fetch(client, url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == cache_control
    since = fetch(client, url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert since.status_code == 304 and since.content == b""


def test_compressed_feed_and_its_weak_etag(client):
    rich_interview()
    plain = fetch(client, "/feeds/atom/")
    packed = fetch(client, "/feeds/atom/", HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    # Each encoding is its own representation, with its own ETag; a reader
    # sending it back gets a 304.
    assert packed["ETag"] != plain["ETag"]
    again = fetch(client, "/feeds/atom/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"])
    assert again.status_code == 304


def test_new_interview_changes_etag_and_last_modified(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    interview(title="First")
    first = fetch(client, "/feeds/rss/")
    time_machine.shift(timedelta(minutes=5))
    interview(title="Second", published_at=timezone.now())
    by_etag = fetch(client, "/feeds/rss/", HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = fetch(client, "/feeds/rss/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_etag.status_code == by_date.status_code == 200
    assert by_etag["ETag"] != first["ETag"]
    assert b"Second" in by_etag.content


def test_scheduled_interview_coming_due_changes_the_etag(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    interview(title="Now")
    interview(title="Later", published_at=timezone.now() + timedelta(hours=1))
    first = fetch(client, "/feeds/atom/")
    time_machine.shift(timedelta(hours=2))
    response = fetch(client, "/feeds/atom/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert response.status_code == 200 and b"Later" in response.content


def test_unpublishing_or_deleting_changes_the_etag(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    interview(title="Stays")
    goes = interview(title="Goes")
    deleted = interview(title="Deleted")
    first = fetch(client, "/feeds/json/")
    time_machine.shift(timedelta(minutes=1))
    goes.unpublish()
    second = fetch(client, "/feeds/json/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and b"Goes" not in second.content
    deleted.delete()
    third = fetch(client, "/feeds/json/", HTTP_IF_NONE_MATCH=second["ETag"])
    assert third.status_code == 200 and b"Deleted" not in third.content


# A constant number of queries -------------------------------------------------------------


def make_long_interviews(count, questions, photos, tag, person):
    """``count`` interviews of 2 × ``questions`` + ``photos`` blocks, with rich bylines and tags."""
    lead = make_photo(size=(320, 200))
    body_photos = [make_photo(size=(320, 200)) for _ in range(2)]
    for n in range(count):
        article = interview(
            questions=questions,
            lead_photo=lead,
            authors=[person, make_person()],
            interviewees=[make_person(), make_person()],
            tags=[tag, f"extra-{n}"],
        )
        Block.objects.bulk_create(
            Block(article=article, position=100 + k, kind="photo", photo=body_photos[k % 2])
            for k in range(photos)
        )
        Correction.objects.create(article=article, text="<p>Fixed.</p>")


# The site feeds: the interviews with their lead photos, the items made by the
# first request coming from the cache (articles/feed_items.py), and the page
# cache's two. A tag or person feed adds the tag or person and the check that
# it has a published interview.
QUERIES = dict.fromkeys(SITE_FEEDS, 1 + PAGE_CACHE_MISS)
QUERIES.update({f"/tags/bulk/feed/{fmt}/": 3 + PAGE_CACHE_MISS for fmt in ("rss", "atom", "json")})
QUERIES.update({f"/people/bulk-author/feed/{fmt}/": 3 + PAGE_CACHE_MISS for fmt in ("rss", "atom", "json")})


@pytest.mark.parametrize(("count", "questions", "photos"), [(2, 1, 0), (20, 13, 4)])
def test_query_count_does_not_grow_with_items_blocks_or_photos(
    client, django_assert_num_queries, count, questions, photos
):
    person = make_person("Bulk Author", slug="bulk-author")
    make_long_interviews(count, questions, photos, "bulk", person)
    assert Block.objects.count() == count * (2 * questions + photos)
    # The first request makes every item: the interviews, one query each for
    # their authors, interviewees, tags, corrections and photo blocks, and all
    # their blocks at once (compressed, so that the page cache keeps it apart
    # from the requests below).
    with django_assert_num_queries(7 + PAGE_CACHE_MISS):
        fetch(client, "/feeds/rss/", HTTP_ACCEPT_ENCODING="gzip")
    for url, queries in QUERIES.items():
        with django_assert_num_queries(queries):
            response = fetch(client, url)
        assert response.status_code == 200
        with django_assert_num_queries(PAGE_CACHE_HIT):
            assert fetch(client, url).content == response.content
        body = response.content.decode()
        assert body.count("urn:uuid:") == count, url
        assert body.count("Question 1?") == count, url


def test_an_edited_block_reaches_the_feed_at_once(client):
    article = interview(questions=2)
    assert "Answer 2, first paragraph." in fetch(client, "/feeds/json/").content.decode()
    block = article.blocks.get(kind="answer", text__contains="Answer 2")
    block.text = "<p>Answer 2, corrected.</p>"
    block.save()
    body = fetch(client, "/feeds/json/").content.decode()
    assert "Answer 2, corrected." in body and "Answer 2, first paragraph." not in body


# Discovery ---------------------------------------------------------------------------


def test_pages_advertise_their_feeds(client):
    interview(tags=["water"], authors=[make_person("Gil Pen", slug="gil-pen")])
    home = fetch(client, "/").content.decode()
    for kind, path in (
        ("application/rss+xml", "/feeds/rss/"),
        ("application/atom+xml", "/feeds/atom/"),
        ("application/feed+json", "/feeds/json/"),
    ):
        assert f'<link rel="alternate" type="{kind}" title="Newsroom' in home
        assert f'href="{SITE}{path}"' in home
    tag_page = fetch(client, "/tags/water/").content.decode()
    assert f'href="{SITE}/feeds/rss/"' in tag_page
    assert f'title="Newsroom: interviews about water (RSS)" href="{SITE}/tags/water/feed/rss/"' in tag_page
    assert f'href="{SITE}/tags/water/feed/atom/"' in tag_page
    person_page = fetch(client, "/people/gil-pen/").content.decode()
    title = "Newsroom: interviews with and by Gil Pen (Atom)"
    assert f'title="{title}" href="{SITE}/people/gil-pen/feed/atom/"' in person_page
    for url in ("/tags/water/feed/rss/", "/people/gil-pen/feed/atom/", "/people/gil-pen/feed/json/"):
        assert fetch(client, url).status_code == 200
