"""Sitemaps for search engines, the Google News sitemap, and robots.txt.

/sitemap.xml is an index of one sitemap per section, so it keeps working when
a section outgrows the 50,000 addresses one sitemap may hold (each section is
then paginated with ?p=2 and the index lists every page).

Addresses are built from settings.SITE_URL: Django's sitemap views would use
the request's Host header, which a client controls.
"""

from collections import defaultdict
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.views.decorators.http import require_safe
from taggit.models import Tag

from . import caching, images
from .listings import ListEntry
from .models import Article, Block, Person, Photo
from .text import xml_safe

# What one sitemap may hold (sitemaps.org): 50,000 addresses and 50 MB uncompressed.
MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024
# Search engines fetch sitemaps rarely; an hour keeps the load negligible.
SITEMAP_MAX_AGE = 3600
NEWS_WINDOW = timedelta(hours=48)
# Google reads at most this many entries from a news sitemap.
NEWS_LIMIT = 1000
# Interviews whose photos are loaded together: each query's list of ids stays
# far below SQLite's limit of 32,766 parameters, whatever the page size.
PHOTO_BATCH = 1000
# Upper bounds of the bytes the templates add around an address (<url> and its
# lastmod), for the document's head and foot, and around an image.
URL_BYTES = 100
HEAD_BYTES = 300
IMAGE_BYTES = 60
# Shared preview links of unpublished interviews live under this path.
PREVIEW_PATH = "/preview/"
AUTHORIZATION_PATH = "/authorize/"


def w3c_datetime(value):
    """The W3C datetime format sitemaps use, in the site's time zone."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def interview_lastmod(article):
    return max(article.published_at, article.updated_at)


class SiteSitemap(Sitemap):
    """A sitemap whose addresses start with settings.SITE_URL.

    No changefreq or priority: Google ignores both, and they weigh on pages
    of 50,000 addresses.
    """

    @property
    def limit(self):
        # Read at each use, so that a test can lower it.
        return MAX_URLS

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        self.load_details(urls)
        for url in urls:
            url["lastmod_w3c"] = w3c_datetime(url["lastmod"]) if url["lastmod"] else ""
            self.add_details(url, url["item"])
        return urls

    def page_count(self):
        return self.paginator.num_pages

    def load_details(self, urls):
        """Load, in a few queries, what ``add_details`` reads from the page's items."""

    def add_details(self, url, item):
        """Add what the section's template needs beyond the standard fields."""


class InterviewSitemap(SiteSitemap):
    """Published interviews, each with its lead and body photos (the image extension)."""

    def items(self):
        return Article.objects.published().only("slug", "published_at", "updated_at", "lead_photo")

    def lastmod(self, article):
        return interview_lastmod(article)

    def load_details(self, urls):
        # A page may list 50,000 interviews: their body's photo ids come as
        # plain pairs rather than 100,000 blocks, each photo is loaded once
        # however many interviews show it, and only what its address needs.
        articles = [url["item"] for url in urls]
        body = defaultdict(list)
        for start in range(0, len(articles), PHOTO_BATCH):
            blocks = Block.objects.filter(
                article__in=articles[start : start + PHOTO_BATCH], kind=Block.Kind.PHOTO, photo__isnull=False
            )
            for article_id, photo_id in blocks.values_list("article", "photo"):
                body[article_id].append(photo_id)
        for article in articles:
            lead = [article.lead_photo_id] if article.lead_photo_id else []
            # Each photo once, the lead photo first, as on the page.
            article.photo_ids = list(dict.fromkeys(lead + body[article.pk]))
        photo_ids = {photo_id for article in articles for photo_id in article.photo_ids}
        self.photos = Photo.objects.only("image", "width", "height", "renditions").in_bulk(photo_ids)
        self.photo_locations = {}
        # Every address is listed; photos only while the page stays under
        # MAX_BYTES (interviews of dozens of photos each could pass it), since
        # a search engine refuses a larger sitemap whole.
        self.bytes_left = (
            MAX_BYTES - HEAD_BYTES - sum(len(escape(url["location"])) + URL_BYTES for url in urls)
        )

    def add_details(self, url, article):
        url["images"] = []
        for photo_id in article.photo_ids:
            if photo_id not in self.photo_locations:
                # The largest rendition: search engines index images by their best version.
                location = images.rendition(self.photos[photo_id], images.WIDTHS[-1])["url"]
                self.photo_locations[photo_id] = (location, len(escape(location)) + IMAGE_BYTES)
            location, size = self.photo_locations[photo_id]
            if size <= self.bytes_left:
                url["images"].append(location)
                self.bytes_left -= size


