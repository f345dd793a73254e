import functools
from datetime import timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from taggit.models import Tag

from . import authorization, question_pages, related, rendering, seo
from .links import make_private
from .listings import ListEntry
from .models import (
    Article,
    OldSlug,
    Person,
    load_cover_photos,
    people_prefetches,
    taggings,
)
from .search import clean_query, search_articles
from .share import share_links

PAGE_SIZE = 12
FEATURED_COUNT = 3
UPDATE_THRESHOLD = timedelta(hours=1)


def _paginate(request, queryset, param="page", count=None):
    paginator = Paginator(queryset, PAGE_SIZE)
    if count is not None:
        paginator.count = count
    return paginator.get_page(request.GET.get(param))


def _paginate_list(request, kind, item, param="page"):
    """A page of a tag's or a person's list: counted and cut in its entries' index (see listings.py)."""
    entries = ListEntry.objects.public().of(item, kind).values_list("article_id", flat=True)
    page = _paginate(request, entries, param)
    public = Article.objects.published().select_related("lead_photo")
    page.object_list = public.filter(pk__in=page.object_list)
    return page


def _with_cards(level, *lists):
    """Give every interview of the lists its card (``article.card``, HTML), kept under its version.

    Only the cards not kept yet are made: their people and cover photos
    fetched for all of them at once (two or three queries). Pages get a plain
    list of articles. ``level`` is the cards' heading level.
    """
    articles = []
    for items in lists:
        if isinstance(items, Page):
            items.object_list = list(items.object_list)
        articles += items
    cards = rendering.kept(articles, f"card-{level}", functools.partial(_make_cards, level))
    for article, card in zip(articles, cards, strict=True):
        article.card = card


def _make_cards(level, articles):
    prefetch_related_objects(articles, *people_prefetches())
    load_cover_photos(articles)
    return [
        render_to_string(rendering.CARD_TEMPLATE, {"article": article, "level": level})
        for article in articles
    ]


def home(request):
    public = Article.objects.published().select_related("lead_photo")
    featured = list(public.filter(featured=True)[:FEATURED_COUNT])
    # Counted as every public interview but the featured ones shown: a count
    # of the index alone, where counting the list itself reads every row.
    others = public.exclude(pk__in=[a.pk for a in featured])
    page = _paginate(request, others, count=public.count() - len(featured))
    path = reverse("articles:home")
    if page.number > 1:
        featured = []
        path += f"?page={page.number}"
    _with_cards(3, featured, page)
    context = {
        "featured": featured,
        "page": page,
        "meta": seo.page_metadata(settings.SITE_NAME, settings.SITE_DESCRIPTION, path),
    }
    return render(request, "articles/home.html", context)


def article_detail(request, slug):
    try:
        article = Article.objects.published().for_page().get(slug=slug)
    except Article.DoesNotExist:
        old = OldSlug.objects.filter(slug=slug, article__in=Article.objects.published()).first()
        if old is None:
            raise Http404("No interview at this address.") from None
        return redirect(old.article, permanent=True)
    return render_article_page(request, article)


def question_page(request, slug, number):
    """One question's share address: the interview page with that question's preview metadata."""
    try:
        article = Article.objects.published().for_page().get(slug=slug)
    except Article.DoesNotExist:
        old = OldSlug.objects.filter(slug=slug, article__in=Article.objects.published()).first()
        if old is None:
            raise Http404("No interview at this address.") from None
        return redirect("articles:question", slug=old.article.slug, number=number, permanent=True)
    shared = question_pages.find(article, number, rendering.page_parts(article).interviewee_links)
    if shared is None:
        raise Http404("This interview has no question with that number.")
    return render_article_page(request, article, shared=shared)


