"""Sitemaps for search engines, the Google News sitemap, and robots.txt.

/sitemap.xml is an index of one sitemap per section, so it keeps working when
a section outgrows the 50,000 addresses one sitemap may hold (each section is
then paginated with ?p=2 and the index lists every page).

Addresses are built from settings.SITE_URL: Django's sitemap views would use
the request's Host header, which a client controls.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from taggit.models import Tag

from . import caching, images
from .models import Article, Person, photo_blocks_prefetch
from .text import xml_safe

# Search engines fetch sitemaps rarely; an hour keeps the load negligible.
SITEMAP_MAX_AGE = 3600
NEWS_WINDOW = timedelta(hours=48)
# Google reads at most this many entries from a news sitemap.
NEWS_LIMIT = 1000
# Shared preview links of unpublished interviews live under this path.
PREVIEW_PATH = "/preview/"
AUTHORIZATION_PATH = "/authorize/"


def w3c_datetime(value):
    """The W3C datetime format sitemaps use, in the site's time zone."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def interview_lastmod(article):
    return max(article.published_at, article.updated_at)


class SiteSitemap(Sitemap):
    """A sitemap whose addresses start with settings.SITE_URL."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["lastmod_w3c"] = w3c_datetime(url["lastmod"]) if url["lastmod"] else ""
            self.add_details(url, url["item"])
        return urls

    def add_details(self, url, item):
        """Add what the section's template needs beyond the standard fields."""


class InterviewSitemap(SiteSitemap):
    """Published interviews, each with its lead and body photos (the image extension)."""

    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return (
            Article.objects.published().select_related("lead_photo").prefetch_related(photo_blocks_prefetch())
        )

    def lastmod(self, article):
        return interview_lastmod(article)

    def get_latest_lastmod(self):
        latest = Article.objects.published().aggregate(
            published=Max("published_at"), edited=Max("updated_at")
        )
        times = [time for time in latest.values() if time]
        return max(times) if times else None

    def add_details(self, url, article):
        photos = article.all_photos
        # The largest rendition: search engines index images by their best version.
        locations = []
        for photo in photos:
            location = images.rendition(photo, images.WIDTHS[-1])["url"]
            if location not in locations:
                locations.append(location)
        url["images"] = locations


def _latest_public(related):
    """A subquery: the latest publication time of the interviews matching ``related``."""
    public = Article.objects.published().filter(related).order_by("-published_at")
    return Subquery(public.values("published_at")[:1])


class TagSitemap(SiteSitemap):
    """Tag pages, for tags that have published interviews."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        latest = _latest_public(Q(tags=OuterRef("pk")))
        return Tag.objects.annotate(latest=latest).filter(latest__isnull=False).order_by("name", "pk")

    def location(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})

    def lastmod(self, tag):
        return tag.latest

    def get_latest_lastmod(self):
        return Article.objects.published().aggregate(latest=Max("published_at"))["latest"]


class PersonSitemap(SiteSitemap):
    """Pages of people who gave or wrote a published interview."""

    changefreq = "weekly"
    priority = 0.5

    def items(self):
        latest = _latest_public(
            Q(interviewee_links__person=OuterRef("pk")) | Q(author_links__person=OuterRef("pk"))
        )
        return Person.objects.annotate(latest=latest).filter(latest__isnull=False).order_by("name", "pk")

    def lastmod(self, person):
        return person.latest

    def get_latest_lastmod(self):
        return Article.objects.published().aggregate(latest=Max("published_at"))["latest"]


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
    """The sitemap index: every page of every section, with its latest change."""
    entries = []
    for name, section in SECTIONS.items():
        sitemap = section()
        location = settings.SITE_URL + reverse("articles:sitemap_section", kwargs={"section": name})
        lastmod = sitemap.get_latest_lastmod()
        for page in sitemap.paginator.page_range:
            suffix = f"?p={page}" if page > 1 else ""
            entries.append(
                {"location": location + suffix, "lastmod": w3c_datetime(lastmod) if lastmod else ""}
            )
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
