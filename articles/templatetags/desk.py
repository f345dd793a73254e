"""The desk on the admin index: what needs an editor's attention now."""

from django import template

from .. import workflow
from ..models import Article

register = template.Library()

LIMIT = 10


@register.inclusion_tag("admin/articles/desk.html", takes_context=True)
def desk(context):
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return {"show": False}
    articles = workflow.readable(user, Article.objects.all())
    return {
        "show": True,
        "in_review": list(
            articles.filter(status=Article.Status.REVIEW)
            .select_related("created_by")
            .order_by("-updated_at")[:LIMIT]
        ),
        "scheduled": list(articles.scheduled().order_by("published_at", "id")[:LIMIT]),
        "published": list(articles.published().order_by("-published_at", "-id")[:LIMIT]),
        "drafts": list(
            articles.filter(status=Article.Status.DRAFT, created_by=user).order_by("-updated_at")[:LIMIT]
        ),
    }
