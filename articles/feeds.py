"""Feeds of published interviews: RSS 2.0, Atom 1.0 and JSON Feed 1.1.

``InterviewFeed`` picks the interviews and describes each one; ``TagFeed`` and
``PersonFeed`` narrow the choice. Every feed is served in three formats by
giving the instance a generator, so all formats carry the same item data.

Every link is absolute and built from settings.SITE_URL. Django's Feed would
otherwise prefix relative links with the request's Host header (it falls back
to RequestSite, since django.contrib.sites is not installed), which a client
controls; handing it absolute URLs leaves nothing for it to prefix.
"""

import json

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils import feedgenerator, timezone
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import rfc3339_date
from django.utils.html import escape
from taggit.models import Tag

from .feed_items import feed_items
from .listings import ListEntry
from .models import Article, Person
from .seo import LOGO_STATIC_PATH, absolute
from .text import xml_safe

FEED_LENGTH = 20
# Feed readers poll; five minutes keeps a new interview prompt without
# rebuilding the feed for every poll.
FEED_MAX_AGE = 300
# RSS channel images may be at most 144 pixels wide.
CHANNEL_IMAGE = ("feeds/icon-144.png", 144, 144)
ICON = "feeds/icon-512.png"
FAVICON = "feeds/icon-64.png"

NAMESPACES = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "media": "http://search.yahoo.com/mrss/",
}


def add_media_content(handler, media):
    """Media RSS for the lead photo: what aggregators show as the item's picture."""
    attrs = {"url": media["url"], "medium": "image", "type": media["mime_type"]}
    if media["width"] and media["height"]:
        attrs.update(width=str(media["width"]), height=str(media["height"]))
    handler.startElement("media:content", attrs)
    if media["caption"]:
        handler.addQuickElement("media:description", media["caption"], {"type": "plain"})
    if media["credit"]:
        handler.addQuickElement("media:credit", media["credit"])
    handler.endElement("media:content")


