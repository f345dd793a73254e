"""What a public page shows, and telling every cache when that changes.

Every public page depends on *keys*: ``article-12``, ``person-3``, ``photo-7``,
``tag-5``, plus ``listings`` (which interviews the site-wide lists hold) and
``schedule`` (when the next scheduled interview comes out). The same keys are
the page's ``Surrogate-Key`` for Varnish and CDNs.

- Reading: while a public page renders, every instance of a watched model the
  page loads from the database adds its keys (``recording()``); whatever a
  page loaded, it depends on.
- Writing: saving or deleting a watched instance bumps its keys in the
  ``ContentVersion`` table, in the same transaction as the change, and after
  commit asks the configured HTTP cache to purge them (articles/purgers.py).
  A draft's edits bump only the draft's own key, which no public page holds.

Freshness is decided by the database, which every worker and machine shares:
one global counter (the ``generation`` row) goes up with every bump, and each
bumped key records the counter's new value. A page stored at generation G is
fresh while none of its keys has a version above G (``is_fresh``, one query).
Each change also replaces a token (articles/change_token.py) with which a
process can tell, without that query, that nothing changed since it last asked.

New models that public pages show: call ``watch(Model, keys)`` once (as the
bottom of this module does for ours). Code that changes shown rows without
``save()`` (``QuerySet.update()``, ``bulk_create()``) calls ``changed(...)``.
"""

import contextlib
import contextvars
import logging
import threading
from datetime import datetime

from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import F, Subquery
from django.db.models.signals import post_delete, post_init, post_save, pre_delete, pre_save
from django.utils import timezone

from . import change_token

logger = logging.getLogger(__name__)

GENERATION = "generation"
LISTINGS = "listings"
SCHEDULE = "schedule"
# Beyond this many keys (a sitemap of every tag), a page depends on every
# change instead, and its Surrogate-Key names it by OVERFLOW, which every purge
# includes: an unbounded IN list or header costs more than the rare re-render.
MAX_KEYS = 300
OVERFLOW = "overflow"


class ContentVersion(models.Model):
    """The last generation in which something that public pages show changed."""

    # Slug-shaped ("article-12"); never typed by people, so no text cleaning.
    key = models.SlugField(max_length=100, unique=True)
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "articles"

    def __str__(self):
        return f"{self.key} @ {self.version}"


def key(obj):
    """The key of a model instance: ``article-12``."""
    return f"{obj._meta.model_name}-{obj.pk}"


def article_key(article_id):
    return f"article-{article_id}"


# Reading: what a page depends on ---------------------------------------------


class Dependencies:
    """The keys a page loaded, and the latest publication or edit time of its interviews."""

    def __init__(self, snapshot=None):
        self.keys = {SCHEDULE}
        self.latest = None
        self.valid_until = None
        # What snapshot() read before the page started rendering, for the fragments kept on their own (related.py).
        self.snapshot = snapshot

    def add(self, *keys):
        self.keys.update(keys)

    def saw_time(self, time):
        if time is not None and (self.latest is None or time > self.latest):
            self.latest = time

    @property
    def overflowed(self):
        return len(self.keys) > MAX_KEYS

    def surrogate_keys(self):
        if self.overflowed:
            return sorted({OVERFLOW, LISTINGS, SCHEDULE})
        return sorted(self.keys)

    def checked_keys(self):
        """The keys whose versions decide freshness (the generation itself when there are too many)."""
        return [GENERATION] if self.overflowed else sorted(self.keys)


_recording = contextvars.ContextVar("page_dependencies", default=None)


@contextlib.contextmanager
def recording(snapshot=None):
    """Collect the keys of every watched instance loaded inside the block.

    ``snapshot`` is what ``snapshot()`` read before, if it was.
    """
    dependencies = Dependencies(snapshot)
    token = _recording.set(dependencies)
    try:
        yield dependencies
    finally:
        _recording.reset(token)


def depend_on(*keys):
    """For a page whose dependency no loaded instance shows (a site-wide list)."""
    dependencies = _recording.get()
    if dependencies is not None:
        dependencies.add(*keys)


