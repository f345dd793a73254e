"""Search over published interviews: titles, standfirsts and the text of their blocks.

One interface for both databases: ranked full-text search on PostgreSQL, a
plain word match on SQLite (enough for development and small sites).

Each interview keeps the plain text of its blocks in ``search_document``,
rewritten whenever a block is saved or deleted (``connect_signals``), so no
search reads the blocks. On PostgreSQL the column ``search_vector`` stores the
weighted vector of title (A), standfirst (B) and that document (C), in the
text search configuration of ``settings.SITE_LANGUAGE`` at migrate time. It is
a generated column (``StoredVector``): the database computes it on every
write, whatever path the write takes (save, update(), bulk writes, fixtures,
revision restores). A GIN index on it (migration 0014) finds the matches, and
ranking reads the stored vectors instead of computing one per interview.
"""

import re

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import connection
from django.db.models import Case, F, Func, Q, Value, When
from django.db.models.signals import post_delete, post_save

from .richtext import plain_text

MAX_QUERY_LENGTH = 200
# The GIN index on the stored vector (migration 0014).
INDEX_NAME = "article_search_vector_idx"

# PostgreSQL's built-in text search configurations, by language code;
# other languages get "simple" (no stemming, no stop words).
CONFIGS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}


def search_config():
    """The PostgreSQL text search configuration for the site's language ("en-gb" -> "english")."""
    return CONFIGS.get(settings.SITE_LANGUAGE.lower().split("-")[0], "simple")


def search_vector():
    """The weighted document of an interview, as ``search_vector`` stores it."""
    from django.contrib.postgres.search import SearchVector

    config = search_config()
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("standfirst", weight="B", config=config)
        + SearchVector("search_document", weight="C", config=config)
    )


class StoredVector(Func):
    """The expression of the generated column ``Article.search_vector``.

    Its own class, without arguments, so that migrations record its name and
    not the site's language: the configuration is the one of SITE_LANGUAGE
    when the column is created. SQLite has no text search vectors and stores
    NULL (its searches read the text itself).
    """

    template = "%(expressions)s"
    output_field = SearchVectorField()

    def __init__(self):
        super().__init__(search_vector())

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []


def clean_query(raw):
    """The reader's query, tidied: no NUL bytes (PostgreSQL rejects them), bounded length."""
    return " ".join(raw.replace("\x00", " ").split())[:MAX_QUERY_LENGTH].strip()


def search_articles(query):
    """Published interviews matching ``query``, best match first."""
    from .models import Article

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
        public = public.filter(
            Q(title__icontains=word) | Q(standfirst__icontains=word) | Q(search_document__icontains=word)
        )
        score += Case(
            When(title__icontains=word, then=Value(2)),
            When(standfirst__icontains=word, then=Value(1)),
            default=Value(0),
        )
    return public.annotate(score=score).order_by("-score", "-published_at", "-id")


def _postgres(public, query):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    # websearch syntax accepts anything a reader types ("quotes", -minus, or)
    # without ever raising a syntax error.
    search_query = SearchQuery(query, search_type="websearch", config=search_config())
    return (
        public.filter(search_vector=search_query)
        .annotate(rank=SearchRank(F("search_vector"), search_query))
        .order_by("-rank", "-published_at", "-id")
    )


# The stored document --------------------------------------------------------


# Blocks' paragraphs and list items end without a space ("<p>a.</p><p>b.</p>"):
# one is added so their words stay apart.
BLOCK_TAG = re.compile(r"(?=</?(?:p|li|ul|ol|h[1-6]|blockquote|br)\b)", re.IGNORECASE)


def block_text(html):
    """The plain text of a block's rich text, as search reads it."""
    return plain_text(BLOCK_TAG.sub(" ", html))


def refresh_documents(articles):
    """Rewrite the search document of every article of the queryset ``articles``.

    Call after writes that send no signals, such as ``Block.objects.bulk_create``.
    """
    from .models import Article, Block

    ids = list(articles.values_list("pk", flat=True))
    texts = {pk: [] for pk in ids}
    for article_id, text in Block.objects.filter(article__in=ids).values_list("article_id", "text"):
        texts[article_id].append(block_text(text))
    rows = [Article(pk=pk, search_document=" ".join(filter(None, parts))) for pk, parts in texts.items()]
    Article.objects.bulk_update(rows, ["search_document"], batch_size=500)


def _block_changed(sender, instance, **kwargs):
    from .models import Article

    refresh_documents(Article.objects.filter(pk=instance.article_id))


def connect_signals():
    """Signals rather than Block.save(), so that deletions by cascade, fixtures
    and revision restores (which save raw) keep the document current too."""
    from .models import Block

    post_save.connect(_block_changed, sender=Block, dispatch_uid="search-Block")
    post_delete.connect(_block_changed, sender=Block, dispatch_uid="search-Block")
