import secrets
import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager

from . import cards, images, search
from .caching import ContentVersion  # noqa: F401  (its own module; imported so Django finds it)
from .links import ExpiringLink
from .listings import ListEntry  # noqa: F401  (its own module; imported so Django finds it)
from .richtext import RichTextField, plain_text
from .text import CleanCharField, CleanTextField, is_web_address, link_lines, validate_links


class Person(models.Model):
    """Someone interviewed, or someone who writes interviews. Often both."""

    name = CleanCharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="Used in the address of this person's page."
    )
    role = CleanCharField(
        "role or title",
        max_length=200,
        blank=True,
        help_text="For example “Under-Secretary-General for Humanitarian Affairs” or “Staff writer”.",
    )
    organisation = CleanCharField(max_length=200, blank=True)
    bio = RichTextField(blank=True, help_text="Shown in the “About the author” box and on the person's page.")
    portrait = models.ForeignKey(
        "Photo", null=True, blank=True, on_delete=models.SET_NULL, related_name="portrait_of"
    )
    website = models.URLField(blank=True)
    links = CleanTextField(
        blank=True, help_text="Other profiles (for example Bluesky or Mastodon), one address per line."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The quote cards print this person's name, role and portrait.
        cards.refresh_for_person(self)

    def get_absolute_url(self):
        return reverse("articles:person", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        validate_links(self.links, field="links")

    @property
    def role_line(self):
        return ", ".join(part for part in (self.role, self.organisation) if part)

    @property
    def link_list(self):
        """The profile addresses, as links; a line that is not a web address is never shown as one."""
        return [line for line in link_lines(self.links) if is_web_address(line)]


def photo_upload_to(instance, filename):
    """photos/YYYY/MM/<name>_<random>.<ext>: two uploads of IMG_0001.jpg never share a file."""
    now = timezone.now()
    path = PurePosixPath(filename)
    stem = slugify(path.stem)[:60] or "photo"
    return f"photos/{now:%Y/%m}/{stem}_{secrets.token_hex(8)}{path.suffix.lower()}"


class Photo(models.Model):
    """An image in the photo library, reusable across interviews."""

    image = models.ImageField(upload_to=photo_upload_to, width_field="width", height_field="height")
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    alt_text = CleanCharField(
        max_length=300,
        help_text="Describes the image for readers who cannot see it. Required.",
    )
    caption = CleanTextField(
        blank=True, help_text="Shown under the photo. Prefilled from the file when it has one."
    )
    credit = CleanCharField(
        max_length=200,
        blank=True,
        help_text="Shown as “Credit: …”, for example “Agency/Photographer”. Prefilled from the file when it has one.",
    )
    licence = CleanCharField("copyright or licence", max_length=200, blank=True)
    focal_x = models.FloatField(
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Horizontal centre of interest, from 0 (left edge) to 1 (right edge). Crops keep it in view.",
    )
    focal_y = models.FloatField(
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="Vertical centre of interest, from 0 (top) to 1 (bottom).",
    )
    # Derived sizes and file names, computed once when the image changes so
    # that pages never touch the storage to render a photo.
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="photo_focal_point_in_image",
            ),
            models.CheckConstraint(condition=~Q(alt_text=""), name="photo_has_alt_text"),
        ]

    def __str__(self):
        return self.caption[:60] or self.alt_text[:60] or self.image.name

    def save(self, *args, **kwargs):
        if self.image and not self.image._committed:
            # A new upload is stored re-encoded, without location or camera metadata.
            self.image = images.clean_original(self.image, self.image.name)
        super().save(*args, **kwargs)
        stored = getattr(self, "_stored_image", None)
        if stored and stored != self.image.name:
            images.renditions.delete_original_after_commit(str(stored))
        self._stored_image = self.image.name
        # Renditions need the stored file and the id, and run after commit so that
        # a rolled-back save leaves nothing behind; an unchanged file and focal
        # point costs nothing here.
        images.renditions.schedule(self)

    @classmethod
    def from_db(cls, db, field_names, values):
        photo = super().from_db(db, field_names, values)
        # The stored file, so that save() knows when it is replaced.
        photo._stored_image = photo.__dict__.get("image")
        return photo


@receiver(post_delete, sender=Photo)
def delete_photo_files(sender, instance, **kwargs):
    # A signal rather than Photo.delete(): the admin's bulk delete and
    # cascades delete rows without calling delete() on each.
    images.renditions.delete_files_after_commit(instance)


