"""Previews: the interview exactly as readers will see it, whatever its state.

Staff preview from the admin. Anyone else, such as an interviewee checking
quotes, needs a shareable link: a signed key that expires and can be revoked.
Both show the article page with ``noindex`` and ``Cache-Control: private,
no-store``, and without the related interviews, so nothing else leaks.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from . import workflow
from .links import LinkSigner, unavailable
from .models import Article, PreviewLink
from .views import render_article_page

_signer = LinkSigner(salt="articles.previews")


def link_token(link):
    return _signer.token(link)


def link_url(link):
    """The address to send: absolute, on the canonical site, never from the request's host."""
    return settings.SITE_URL + reverse("articles:preview", kwargs={"token": link_token(link)})


def create_link(article, user, days=None):
    days = settings.PREVIEW_LINK_DAYS if days is None else days
    return PreviewLink.objects.create(
        article=article, created_by=user, expires_at=timezone.now() + timedelta(days=days)
    )


def _preview_response(request, article_id, articles=None):
    articles = Article.objects.all() if articles is None else articles
    article = get_object_or_404(articles.for_page(), pk=article_id)
    return render_article_page(request, article, preview=True)


def admin_preview(request, article_id):
    """The admin's "Preview" button: for staff who may read the interview (``workflow.readable``)."""
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    return _preview_response(request, article_id, workflow.readable(request.user, Article.objects.all()))


def shared_preview(request, token):
    link = _signer.find(PreviewLink.objects.all(), token)
    if link is None:
        raise Http404("No preview at this address.")
    if not link.is_valid:
        return unavailable(request, link, noun="preview", link_name="preview link")
    return _preview_response(request, link.article_id)


class PreviewLinkAddForm(forms.ModelForm):
    days = forms.IntegerField(
        label="Valid for (days)",
        min_value=1,
        max_value=90,
        help_text="The link stops working after this many days. You can also revoke it at any time.",
    )

    class Meta:
        model = PreviewLink
        fields = ["article"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].initial = settings.PREVIEW_LINK_DAYS

    def save(self, commit=True):
        self.instance.expires_at = timezone.now() + timedelta(days=self.cleaned_data["days"])
        return super().save(commit)


class PreviewLinkChangeForm(forms.ModelForm):
    revoke = forms.BooleanField(
        label="Revoke this link",
        required=False,
        help_text="Whoever has the link sees a “no longer available” page from now on.",
    )

    class Meta:
        model = PreviewLink
        fields = []

    def save(self, commit=True):
        if self.cleaned_data.get("revoke") and self.instance.revoked_at is None:
            self.instance.revoked_at = timezone.now()
        return super().save(commit)
