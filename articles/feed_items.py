"""What a feed shows of each interview, rendered once per version for every feed and format.

A feed item carries the whole interview as HTML (its standfirst, interviewees,
lead photo, body and corrections), its categories, authors, picture and
enclosure. All of it changes only with the interview's version
(rendering.py), so it is kept in Django's cache under that version, as the
body is, and a feed that misses the page cache fetches only the rows of its
interviews: where it fetched their authors, interviewees, tags, corrections
and photos (five queries building 20 items' worth of instances) and rendered
each item's HTML again on every request.

Like every value ``rendering.kept()`` keeps, an item keeps the page cache's
keys of the rows it was made from, and the feed being rendered depends on them.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import feedgenerator

from . import images, rendering
from .models import load_for_feed
from .rendering import FEED_IMAGE_WIDTH, feed_figure
from .seo import absolute


@dataclass(frozen=True)
class FeedItem:
    content_html: str
    categories: list
    authors: list
    # The cover photo as Media RSS shows it, and as an enclosure.
    media: dict | None
    enclosure: feedgenerator.Enclosure | None


def feed_items(articles):
    """The ``FeedItem`` of each article, in order, making only those not kept yet (in constant queries)."""
    return rendering.kept(articles, "feed-item", _make)


def _make(articles):
    load_for_feed(articles)
    return [_item(article, body) for article, body in zip(articles, rendering.bodies(articles), strict=True)]


def _item(article, body):
    cover = article.cover_photo
    image = photo_image(cover) if cover else None
    return FeedItem(
        content_html=item_body(article, body),
        categories=[tag.name for tag in article.tags.all()],
        authors=[
            {"name": link.person.name, "url": absolute(link.person.get_absolute_url())}
            for link in article.author_links.all()
        ],
        media=feed_figure(cover, cover.caption) if cover else None,
        enclosure=feedgenerator.Enclosure(image["url"], str(image["bytes"]), image["type"])
        if image
        else None,
    )


def item_body(article, body):
    """The whole interview as HTML for feed readers, with absolute URLs only."""
    lead = article.lead_photo if article.shows_lead_photo else None
    context = {
        "article": article,
        "lead": feed_figure(lead, lead.caption) if lead else None,
        "interviewee_links": article.interviewee_links.all(),
        "body": body,
        "corrections": article.corrections.all(),
        "url": absolute(article.get_absolute_url()),
        "site_name": settings.SITE_NAME,
    }
    return render_to_string(rendering.FEED_ITEM_TEMPLATE, context)


def photo_image(photo):
    """The JPEG rendition feeds show for ``photo``: a dict with url (absolute), width, height, bytes, type.

    None when the photo has no file, or no renditions and a file the storage cannot find.
    """
    image = images.rendition(photo, FEED_IMAGE_WIDTH)
    if image and image["bytes"] is None:
        # No renditions (yet): the original file, whose size only the storage knows.
        try:
            image["bytes"] = photo.image.size
        except OSError:
            return None
    return image