def authorization_required_default():
    # New interviews follow the site's setting; each interview's switch then decides.
    return settings.AUTHORIZATION_REQUIRED


# Read by the database only: loading them would carry each interview's whole text into Python.
SEARCH_COLUMNS = ("search_document", "search_vector")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The only definition of what a reader may see."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def for_listing(self):
        """What an interview card shows, in a constant number of queries."""
        return self.select_related("lead_photo").prefetch_related(*people_prefetches())

    def for_page(self):
        """The interview's row for its page; the rest comes from rendering (page_parts() and body())."""
        return self.select_related("lead_photo")


def taggings(tags=None):
    """The taggings of interviews, or of those with any of ``tags`` (tags or their pks).

    For subqueries, rather than joining ``tags``: taggit's generic table keeps
    ``object_id`` as an integer, so PostgreSQL would join it to our bigint
    keys through a cast that no index can follow, reading every tagging for
    every interview it tries.
    """
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import TaggedItem

    interviews = TaggedItem.objects.filter(content_type=ContentType.objects.get_for_model(Article))
    return interviews if tags is None else interviews.filter(tag__in=tags)


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        return super().get_queryset().defer(*SEARCH_COLUMNS)


def photo_blocks():
    """The filled photo blocks of bodies, with their photos, in order."""
    return Block.objects.filter(kind=Block.Kind.PHOTO, photo__isnull=False).select_related("photo")


def photo_blocks_prefetch():
    """The body's filled photo blocks, in order, as ``article.photo_blocks``."""
    return models.Prefetch("blocks", queryset=photo_blocks(), to_attr="photo_blocks")


def people_prefetches():
    """The authors and interviewees an interview's card or feed item names, with their people: two queries."""
    return [
        models.Prefetch("author_links", queryset=ArticleAuthor.objects.select_related("person")),
        models.Prefetch("interviewee_links", queryset=ArticleInterviewee.objects.select_related("person")),
    ]


def load_for_feed(articles):
    """Everything a feed item shows but its body, for interviews fetched with their lead photo: five queries."""
    models.prefetch_related_objects(
        articles,
        *people_prefetches(),
        "tags",
        "corrections",
        photo_blocks_prefetch(),
    )


def load_cover_photos(articles):
    """Let cards show ``cover_photo`` without a query each: one query for those without a lead photo."""
    without_lead = [article for article in articles if article.lead_photo_id is None]
    models.prefetch_related_objects(without_lead, photo_blocks_prefetch())


