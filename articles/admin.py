"""The editors' desk: interviews with their blocks inline, the photo library and people."""

import json

import reversion
from csp.constants import NONCE
from csp.decorators import csp_update
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, F, IntegerField, Max, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.text import get_text_list
from js_asset import Media as AssetMedia
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.models import Tag

from . import images, previews, workflow
from .forms import ArticleAdminForm, PhotoForm
from .models import Article, ArticleAuthor, ArticleInterviewee, Block, Correction, Person, Photo, PreviewLink
from .richtext import sanitize
from .widgets import ADMIN_CSS, PhotoChooser, TagAutocomplete, TagNamesField, thumbnail, thumbnail_url

# Which block fields matter for each kind; the admin hides the others (block_fields.js).
KIND_FIELDS = {
    Block.Kind.QUESTION: ["text"],
    Block.Kind.ANSWER: ["text", "speaker"],
    Block.Kind.PARAGRAPH: ["text"],
    Block.Kind.PHOTO: ["photo", "caption"],
    Block.Kind.QUOTE: ["text", "attribution"],
    Block.Kind.HEADING: ["text"],
}

# Restoring a revision first moves today's blocks above any real position.
RESTORE_OFFSET = 1_000_000


# Photos -------------------------------------------------------------------------


class PhotoChooserMixin:
    """Every foreign key to a photo gets the chooser with its preview."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Photo and "widget" not in kwargs:
            kwargs["widget"] = PhotoChooser(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# The prose editor under the site's Content-Security-Policy -------------------


# The base styles that the editor (Tiptap) injects as a <style> element; it
# offers no nonce for it through django-prose-editor. tests/test_admin.py
# recomputes this from the installed editor.js, so an upgrade that changes
# the styles fails there rather than silently in the browser.
EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


class NoncedMediaMixin:
    """Rich text forms work under the strict CSP without loosening it.

    The prose editor needs an inline ``<script type="importmap">``. Its media
    (django-js-asset) can carry a nonce, so the change form's media gets this
    request's nonce and the response's policy adds it to script-src, along
    with the hash of the one style element the editor injects. The nonce only
    appears in the header when a page used it: other admin pages and every
    public page keep ``script-src 'self'`` and ``style-src 'self'``.
    """

    def render_change_form(self, request, context, *args, **kwargs):
        media = context.get("media")
        if isinstance(media, AssetMedia):
            context["media"] = media.with_nonce(request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)

    @method_decorator(csp_update({"script-src": [NONCE], "style-src": [EDITOR_STYLE_HASH]}))
    def changeform_view(self, request, *args, **kwargs):
        return super().changeform_view(request, *args, **kwargs)


# Ordered inlines ---------------------------------------------------------------


class OrderedInlineForm(forms.ModelForm):
    """A row with an "Order" box instead of the stored position.

    The position is unique per interview, so it never goes through model
    validation: the admin renumbers the rows 1..n in the order submitted when
    it saves them (``ArticleAdmin.save_formset``). Rows left without a number
    go to the end. block_order.js fills the boxes when rows are moved.
    """

    order = forms.IntegerField(
        label="Order",
        required=False,
        widget=forms.NumberInput(attrs={"class": "order-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("order", self.instance.position)

    def has_changed(self):
        # The script numbers every row, including blank new ones the editor never touched.
        if self.instance.pk is None:
            return any(name != "order" for name in self.changed_data)
        return super().has_changed()

    def clean(self):
        cleaned_data = super().clean()
        # Checks that look at the rows before they are saved (the pre-publish
        # check) see them in the order submitted.
        if cleaned_data.get("order") is not None:
            self.instance.position = cleaned_data["order"]
        return cleaned_data


class BlockForm(OrderedInlineForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].widget.attrs.update(
                {"class": "block-kind", "data-kind-fields": json.dumps(KIND_FIELDS)}
            )

    def clean(self):
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        if kind == Block.Kind.PHOTO and not cleaned_data.get("photo") and not self.has_error("photo"):
            self.add_error("photo", "Choose the photo to show here.")
        if kind in Block.TEXT_KINDS and not sanitize(cleaned_data.get("text")) and not self.has_error("text"):
            label = Block.Kind(kind).label.lower()
            self.add_error("text", f"Write the text of this {label}.")
        return cleaned_data


class ArticlePartMixin:
    """Rows of an interview are editable exactly when the interview is (see workflow.can_edit)."""

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and workflow.can_edit(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.can_edit(request.user, obj)


class OrderedInlineMixin(ArticlePartMixin):
    form = OrderedInlineForm
    extra = 0
    classes = ["js-reorder"]

    def get_extra(self, request, obj=None, **kwargs):
        # A new interview starts with one empty row to fill; an existing one with none.
        return 1 if obj is None else 0


class ArticleAuthorInline(OrderedInlineMixin, admin.TabularInline):
    model = ArticleAuthor
    fields = ["order", "person"]
    autocomplete_fields = ["person"]
    verbose_name = "author"
    verbose_name_plural = "authors (in byline order)"


class ArticleIntervieweeInline(OrderedInlineMixin, admin.TabularInline):
    model = ArticleInterviewee
    fields = ["order", "person", "role"]
    autocomplete_fields = ["person"]
    verbose_name = "interviewee"
    verbose_name_plural = "interviewees (in the order introduced)"


class BlockInline(OrderedInlineMixin, PhotoChooserMixin, admin.StackedInline):
    model = Block
    form = BlockForm
    fields = [("order", "kind"), "text", "speaker", "photo", "caption", "attribution"]
    autocomplete_fields = ["speaker"]
    verbose_name = "block"
    verbose_name_plural = "body, in reading order"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("photo", "speaker")


class CorrectionInline(ArticlePartMixin, admin.StackedInline):
    model = Correction
    fields = ["kind", "created_at", "text"]
    extra = 0
    verbose_name = "correction or update"
    verbose_name_plural = "corrections and updates"


# Interviews --------------------------------------------------------------------


class TagFilter(admin.RelatedOnlyFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "tag"


class AuthorFilter(admin.RelatedOnlyFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "author"


def _titles(articles):
    return ", ".join(f"“{article.title}”" for article in articles)


# Every save of an interview keeps a revision of it with its body, bylines and
# notes, so the history shows what changed and a restore brings all of it back.
reversion.register(Block)
reversion.register(ArticleAuthor)
reversion.register(ArticleInterviewee)
reversion.register(Correction)
reversion.register(Article, follow=["blocks", "author_links", "interviewee_links", "corrections"])


@admin.register(Article)
class ArticleAdmin(NoncedMediaMixin, PhotoChooserMixin, VersionAdmin):
    form = ArticleAdminForm
    inlines = [ArticleIntervieweeInline, ArticleAuthorInline, BlockInline, CorrectionInline]
    list_display = [
        "title",
        "status_label",
        "published_at",
        "author_names",
        "interviewee_names",
        "featured",
    ]
    list_filter = [
        "status",
        ("tags", TagFilter),
        ("authors", AuthorFilter),
        "featured",
    ]
    search_fields = ["title", "standfirst", "blocks__text"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    actions = ["publish_now", "back_to_draft"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["title", "slug", "standfirst", "lead_photo", "tags"]}),
        ("Publication", {"fields": ["status", "published_at", "featured"]}),
        ("Search engines", {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]}),
    ]

    class Media:
        js = ["admin/js/block_order.js", "admin/js/block_fields.js"]
        css = ADMIN_CSS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("author_links", queryset=ArticleAuthor.objects.select_related("person")),
                Prefetch("interviewee_links", queryset=ArticleInterviewee.objects.select_related("person")),
            )
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # The form's own checks (who may publish) need to know who is asking.
        form.user = request.user
        return form

    # Workflow: roles, pre-publish checks, edit conflicts, audit (articles/workflow.py).

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.can_edit(request.user, obj)

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not workflow.can_publish(request.user):
            readonly += ["published_at", "featured"]
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        # The hidden edit-conflict marker travels with the first fieldset.
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "loaded_version"]}), *rest]

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        # The pre-publish check in ArticleAdminForm.clean() looks at the rows
        # submitted with the form, not only at those already saved.
        obj._admin_formsets = formsets
        return formsets, inline_instances

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            before = Article.objects.filter(pk=obj.pk).values("status", "published_at").first()
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        before = before or {"status": Article.Status.DRAFT, "published_at": None}
        obj.workflow_event = workflow.describe_transition(before["status"], before["published_at"], obj)

    def log_addition(self, request, obj, message):
        return super().log_addition(request, obj, self._log_message(request, obj, message))

    def log_change(self, request, obj, message):
        return super().log_change(request, obj, self._log_message(request, obj, message))

    def _log_message(self, request, obj, message):
        """Put publishing, scheduling and restores first in the log and the revision comment."""
        notes = [getattr(request, "workflow_restoring", None), getattr(obj, "workflow_event", None)]
        notes = [note for note in notes if note]
        if not notes:
            return message
        if isinstance(message, list):
            message = LogEntry(change_message=json.dumps(message)).get_change_message()
        return " ".join([*notes, message]).strip()

    def revision_view(self, request, object_id, version_id, extra_context=None):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such interview.")
        # Restoring is changing the interview as it is now (the form shows the old revision).
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.select_related("revision__user"), pk=version_id)
        user = version.revision.user
        request.workflow_restoring = (
            f"Restored the version saved on {workflow.format_when(version.revision.date_created)}"
            + (f" by {user.get_full_name() or user.get_username()}." if user else ".")
        )
        with transaction.atomic():
            # Restoring puts blocks back at their old positions, which are
            # unique: move today's blocks out of the way first (a restore that
            # goes through deletes or renumbers all of them).
            blocks = Block.objects.filter(article=article)
            blocks.update(position=F("position") + RESTORE_OFFSET)
            response = super().revision_view(request, object_id, version_id, extra_context)
            if blocks.filter(position__gte=RESTORE_OFFSET).exists():
                # Only looked at, refused or failed: nothing changes.
                transaction.set_rollback(True)
        return response

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            return TagNamesField(
                widget=TagAutocomplete(db_field, self.admin_site),
                required=False,
                label="Tags",
                help_text="Pick existing tags or type a new one and press Enter.",
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_urls(self):
        tag_autocomplete = path(
            "tag-autocomplete/",
            self.admin_site.admin_view(self.tag_autocomplete_view),
            name="articles_article_tag_autocomplete",
        )
        preview = path(
            "<int:article_id>/preview/",
            self.admin_site.admin_view(previews.admin_preview),
            name="articles_article_preview",
        )
        return [tag_autocomplete, preview, *super().get_urls()]

    def tag_autocomplete_view(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        term = request.GET.get("term", "").strip()
        tags = Tag.objects.order_by("name")
        if term:
            tags = tags.filter(name__icontains=term)
        names = tags.values_list("name", flat=True)[:20]
        return JsonResponse({"results": [{"id": n, "text": n} for n in names], "pagination": {"more": False}})

    def view_on_site(self, obj):
        # Drafts and scheduled interviews are not on the site yet: no link to a 404.
        return obj.get_absolute_url() if obj.is_public else None

    @admin.display(description="Status", ordering="status")
    def status_label(self, obj):
        return "Scheduled" if obj.is_scheduled else obj.get_status_display()

    @admin.display(description="Authors")
    def author_names(self, obj):
        return ", ".join(link.person.name for link in obj.author_links.all())

    @admin.display(description="Interviewees")
    def interviewee_names(self, obj):
        return ", ".join(link.person.name for link in obj.interviewee_links.all())

    def save_formset(self, request, form, formset, change):
        if "order" not in formset.form.base_fields:
            return super().save_formset(request, form, formset, change)
        save_in_submitted_order(formset)

    @admin.action(description="Publish now", permissions=["publish"])
    def publish_now(self, request, queryset):
        done = []
        for article in queryset:
            if article.is_public:
                self.message_user(request, f"“{article.title}” was already published.", messages.INFO)
                continue
            now = timezone.now()
            # A scheduled or future-dated interview goes out now; an earlier date is kept.
            when = now if article.published_at is None or article.published_at > now else None
            try:
                with transaction.atomic():
                    article.publish(when)
            except (ValidationError, PermissionDenied) as error:
                reason = " ".join(getattr(error, "messages", None) or [str(error)])
                self.message_user(request, f"“{article.title}” was not published. {reason}", messages.ERROR)
            else:
                done.append(article)
                workflow.log(request.user, article, workflow.describe_transition("draft", None, article))
        if done:
            reversion.set_comment("Published from the list of interviews.")
            self.message_user(request, f"Published now: {_titles(done)}.", messages.SUCCESS)

    @admin.action(description="Back to draft", permissions=["publish"])
    def back_to_draft(self, request, queryset):
        done = []
        for article in queryset:
            if article.status == Article.Status.DRAFT:
                self.message_user(request, f"“{article.title}” was already a draft.", messages.INFO)
                continue
            try:
                with transaction.atomic():
                    article.unpublish()
            except (ValidationError, PermissionDenied) as error:
                reason = " ".join(getattr(error, "messages", None) or [str(error)])
                self.message_user(
                    request, f"“{article.title}” was not moved back to draft. {reason}", messages.ERROR
                )
            else:
                done.append(article)
                workflow.log(request.user, article, "Back to draft from the list of interviews.")
        if done:
            reversion.set_comment("Back to draft from the list of interviews.")
            self.message_user(
                request,
                f"Back to draft, off the public site: {_titles(done)}.",
                messages.SUCCESS,
            )


def save_in_submitted_order(formset):
    """Save an ordered inline formset, numbering its rows 1..n in the order submitted.

    Positions are unique per interview, and a swap would collide half-way, so
    the rows first move out of the way above every number in use, in one
    UPDATE that cannot collide with itself, then take their final places.
    """
    formset.save(commit=False)
    for obj in formset.deleted_objects:
        obj.delete()
    kept = []
    for index, form in enumerate(formset.forms):
        if form in formset.deleted_forms:
            continue
        if index >= formset.initial_form_count() and not form.has_changed():
            continue
        if form.instance.pk is None and index < formset.initial_form_count():
            continue  # Deleted by someone else meanwhile.
        order = form.cleaned_data.get("order")
        kept.append((order is None, order or 0, index, form))
    kept.sort(key=lambda row: row[:3])

    rows = formset.model.objects.filter(**{formset.fk.name: formset.instance})
    highest = rows.aggregate(highest=Max("position"))["highest"] or 0
    rows.update(position=F("position") + max(highest, len(kept)) + 1)
    for position, (*_, form) in enumerate(kept, start=1):
        obj = form.instance
        obj.position = position
        if obj.pk is None or form.has_changed():
            obj.save()
        else:
            # Only the place changes: leave the rest of the row as it is stored.
            formset.model.objects.filter(pk=obj.pk).update(position=position)
    formset.save_m2m()


# The photo library -------------------------------------------------------------


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoForm
    list_display = ["thumbnail_column", "caption_column", "credit", "size_column", "uploaded_at"]
    list_display_links = ["thumbnail_column", "caption_column"]
    search_fields = ["caption", "credit", "alt_text"]
    date_hierarchy = "uploaded_at"
    list_per_page = 50
    readonly_fields = ["preview", "size_column", "uploaded_at"]
    fieldsets = [
        (None, {"fields": ["preview", "image", "alt_text", "caption", "credit", "licence"]}),
        ("Cropping", {"fields": ["focal_x", "focal_y"]}),
        ("File", {"fields": ["size_column", "uploaded_at"]}),
    ]

    class Media:
        css = ADMIN_CSS

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        prefilled = [str(form.fields[name].label).lower() for name in getattr(form, "prefilled", ())]
        if prefilled:
            self.message_user(
                request,
                f"The {get_text_list(prefilled, 'and')} came from the file's own metadata. "
                "Check them before using the photo.",
                messages.WARNING,
            )

    @admin.display(description="Photo")
    def thumbnail_column(self, obj):
        return thumbnail(obj)

    @admin.display(description="Caption or alt text", ordering="caption")
    def caption_column(self, obj):
        return obj.caption or obj.alt_text

    @admin.display(description="Size")
    def size_column(self, obj):
        width, height = images.dimensions(obj)
        return f"{width} × {height} px" if width and height else "—"

    @admin.display(description="Preview")
    def preview(self, obj):
        return thumbnail(obj, box=(480, 320)) if obj and obj.pk else "—"

    def get_urls(self):
        preview = path(
            "<int:object_id>/thumbnail/",
            self.admin_site.admin_view(self.thumbnail_view),
            name="articles_photo_thumbnail",
        )
        return [preview, *super().get_urls()]

    def thumbnail_view(self, request, object_id):
        """Redirects to a small version of the photo: the chooser's preview."""
        photo = self.get_object(request, str(object_id))
        if photo is None or not photo.image:
            raise Http404("No such photo.")
        if not self.has_view_or_change_permission(request, photo):
            raise PermissionDenied
        return HttpResponseRedirect(thumbnail_url(photo))


