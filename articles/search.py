"""Search over published interviews: titles, standfirsts and the text of their blocks.

One interface for both databases: ranked full-text search on PostgreSQL, a
plain word match on SQLite (enough for development and small sites).
"""

from django.db import connection
from django.db.models import Case, Exists, OuterRef, Q, Value, When

from .models import Article, Block

MAX_QUERY_LENGTH = 200


def clean_query(raw):
    """The reader's query, tidied: no NUL bytes (PostgreSQL rejects them), bounded length."""
    return " ".join(raw.replace("\x00", " ").split())[:MAX_QUERY_LENGTH].strip()


def search_articles(query):
    """Published interviews matching ``query``, best match first."""
    public = Article.objects.published()
    if not query:
        return public.none()
    if connection.vendor == "postgresql":
        return _postgres(public, query)
    return _simple(public, query)


def _simple(public, query):
    # Every word must appear somewhere; words found in the title count most,
    # then the standfirst, so the ordering resembles PostgreSQL's ranking.
    score = Value(0)
    for word in query.split():
        in_blocks = Block.objects.filter(article=OuterRef("pk"), text__icontains=word)
        public = public.filter(Q(title__icontains=word) | Q(standfirst__icontains=word) | Exists(in_blocks))
        score += Case(
            When(title__icontains=word, then=Value(2)),
            When(standfirst__icontains=word, then=Value(1)),
            default=Value(0),
        )
    return public.annotate(score=score).order_by("-score", "-published_at", "-id")


def _postgres(public, query):
    from django.contrib.postgres.aggregates import StringAgg
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
    from django.db.models import Subquery, TextField
    from django.db.models.functions import Coalesce

    # The blocks' text, one string per article. to_tsvector's parser skips
    # the (sanitized) HTML tags, so words inside tags are never matched.
    body = Subquery(
        Block.objects.filter(article=OuterRef("pk"))
        .values("article")
        .annotate(text=StringAgg("text", delimiter=" "))
        .values("text")
    )
    vector = (
        SearchVector("title", weight="A", config="english")
        + SearchVector("standfirst", weight="B", config="english")
        + SearchVector(Coalesce(body, Value(""), output_field=TextField()), weight="C", config="english")
    )
    # websearch syntax accepts anything a reader types ("quotes", -minus, or)
    # without ever raising a syntax error.
    search_query = SearchQuery(query, search_type="websearch", config="english")
    return (
        public.annotate(search=vector, rank=SearchRank(vector, search_query))
        .filter(search=search_query)
        .order_by("-rank", "-published_at", "-id")
    )
