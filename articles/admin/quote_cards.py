"""The interview's quote cards in the admin: each quote beside its cards, to download or redraw."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from .. import cards
from ..models import Article, Block


def cards_view(model_admin, request, article_id):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    article = get_object_or_404(Article, pk=article_id)
    if not model_admin.has_view_or_change_permission(request, article):
        raise PermissionDenied
    if request.method == "POST":
        if not model_admin.has_change_permission(request, article):
            raise PermissionDenied
        made = cards.refresh_article_cards(article, force=True)
        messages.success(request, f"Redrew the cards of {made} quote{'s' if made != 1 else ''}.")
        return redirect("admin:articles_article_cards", article.pk)
    quotes = []
    for block in Block.objects.filter(article=article).select_related("speaker"):
        if not cards.quote_text(block):
            continue
        quotes.append(
            {
                "block": block,
                "quote": cards.quote_text(block),
                "problem": cards.quote_problem(block),
                "images": [
                    {"kind": kind, "url": cards.card_url(block, kind), **block.cards[kind]}
                    for kind in cards.SIZES
                    if kind in (block.cards or {})
                ],
            }
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Article._meta,
        "original": article,
        "title": f"Quote cards: {article.title}",
        "quotes": quotes,
        "can_change": model_admin.has_change_permission(request, article),
    }
    return TemplateResponse(request, "admin/articles/article/cards.html", context)
