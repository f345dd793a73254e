"""Interviews: the list, the change form with its inlines, workflow hooks and revisions."""

import json
from functools import partial

import reversion
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.models import Tag

from .. import cards, previews, seo, workflow
from ..forms import ArticleAdminForm
from ..models import Article, ArticleAuthor, ArticleInterviewee, Block, Correction, people_prefetches
from ..tagging import as_typed
from ..widgets import ADMIN_CSS, TagAutocomplete, TagNamesField
from .authorization import AuthorizationPanelMixin
from .autosave import AutosaveMixin, is_autosave
from .blocks import (
    ArticleAuthorInline,
    ArticleIntervieweeInline,
    BlockInline,
    CorrectionInline,
    save_in_submitted_order,
)
from .editor_csp import NoncedMediaMixin
from .importing import ImportMixin
from .library import PhotoChooserMixin
from .quote_cards import cards_view

# Interviews --------------------------------------------------------------------


class UsedByReadableFilter(admin.RelatedFieldListFilter):
    """The tags (or authors) of interviews the user may read, and no others.

    Like Django's RelatedOnlyFieldListFilter, but asking each choice whether
    one such interview exists, instead of collecting the choices of every
    interview: the list costs the same at 200 interviews as at 10,000.
    """

    lookup = None
    title_text = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = self.title_text

    def field_choices(self, field, request, model_admin):
        readable = workflow.readable(request.user, Article.objects.all())
        used = readable.filter(**{self.lookup: OuterRef("pk")})
        ordering = self.field_admin_ordering(field, request, model_admin) or ["name"]
        choices = field.related_model.objects.filter(Exists(used)).order_by(*ordering)
        return [(choice.pk, str(choice)) for choice in choices]


class TagFilter(UsedByReadableFilter):
    lookup = "tags"
    title_text = "tag"


class AuthorFilter(UsedByReadableFilter):
    lookup = "authors"
    title_text = "author"


def _titles(articles):
    return ", ".join(f"“{article.title}”" for article in articles)


# Every save of an interview keeps a revision of it with its body, bylines and
# notes, so the history shows what changed and a restore brings all of it back.
reversion.register(Block)
reversion.register(ArticleAuthor)
reversion.register(ArticleInterviewee)
reversion.register(Correction)
# Not the search columns: derived from the rest, and rewritten by the restore itself.
reversion.register(
    Article,
    exclude=["search_document", "search_vector"],
    follow=["blocks", "author_links", "interviewee_links", "corrections"],
)


def saved_message(article, *, was_public=False):
    """After a save, where the interview stands, in the desk's words."""
    title = f"“{article.title}”"
    if article.is_public:
        url = seo.absolute(article.get_absolute_url())
        said = "Saved: the changes to {} are live at {}." if was_public else "Published: {} is live at {}."
        return format_html(said, title, format_html('<a href="{}">{}</a>', url, url))
    if article.is_scheduled:
        return f"Scheduled for {workflow.format_when(article.published_at)}: {title} goes live then."
    if article.status == Article.Status.REVIEW:
        return f"Saved, in review: {title}. Readers cannot see it until an editor publishes it."
    return f"Saved as draft: {title}. Readers cannot see it."