def saw_time(time):
    """For a page showing an interview published or edited at ``time`` that it did not load (a kept fragment)."""
    dependencies = _recording.get()
    if dependencies is not None:
        dependencies.saw_time(time)


def valid_until(time):
    """For a page that changes by itself at ``time`` (an item leaving a time window): keep it no longer."""
    dependencies = _recording.get()
    if dependencies is not None and (dependencies.valid_until is None or time < dependencies.valid_until):
        dependencies.valid_until = time


def snapshot():
    """(generation, next scheduled publication time), read before a page renders. One query.

    The generation must be read before the page's content: a change committed
    after this read has a higher version, so the page stored with this
    generation is stale at once, whatever the render saw.
    """
    Article = apps.get_model("articles", "Article")
    upcoming = Article.objects.scheduled().order_by("published_at").values("published_at")[:1]
    row = (
        ContentVersion.objects.filter(key=GENERATION)
        .annotate(next_publication=Subquery(upcoming))
        .values_list("version", "next_publication")
        .first()
    )
    if row is None:  # Nothing was ever bumped (or a test flushed the table).
        return 0, upcoming.values_list("published_at", flat=True).first()
    return row


def current_snapshot():
    """The snapshot read before the page being rendered, or a new one when it was not read (one query)."""
    dependencies = _recording.get()
    if dependencies is not None and dependencies.snapshot is not None:
        return dependencies.snapshot
    return snapshot()


def is_fresh(keys, generation):
    """No key changed after ``generation``. One query.

    This is the whole cost of a cache hit, and the ORM spends four times
    longer building it than the database spends answering it, so it is plain
    SQL (the ORM's own query, ``ContentVersion.objects.filter(key__in=keys,
    version__gt=generation).exists()``, written out).
    """
    quote = connection.ops.quote_name
    table, version, key_column = quote(ContentVersion._meta.db_table), quote("version"), quote("key")
    placeholders = ", ".join(["%s"] * len(keys))
    sql = f"SELECT 1 FROM {table} WHERE {version} > %s AND {key_column} IN ({placeholders}) LIMIT 1"
    with connection.cursor() as cursor:
        cursor.execute(sql, [generation, *keys])
        return cursor.fetchone() is None


def changed_at(key):
    """When ``key`` last changed (None if it never did). One query."""
    return ContentVersion.objects.filter(key=key).values_list("changed_at", flat=True).first()


def last_modified(dependencies):
    """When what the page shows last changed: its keys' changes and its interviews' times. One query.

    ``schedule`` does not count: it moves when an embargoed interview is
    rescheduled, which readers must not learn from a public page.

    Every page rendered pays for this query, and the ORM spends ten times
    longer building it than the database answering it (0.24 against 0.025 ms
    in-process), so it is plain SQL, as ``is_fresh`` is: the ORM's
    ``ContentVersion.objects.filter(key__in=keys).aggregate(Max("changed_at"))``,
    written out.
    """
    keys = [k for k in dependencies.keys if k != SCHEDULE] if not dependencies.overflowed else []
    changed = None
    if keys:
        quote = connection.ops.quote_name
        table, changed_at, key_column = (
            quote(ContentVersion._meta.db_table),
            quote("changed_at"),
            quote("key"),
        )
        placeholders = ", ".join(["%s"] * len(keys))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT MAX({changed_at}) FROM {table} WHERE {key_column} IN ({placeholders})", keys
            )
            changed = _datetime_from_db(cursor.fetchone()[0])
    times = [time for time in (changed, dependencies.latest) if time is not None]
    return max(times) if times else None


def _datetime_from_db(value):
    # As the ORM converts it: SQLite hands back text in the connection's time zone, PostgreSQL a datetime.
    if isinstance(value, str):
        return timezone.make_aware(datetime.fromisoformat(value), connection.timezone)
    return value


# Writing: bumping keys --------------------------------------------------------

_pending = threading.local()


