"""The desk on the admin index: what needs an editor's attention now."""

from django import template
from django.db.models import Prefetch

from .. import workflow
from ..admin.authorization import article_status
from ..models import Article, AuthorizationRequest

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
        "authorization": _waiting_for_authorization(articles),
        "drafts": list(
            articles.filter(status=Article.Status.DRAFT, created_by=user).order_by("-updated_at")[:LIMIT]
        ),
    }


def _waiting_for_authorization(articles):
    """Unpublished interviews with interviewees asked, and where each of them stands, in four queries."""
    asked = AuthorizationRequest.objects.filter(revoked_at__isnull=True).select_related("person")
    waiting = (
        articles.exclude(status=Article.Status.PUBLISHED)
        .filter(authorization_requests__in=AuthorizationRequest.objects.filter(revoked_at__isnull=True))
        .distinct()
        .order_by("-updated_at")
        .prefetch_related("blocks", "interviewee_links", Prefetch("authorization_requests", queryset=asked))
    )[:LIMIT]
    return [
        {
            "article": article,
            "rows": article_status(
                article,
                list(article.blocks.all()),
                ids={link.person_id for link in article.interviewee_links.all()},
                requests=article.authorization_requests.all(),
            ),
        }
        for article in waiting
    ]
