"""Interviews as a magazine would build them in Wagtail: pages in the tree, people as snippets, taggit tags."""

from django.db import models
from django.db.models import Prefetch
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blocks import InterviewBodyBlock

# Rendition specs, named once: the templates use them and the listings prefetch them.
CARD_IMAGE = "fill-480x320"
PORTRAIT_IMAGE = "fill-128x128"
FEATURED_COUNT = 3
LATEST_COUNT = 12
RELATED_COUNT = 4


def with_card_images(pages):
    """Cards show a rendition of the lead photo: fetch the photos and that rendition with the pages."""
    images = Photo.objects.prefetch_renditions(CARD_IMAGE)
    return pages.prefetch_related(Prefetch("lead_photo", queryset=images))


class Photo(AbstractImage):
    """Wagtail's image with the caption and credit line a magazine prints under every photo."""

    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="For example “Agency/Photographer”.")

    admin_form_fields = (*Image.admin_form_fields, "caption", "credit")


class PhotoRendition(AbstractRendition):
    image = models.ForeignKey(Photo, related_name="renditions", on_delete=models.CASCADE)

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


@register_snippet
class Person(index.Indexed, models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    role = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    bio = RichTextField(blank=True, features=["bold", "italic", "link"])
    portrait = models.ForeignKey(Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    panels = ["name", "slug", "role", "organisation", "bio", "portrait"]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self):
        return self.name

    @property
    def role_line(self):
        return ", ".join(part for part in (self.role, self.organisation) if part)


class InterviewPageTag(TaggedItemBase):
    content_object = ParentalKey("InterviewPage", related_name="tagged_items", on_delete=models.CASCADE)


class InterviewPageAuthor(Orderable):
    page = ParentalKey("InterviewPage", related_name="author_links", on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    panels = ["person"]


class InterviewPageInterviewee(Orderable):
    page = ParentalKey("InterviewPage", related_name="interviewee_links", on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=200, blank=True, help_text="Leave empty to use the person's role.")

    panels = ["person", "role"]

    @property
    def role_line(self):
        return self.role or self.person.role_line


class HomePage(Page):
    """The front page: the featured interviews, then the latest."""

    max_count = 1
    subpage_types = ["interviews.InterviewIndexPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        interviews = with_card_images(InterviewPage.objects.live().public().listing())
        featured = list(interviews.filter(featured=True)[:FEATURED_COUNT])
        context["featured"] = featured
        context["latest"] = interviews.exclude(pk__in=[page.pk for page in featured])[:LATEST_COUNT]
        return context


class InterviewIndexPage(Page):
    """/interviews/: every interview, or those of one tag (?tag=slug)."""

    max_count = 1
    parent_page_types = ["interviews.HomePage"]
    subpage_types = ["interviews.InterviewPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        interviews = with_card_images(InterviewPage.objects.child_of(self).live().public().listing())
        tag = request.GET.get("tag")
        if tag:
            interviews = interviews.filter(tags__slug=tag)
        context["tag"] = tag
        context["interviews"] = interviews[:LATEST_COUNT]
        return context


class InterviewQuerySet(PageQuerySet):
    def listing(self):
        """What an interview card shows (names of interviewees and authors), newest first."""
        return self.prefetch_related("interviewee_links__person", "author_links__person").order_by(
            "-first_published_at"
        )


class InterviewPage(Page):
    standfirst = models.TextField(
        help_text="Introduces the person and the topics; also the summary in the feed."
    )
    lead_photo = models.ForeignKey(Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    body = StreamField(InterviewBodyBlock())
    tags = ClusterTaggableManager(through=InterviewPageTag, blank=True)
    featured = models.BooleanField(default=False)

    objects = PageManager.from_queryset(InterviewQuerySet)()

    content_panels = [
        *Page.content_panels,
        "standfirst",
        "lead_photo",
        InlinePanel("interviewee_links", label="Interviewees"),
        InlinePanel("author_links", label="Authors"),
        "body",
        FieldPanel("tags"),
    ]
    promote_panels = [*Page.promote_panels, "featured"]
    search_fields = [*Page.search_fields, index.SearchField("standfirst"), index.SearchField("body")]

    parent_page_types = ["interviews.InterviewIndexPage"]
    subpage_types = []

    class Meta:
        ordering = ["-first_published_at"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        authors = [link.person for link in self.author_links.select_related("person__portrait")]
        interviewees = list(self.interviewee_links.select_related("person"))
        tags = list(self.tags.all())
        related = (
            InterviewPage.objects.live()
            .public()
            .filter(tags__in=tags)
            .exclude(pk=self.pk)
            .distinct()
            .listing()
        )
        context.update(
            authors=authors,
            interviewees=interviewees,
            show_speakers=len(interviewees) > 1,
            tags=tags,
            related=with_card_images(related)[:RELATED_COUNT],
        )
        return context
