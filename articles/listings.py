"""The lists of a tag's or a person's interviews, kept in publication order.

A tag page shows its newest 12 interviews and how many there are; the tags
sitemap, when each tag last had a new one. Asked of the interviews, each of
these reads every interview with the tag (2,000 of 10,000 for a desk tag),
to check it is public and sort it by publication time: the pages slowed down
as the archive grew (bench/scale.py). ``ListEntry`` keeps one row per
interview per tag, interviewee and author, with the interview's publication
time, under an index in the lists' order: a page reads 12 entries of the
index, a count counts entries of the index alone, the latest is one lookup.

Entries exist while the interview's status is published, scheduled ones
included: a scheduled interview joins its lists at its time with no write,
since readers take the entries up to now (``ListEntry.objects.public()``).
Unpublishing or deleting deletes them in the same transaction, so a page
rendered after the commit never lists it. Pages still take the interviews
themselves through ``Article.objects.published()``, so whatever an entry says,
a reader sees only public interviews.

Kept by signals (connected in apps.py) because every path changes these rows:
the admin, imports, revision restores, taggit's managers. Writes that send no
signals (``bulk_create``) call ``refresh()``.
"""

from django.apps import apps
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

# Interviews rebuilt per query: their ids stay far below SQLite's limit of parameters.
REFRESH_BATCH = 500


class ListEntryQuerySet(models.QuerySet):
    def public(self):
        """Entries of interviews readers see: their status is published (or they would not exist) and their time has come."""
        return self.filter(published_at__lte=timezone.now())

    def of(self, item, *kinds):
        """``item``'s lists of ``kinds`` (a tag or a person), newest first, as on its pages."""
        return self.filter(kind__in=kinds, item_id=item.pk).order_by("-published_at", "-article_id")


class ListEntry(models.Model):
    """A published (or scheduled) interview on the list of one of its tags or people."""

    class Kind(models.TextChoices):
        TAG = "tag", "Tagged"
        GIVEN = "given", "Interview given"
        WRITTEN = "written", "Interview written"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The tag's or the person's pk, by kind (taggit's tags, like taggit's own taggings, are reached by id).
    item_id = models.BigIntegerField()
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    # The interview's publication time, copied: the lists' order, and the moment it becomes public.
    published_at = models.DateTimeField()

    objects = ListEntryQuerySet.as_manager()

    class Meta:
        app_label = "articles"
        verbose_name_plural = "list entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "item_id", "article"], name="list_entry_once"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["tag", "given", "written"]), name="list_entry_kind_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "item_id", "-published_at", "-article"], name="list_entry_order_idx")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.item_id}: interview {self.article_id}"


def _memberships(article_ids, using):
    """(kind, item id, article id) of every tag, interviewee and author of these interviews."""
    from .models import ArticleAuthor, ArticleInterviewee, taggings

    tagged = taggings().using(using).filter(object_id__in=article_ids).values_list("tag_id", "object_id")
    yield from ((ListEntry.Kind.TAG, tag_id, article_id) for tag_id, article_id in tagged)
    for kind, model in ((ListEntry.Kind.GIVEN, ArticleInterviewee), (ListEntry.Kind.WRITTEN, ArticleAuthor)):
        links = model.objects.using(using).filter(article_id__in=article_ids)
        yield from (
            (kind, person_id, article_id) for person_id, article_id in links.values_list("person", "article")
        )


def _build(times, using):
    """The entries of interviews whose status is published, ``times`` giving each one's publication time."""
    entries = [
        ListEntry(kind=kind, item_id=item_id, article_id=article_id, published_at=times[article_id])
        for kind, item_id, article_id in _memberships(list(times), using)
    ]
    ListEntry.objects.using(using).bulk_create(entries)


def refresh(article_ids, using="default"):
    """Rebuild the entries of these interviews from their status, tags and bylines."""
    Article = apps.get_model("articles", "Article")
    article_ids = list(article_ids)
    for start in range(0, len(article_ids), REFRESH_BATCH):
        batch = article_ids[start : start + REFRESH_BATCH]
        ListEntry.objects.using(using).filter(article_id__in=batch).delete()
        published = Article.objects.using(using).filter(pk__in=batch, status=Article.Status.PUBLISHED)
        _build(dict(published.values_list("pk", "published_at")), using)


def _article_saved(sender, instance, using="default", **kwargs):
    ListEntry.objects.using(using).filter(article_id=instance.pk).delete()
    if instance.status == sender.Status.PUBLISHED:
        _build({instance.pk: instance.published_at}, using)


def _add(kind, item_id, article_id, created, using):
    """A new tag or byline joins the interview's lists; a changed one (another person) rebuilds them."""
    if not created:
        refresh([article_id], using)
        return
    Article = apps.get_model("articles", "Article")
    published = Article.objects.using(using).filter(pk=article_id, status=Article.Status.PUBLISHED)
    published_at = published.values_list("published_at", flat=True).first()
    if published_at is not None:
        entry = ListEntry(kind=kind, item_id=item_id, article_id=article_id, published_at=published_at)
        ListEntry.objects.using(using).bulk_create([entry], ignore_conflicts=True)


def _remove(kind, item_id, article_id, using):
    # Never a rebuild: while an interview is being deleted, its taggings and
    # bylines go first, and entries made then would outlive it.
    ListEntry.objects.using(using).filter(kind=kind, item_id=item_id, article_id=article_id).delete()


def _is_article_tagging(item):
    from django.contrib.contenttypes.models import ContentType

    Article = apps.get_model("articles", "Article")
    return item.content_type_id == ContentType.objects.get_for_model(Article).pk


def _tagging_saved(sender, instance, created=False, using="default", **kwargs):
    if _is_article_tagging(instance):
        _add(ListEntry.Kind.TAG, instance.tag_id, instance.object_id, created, using)


def _tagging_deleted(sender, instance, using="default", **kwargs):
    if _is_article_tagging(instance):
        _remove(ListEntry.Kind.TAG, instance.tag_id, instance.object_id, using)


def connect():
    """Keep the entries as interviews, taggings and bylines change; called once from AppConfig.ready()."""
    from taggit.models import TaggedItem

    from .models import Article, ArticleAuthor, ArticleInterviewee

    post_save.connect(_article_saved, sender=Article, dispatch_uid="listings-article")
    post_save.connect(_tagging_saved, sender=TaggedItem, dispatch_uid="listings-tagging-save")
    post_delete.connect(_tagging_deleted, sender=TaggedItem, dispatch_uid="listings-tagging-delete")
    for model, kind in ((ArticleInterviewee, ListEntry.Kind.GIVEN), (ArticleAuthor, ListEntry.Kind.WRITTEN)):

        def saved(sender, instance, created=False, using="default", kind=kind, **kwargs):
            _add(kind, instance.person_id, instance.article_id, created, using)

        def deleted(sender, instance, using="default", kind=kind, **kwargs):
            _remove(kind, instance.person_id, instance.article_id, using)

        post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"listings-{kind}-save")
        post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"listings-{kind}-delete")