class Article(models.Model):
    """An interview."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"

    title = CleanCharField(max_length=200, help_text="The headline, usually “Name: theme”.")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The interview's address. Changing it later keeps old links working.",
    )
    standfirst = CleanTextField(
        help_text="Introduces the person and the topics, in two or three sentences. Also the summary in feeds."
    )
    lead_photo = models.ForeignKey(Photo, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    interviewees = models.ManyToManyField(
        Person, through="ArticleInterviewee", related_name="interviews_given", blank=True
    )
    authors = models.ManyToManyField(
        Person, through="ArticleAuthor", related_name="articles_written", blank=True
    )
    tags = TaggableManager(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="Readers see this interview from this time on; a future time schedules it.",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    seo_title = CleanCharField(
        "title for search engines", max_length=200, blank=True, help_text="Leave empty to use the headline."
    )
    seo_description = CleanCharField(
        "description for search engines",
        max_length=300,
        blank=True,
        help_text="Leave empty to use the standfirst.",
    )
    featured = models.BooleanField(default=False, help_text="Featured interviews lead the home page.")
    authorization_required = models.BooleanField(
        "requires authorization",
        default=authorization_required_default,
        help_text="When ticked, the interview cannot be published until every interviewee you asked "
        "has approved the current text of their answers.",
    )
    show_authorized_line = models.BooleanField(
        "say that it was authorized",
        default=False,
        help_text="Shows “This interview was authorized by its subject” under the interview, "
        "once every interviewee asked has approved it.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        help_text="Contributors may edit the drafts they started.",
    )
    # Replaced by every change to what the page shows of the interview, so the
    # rendered body and page parts cached under it are never stale (see rendering.py).
    body_version = models.UUIDField(default=uuid.uuid4, editable=False)
    # The plain text of the blocks, kept current by search.py, so searches never read the blocks.
    search_document = CleanTextField(blank=True, default="", editable=False)
    # Title, standfirst and that text as PostgreSQL's search reads them (search.StoredVector).
    search_vector = models.GeneratedField(
        expression=search.StoredVector(), output_field=search.SearchVectorField(), db_persist=True
    )
    # Feed readers identify items by this; it never changes, whatever is edited.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    objects = ArticleManager()

    class Meta:
        verbose_name = "interview"
        ordering = ["-published_at", "-id"]
        permissions = [("publish_article", "Can publish, unpublish and schedule interviews")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "review", "published"]), name="article_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_public_idx"),
            # The home page's featured interviews, without reading every published one. Partial,
            # so that the planner knows how few they are.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(featured=True, status="published"),
                name="article_featured_idx",
            ),
            # The desk's list, newest first, drafts included.
            models.Index(fields=["-published_at", "-id"], name="article_desk_order_idx"),
        ]

    def __str__(self):
        return self.title

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._loaded_slug = self.slug

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED:
            if self.published_at is None:
                self.published_at = timezone.now()
            if self.first_published_at is None:
                self.first_published_at = self.published_at
        self.body_version = uuid.uuid4()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_version"}
        super().save(*args, **kwargs)
        if self._loaded_slug and self._loaded_slug != self.slug:
            # Old links keep working: the public view redirects old slugs.
            OldSlug.objects.update_or_create(slug=self._loaded_slug, defaults={"article": self})
            OldSlug.objects.filter(slug=self.slug).delete()
        self._loaded_slug = self.slug

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.slug})

    def publish_problems(self):
        """What must be fixed before this interview can go out; empty when it is ready."""
        from .workflow import publish_problems

        return publish_problems(self)

    def publish(self, when=None):
        """Publish now, or at ``when`` (a future time schedules it).

        Raises ``workflow.PublishRefused`` listing everything missing.
        """
        from .workflow import PublishRefused

        problems = self.publish_problems()
        if problems:
            raise PublishRefused(problems)
        self.status = self.Status.PUBLISHED
        self.published_at = when or self.published_at or timezone.now()
        self.save()

    def unpublish(self):
        """Back to draft: gone from every public page and feed at once."""
        self.status = self.Status.DRAFT
        self.save()

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def display_title(self):
        return self.seo_title or self.title

    # Photos. The lead photo is optional: without one, the body's first photo
    # stands for the interview. ``photo_blocks`` (the body's filled photo
    # blocks, in order) is set by whoever loaded the body, so that none of
    # this costs a query: the interview page, feeds and listings do so.

    @property
    def body_photos(self):
        blocks = getattr(self, "photo_blocks", None)
        if blocks is None:
            blocks = [block for block in self.blocks.all() if block.kind == Block.Kind.PHOTO]
        return [block.photo for block in blocks if block.photo_id]

    @property
    def cover_photo(self):
        """The social image, feed enclosure and card image: the lead photo, else the body's first photo."""
        if self.lead_photo_id:
            return self.lead_photo
        photos = self.body_photos
        return photos[0] if photos else None

    @property
    def shows_lead_photo(self):
        """Whether the lead photo goes above the body: not when the body shows it already."""
        return self.lead_photo_id is not None and all(
            photo.pk != self.lead_photo_id for photo in self.body_photos
        )

    @property
    def all_photos(self):
        """Every photo the interview shows, each once: the lead photo first, then the body's."""
        photos = {}
        for photo in [self.lead_photo] if self.lead_photo_id else []:
            photos[photo.pk] = photo
        for photo in self.body_photos:
            photos.setdefault(photo.pk, photo)
        return list(photos.values())

    @property
    def description(self):
        return self.seo_description or self.standfirst


class ArticleAuthor(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="author_links")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="author_links")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "author"
        constraints = [
            models.UniqueConstraint(fields=["article", "person"], name="author_once_per_article"),
        ]

    def __str__(self):
        return str(self.person)