class ListingSitemap(SiteSitemap):
    """Pages listing the interviews of a tag or a person that has published ones.

    An address's lastmod is the latest publication among its interviews: for
    each tag or person, the newest entry up to now of each of its lists, one
    lookup in the lists' index (listings.py).
    """

    model = None
    kinds = ()

    def lastmod(self, item):
        return item.latest

    def page_count(self):
        # Each tag or person has at most one address here: while all of them
        # fit on one page, the index need not find out which have one.
        if self.model.objects.count() <= self.limit:
            return 1
        return super().page_count()

    def items(self):
        newest = {
            f"latest_{kind}": Subquery(
                ListEntry.objects.public()
                .filter(kind=kind, item_id=OuterRef("pk"))
                .order_by("-published_at")
                .values("published_at")[:1]
            )
            for kind in self.kinds
        }
        items = []
        # Those without one are left out here rather than by the query, which
        # would look each lookup up twice.
        for item in self.model.objects.only("name", "slug").annotate(**newest):
            times = [getattr(item, name) for name in newest if getattr(item, name)]
            if times:
                item.latest = max(times)
                items.append(item)
        return sorted(items, key=lambda item: (item.name, item.pk))


class TagSitemap(ListingSitemap):
    model = Tag
    kinds = [ListEntry.Kind.TAG]

    def location(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})


class PersonSitemap(ListingSitemap):
    """People who gave or wrote a published interview."""

    model = Person
    kinds = [ListEntry.Kind.GIVEN, ListEntry.Kind.WRITTEN]


class NewsSitemap(SiteSitemap):
    """Interviews published in the last 48 hours, in the Google News sitemap format."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return Article.objects.published().filter(published_at__gte=since)[:NEWS_LIMIT]

    def lastmod(self, article):
        return interview_lastmod(article)

    def add_details(self, url, article):
        # The page changes when this interview leaves the window: no cache keeps it past then.
        caching.valid_until(article.published_at + NEWS_WINDOW)
        url["news"] = {
            "name": settings.SITE_NAME,
            "language": settings.SITE_LANGUAGE,
            "publication_date": w3c_datetime(article.published_at),
            # Stored titles are clean; an XML document must not depend on it.
            "title": xml_safe(article.title),
        }


SECTIONS = {"interviews": InterviewSitemap, "tags": TagSitemap, "people": PersonSitemap}


def _cacheable(response):
    patch_cache_control(response, public=True, max_age=SITEMAP_MAX_AGE)
    return response


@require_safe
def index(request):
    """The sitemap index: every page of every section, with when the sections last changed.

    That is when an interview was last published (a scheduled one at its
    time), or a public one edited or unpublished, which is also when the
    site's lists last changed (caching.LISTINGS): two lookups in an index,
    not a pass over every interview's times.
    """
    latest = Article.objects.published().order_by("-published_at").values_list("published_at", flat=True)
    times = [time for time in (latest.first(), caching.changed_at(caching.LISTINGS)) if time]
    lastmod = w3c_datetime(max(times)) if times else ""
    entries = []
    for name, section in SECTIONS.items():
        location = settings.SITE_URL + reverse("articles:sitemap_section", kwargs={"section": name})
        for page in range(1, section().page_count() + 1):
            suffix = f"?p={page}" if page > 1 else ""
            entries.append({"location": location + suffix, "lastmod": lastmod})
    response = TemplateResponse(
        request, "sitemaps/index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
    return _cacheable(response)


@require_safe
def section(request, section):
    if section not in SECTIONS:
        raise Http404("No such sitemap.")
    response = sitemap_views.sitemap(
        request, {section: SECTIONS[section]}, section=section, template_name="sitemaps/sitemap.xml"
    )
    return _cacheable(response)


@require_safe
def news(request):
    response = sitemap_views.sitemap(request, {"news": NewsSitemap}, template_name="sitemaps/news.xml")
    return _cacheable(response)


@require_safe
def robots_txt(request):
    context = {
        "admin": reverse("admin:index"),
        "preview": PREVIEW_PATH,
        "authorization": AUTHORIZATION_PATH,
        "sitemaps": [settings.SITE_URL + reverse(f"articles:{name}") for name in ("sitemap", "sitemap_news")],
    }
    response = render(request, "sitemaps/robots.txt", context, content_type="text/plain; charset=utf-8")
    return _cacheable(response)
