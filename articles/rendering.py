"""The interview body (blocks to HTML), rendered once per version for the page and every feed.

One template, ``includes/_article_body.html``, turns an interview's blocks into
HTML for both readers: the web page, and feed readers (``feed=True``: no
classes or scripts, absolute addresses, questions in bold, a figure with one
large image). Both come out of the same walk over the same blocks, so the page
and the feeds cannot drift apart.

The result is kept in Django's cache under the article's ``body_version``, a
random value replaced, in the same transaction, by every change to what the
interview's page shows of it: the interview itself (``Article.save()``), its
blocks, its interviewees and authors, their people (names, roles, bios), a
photo it shows (caption, credit, alt text, renditions; the lead photo's for
the metadata, authors' portraits too), its tags and its corrections (see
``connect_signals``). A version is never reused, so what is cached under it
is never stale; a reader who renders while an editor saves stores the result
under the version it read, which is at worst older than the rows it read,
never newer.

The same version keys what the interview page shows around the body:
``page_parts()``, its bylines, tags, corrections and photo blocks, fetched
once per version instead of in five queries per request; and
``page_fragments()``, its header and what comes before and after the body,
rendered once per version as the body is. ``kept()`` does the same for
any value made for a list of interviews at once: their feed items
(feed_items.py) and their cards on home, tag and person pages (views.py).
The related interviews are kept under the version too, but also change with
other interviews, so they are checked as stored pages are (related.py).
"""

import hashlib
import logging
import uuid
from dataclasses import dataclass, replace
from functools import cache

from django.conf import settings
from django.core.cache import cache as default_cache
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.db.models.signals import post_delete, post_save
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.utils.html import escape

from . import caching, images, seo
from .richtext import plain_text

logger = logging.getLogger(__name__)

BODY_TEMPLATE = "includes/_article_body.html"
FEED_FIGURE_TEMPLATE = "feeds/_figure.html"
# The interview page around its body, each rendered once per version and kept as HTML.
FRAGMENT_TEMPLATES = {
    "meta_tags": "includes/_meta.html",
    "header": "includes/_article_header.html",
    "contents": "includes/_article_contents.html",
    "end": "includes/_article_end.html",
}
# What the fragments include: a deployment that changes them renders them again too.
INCLUDED_TEMPLATES = ("includes/_share_links.html", "includes/_share_menu.html", "includes/_picture.html")
# The related interviews, kept under the version too while they are current (related.py).
RELATED_TEMPLATE = "includes/_related.html"
# What a feed shows of an interview, kept under the version too (feed_items.py).
FEED_ITEM_TEMPLATE = "feeds/item_body.html"
# An interview's card on home, tag and person pages, kept under the version too (views.py).
CARD_TEMPLATE = "includes/_article_card.html"
# Wide enough for any feed reader's column, small enough for a mobile download.
FEED_IMAGE_WIDTH = 1200
# A version is never reused, so entries only need to go when space is short.
CACHE_TIMEOUT = 60 * 60 * 24 * 30
WORDS_PER_MINUTE = 230


@dataclass(frozen=True)
class Question:
    number: int
    anchor: str
    text: str


@dataclass(frozen=True)
class PageParts:
    """What the interview page shows of an article besides its row, its body and related interviews."""

    authors: list
    interviewee_links: list
    tags: list
    corrections: list
    photo_blocks: list
    # The page cache's keys (caching.py) of the rows above: instances read from
    # Django's cache are not "loaded", so a page using them depends on these.
    keys: frozenset


@dataclass(frozen=True)
class Body:
    """An interview's body, ready for the page and the feeds."""

    html: str
    feed_html: str
    questions: list
    words: int


def absolute_links(text):
    # Editors may link to pages of the site by path; a feed reader would
    # resolve those against its own address. Stored rich text is sanitized,
    # so every attribute is written as href="...".
    return text.replace('href="/', f'href="{settings.SITE_URL}/')


def bold_paragraphs(text):
    # Feed readers drop stylesheets, so questions are set apart in bold.
    # Stored rich text is sanitized: its <p> tags carry no attributes.
    return text.replace("<p>", "<p><strong>").replace("</p>", "</strong></p>")


def with_speaker(text, name):
    """An answer for feed readers, led by its speaker's name in bold."""
    label = f"<strong>{escape(name)}:</strong> "
    if text.startswith("<p>"):
        return text.replace("<p>", f"<p>{label}", 1)
    return f"<p>{label}</p>{text}"


def feed_figure(photo, caption, credit=None):
    """What a feed shows of ``photo``: one JPEG wide enough for any reader, with caption and credit."""
    image = images.rendition(photo, FEED_IMAGE_WIDTH)
    if not image:
        return None
    return {
        "url": image["url"],
        "width": image["width"],
        "height": image["height"],
        "alt": photo.alt_text,
        "caption": caption,
        "credit": photo.credit if credit is None else credit,
        "mime_type": image["type"],
    }


