import html
import math
import re
from datetime import timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    prefetch_related_objects,
)
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from taggit.models import Tag

from . import authorization, seo
from .links import make_private
from .models import (
    Article,
    ArticleAuthor,
    ArticleInterviewee,
    Block,
    Correction,
    OldSlug,
    Person,
    load_cover_photos,
)
from .search import clean_query, search_articles
from .share import QuestionShares, share_items

PAGE_SIZE = 12
FEATURED_COUNT = 3
RELATED_COUNT = 4
RELATED_PHOTO_FIELDS = ["image", "width", "height", "alt_text", "renditions"]
WORDS_PER_MINUTE = 230
UPDATE_THRESHOLD = timedelta(hours=1)

_TAG = re.compile(r"<[^>]+>")


def _plain(stored_html):
    # Stored rich text is already sanitized, so a regex is enough (and far
    # cheaper per request than an HTML parser).
    return html.unescape(" ".join(_TAG.sub(" ", stored_html).split()))


def _slug_url(name):
    """A function slug -> the path of URL ``name``, for slug-only URLs, from one reverse().

    reverse() costs more than the rest of a link, and an interview page links
    the same few people many times. Person and article slugs are ASCII
    (SlugField), which reverse() would leave as they are.
    """
    before, _, after = reverse(name, kwargs={"slug": "slug"}).rpartition("slug")
    return lambda slug: f"{before}{slug}{after}"


def _paginate(request, queryset, param="page"):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get(param))


def _with_people(*lists):
    """Fetch the people every card names for several lists at once.

    Two queries in all, where for_listing() spends two per list; each query
    costs more to build than to run. Pages get a plain list of articles.
    """
    articles = []
    for items in lists:
        if isinstance(items, Page):
            items.object_list = list(items.object_list)
        articles += items
    prefetch_related_objects(
        articles,
        Prefetch("author_links", queryset=ArticleAuthor.objects.select_related("person")),
        Prefetch("interviewee_links", queryset=ArticleInterviewee.objects.select_related("person")),
    )
    load_cover_photos(articles)


def home(request):
    public = Article.objects.published().select_related("lead_photo")
    featured = list(public.filter(featured=True)[:FEATURED_COUNT])
    page = _paginate(request, public.exclude(pk__in=[a.pk for a in featured]))
    path = reverse("articles:home")
    if page.number > 1:
        featured = []
        path += f"?page={page.number}"
    _with_people(featured, page)
    context = {
        "featured": featured,
        "page": page,
        "meta": seo.page_metadata(settings.SITE_NAME, settings.SITE_DESCRIPTION, path),
    }
    return render(request, "articles/home.html", context)


def article_detail(request, slug):
    try:
        article = (
            Article.objects.published()
            .for_page()
            .annotate(has_corrections=Exists(Correction.objects.filter(article=OuterRef("pk"))))
            .get(slug=slug)
        )
    except Article.DoesNotExist:
        old = OldSlug.objects.filter(slug=slug, article__in=Article.objects.published()).first()
        if old is None:
            raise Http404("No interview at this address.") from None
        return redirect(reverse("articles:detail", kwargs={"slug": old.article.slug}), permanent=True)
    return render_article_page(request, article)


def render_article_page(
    request, article, *, preview=False, template="articles/article_detail.html", extra_context=None
):
    """The interview page for an article already fetched (public view, previews, authorization).

    A preview is never indexed or cached, has no share links, and lists no
    related interviews, so it reveals nothing but the article being previewed.
    The interviewee's authorization page is a preview in a template that
    extends the article page, with ``extra_context`` of its own.
    """
    # One plain query per kind of row, without prefetch_related's overhead:
    # each query costs more to build than to run, so fewer is faster.
    authors, interviewee_links = _people(article)
    person_url = _slug_url("articles:person")
    for person in {*authors, *(link.person for link in interviewee_links)}:
        person.url = person_url(person.slug)
    article_url = _slug_url("articles:detail")
    article.url = article_url(article.slug)
    blocks = list(Block.objects.filter(article=article).select_related("photo", "speaker"))
    article.photo_blocks = [block for block in blocks if block.kind == Block.Kind.PHOTO]
    tags = list(article.tags.all())
    # The public view knows from the article query whether there are any
    # (almost never); a preview asks.
    has_corrections = getattr(article, "has_corrections", True)
    corrections = list(Correction.objects.filter(article=article)) if has_corrections else []
    url = seo.absolute(article.url)
    # A preview has no share links: they would carry a draft's questions to the networks.
    items, questions, words = _prepare_blocks(blocks, url, article.title, share=not preview)
    words += len(article.standfirst.split())
    context = {
        "article": article,
        "authors": authors,
        "interviewee_links": interviewee_links,
        "tags": tags,
        "blocks": items,
        "questions": questions,
        "show_speakers": len(interviewee_links) > 1,
        "reading_minutes": max(1, math.ceil(words / WORDS_PER_MINUTE)),
        "updated_at": _visible_update(article),
        "corrections": corrections,
        "related": [] if preview else _related(article, tags, interviewee_links, article_url),
        "share": None if preview else {"url": url, "items": share_items(url, article.title)},
        "preview": preview,
        "authorized_line": authorization.public_line(article, blocks, interviewee_links),
        "meta": seo.article_metadata(
            article,
            authors=authors,
            interviewee_links=interviewee_links,
            tags=tags,
            blocks=blocks,
            preview=preview,
        ),
    }
    context.update(extra_context or {})
    response = render(request, template, context)
    return make_private(response) if preview else response


