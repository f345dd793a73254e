"""Authorization on the desk: ask interviewees, go through their suggestions, see where each stands.

One page per interview (``review``) does the work: the links to copy, asking
and revoking, each suggestion as a word-level difference beside the answer
with Accept and Decline, replies, and the log. The interview's change form
shows the same status and the open suggestions (``AuthorizationPanelMixin``).
Who may do any of it: whoever may edit the interview (workflow.can_edit).
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from .. import authorization, authorization_mail, workflow
from ..authorization import (
    AuthorizationError,
    AuthorizationEvent,
    AuthorizationRequest,
    Suggestion,
    interviewee_ids,
    open_requests,
)
from ..authorization_text import normalise, paragraphs, word_diff
from ..models import Article, Block


class AskForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    email = forms.EmailField(
        label="Their email address",
        required=False,
        help_text="The link is emailed here. Leave empty to copy the link and send it yourself.",
    )
    days = forms.IntegerField(
        label="Link valid for (days)",
        min_value=1,
        max_value=60,
        help_text="The link stops working after this. You can revoke it or extend it at any time.",
    )
    message = forms.CharField(
        label="Personal message",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Added to the email, for example your deadline.",
    )


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else "Someone"


def article_status(article, blocks=None, *, ids=None, requests=None):
    """Each open request of ``article`` with where it stands, for the desk and the change form.

    The blocks, interviewee ids and open requests come from the database unless given (the desk
    prefetches them for all its interviews at once).
    """
    blocks = list(article.blocks.all()) if blocks is None else blocks
    ids = interviewee_ids(article) if ids is None else ids
    requests = open_requests(article).select_related("created_by") if requests is None else requests
    rows = []
    for request in requests:
        rows.append(
            {
                "request": request,
                "state": request.describe(blocks, ids),
                "current": request.approval_is_current(blocks, ids),
                "changed_since_read": request.changed_since_read(article, blocks),
            }
        )
    return rows


def suggestion_rows(suggestions, numbers):
    """What the editor needs beside each suggestion: where it is, and the difference it makes."""
    rows = []
    for suggestion in suggestions:
        block = suggestion.block
        rows.append(
            {
                "suggestion": suggestion,
                "where": _where(block, numbers, suggestion),
                "diff": word_diff(suggestion.seen_text, suggestion.proposed_text)
                if suggestion.proposed_text
                else "",
                "current": block.text if block else "",
                "changed": suggestion.block_changed_since_seen(),
                "comment": paragraphs(suggestion.comment),
            }
        )
    return rows


def _question_numbers(blocks):
    """block id -> the number of the question it belongs to (the last one before it)."""
    numbers, number = {}, 0
    for block in blocks:
        if block.kind == Block.Kind.QUESTION:
            number += 1
        numbers[block.pk] = number
    return numbers


def _where(block, numbers, suggestion):
    if block is None:
        return "About the whole interview" if not suggestion.seen_text else "On a block since deleted"
    number = numbers.get(block.pk, 0)
    kind = block.get_kind_display()
    if block.kind == Block.Kind.QUESTION:
        return f"Question {number}"
    if block.kind == Block.Kind.ANSWER:
        return f"Answer to question {number}" if number else "Answer"
    return f"{kind} after question {number}" if number else kind


class AuthorizationPanelMixin:
    """The change form's "Authorization" section: status per interviewee and the open suggestions."""

    readonly_fields = ["authorization_status"]

    @admin.display(description="Where it stands")
    def authorization_status(self, obj):
        if obj is None or obj.pk is None:
            return "Save the interview first; then you can ask its interviewees to authorize it."
        blocks = list(obj.blocks.select_related("speaker"))
        suggestions = Suggestion.objects.filter(
            request__article=obj, request__revoked_at__isnull=True, status=Suggestion.Status.OPEN
        ).select_related("block", "request__person")
        context = {
            "article": obj,
            "rows": article_status(obj, blocks),
            "suggestions": suggestion_rows(suggestions, _question_numbers(blocks)),
            "review_url": reverse("admin:articles_authorizationrequest_review", args=[obj.pk]),
        }
        return render_to_string("admin/articles/_authorization_panel.html", context)


