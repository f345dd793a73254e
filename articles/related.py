"""The related interviews at the foot of an interview page, found once and kept while they are current.

Finding them is the page's dearest query: published interviews sharing a tag
or an interviewee, newest first, a join the ORM spends a millisecond building
(a third of the uncached page's CPU, bench/serve_and_measure.py --profile).
So their HTML is kept in Django's cache under the interview's version (which
changes with its own tags and interviewees, rendering.py), with what the page
cache keeps for a whole page (pagecache.py): the generation read before the
page rendered, the keys of everything the list loaded or depends on, and the
next scheduled publication time then. It is reused while none of those keys
changed since (``caching.is_fresh``, one query that costs a tenth of the
search) and that time has not come, so it is exactly as current as the page
cache: a related interview edited, unpublished, newly tagged or published
with one of the interview's tags or people makes it found again.
"""

import time
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string

from . import caching, rendering
from .models import Article, ArticleInterviewee, load_cover_photos, taggings

COUNT = 4
TEMPLATE = rendering.RELATED_TEMPLATE


@dataclass(frozen=True)
class RelatedList:
    html: str
    # Freshness as the page cache decides it: none of ``keys`` changed after ``generation``.
    keys: tuple
    generation: int
    # When the next scheduled interview comes out (a timestamp), after which it may belong in the list.
    expires: float | None
    # The latest publication or edit time of the interviews listed, for the page's Last-Modified.
    latest: datetime | None


def related_html(article, tags, interviewee_links):
    """The HTML of the interview's related interviews (empty without any), from the cache while current.

    The page being rendered depends on what the list shows, kept or not.
    """
    key = rendering.version_key(article, "related")
    kept = rendering.cache_call("get", key)
    if kept is None or not _current(kept):
        kept = _render(article, tags, interviewee_links)
        rendering.cache_call("set", key, kept, rendering.CACHE_TIMEOUT)
    caching.depend_on(*kept.keys)
    caching.saw_time(kept.latest)
    return kept.html


def _current(kept):
    if kept.expires is not None and time.time() >= kept.expires:
        return False
    return caching.is_fresh(kept.keys, kept.generation)


def _render(article, tags, interviewee_links):
    # Read before the list: whatever changes after it makes the list stale.
    generation, next_publication = caching.current_snapshot()
    with caching.recording() as dependencies:
        # Other interviews joining or leaving these lists change the related ones.
        caching.depend_on(*(caching.key(tag) for tag in tags))
        caching.depend_on(*(f"person-{link.person_id}" for link in interviewee_links))
        html = render_to_string(TEMPLATE, {"related": find(article, tags, interviewee_links)})
    until = [t for t in (next_publication, dependencies.valid_until) if t is not None]
    return RelatedList(
        html=html,
        keys=tuple(dependencies.checked_keys()),
        generation=generation,
        expires=min(until).timestamp() if until else None,
        latest=dependencies.latest,
    )


def find(article, tags, interviewee_links):
    """Published interviews sharing a tag or an interviewee, the most recent first.

    Asked the way each database answers fastest, at 200 interviews as at
    10,000 (bench/scale.py). SQLite: one join, the cheapest query to build.
    PostgreSQL: each interview, newest first, is asked whether it shares one
    (EXISTS), since the join reaches taggit's integer ``object_id`` through a
    cast no index can follow (see models.taggings): 24 ms at 10,000
    interviews against 2 ms.
    """
    guests = [link.person_id for link in interviewee_links]
    public = Article.objects.published().exclude(pk=article.pk)
    if connection.vendor == "postgresql":
        same_tag = taggings(tags).filter(object_id=OuterRef("pk"))
        same_person = ArticleInterviewee.objects.filter(person__in=guests, article=OuterRef("pk"))
        public = public.filter(Exists(same_tag) | Exists(same_person))
    else:
        public = public.filter(Q(tags__in=tags) | Q(interviewee_links__person__in=guests)).distinct()
    related = list(public.select_related("lead_photo").order_by("-published_at", "-id")[:COUNT])
    load_cover_photos(related)
    return related