class ArticleInterviewee(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="interviewee_links")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="interviewee_links")
    position = models.PositiveIntegerField(default=0)
    role = CleanCharField(
        max_length=200, blank=True, help_text="Leave empty to use the role on the person's record."
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "interviewee"
        constraints = [
            models.UniqueConstraint(fields=["article", "person"], name="interviewee_once_per_article"),
        ]

    def __str__(self):
        return str(self.person)

    @property
    def role_line(self):
        return self.role or self.person.role_line


class Block(models.Model):
    """One piece of an interview's body, in reading order."""

    class Kind(models.TextChoices):
        QUESTION = "question", "Question"
        ANSWER = "answer", "Answer"
        PARAGRAPH = "paragraph", "Paragraph"
        PHOTO = "photo", "Photo"
        QUOTE = "quote", "Pull quote"
        HEADING = "heading", "Heading"

    TEXT_KINDS = [Kind.QUESTION, Kind.ANSWER, Kind.PARAGRAPH, Kind.QUOTE, Kind.HEADING]

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="blocks")
    # A plain sort key, not unique: the admin renumbers the rows 1..n when it
    # saves them, and rows that tie keep the order they were added in.
    position = models.PositiveIntegerField(default=0, help_text="Blocks are shown in this order.")
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.QUESTION,
        help_text="Answer: the interviewee speaking (one block may hold several paragraphs). "
        "Paragraph: the writer's own narration between questions, such as a scene or context; "
        "it is not an answer.",
    )
    text = RichTextField(blank=True)
    speaker = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="For answers, when the interview has more than one interviewee.",
    )
    photo = models.ForeignKey(
        Photo,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="blocks",
        help_text="Left empty, a photo block with a caption or credit is a slot: readers see nothing "
        "there and the interview cannot be published until a photo is chosen or uploaded (+).",
    )
    caption = CleanTextField(
        blank=True, help_text="For photos: replaces the library caption in this interview."
    )
    credit = CleanCharField(
        max_length=200,
        blank=True,
        help_text="For photos: replaces the library credit in this interview, for example “Agency/Photographer”.",
    )
    attribution = CleanCharField(max_length=200, blank=True, help_text="For pull quotes: who said it.")
    quote = CleanTextField(
        "quote for a card",
        blank=True,
        help_text="For answers: a sentence or two of this answer, copied exactly, to share as a quote card.",
    )
    # Quote card files (articles/cards.py), named from what they show; made after commit.
    cards = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["article", "position"], name="block_order_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["question", "answer", "paragraph", "photo", "quote", "heading"]),
                name="block_kind_valid",
            ),
            # A photo block without its photo is a slot (from an imported
            # document): it keeps the place, caption and credit until the
            # photo is chosen, and the pre-publish check refuses it meanwhile.
            models.CheckConstraint(
                condition=~Q(kind="photo") | Q(photo__isnull=False) | ~Q(caption="") | ~Q(credit=""),
                name="photo_block_has_photo_or_slot",
            ),
            models.CheckConstraint(condition=Q(kind="photo") | ~Q(text=""), name="text_block_has_text"),
        ]

    def __str__(self):
        if self.kind == self.Kind.PHOTO:
            return (
                f"Photo: {self.photo}" if self.photo_id else f"Photo slot: {self.caption[:60] or self.credit}"
            )
        return f"{self.get_kind_display()}: {plain_text(self.text)[:60]}"

    def clean(self):
        from .cards import quote_problem

        problem = quote_problem(self)
        if problem:
            field = "quote" if self.kind == self.Kind.ANSWER else "text"
            raise ValidationError({field: problem})

    @property
    def display_caption(self):
        if self.caption:
            return self.caption
        return self.photo.caption if self.photo_id else ""

    @property
    def display_credit(self):
        if self.credit:
            return self.credit
        return self.photo.credit if self.photo_id else ""

    @property
    def is_unfilled_slot(self):
        """A photo block still waiting for its photo: kept in the admin, skipped on the site and in feeds."""
        return self.kind == self.Kind.PHOTO and self.photo_id is None


class OldSlug(models.Model):
    """A slug an interview used to have, so old links redirect to the new one."""

    slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")

    def __str__(self):
        return self.slug


class Correction(models.Model):
    """A dated correction or update note, shown at the end of a published interview."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = RichTextField()
    created_at = models.DateTimeField(default=timezone.now, help_text="The date readers see on the note.")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"


class PreviewLink(ExpiringLink):
    """A shareable, expiring, revocable link to preview an unpublished interview."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Preview of {self.article} until {self.expires_at:%Y-%m-%d}"


# Models of their own concern, imported here so that Django finds them.
from .authorization import AuthorizationEvent, AuthorizationRequest, Suggestion  # noqa: E402, F401