@admin.register(AuthorizationRequest)
class AuthorizationRequestAdmin(admin.ModelAdmin):
    """Every request on every interview, to find one and revoke links; the work is on ``review``."""

    list_display = ["person", "article", "state", "expires_at", "created_by", "created_at"]
    list_select_related = ["person", "article", "created_by"]
    list_filter = ["status"]
    search_fields = ["article__title", "person__name", "email"]
    actions = ["revoke"]
    fields = [
        "article",
        "person",
        "email",
        "status",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "first_read_at",
        "last_read_at",
        "answered_at",
        "approved_at",
        "message",
    ]

    def has_module_permission(self, request):
        return request.user.has_perm("articles.view_article")

    def get_queryset(self, request):
        # Only requests about interviews the user may read (workflow.readable).
        readable = workflow.readable(request.user, Article.objects.all())
        return super().get_queryset(request).filter(article__in=readable)

    def has_view_permission(self, request, obj=None):
        allowed = request.user.has_perm("articles.view_article")
        return allowed and (obj is None or workflow.can_read(request.user, obj.article))

    def has_add_permission(self, request):
        return False  # Asked from an interview's authorization page.

    def has_change_permission(self, request, obj=None):
        return workflow.can_edit(request.user, obj.article if obj else None)

    def has_delete_permission(self, request, obj=None):
        return False  # The record of who approved what stays.

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        request_obj = self.get_object(request, object_id)
        if request_obj is None:
            raise Http404("No such authorization request.")
        if not self.has_view_permission(request, request_obj):
            raise PermissionDenied
        return HttpResponseRedirect(
            reverse("admin:articles_authorizationrequest_review", args=[request_obj.article_id])
        )

    @admin.display(description="Where it stands")
    def state(self, obj):
        if obj.revoked_at:
            return "Revoked"
        if obj.expires_at <= timezone.now() and obj.status != obj.Status.APPROVED:
            return "Expired"
        return obj.get_status_display()

    @admin.action(description="Revoke the selected links", permissions=["change"])
    def revoke(self, request, queryset):
        done = 0
        for link in queryset.filter(revoked_at__isnull=True).select_related("article"):
            if workflow.can_edit(request.user, link.article):
                link.revoke(request.user, request)
                done += 1
        self.message_user(request, f"Revoked {done} authorization link(s).", messages.SUCCESS)

    def get_urls(self):
        review = path(
            "interview/<int:article_id>/",
            self.admin_site.admin_view(self.review_view),
            name="articles_authorizationrequest_review",
        )
        return [review, *super().get_urls()]

    # The interview's authorization page -----------------------------------------

    def review_view(self, request, article_id):
        if not request.user.has_perm("articles.view_article"):
            raise PermissionDenied
        article = get_object_or_404(workflow.readable(request.user, Article.objects.all()), pk=article_id)
        may_edit = workflow.can_edit(request.user, article)
        if request.method == "POST":
            if not may_edit:
                raise PermissionDenied
            return self._act(request, article)
        return self._review_page(request, article, may_edit)

    def _review_page(self, request, article, may_edit, ask_forms=None):
        blocks = list(article.blocks.select_related("speaker"))
        numbers = _question_numbers(blocks)
        rows = article_status(article, blocks)
        asked = {row["request"].person_id for row in rows}
        ask_forms = ask_forms or {}
        not_asked = []
        previous = {
            link.person_id: link.email
            for link in article.authorization_requests.exclude(email="").order_by("created_at")
        }
        for link in article.interviewee_links.select_related("person"):
            if link.person_id in asked:
                continue
            form = ask_forms.get(link.person_id) or AskForm(
                prefix=f"ask-{link.person_id}",
                initial={
                    "person": link.person_id,
                    "days": settings.AUTHORIZATION_DAYS,
                    "email": previous.get(link.person_id, ""),
                },
            )
            not_asked.append({"person": link.person, "form": form})
        suggestions = Suggestion.objects.filter(request__article=article).select_related(
            "block", "request__person", "decided_by"
        )
        open_suggestions = [s for s in suggestions if s.is_open and s.request.revoked_at is None]
        done = [s for s in suggestions if not s.is_open or s.request.revoked_at is not None]
        events = (
            AuthorizationEvent.objects.filter(request__article=article)
            .select_related("request__person", "user", "suggestion")
            .order_by("-at", "-id")[:200]
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Authorization: {article.title}",
            "article": article,
            "opts": self.model._meta,
            "may_edit": may_edit,
            "rows": rows,
            "not_asked": not_asked,
            "open_suggestions": suggestion_rows(open_suggestions, numbers),
            "done_suggestions": suggestion_rows(done, numbers),
            "events": events,
            "required": article.authorization_required,
            "problems": workflow.publish_problems(article) if article.status != "published" else [],
        }
        return TemplateResponse(request, "admin/articles/authorization_review.html", context)

    def _act(self, request, article):
        action = request.POST.get("action", "")
        back = HttpResponseRedirect(request.path)
        if action == "ask":
            return self._ask(request, article) or back
        if action in {"resend", "revoke"}:
            link = get_object_or_404(open_requests(article), pk=request.POST.get("request"))
            if action == "revoke":
                link.revoke(request.user, request)
                self.message_user(
                    request, f"Revoked {link.person.name}'s link. It no longer works.", messages.SUCCESS
                )
            else:
                link.extend()
                sent = authorization_mail.send_link(
                    link, again=link.suggestions.exists(), user=request.user, http_request=request
                )
                self._report_send(request, link, sent, "sent again")
            return back
        suggestion = get_object_or_404(
            Suggestion.objects.select_related("request__person", "request__article", "block"),
            pk=request.POST.get("suggestion"),
            request__article=article,
        )
        reply = normalise(request.POST.get("reply", ""))[:3000]
        try:
            if action == "accept":
                suggestion.accept(request.user, request)
                if reply:
                    suggestion.answer(request.user, request, reply)
                self.message_user(
                    request,
                    f"Accepted {suggestion.request.person.name}'s change: it is in the interview now.",
                    messages.SUCCESS,
                )
            elif action == "reject":
                suggestion.reject(request.user, request, reply)
                self.message_user(
                    request, f"Declined {suggestion.request.person.name}'s suggestion.", messages.SUCCESS
                )
            elif action == "reply" and reply:
                suggestion.answer(request.user, request, reply)
                self.message_user(
                    request, f"Your reply is on {suggestion.request.person.name}'s page.", messages.SUCCESS
                )
            else:
                self.message_user(request, "Write a reply first, then press “Reply”.", messages.WARNING)
        except AuthorizationError as error:
            self.message_user(request, str(error), messages.ERROR)
        return back

    def _ask(self, request, article):
        person_id = request.POST.get("person", "")
        form = AskForm(request.POST, prefix=f"ask-{person_id}")
        if not form.is_valid():
            messages.error(request, "Please correct the errors below.")
            forms_by_person = {int(person_id): form} if person_id.isdigit() else {}
            return self._review_page(request, article, True, forms_by_person)
        person = get_object_or_404(article.interviewees.all(), pk=form.cleaned_data["person"])
        try:
            with transaction.atomic():
                link = authorization.ask(
                    article,
                    person,
                    user=request.user,
                    email=form.cleaned_data["email"],
                    days=form.cleaned_data["days"],
                    message=normalise(form.cleaned_data["message"]),
                    http_request=request,
                )
        except AuthorizationError as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        sent = authorization_mail.send_link(link, user=request.user, http_request=request)
        self._report_send(request, link, sent, "asked")
        return None

    def _report_send(self, request, link, sent, done):
        who = link.person.name
        if sent:
            self.message_user(
                request, f"{who}: {done}; the link was emailed to {link.email}.", messages.SUCCESS
            )
        elif link.email:
            self.message_user(
                request,
                f"{who}: {done}, but the email to {link.email} could not be sent. Copy the link below "
                "and send it another way.",
                messages.WARNING,
            )
        else:
            self.message_user(
                request, f"{who}: {done}. Copy the link below and send it to them.", messages.SUCCESS
            )