# People ------------------------------------------------------------------------


def _count_of(model):
    """How many rows of ``model`` point at the person, as a subquery (no join, no N+1)."""
    rows = model.objects.filter(person=OuterRef("pk")).order_by().values("person")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)


@admin.register(Person)
class PersonAdmin(NoncedMediaMixin, PhotoChooserMixin, admin.ModelAdmin):
    list_display = [
        "portrait_column",
        "name",
        "role",
        "organisation",
        "given_column",
        "written_column",
    ]
    list_display_links = ["portrait_column", "name"]
    list_select_related = ["portrait"]
    search_fields = ["name", "role", "organisation"]
    prepopulated_fields = {"slug": ["name"]}
    list_per_page = 50
    fields = ["name", "slug", "role", "organisation", "portrait", "bio", "website", "links"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    class Media:
        css = ADMIN_CSS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                interviews_given_count=_count_of(ArticleInterviewee),
                interviews_written_count=_count_of(ArticleAuthor),
            )
        )

    @admin.display(description="Portrait")
    def portrait_column(self, obj):
        return thumbnail(obj.portrait, box=(60, 60))

    # Not named after the relations (Person.interviews_given), which the list would show instead.
    @admin.display(description="Interviews given", ordering="interviews_given_count")
    def given_column(self, obj):
        return obj.interviews_given_count

    @admin.display(description="Interviews written", ordering="interviews_written_count")
    def written_column(self, obj):
        return obj.interviews_written_count


