"""The interviewee's pages, reached through their personal link (no account).

``read``     the interview as readers will see it, with "approve" and "suggest changes"
``changes``  their answers in plain boxes to edit, and a comment box on every part
``approve``  the approval (POST only)

Every response is private (links.make_private): never indexed, never cached.
A tampered or unknown link is a 404, an expired or revoked one a 410 page that
names no interview; once the interview is published, the link leads to the
public page and accepts nothing more.
"""

import re

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import authorization_mail
from .authorization import (
    AuthorizationError,
    AuthorizationEvent,
    AuthorizationRequest,
    Suggestion,
    fingerprint,
    interviewee_ids,
    signer,
)
from .authorization_text import editable_text, has_changes, normalise, to_html
from .links import make_private, unavailable
from .models import Article, Block
from .views import render_article_page

ANSWER_MAX = 20_000
COMMENT_MAX = 3_000
_seen_signer = signing.TimestampSigner(salt="articles.authorization.seen")
_BLOCK_FIELD = re.compile(r"^(answer|seen|comment)_(\d+)$")


class Refused(Exception):
    """A form no page of ours would send: a block that is not theirs, a forged original."""


def _open(request, token):
    """(link, None) for a link that works, or (link or None, the response to give instead)."""
    link = signer.find(
        AuthorizationRequest.objects.select_related("article__lead_photo", "person", "created_by"), token
    )
    if link is None:
        raise Http404("No page at this address.")
    if not link.is_valid:
        return link, unavailable(request, link, noun="page", link_name="link")
    article = link.article
    if article.status == Article.Status.PUBLISHED:
        if article.is_public and request.method == "GET":
            return link, redirect(article.get_absolute_url())
        return link, unavailable(request, link, noun="page", link_name="link", reason="closed")
    link.interviewee_ids = interviewee_ids(article)
    if link.person_id not in link.interviewee_ids:
        # Taken off the interview: the link is no longer theirs to use.
        return link, unavailable(request, link, noun="page", link_name="link", reason="revoked")
    return link, None


def _blocks(article):
    return list(Block.objects.filter(article=article).select_related("photo", "speaker"))


@require_GET
def read(request, token):
    link, refusal = _open(request, token)
    if refusal:
        return refusal
    article = link.article
    blocks = _blocks(article)
    ids = link.interviewee_ids
    answers = link.answers(blocks, ids)
    link.mark_read(article, blocks, request)
    return _read_page(request, link, blocks, answers, ids)


def _read_page(request, link, blocks, answers, ids, *, error="", status=200):
    suggestions = list(link.suggestions.exclude(status=Suggestion.Status.WITHDRAWN).select_related("block"))
    context = {
        "authorization": link,
        "answer_count": len(answers),
        "seen": fingerprint(answers),
        "approved": link.approval_is_current(blocks, ids),
        "suggestions": suggestions,
        "open_count": sum(1 for suggestion in suggestions if suggestion.is_open),
        "error": error,
        "token": signer.token(link),
    }
    response = render_article_page(
        request,
        link.article,
        preview=True,
        template="articles/authorization/read.html",
        extra_context=context,
    )
    response.status_code = status
    return response


@require_POST
def approve(request, token):
    link, refusal = _open(request, token)
    if refusal:
        return refusal
    blocks = _blocks(link.article)
    ids = link.interviewee_ids
    answers = link.answers(blocks, ids)
    try:
        link.approve(answers, request.POST.get("seen", ""), request)
    except AuthorizationError as error:
        return _read_page(request, link, blocks, answers, ids, error=str(error), status=409)
    authorization_mail.tell_editor(link, "approved")
    return make_private(redirect(reverse("articles:authorize", kwargs={"token": token}) + "#status"))