@admin.register(Article)
class ArticleAdmin(
    AutosaveMixin, AuthorizationPanelMixin, ImportMixin, NoncedMediaMixin, PhotoChooserMixin, VersionAdmin
):
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
        # Rather than a date hierarchy, whose year links read every interview's date.
        "published_at",
    ]
    # The blocks' text as search keeps it (search.py): no join over every block.
    search_fields = ["title", "standfirst", "search_document"]
    prepopulated_fields = {"slug": ["title"]}
    actions = ["publish_now", "back_to_draft", "export_archive"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["title", "standfirst", "slug", "lead_photo", "tags"]}),
        ("Publication", {"fields": ["status", "published_at", "featured"]}),
        (
            "Authorization",
            {"fields": ["authorization_required", "show_authorized_line", "authorization_status"]},
        ),
        ("Search engines", {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]}),
    ]

    class Media:
        js = [
            "admin/js/block_order.js",
            "admin/js/block_fields.js",
            "admin/js/body_editor.js",
            "admin/js/autosave.js",
            "admin/js/desk_a11y.js",
        ]
        css = ADMIN_CSS

    def get_queryset(self, request):
        # Every admin page of an interview (list, form, history, revisions,
        # autocomplete) starts here: what the user may not read is not found.
        articles = workflow.readable(request.user, super().get_queryset(request))
        return articles.prefetch_related(*people_prefetches())

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # The form's own checks (who may publish) need to know who is asking.
        form.user = request.user
        return form

    # Workflow: roles, pre-publish checks, edit conflicts, audit (articles/workflow.py).

    def has_view_permission(self, request, obj=None):
        # Views that fetch the interview themselves (quote cards) ask this too.
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or workflow.can_read(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.can_edit(request.user, obj)

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not workflow.can_publish(request.user):
            readonly += ["published_at", "featured", "authorization_required", "show_authorized_line"]
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
        request.desk_saved_message = saved_message(
            obj, was_public=before["status"] == Article.Status.PUBLISHED
        )

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # Django's "The interview … was changed successfully" becomes what happened to it.
        saved = getattr(request, "desk_saved_message", None)
        if saved and level == messages.SUCCESS:
            message, request.desk_saved_message = saved, None
        return super().message_user(request, message, level, *args, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Blocks, bylines and headline are all saved now: the quote cards follow after commit.
        cards.refresh_after_commit(form.instance)

    def log_addition(self, request, obj, message):
        return super().log_addition(request, obj, self._log_message(request, obj, message))

    def log_change(self, request, obj, message):
        return super().log_change(request, obj, self._log_message(request, obj, message))

    def _log_message(self, request, obj, message):
        """Put publishing, scheduling and restores first in the log and the revision comment."""
        notes = [
            "Autosaved." if is_autosave(request) else None,
            getattr(request, "workflow_restoring", None),
            getattr(obj, "workflow_event", None),
        ]
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
        if not workflow.can_publish(request.user):
            # Applied by get_object() once the old revision is back (changeform_view asks for it).
            request.workflow_kept = workflow.editor_only_state(article)
        user = version.revision.user
        request.workflow_restoring = (
            f"Restored the version saved on {workflow.format_when(version.revision.date_created)}"
            + (f" by {user.get_full_name() or user.get_username()}." if user else ".")
        )
        return super().revision_view(request, object_id, version_id, extra_context)

    def get_object(self, request, object_id, from_field=None):
        article = super().get_object(request, object_id, from_field)
        kept = getattr(request, "workflow_kept", None)
        if article is not None and kept is not None:
            workflow.keep_editor_only_state(article, kept)
        return article

    def recoverlist_view(self, request, extra_context=None):
        # Deleted interviews, embargoed ones included, and bringing them back are the editors' business.
        if not workflow.can_publish(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not workflow.can_publish(request.user):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            return TagNamesField(
                widget=TagAutocomplete(db_field, self.admin_site),
                required=False,
                label="Tags",
                help_text="The first tag is the kicker shown above the headline. "
                "Pick existing tags or type a new one and press Enter.",
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
        quote_cards = path(
            "<int:article_id>/cards/",
            self.admin_site.admin_view(partial(cards_view, self)),
            name="articles_article_cards",
        )
        return [tag_autocomplete, preview, quote_cards, *super().get_urls()]

    def tag_autocomplete_view(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        term = request.GET.get("term", "").strip()
        tags = Tag.objects.order_by("name")
        if term:
            tags = tags.filter(name__icontains=term)
        names = tags.values_list("name", flat=True)[:20]
        results = [{"id": as_typed(name), "text": name} for name in names]
        return JsonResponse({"results": results, "pagination": {"more": False}})

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