def render_article_page(
    request,
    article,
    *,
    preview=False,
    template="articles/article_detail.html",
    extra_context=None,
    shared=None,
):
    """The interview page for an article already fetched (public view, previews, authorization).

    A preview is never indexed or cached, has no share links, and lists no
    related interviews, so it reveals nothing but the article being previewed.
    The interviewee's authorization page is a preview in a template that
    extends the article page, with ``extra_context`` of its own. ``shared``, a
    question found by question_pages.find(), makes it that question's share page.
    """
    body = rendering.body(article)
    parts = rendering.page_parts(article)
    authors, interviewee_links, tags = parts.authors, parts.interviewee_links, parts.tags
    url = seo.absolute(article.get_absolute_url())
    context = {
        "article": article,
        "authors": authors,
        "interviewee_links": interviewee_links,
        "tags": tags,
        "body": body,
        "reading_minutes": rendering.reading_minutes(article, body),
        "updated_at": _visible_update(article),
        "corrections": parts.corrections,
        "related": "" if preview else related.related_html(article, tags, interviewee_links),
        "share": None if preview else {"url": url, "links": share_links(url, article.title)},
        "preview": preview,
        "landing": f"q-{shared.number}" if shared is not None else "",
        # The blocks are only fetched when the editor chose to show the line.
        "authorized_line": authorization.public_line(article, article.blocks.all(), interviewee_links),
    }

    def metadata():
        meta = seo.article_metadata(
            article,
            authors=authors,
            interviewee_links=interviewee_links,
            tags=tags,
            blocks=parts.photo_blocks,
            preview=preview,
        )
        if shared is None:
            return meta
        share_url = seo.absolute(reverse("articles:question", args=[article.slug, shared.number]))
        return seo.question_metadata(meta, shared, share_url)

    fragments = rendering.page_fragments(article, context, metadata)
    context.update(fragments=fragments, meta=fragments["meta"])
    context.update(extra_context or {})
    response = render(request, template, context)
    return make_private(response) if preview else response


def _visible_update(article):
    """The update time worth showing readers: not the saves that created or published it."""
    published, updated = article.published_at, article.updated_at
    if published and updated and updated - max(published, article.created_at) > UPDATE_THRESHOLD:
        return updated
    return None


def person_detail(request, slug):
    person = get_object_or_404(Person.objects.select_related("portrait"), slug=slug)
    given = _paginate_list(request, ListEntry.Kind.GIVEN, person, "given")
    written = _paginate_list(request, ListEntry.Kind.WRITTEN, person, "written")
    if not given.paginator.count and not written.paginator.count:
        # Someone who only appears in unpublished interviews has no public page yet.
        raise Http404("No published interviews with or by this person.")
    _with_cards(3, given, written)
    description = seo.plain_description(person.bio) or f"Interviews with and by {person.name}."
    context = {
        "person": person,
        "given": given,
        "written": written,
        "meta": seo.page_metadata(
            person.name, description, person.get_absolute_url(), og_type="profile", image=person.portrait
        ),
    }
    return render(request, "articles/person_detail.html", context)


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = _paginate_list(request, ListEntry.Kind.TAG, tag)
    if not page.paginator.count:
        raise Http404("No published interviews with this tag.")
    _with_cards(2, page)
    path = reverse("articles:tag", kwargs={"slug": tag.slug})
    if page.number > 1:
        path += f"?page={page.number}"
    description = f"Interviews about {tag.name}."
    context = {
        "tag": tag,
        "page": page,
        "meta": seo.page_metadata(f"Interviews about {tag.name}", description, path),
    }
    return render(request, "articles/tag_detail.html", context)


def search(request):
    query = clean_query(request.GET.get("q", ""))
    page = _paginate(request, search_articles(query).for_listing()) if query else None
    if page is not None:
        page.object_list = list(page.object_list)
        load_cover_photos(page.object_list)
    suggestions = []
    if page is None or not page.paginator.count:
        # The most used topics of public interviews, through their taggings (see models.taggings).
        public = taggings().filter(object_id__in=Article.objects.published().values("pk"))
        suggestions = list(
            Tag.objects.filter(taggit_taggeditem_items__in=public)
            .annotate(uses=Count("taggit_taggeditem_items"))
            .order_by("-uses", "name")[:12]
        )
    context = {
        "query": query,
        "page": page,
        "suggestions": suggestions,
        "meta": seo.page_metadata(
            f"Search: {query}" if query else "Search",
            f"Search the interviews of {settings.SITE_NAME}.",
            reverse("articles:search"),
            noindex=True,
        ),
    }
    return render(request, "articles/search.html", context)