class SuggestionsForm(forms.Form):
    """A box per answer of theirs, a comment box per block, and one for the whole interview."""

    general = forms.CharField(
        label="Anything else for the editor, about the whole interview",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, link, blocks, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.link = link
        self.blocks = blocks
        self.answers = {block.pk: block for block in answers}
        pending = {}
        for suggestion in link.suggestions.filter(status=Suggestion.Status.OPEN).exclude(proposed_text=""):
            pending[suggestion.block_id] = suggestion
        self.pending = pending
        self.rows = []
        for block in blocks:
            row = {"block": block, "answer": None, "comment": None}
            if block.pk in self.answers:
                earlier = pending.get(block.pk)
                text = editable_text(earlier.proposed_text if earlier else block.text)
                self.fields[f"answer_{block.pk}"] = forms.CharField(
                    label="Your answer",
                    required=False,
                    strip=False,
                    max_length=ANSWER_MAX,
                    initial=text,
                    widget=forms.Textarea(attrs={"rows": max(4, min(20, len(text) // 60 + 2))}),
                )
                self.fields[f"seen_{block.pk}"] = forms.CharField(
                    widget=forms.HiddenInput,
                    required=False,
                    initial=_seen_signer.sign_object({"block": block.pk, "text": block.text}, compress=True),
                )
                row["answer"] = f"answer_{block.pk}"
                row["seen"] = f"seen_{block.pk}"
                row["pending"] = earlier
            self.fields[f"comment_{block.pk}"] = forms.CharField(
                label="Your comment for the editor",
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            row["comment"] = f"comment_{block.pk}"
            self.rows.append(row)

    def bound_rows(self):
        """Each block with its fields, and the number of the question it follows (for labels)."""
        number = 0
        for row in self.rows:
            if row["block"].kind == Block.Kind.QUESTION:
                number += 1
            yield {
                **row,
                "number": number,
                "answer": self[row["answer"]] if row["answer"] else None,
                "seen": self[row["seen"]] if row["answer"] else None,
                "comment": self[row["comment"]],
            }

    def check_sent_fields(self):
        """Refuse a form that names a block this page did not offer for that purpose."""
        for name in self.data:
            match = _BLOCK_FIELD.match(name)
            if match and name not in self.fields:
                raise Refused(f"field {name} is not on this person's form")

    def clean(self):
        cleaned_data = super().clean()
        proposals, comments = {}, {}
        for pk, block in self.answers.items():
            name = f"answer_{pk}"
            if name not in cleaned_data:
                continue
            seen = self._seen(pk)
            proposed = to_html(cleaned_data[name], seen)
            earlier = self.pending.get(pk)
            unchanged = earlier.proposed_text if earlier else seen
            if not has_changes(unchanged, proposed):
                continue
            if not proposed:
                self.add_error(
                    name,
                    "An answer cannot be left empty. To leave this answer out, keep its text and say so in "
                    "the comment box below it.",
                )
                continue
            proposals[block] = (seen, proposed)
        for block in self.blocks:
            comment = normalise(cleaned_data.get(f"comment_{block.pk}", ""))
            if comment:
                comments[block] = comment
        general = normalise(cleaned_data.get("general", ""))
        if not (proposals or comments or general) and not self.errors:
            raise forms.ValidationError(
                "You have not changed anything yet. Change the text in the boxes under your answers, "
                "or write a comment, then press “Send to the editor” again. If everything is right, "
                "go back and approve the interview instead."
            )
        cleaned_data.update(proposals=proposals, comments=comments, general_comment=general)
        return cleaned_data

    def _seen(self, pk):
        """The answer as the page showed it, from the signed copy the page carried."""
        try:
            seen = _seen_signer.unsign_object(self.data.get(f"seen_{pk}", ""))
        except signing.BadSignature:
            raise Refused(f"the original of block {pk} was altered") from None
        if seen.get("block") != pk:
            raise Refused(f"the original of block {pk} belongs to block {seen.get('block')}")
        return seen["text"]


def _too_many(link):
    """Count this send against the link's hourly allowance; True once it is used up."""
    key = f"authorization-sends:{link.key}"
    cache.add(key, 0, timeout=3600)
    try:
        sent = cache.incr(key)
    except ValueError:  # Expired between add() and incr().
        cache.set(key, 1, timeout=3600)
        sent = 1
    return sent > settings.AUTHORIZATION_SENDS_PER_HOUR


@require_http_methods(["GET", "POST"])
def changes(request, token):
    link, refusal = _open(request, token)
    if refusal:
        return refusal
    article = link.article
    blocks = _blocks(article)
    answers = link.answers(blocks, link.interviewee_ids)
    if request.method == "GET":
        form = SuggestionsForm(link=link, blocks=blocks, answers=answers)
        return _changes_page(request, link, form)
    form = SuggestionsForm(request.POST, link=link, blocks=blocks, answers=answers)
    if _too_many(link):
        link.record(AuthorizationEvent.Action.REFUSED, request, note="Too many sends in an hour")
        form.add_error(
            None,
            "You have sent this form many times in the last hour, so we have paused it for a while. "
            "Your text is still below: wait a few minutes, then press “Send to the editor” again.",
        )
        return _changes_page(request, link, form, status=429)
    try:
        form.check_sent_fields()
        valid = form.is_valid()
    except Refused as refusal:
        link.record(AuthorizationEvent.Action.REFUSED, request, note=str(refusal)[:300])
        return make_private(render(request, "articles/authorization/refused.html", status=400))
    if not valid:
        return _changes_page(request, link, form, status=400)
    data = form.cleaned_data
    link.submit(data["proposals"], data["comments"], data["general_comment"], request)
    authorization_mail.tell_editor(link, "changes")
    return make_private(redirect(reverse("articles:authorize", kwargs={"token": token}) + "#status"))


def _changes_page(request, link, form, status=200):
    context = {
        "authorization": link,
        "article": link.article,
        "form": form,
        "rows": list(form.bound_rows()),
        "show_speakers": True,
        "token": signer.token(link),
    }
    return make_private(render(request, "articles/authorization/changes.html", context, status=status))