def _people(article):
    """The article's authors (people) and interviewee links, in their order, in one query.

    Each person joins at most one author link and one interviewee link of
    this article (both are unique per article), so every row is one person.
    """
    people = (
        Person.objects.annotate(
            authored=FilteredRelation("author_links", condition=Q(author_links__article=article)),
            interviewed=FilteredRelation(
                "interviewee_links", condition=Q(interviewee_links__article=article)
            ),
        )
        .filter(Q(authored__isnull=False) | Q(interviewed__isnull=False))
        .annotate(
            author_order=F("authored__position"),
            author_link=F("authored__id"),
            interviewee_order=F("interviewed__position"),
            interviewee_link=F("interviewed__id"),
            interviewee_role=F("interviewed__role"),
        )
        .select_related("portrait")
        .order_by()
    )
    authors, interviewee_links = [], []
    for person in people:
        if person.author_link is not None:
            authors.append(person)
        if person.interviewee_link is not None:
            link = ArticleInterviewee(
                id=person.interviewee_link,
                article=article,
                person=person,
                position=person.interviewee_order,
                role=person.interviewee_role,
            )
            interviewee_links.append(link)
    authors.sort(key=lambda person: (person.author_order, person.author_link))
    interviewee_links.sort(key=lambda link: (link.position, link.id))
    return authors, interviewee_links


def _visible_update(article):
    """The update time worth showing readers: not the saves that created or published it."""
    published, updated = article.published_at, article.updated_at
    if published and updated and updated - max(published, article.created_at) > UPDATE_THRESHOLD:
        return updated
    return None


def _prepare_blocks(blocks, url, title, *, share=True):
    """What the body partial shows for each block, as plain dicts, in one pass.

    Dicts because the template engine looks a name up in a dict first and
    only then on an object; with dicts every lookup succeeds at once, which
    halves the cost of rendering a long interview. Returns the items, the
    questions (for the contents list) and the word count (for reading time).
    """
    items, questions = [], []
    words = 0
    shares = QuestionShares(url, title)
    for block in blocks:
        if block.is_unfilled_slot:
            continue  # Readers see a photo slot once its photo is chosen.
        item = {"kind": block.kind, "html": mark_safe(block.text)}  # sanitized on save
        items.append(item)
        if block.kind == Block.Kind.PHOTO:
            item["photo"], item["caption"], item["credit"] = (
                block.photo,
                block.display_caption,
                block.display_credit,
            )
            continue
        item["plain"] = text = _plain(block.text)
        words += text.count(" ") + 1
        if block.kind == Block.Kind.ANSWER:
            item["speaker"] = block.speaker.name if block.speaker_id else ""
        elif block.kind == Block.Kind.QUOTE:
            item["attribution"] = block.attribution
        elif block.kind == Block.Kind.QUESTION:
            number = str(len(questions) + 1)
            item["number"], item["anchor"] = number, f"q-{number}"
            item["url"] = f"{url}#q-{number}"
            if share:
                item["share"] = shares.items(item["anchor"], text)
            questions.append(item)
    return items, questions, words


def _related(article, tags, interviewee_links, article_url):
    """Published interviews sharing a tag or an interviewee, the most recent first, each with its url."""
    same_tag = Q(tags__in=[tag.pk for tag in tags])
    same_person = Q(interviewee_links__person__in=[link.person_id for link in interviewee_links])
    related = list(
        Article.objects.published()
        .filter(same_tag | same_person)
        .exclude(pk=article.pk)
        .distinct()
        .select_related("lead_photo")
        # Only what the list shows: fewer columns make this query markedly cheaper.
        .only("title", "slug", "published_at", *(f"lead_photo__{name}" for name in RELATED_PHOTO_FIELDS))
        .order_by("-published_at", "-id")[:RELATED_COUNT]
    )
    load_cover_photos(related)
    for other in related:
        other.url = article_url(other.slug)
    return related


def person_detail(request, slug):
    person = get_object_or_404(Person.objects.select_related("portrait"), slug=slug)
    public = Article.objects.published().select_related("lead_photo")
    given = _paginate(request, public.filter(interviewee_links__person=person), "given")
    written = _paginate(request, public.filter(author_links__person=person), "written")
    if not given.paginator.count and not written.paginator.count:
        # Someone who only appears in unpublished interviews has no public page yet.
        raise Http404("No published interviews with or by this person.")
    _with_people(given, written)
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
    page = _paginate(request, Article.objects.published().filter(tags=tag).select_related("lead_photo"))
    if not page.paginator.count:
        raise Http404("No published interviews with this tag.")
    _with_people(page)
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
        suggestions = list(
            Tag.objects.filter(article__in=Article.objects.published())
            .annotate(uses=Count("article"))
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