def reading_minutes(article, body):
    words = body.words + len(article.standfirst.split())
    return max(1, -(-words // WORDS_PER_MINUTE))


def bodies(articles):
    """The rendered body of each article, in order, rendering only those not cached yet.

    The blocks of those not cached, and their interviewees (who decide whether
    answers name their speaker) unless prefetched, are fetched in one query
    each for all of them.
    """
    keys = {article.pk: version_key(article) for article in articles}
    found = cache_call("get_many", list(keys.values())) or {}
    missing = [article for article in articles if keys[article.pk] not in found]
    if missing:
        from .models import Block

        blocks = Block.objects.select_related("photo", "speaker")
        prefetch_related_objects(
            missing, "interviewee_links", Prefetch("blocks", queryset=blocks, to_attr="body_blocks")
        )
        rendered = {keys[article.pk]: render_body(article, article.body_blocks) for article in missing}
        cache_call("set_many", rendered, CACHE_TIMEOUT)
        found.update(rendered)
    return [found[keys[article.pk]] for article in articles]


def body(article):
    return bodies([article])[0]


@dataclass(frozen=True)
class Kept:
    value: object
    # The page cache's keys (caching.py) of the rows the value was made from.
    keys: frozenset


def kept(articles, kind, make):
    """A value for each article, kept under its version: ``make`` makes only those not kept yet.

    ``make(missing)`` gets the articles not kept yet and returns their values
    in order, loading what it needs for all of them at once. Each value is kept
    with the page cache's keys of every row loaded while making them (of all
    of them: they were loaded together), and the page being rendered depends
    on those keys, whether the value was kept or made: a kept value is not
    loaded from the database, so nothing else would record them.
    """
    keys = {article.pk: version_key(article, kind) for article in articles}
    found = cache_call("get_many", list(keys.values())) or {}
    missing = [article for article in articles if keys[article.pk] not in found]
    if missing:
        with caching.recording() as loaded:
            values = make(missing)
        made = {
            keys[article.pk]: Kept(value, frozenset(loaded.keys))
            for article, value in zip(missing, values, strict=True)
        }
        cache_call("set_many", made, CACHE_TIMEOUT)
        found.update(made)
    values = []
    for article in articles:
        entry = found[keys[article.pk]]
        caching.depend_on(*entry.keys)
        values.append(entry.value)
    return values


def page_parts(article):
    """The article's ``PageParts``, from the cache when its version was seen before.

    Also sets ``article.photo_blocks`` (cover photo, lead photo placement) and
    makes the page being rendered depend on every row the parts came from.
    """
    from .models import ArticleAuthor, ArticleInterviewee, Correction, photo_blocks

    key = version_key(article, "page")
    parts = cache_call("get", key)
    if parts is None:
        with caching.recording() as loaded:
            authors = ArticleAuthor.objects.filter(article=article).select_related("person__portrait")
            interviewees = ArticleInterviewee.objects.filter(article=article).select_related("person")
            parts = PageParts(
                authors=[link.person for link in authors],
                interviewee_links=list(interviewees),
                # In the order they were entered: the first is the kicker.
                tags=list(article.tags.all()),
                corrections=list(Correction.objects.filter(article=article)),
                photo_blocks=list(photo_blocks().filter(article=article)),
                keys=frozenset(),
            )
        parts = replace(parts, keys=frozenset(loaded.keys))
        cache_call("set", key, parts, CACHE_TIMEOUT)
    caching.depend_on(*parts.keys)
    article.photo_blocks = parts.photo_blocks
    return parts


def page_fragments(article, context, metadata):
    """The interview page's metadata, header and what comes before and after its body, rendered once per version.

    ``context`` is the page's; ``metadata()`` makes its metadata (seo.py), only
    when they are not cached: ``meta``, and the HTML ``meta_tags``, ``header``,
    ``contents`` and ``end``. All they show changes only with the article's
    version, but for the question a share address lands on and whether it is
    a preview (no share links, not indexed), which are part of the key.
    """
    key = f"{version_key(article, 'fragments')}:{context['landing']}:{int(context['preview'])}"
    fragments = cache_call("get", key)
    if fragments is None:
        context = {**context, "meta": metadata()}
        fragments = {
            name: render_to_string(template, context) for name, template in FRAGMENT_TEMPLATES.items()
        }
        fragments["meta"] = context["meta"]
        cache_call("set", key, fragments, CACHE_TIMEOUT)
    return fragments


def render_body(article, blocks):
    """Render ``blocks`` (the article's, in order, with photos and speakers) for the page and for feeds."""
    from .models import Block

    show_speakers = len(article.interviewee_links.all()) > 1
    shown, questions, words = [], [], 0
    for block in blocks:
        if block.kind == Block.Kind.PHOTO:
            # A photo slot shows nothing until its photo is chosen.
            if block.is_unfilled_slot or not block.photo.image:
                continue
            block.feed_figure = feed_figure(block.photo, block.display_caption, block.display_credit)
        else:
            block.plain = plain_text(block.text)
            words += len(block.plain.split())
            block.feed_text = absolute_links(block.text)
            if block.kind == Block.Kind.QUESTION:
                block.number = len(questions) + 1
                block.anchor = f"q-{block.number}"
                block.feed_text = bold_paragraphs(block.feed_text)
                questions.append(Question(block.number, block.anchor, block.plain))
            elif block.kind == Block.Kind.QUOTE:
                # A pull quote is shared with the address of the question it sits under.
                block.section = len(questions)
            elif block.kind == Block.Kind.ANSWER and show_speakers and block.speaker:
                block.feed_text = with_speaker(block.feed_text, block.speaker.name)
        shown.append(block)
    context = {
        "blocks": shown,
        "show_speakers": show_speakers,
    }
    return Body(
        html=render_to_string(BODY_TEMPLATE, {**context, "feed": False}),
        feed_html=render_to_string(BODY_TEMPLATE, {**context, "feed": True}),
        questions=questions,
        words=words,
    )


@cache
def _templates_digest():
    # A deployment that changes how bodies or fragments look must not serve
    # the old ones from a shared cache: the templates' source is part of every key.
    names = [
        BODY_TEMPLATE,
        FEED_FIGURE_TEMPLATE,
        *FRAGMENT_TEMPLATES.values(),
        *INCLUDED_TEMPLATES,
        RELATED_TEMPLATE,
        FEED_ITEM_TEMPLATE,
        CARD_TEMPLATE,
    ]
    sources = [get_template(name).template.source for name in names]
    return hashlib.md5("".join(sources).encode(), usedforsecurity=False).hexdigest()[:12]


def version_key(article, kind="body"):
    # Absolute addresses depend on where the site, its media and its logo (a
    # hashed static file) live; the metadata names the site and its language;
    # dates are shown in the site's time zone.
    site = f"{settings.SITE_URL}|{settings.MEDIA_URL}|{static(seo.LOGO_STATIC_PATH)}"
    where = f"{site}|{settings.SITE_NAME}|{settings.SITE_LANGUAGE}|{settings.TIME_ZONE}|{_templates_digest()}"
    digest = hashlib.md5(where.encode(), usedforsecurity=False).hexdigest()[:12]
    return f"articles:{kind}:{article.uuid}:{article.body_version}:{digest}"


def cache_call(method, *args):
    # A cache that is down costs a render, never the page.
    try:
        return getattr(default_cache, method)(*args)
    except Exception:
        logger.warning("Cache unavailable for interview bodies; rendering them uncached.", exc_info=True)
        return None


# Invalidation ----------------------------------------------------------------


def new_version(articles):
    """Give every article of the queryset ``articles`` a new version (its body and page parts render again)."""
    articles.update(body_version=uuid.uuid4())


def photo_changed(photo):
    """Call after anything a reader sees of ``photo`` changes, renditions included."""
    from .models import Article

    shown = Q(blocks__photo=photo) | Q(lead_photo=photo) | Q(author_links__person__portrait=photo)
    new_version(Article.objects.filter(shown))


def article_changed(article_id):
    """Call after a change to what the page shows of an interview that sends no signal (``update()``)."""
    from .models import Article

    new_version(Article.objects.filter(pk=article_id))


def _article_row_changed(sender, instance, **kwargs):
    article_changed(instance.article_id)


def _photo_changed(sender, instance, **kwargs):
    photo_changed(instance)


def _person_changed(sender, instance, **kwargs):
    from .models import Article

    shown = (
        Q(blocks__speaker=instance) | Q(author_links__person=instance) | Q(interviewee_links__person=instance)
    )
    new_version(Article.objects.filter(shown))


def _tagging_changed(sender, instance, **kwargs):
    from .models import Article

    # Only interviews are tagged on this site.
    new_version(Article.objects.filter(pk=instance.object_id))


def _tag_changed(sender, instance, **kwargs):
    from .models import Article

    new_version(Article.objects.filter(tags=instance))


def connect_signals():
    """Signals rather than save() overrides, so that deletions by cascade,
    fixtures and revision restores (which save raw) invalidate too."""
    from taggit.models import Tag, TaggedItem

    from .models import ArticleAuthor, ArticleInterviewee, Block, Correction, Person, Photo

    for model, handler in (
        (Block, _article_row_changed),
        (ArticleInterviewee, _article_row_changed),
        (ArticleAuthor, _article_row_changed),
        (Correction, _article_row_changed),
        (Photo, _photo_changed),
        (Person, _person_changed),
        (TaggedItem, _tagging_changed),
        (Tag, _tag_changed),
    ):
        post_save.connect(handler, sender=model, dispatch_uid=f"body-{model.__name__}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"body-{model.__name__}")
