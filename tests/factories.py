"""One-line helpers to build people, photos and interviews with blocks."""

import io
import itertools
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.test import TestCase
from django.utils import timezone
from PIL import Image

from articles import search
from articles.models import Article, ArticleAuthor, ArticleInterviewee, Block, Person, Photo

_counter = itertools.count(1)


def image_bytes(width=1600, height=1000, fmt="JPEG", color=(40, 90, 140)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, fmt)
    return buffer.getvalue()


def make_photo(**fields):
    n = next(_counter)
    fmt = fields.pop("fmt", "JPEG")
    # Small by default: every photo gets renditions on save, and tests make many.
    size = fields.pop("size", (640, 400))
    color = fields.pop("color", (40, 90, 140))
    fields.setdefault("alt_text", f"Test photo {n}")
    fields.setdefault("caption", f"Caption of photo {n}")
    fields.setdefault("credit", "Test Agency/Jo Lens")
    photo = Photo(**fields)
    ext = "png" if fmt == "PNG" else "jpg"
    photo.image = ContentFile(image_bytes(*size, fmt=fmt, color=color), name=f"photo-{n}.{ext}")
    # Renditions are made after commit; a test's transaction never commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        photo.save()
    photo.refresh_from_db(fields=["renditions"])
    return photo


def make_person(name=None, **fields):
    n = next(_counter)
    name = name or f"Person {n}"
    fields.setdefault("slug", f"person-{n}")
    fields.setdefault("role", "Researcher")
    fields.setdefault("organisation", "Institute of Examples")
    fields.setdefault("bio", f"<p>{name} writes about examples.</p>")
    return Person.objects.create(name=name, **fields)


def make_article(
    title=None,
    *,
    status=Article.Status.PUBLISHED,
    published_at=None,
    questions=3,
    photos=0,
    authors=None,
    interviewees=None,
    tags=(),
    lead_photo=True,
    **fields,
):
    """An interview with ``questions`` question/answer pairs and ``photos`` photo blocks."""
    n = next(_counter)
    title = title or f"Interviewee {n}: a conversation"
    if status == Article.Status.PUBLISHED and published_at is None:
        published_at = timezone.now() - timedelta(hours=1)
    fields.setdefault("slug", f"interview-{n}")
    fields.setdefault("standfirst", f"A standfirst introducing interview {n}.")
    if lead_photo is True:
        lead_photo = make_photo()
    article = Article.objects.create(
        title=title,
        status=status,
        published_at=published_at,
        lead_photo=lead_photo or None,
        **fields,
    )
    authors = [make_person()] if authors is None else authors
    interviewees = [make_person()] if interviewees is None else interviewees
    for position, person in enumerate(authors):
        ArticleAuthor.objects.create(article=article, person=person, position=position)
    for position, person in enumerate(interviewees):
        ArticleInterviewee.objects.create(article=article, person=person, position=position)
    if tags:
        article.tags.add(*tags)
    blocks = []
    position = itertools.count(1)
    for q in range(1, questions + 1):
        blocks.append(
            Block(article=article, position=next(position), kind="question", text=f"<p>Question {q}?</p>")
        )
        blocks.append(
            Block(
                article=article,
                position=next(position),
                kind="answer",
                text=f"<p>Answer {q}, first paragraph.</p><p>Answer {q}, second paragraph.</p>",
            )
        )
        if q <= photos:
            blocks.append(Block(article=article, position=next(position), kind="photo", photo=make_photo()))
    Block.objects.bulk_create(blocks)
    search.refresh_documents(Article.objects.filter(pk=article.pk))
    return article


# What the page cache adds to a public page's queries (articles/pagecache.py):
# on a miss, the generation and next publication time before rendering and
# Last-Modified after; on a hit, the one query that checks the page is fresh,
# and, where a change token can be shared (SQLite, or the page cache in Redis:
# articles/change_token.py), none on the hits after it while nothing changes.
PAGE_CACHE_MISS = 2
PAGE_CACHE_HIT = 1
PAGE_CACHE_TRUSTED_HIT = (
    0
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    or settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    else 1
)