def changed(*keys, using="default"):
    """Mark ``keys`` changed: pages holding any of them are stale once the current transaction commits.

    Accepts keys (``"article-3"``) or model instances. The versions are
    written in the caller's transaction, so the change and its invalidation
    commit (or roll back) together; the HTTP cache purge runs after commit.
    """
    names = {k if isinstance(k, str) else key(k) for k in keys}
    names.discard(GENERATION)
    if not names:
        return
    now = timezone.now()
    with transaction.atomic(using=using, savepoint=False):
        counter = ContentVersion.objects.using(using).filter(key=GENERATION)
        if not counter.update(version=F("version") + 1, changed_at=now):
            ContentVersion.objects.using(using).get_or_create(key=GENERATION, defaults={"version": 0})
            counter.update(version=F("version") + 1, changed_at=now)
        generation = counter.values_list("version", flat=True).get()
        ContentVersion.objects.using(using).bulk_create(
            [ContentVersion(key=name, version=generation, changed_at=now) for name in sorted(names)],
            update_conflicts=True,
            unique_fields=["key"],
            update_fields=["version", "changed_at"],
        )
    change_token.replace()
    _purge_after_commit(names, using)


def _purge_after_commit(names, using):
    from . import purgers

    if not purgers.configured():
        return
    # One purge per transaction, with every key it changed. A rollback drops
    # the registered callback, and with it the keys gathered so far.
    connection = transaction.get_connection(using)
    pending = getattr(_pending, "keys", None)
    registered = pending is not None and any(
        callback is _flush_purge for _, callback, _ in connection.run_on_commit
    )
    if registered:
        _pending.keys.update(names)
    else:
        _pending.keys = set(names)
        transaction.on_commit(_flush_purge, using=using)


def _flush_purge():
    from . import purgers

    keys = getattr(_pending, "keys", None) or set()
    _pending.keys = None
    if keys:
        purgers.purge(keys | {OVERFLOW})


# Watching models --------------------------------------------------------------

_watched = {}


def watch(model, keys):
    """Make public pages depend on ``model``.

    ``keys(instance)`` returns the keys an instance stands for, from its own
    field values without queries (for example ``{article_key(obj.article_id)}``).
    A page that loads an instance depends on them; saving or deleting one
    bumps them, for the values before and after the save.
    """
    _watched[model] = keys
    post_init.connect(_loaded, sender=model, weak=False, dispatch_uid=f"caching-init-{model.__name__}")
    pre_save.connect(_before_save, sender=model, weak=False, dispatch_uid=f"caching-pre-{model.__name__}")
    post_save.connect(_saved, sender=model, weak=False, dispatch_uid=f"caching-save-{model.__name__}")
    post_delete.connect(_deleted, sender=model, weak=False, dispatch_uid=f"caching-del-{model.__name__}")


def _loaded(sender, instance, **kwargs):
    dependencies = _recording.get()
    if dependencies is not None and instance.pk is not None:
        dependencies.add(*_watched[sender](instance))


def _before_save(sender, instance, raw=False, using="default", **kwargs):
    # The row as it was: moving a block to another interview, or a byline to
    # another person, changes the pages of both.
    instance._caching_before = set()
    if instance.pk is not None and not instance._state.adding:
        old = sender._base_manager.using(using).filter(pk=instance.pk).first()
        if old is not None:
            instance._caching_before = set(_watched[sender](old)) | _membership(sender, old, using)


def _saved(sender, instance, using="default", **kwargs):
    before = getattr(instance, "_caching_before", set())
    changed(*before, *_watched[sender](instance), *_membership(sender, instance, using), using=using)


def _deleted(sender, instance, using="default", **kwargs):
    changed(*_watched[sender](instance), *_membership(sender, instance, using), using=using)


# Interviews: what their publication state changes ------------------------------


def _is_public(status, published_at, now):
    return status == "published" and published_at is not None and published_at <= now


def _is_scheduled(status, published_at, now):
    return status == "published" and published_at is not None and published_at > now


def _listing_keys(article, using):
    """What lists an interview appears in: the site's, its tags' and its people's."""
    from taggit.models import TaggedItem

    tag_ids = TaggedItem.objects.using(using).filter(
        content_type__app_label="articles", content_type__model="article", object_id=article.pk
    )
    people = set(article.author_links.using(using).values_list("person_id", flat=True))
    people |= set(article.interviewee_links.using(using).values_list("person_id", flat=True))
    return {
        LISTINGS,
        *(f"tag-{tag_id}" for tag_id in tag_ids.values_list("tag_id", flat=True)),
        *(f"person-{person_id}" for person_id in people),
    }