def _xml_safe(data):
    """``data`` (strings, lists, dicts) with every string made safe for XML."""
    if isinstance(data, dict):
        return {key: _xml_safe(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return type(data)(_xml_safe(value) for value in data)
    return xml_safe(data)


class XmlSafeMixin:
    """A feed that never fails on content: stored text is clean, but a feed must not depend on it.

    Django's XML writer raises on control characters, which would answer 500
    for the whole feed; the channel's and every item's data are cleaned first.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*_xml_safe(args), **_xml_safe(kwargs))

    def add_item(self, *args, **kwargs):
        super().add_item(*_xml_safe(args), **_xml_safe(kwargs))


class InterviewRssFeed(XmlSafeMixin, feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with the full interview, its authors, its update time and Media RSS."""

    # RSS readers treat titles and descriptions as HTML (see Django ticket
    # #6533), so text is escaped once more: "<" in a headline stays a "<".
    def __init__(self, title, link, description, **kwargs):
        super().__init__(escape(title), link, escape(description), **kwargs)

    def add_item(self, title, link, description, **kwargs):
        super().add_item(escape(title), link, escape(description), **kwargs)

    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs.update({f"xmlns:{prefix}": uri for prefix, uri in NAMESPACES.items()})
        return attrs

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        image = self.feed["channel_image"]
        handler.startElement("image", {})
        handler.addQuickElement("url", image["url"])
        handler.addQuickElement("title", self.feed["title"])
        handler.addQuickElement("link", self.feed["link"])
        handler.addQuickElement("width", str(image["width"]))
        handler.addQuickElement("height", str(image["height"]))
        handler.endElement("image")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        # RSS has no update time of its own; Dublin Core's is the usual extension.
        handler.addQuickElement("dcterms:modified", rfc3339_date(item["updateddate"]))
        for author in item["authors"]:
            handler.addQuickElement("dc:creator", author["name"])
        handler.addQuickElement("content:encoded", item["content_html"])
        if item["media"]:
            add_media_content(handler, item["media"])


class InterviewAtomFeed(XmlSafeMixin, feedgenerator.Atom1Feed):
    """Atom 1.0 with the full interview as HTML content, every author and Media RSS."""

    def add_item(self, title, link, description, **kwargs):
        # Atom writes the summary as type="html".
        super().add_item(title, link, escape(description), **kwargs)

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": NAMESPACES["media"]}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        handler.addQuickElement("icon", self.feed["icon"])
        handler.addQuickElement("logo", self.feed["logo"])

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", author["name"])
            handler.addQuickElement("uri", author["url"])
            handler.endElement("author")
        handler.addQuickElement("content", item["content_html"], {"type": "html"})
        if item["media"]:
            add_media_content(handler, item["media"])


class InterviewJsonFeed(feedgenerator.SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1), from the same item data."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        outfile.write(json.dumps(self.as_dict(), ensure_ascii=False))

    def as_dict(self):
        feed = self.feed
        return {
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "icon": feed["icon"],
            "favicon": feed["favicon"],
            "language": feed["language"],
            "authors": [{"name": feed["author_name"], "url": feed["author_link"]}],
            "items": [self.item_dict(item) for item in self.items],
        }

    def item_dict(self, item):
        data = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item["content_html"],
            "summary": item["description"],
            "date_published": rfc3339_date(item["pubdate"]),
            "date_modified": rfc3339_date(item["updateddate"]),
            "authors": item["authors"],
            "tags": item["categories"],
        }
        if item["media"]:
            data["image"] = item["media"]["url"]
        data["attachments"] = [
            {"url": enclosure.url, "mime_type": enclosure.mime_type, "size_in_bytes": int(enclosure.length)}
            for enclosure in item["enclosures"]
        ]
        return data


FORMATS = {"rss": InterviewRssFeed, "atom": InterviewAtomFeed, "json": InterviewJsonFeed}


def feed_time(value):
    """A time in the site's time zone, to the second as feed readers show it."""
    return timezone.localtime(value).replace(microsecond=0)


class InterviewFeed(Feed):
    """The latest published interviews of the whole site."""

    url_name = "feed"

    def __init__(self, format="rss"):
        self.format = format
        self.feed_type = FORMATS[format]

    # The page cache (articles/pagecache.py) gives feeds their ETag and
    # Last-Modified from what they show, and answers conditional requests.
    def __call__(self, request, *args, **kwargs):
        obj = self.get_object(request, *args, **kwargs)
        feed = self.get_feed(obj, request)
        response = HttpResponse(content_type=feed.content_type)
        feed.write(response, "utf-8")
        patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
        return response

    def interviews(self, obj):
        return Article.objects.published()

    def url_kwargs(self, obj):
        return {}

    def items(self, obj):
        articles = list(self.interviews(obj).select_related("lead_photo")[:FEED_LENGTH])
        for article, item in zip(articles, feed_items(articles), strict=True):
            article.feed_item = item
        return articles

    # The channel.

    @property
    def language(self):
        return settings.SITE_LANGUAGE

    def title(self, obj):
        return settings.SITE_NAME

    def link(self, obj):
        return absolute(reverse("articles:home"))

    def description(self, obj):
        return settings.SITE_DESCRIPTION

    def subtitle(self, obj):
        return self.description(obj)

    def feed_url(self, obj):
        return absolute(reverse(f"articles:{self.url_name}_{self.format}", kwargs=self.url_kwargs(obj)))

    def author_name(self, obj):
        return settings.SITE_NAME

    def author_link(self, obj):
        return absolute(reverse("articles:home"))

    def feed_extra_kwargs(self, obj):
        path, width, height = CHANNEL_IMAGE
        return {
            "channel_image": {"url": absolute(static(path)), "width": width, "height": height},
            "icon": absolute(static(ICON)),
            "favicon": absolute(static(FAVICON)),
            "logo": absolute(static(LOGO_STATIC_PATH)),
        }

    # Each interview.

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.standfirst

    def item_link(self, article):
        return absolute(article.get_absolute_url())

    def item_guid(self, article):
        # Never the URL: editing the title or the slug must not make the
        # interview look new to feed readers.
        return article.uuid.urn

    item_guid_is_permalink = False

    def item_pubdate(self, article):
        return feed_time(article.published_at)

    def item_updateddate(self, article):
        return feed_time(max(article.published_at, article.updated_at))

    def item_categories(self, article):
        return article.feed_item.categories

    def item_enclosures(self, article):
        enclosure = article.feed_item.enclosure
        return [enclosure] if enclosure else []

    def item_extra_kwargs(self, article):
        item = article.feed_item
        return {"content_html": item.content_html, "authors": item.authors, "media": item.media}


class TagFeed(InterviewFeed):
    """The latest published interviews with one tag."""

    url_name = "tag_feed"

    def get_object(self, request, slug):
        tag = get_object_or_404(Tag, slug=slug)
        if not self.interviews(tag).exists():
            raise Http404("No published interviews with this tag.")
        return tag

    def interviews(self, tag):
        # The newest of its list, from the list's index (see listings.py).
        entries = ListEntry.objects.public().of(tag, ListEntry.Kind.TAG)
        return Article.objects.published().filter(pk__in=entries.values("article_id")[:FEED_LENGTH])

    def url_kwargs(self, tag):
        return {"slug": tag.slug}

    def title(self, tag):
        return f"{settings.SITE_NAME}: interviews about {tag.name}"

    def link(self, tag):
        return absolute(reverse("articles:tag", kwargs={"slug": tag.slug}))

    def description(self, tag):
        return f"The latest interviews about {tag.name} from {settings.SITE_NAME}."


class PersonFeed(InterviewFeed):
    """The latest published interviews a person gave or wrote."""

    url_name = "person_feed"

    def get_object(self, request, slug):
        person = get_object_or_404(Person, slug=slug)
        if not self.interviews(person).exists():
            raise Http404("No published interviews with or by this person.")
        return person

    def interviews(self, person):
        entries = ListEntry.objects.public().of(person, ListEntry.Kind.GIVEN, ListEntry.Kind.WRITTEN)
        # Someone who gave and wrote an interview has it twice on their lists:
        # twice the feed's length of entries always holds enough interviews.
        return Article.objects.published().filter(pk__in=entries.values("article_id")[: 2 * FEED_LENGTH])

    def url_kwargs(self, person):
        return {"slug": person.slug}

    def title(self, person):
        return f"{settings.SITE_NAME}: interviews with and by {person.name}"

    def link(self, person):
        return absolute(person.get_absolute_url())

    def description(self, person):
        return f"The latest interviews given or written by {person.name}, from {settings.SITE_NAME}."
