"""Metadata for search engines and social networks: meta tags, Open Graph, JSON-LD.

Every URL here is absolute and built from settings.SITE_URL (see
images.absolute_url), never from the request's Host header, which the client
controls.
"""

import json

from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from . import images
from .images import absolute_url as absolute
from .richtext import plain_text

LOGO_STATIC_PATH = "img/logo.png"
LOGO_SIZE = (600, 120)
JSON_LD_IMAGE_WIDTH = 1600  # Google asks for images at least 1200 pixels wide.


def iso(value):
    """ISO 8601 with whole seconds and the UTC offset, as Open Graph and schema.org expect."""
    return value.isoformat(timespec="seconds") if value else None


def plain_description(stored_html, length=200):
    """A meta description from rich text."""
    return Truncator(plain_text(stored_html)).chars(length)


def json_ld(data):
    """Serialize ``data`` for a <script type="application/ld+json"> element.

    Escaping <, > and & as JSON unicode escapes keeps the JSON identical for a
    parser while making "</script>" or "<!--" in a title harmless.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return mark_safe(text)


def image_object(photo, caption=None, credit=None):
    image = images.rendition(photo, JSON_LD_IMAGE_WIDTH)
    data = {"@type": "ImageObject", "url": image["url"], "contentUrl": image["url"]}
    if image["width"] and image["height"]:
        data["width"] = image["width"]
        data["height"] = image["height"]
    caption = caption if caption is not None else photo.caption
    if caption:
        data["caption"] = caption
    credit = credit if credit is not None else photo.credit
    if credit:
        data["creditText"] = credit
    if photo.licence:
        data["copyrightNotice"] = photo.licence
    return data


def publisher():
    width, height = LOGO_SIZE
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL + "/",
        "logo": {
            "@type": "ImageObject",
            "url": absolute(static(LOGO_STATIC_PATH)),
            "width": width,
            "height": height,
        },
    }


def page_metadata(title, description, path, *, og_type="website", image=None, noindex=False):
    """Metadata for a listing page (home, tag, person, search)."""
    meta = {
        "title": title,
        "description": description,
        "canonical": absolute(path),
        "noindex": noindex,
        "og": [
            ("og:type", og_type),
            ("og:site_name", settings.SITE_NAME),
            ("og:title", title),
            ("og:description", description),
            ("og:url", absolute(path)),
        ],
        "twitter": [("twitter:card", "summary")],
        "json_ld": None,
    }
    if image is not None and image.image:
        _add_image(meta, image)
    return meta


def _add_image(meta, photo):
    # X reads title, description and image from the Open Graph tags; it only
    # needs to be told the card type (and the alt text, which it does not take).
    image = images.social_image(photo)
    meta["og"].append(("og:image", image["url"]))
    if image["width"] and image["height"]:
        meta["og"] += [("og:image:width", str(image["width"])), ("og:image:height", str(image["height"]))]
    meta["og"].append(("og:image:alt", photo.alt_text))
    meta["twitter"] = [("twitter:card", "summary_large_image"), ("twitter:image:alt", photo.alt_text)]


def article_metadata(article, *, authors, interviewee_links, tags, blocks, preview=False):
    """Meta tags, Open Graph, Twitter card and NewsArticle JSON-LD for an interview."""
    canonical = absolute(article.get_absolute_url())
    description = article.description
    published = article.published_at
    modified = max(article.updated_at, published) if published and article.updated_at else article.updated_at
    meta = page_metadata(article.display_title, description, article.get_absolute_url(), og_type="article")
    meta["noindex"] = preview
    cover = article.cover_photo
    if cover and cover.image:
        _add_image(meta, cover)
    if published:
        meta["og"].append(("article:published_time", iso(published)))
    if modified:
        meta["og"].append(("article:modified_time", iso(modified)))
    meta["og"] += [("article:author", absolute(person.get_absolute_url())) for person in authors]
    meta["og"] += [("article:tag", tag.name) for tag in tags]

    # Each photo once, with the caption and credit readers see next to it.
    shown = {}
    if article.lead_photo_id and article.lead_photo.image:
        shown[article.lead_photo_id] = image_object(article.lead_photo)
    for block in blocks:
        if block.kind == "photo" and block.photo_id and block.photo.image and block.photo_id not in shown:
            shown[block.photo_id] = image_object(block.photo, block.display_caption, block.display_credit)
    photos = list(shown.values())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": description,
        "genre": "Interview",
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "inLanguage": settings.SITE_LANGUAGE,
        "datePublished": iso(published),
        "dateModified": iso(modified),
        "author": [
            {"@type": "Person", "name": person.name, "url": absolute(person.get_absolute_url())}
            for person in authors
        ],
        "about": [_interviewee(link) for link in interviewee_links],
        "publisher": publisher(),
        "image": photos,
        "keywords": [tag.name for tag in tags],
        "isAccessibleForFree": True,
    }
    meta["json_ld"] = json_ld({key: value for key, value in data.items() if value not in (None, [])})
    return meta


def question_metadata(meta, shared, share_url):
    """The interview's metadata, turned into that of one question's share address.

    The canonical link stays the interview's (one page for search engines); Open Graph names the
    share address, the question, the answer's quote and its card, which is what a network shows.
    """
    from .question_pages import DESCRIPTION_LENGTH, TITLE_LENGTH, shorten

    title = shorten(shared.question, TITLE_LENGTH)
    quote = shorten(shared.quote, DESCRIPTION_LENGTH)
    description = f"“{quote}”" + (f" — {shared.speaker}" if shared.speaker else "")
    replaced = {"og:title": title, "og:description": description, "og:url": share_url}
    og = [(key, replaced.get(key, value)) for key, value in meta["og"]]
    if shared.card:
        og = [(key, value) for key, value in og if not key.startswith("og:image")]
        og += [
            ("og:image", absolute(shared.card_url)),
            ("og:image:width", str(shared.card["width"])),
            ("og:image:height", str(shared.card["height"])),
            ("og:image:alt", f"Quote card: {description}"),
        ]
        meta["twitter"] = [
            ("twitter:card", "summary_large_image"),
            ("twitter:image:alt", f"Quote card: {description}"),
        ]
    return {**meta, "title": title, "description": description, "og": og}


def _interviewee(link):
    person = link.person
    data = {"@type": "Person", "name": person.name, "url": absolute(person.get_absolute_url())}
    # The role alone: the organisation is the affiliation, not part of the title.
    role = link.role or person.role
    if role:
        data["jobTitle"] = role
    if person.organisation:
        data["affiliation"] = {"@type": "Organization", "name": person.organisation}
    return data