# Shareable previews ------------------------------------------------------------


@admin.register(PreviewLink)
class PreviewLinkAdmin(admin.ModelAdmin):
    """Links for people without an account, such as an interviewee checking quotes."""

    list_display = ["article", "state", "expires_at", "created_by", "created_at"]
    list_select_related = ["article", "created_by"]
    search_fields = ["article__title"]
    autocomplete_fields = ["article"]
    actions = ["revoke"]
    change_readonly = ["address", "article", "created_by", "created_at", "expires_at", "revoked_at"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = previews.PreviewLinkChangeForm if obj else previews.PreviewLinkAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return [*self.change_readonly, "revoke"] if obj else ["article", "days"]

    def get_readonly_fields(self, request, obj=None):
        return self.change_readonly if obj else []

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        # Straight to the link's page, where its address can be copied.
        self.message_user(request, "Preview link created. Send the address below.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_previewlink_change", args=[obj.pk]))

    @admin.display(description="Address to send")
    def address(self, obj):
        if not obj.is_valid:
            return "This link no longer works."
        url = previews.link_url(obj)
        return format_html('<a href="{}" class="preview-link-address">{}</a>', url, url)

    @admin.display(description="State")
    def state(self, obj):
        if obj.revoked_at:
            return "Revoked"
        if not obj.is_valid:
            return "Expired"
        return f"Works until {workflow.format_when(obj.expires_at)}"

    @admin.action(description="Revoke the selected links", permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"Revoked {count} preview link(s).", messages.SUCCESS)