def _article_before_save(sender, instance, using="default", **kwargs):
    instance._caching_state = None
    if instance.pk is not None and not instance._state.adding:
        instance._caching_state = (
            sender._base_manager.using(using)
            .filter(pk=instance.pk)
            .values_list("status", "published_at")
            .first()
        )


def _article_saved(sender, instance, using="default", **kwargs):
    now = timezone.now()
    before = getattr(instance, "_caching_state", None) or (None, None)
    after = (instance.status, instance.published_at)
    keys = {article_key(instance.pk)}
    if _is_public(*before, now) or _is_public(*after, now):
        keys |= _listing_keys(instance, using)
    # Pages are kept no longer than the next publication time they saw; a
    # newly scheduled or brought-forward interview makes that time earlier.
    if _is_scheduled(*after, now) and (not _is_scheduled(*before, now) or before[1] != after[1]):
        keys.add(SCHEDULE)
    changed(*keys, using=using)


def _article_deleting(sender, instance, using="default", **kwargs):
    # Before the delete, while its tags and bylines still exist.
    now = timezone.now()
    state = (instance.status, instance.published_at)
    keys = {article_key(instance.pk)}
    if _is_public(*state, now):
        keys |= _listing_keys(instance, using)
    changed(*keys, using=using)


def _article_is_public(article_id, using):
    Article = apps.get_model("articles", "Article")
    return Article.objects.using(using).published().filter(pk=article_id).exists()


_MEMBERSHIP = {}


def _membership(sender, instance, using):
    """Keys of the lists an instance puts an interview in (tag and person pages), while it is public."""
    rule = _MEMBERSHIP.get(sender)
    return rule(instance, using) if rule else set()


def _byline_lists(link, using):
    return {f"person-{link.person_id}"} if _article_is_public(link.article_id, using) else set()


def _tagging_lists(item, using):
    return {f"tag-{item.tag_id}"} if _article_is_public(item.object_id, using) else set()


def connect():
    """Hook the models public pages show; called once from AppConfig.ready()."""
    from taggit.models import Tag, TaggedItem

    from .models import (
        Article,
        ArticleAuthor,
        ArticleInterviewee,
        Block,
        Correction,
        OldSlug,
        Person,
        Photo,
    )

    def of_article(obj):
        return {article_key(obj.__dict__.get("article_id"))}

    for model in (Person, Photo, Tag):
        watch(model, lambda obj: {key(obj)})
    for model in (Block, Correction, OldSlug, ArticleAuthor, ArticleInterviewee):
        watch(model, of_article)
    # A byline or a tag puts the interview on a person's or a tag's lists, but
    # only while it is public: a draft's bylines and tags change nothing public.
    _MEMBERSHIP[ArticleAuthor] = _MEMBERSHIP[ArticleInterviewee] = _byline_lists
    watch(TaggedItem, lambda item: {article_key(item.__dict__.get("object_id"))})
    _MEMBERSHIP[TaggedItem] = _tagging_lists

    # Interviews: loading one records its key and times; saving one works out
    # which lists its publication state touches.
    post_init.connect(_article_loaded, sender=Article, weak=False, dispatch_uid="caching-init-article")
    pre_save.connect(_article_before_save, sender=Article, weak=False, dispatch_uid="caching-pre-article")
    post_save.connect(_article_saved, sender=Article, weak=False, dispatch_uid="caching-save-article")
    pre_delete.connect(_article_deleting, sender=Article, weak=False, dispatch_uid="caching-del-article")


def _article_loaded(sender, instance, **kwargs):
    dependencies = _recording.get()
    if dependencies is None or instance.pk is None:
        return
    dependencies.add(article_key(instance.pk))
    # Deferred fields are absent from __dict__; reading them would cost a query.
    for name in ("published_at", "updated_at"):
        dependencies.saw_time(instance.__dict__.get(name))
