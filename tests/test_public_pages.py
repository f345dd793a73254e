"""The reader's pages: what they show, what they hide, and how many queries they cost."""

from datetime import timedelta

import lxml.html
import pytest
from django.template.loader import get_template
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleInterviewee, Block, Correction
from articles.views import PAGE_SIZE, render_article_page

from .factories import (
    PAGE_CACHE_HIT,
    PAGE_CACHE_MISS,
    PAGE_CACHE_TRUSTED_HIT,
    make_article,
    make_person,
    make_photo,
)

pytestmark = pytest.mark.django_db


def page(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content)


def texts(doc, xpath):
    return [" ".join(el.text_content().split()) for el in doc.xpath(xpath)]


def unpublished_articles():
    return [
        make_article("Draft secret", status=Article.Status.DRAFT, tags=["sea"]),
        make_article("Review secret", status=Article.Status.REVIEW, tags=["sea"]),
        make_article("Scheduled secret", published_at=timezone.now() + timedelta(days=1), tags=["sea"]),
    ]


# The interview page -------------------------------------------------------------


def test_interview_page_shows_the_interview_in_order(client):
    author = make_person("Ada Writer", slug="ada-writer")
    guest = make_person("Bo Guest", slug="bo-guest", role="Mayor", organisation="Port Town")
    article = make_article(
        "Bo Guest: the harbour",
        standfirst="The mayor on tides.",
        questions=3,
        photos=1,
        authors=[author],
        interviewees=[guest],
        tags=["Harbours"],
    )
    doc = page(client.get(article.get_absolute_url()))

    assert texts(doc, "//h1") == ["Bo Guest: the harbour"]
    assert "The mayor on tides." in texts(doc, "//p[@class='standfirst']")
    assert doc.xpath("//a[@rel='author']/@href") == ["/people/ada-writer/"]
    assert "Bo Guest, Mayor, Port Town" in texts(doc, "//ul[@class='interviewees']/li")
    published = doc.xpath("//p[@class='byline__dates']/time/@datetime")[0]
    assert published.startswith(f"{timezone.localtime(article.published_at):%Y-%m-%dT%H:%M:%S}")
    assert "1 min read" in texts(doc, "//p[@class='byline__dates']")[0]

    body = doc.xpath("//div[@class='article__body']")[0]
    kinds = [el.get("class") for el in body.xpath("./div|./figure")]
    assert kinds == ["qa-q", "qa-a", "photo", "qa-q", "qa-a", "qa-q", "qa-a"]
    assert [el.get("id") for el in body.xpath("./div[@class='qa-q']")] == ["q-1", "q-2", "q-3"]
    assert texts(body, ".//div[@class='qa-q__text']")[1] == "Question 2: Question 2?"
    caption = texts(body, ".//figure/figcaption")[0]
    assert "Caption of photo" in caption and "Credit: Test Agency/Jo Lens" in caption
    assert body.xpath(".//figure//img/@alt")[0].startswith("Test photo")

    assert doc.xpath("//details[@class='contents']//a/@href") == ["#q-1", "#q-2", "#q-3"]
    assert doc.xpath("//a[@class='qa-q__link']/@href") == ["#q-1", "#q-2", "#q-3"]
    assert texts(doc, "//nav[@class='tags']//a") == ["Harbours"]
    assert texts(doc, "//section[@class='about-author']//h2") == ["About the author: Ada Writer"]
    assert "Ada Writer writes about examples." in texts(doc, "//section[@class='about-author']//p")
    lead = doc.xpath("//figure[@class='lead-photo']//img")[0]
    assert lead.get("loading") == "eager" and lead.get("width") and lead.get("height")


def test_speakers_are_named_only_when_there_are_several_interviewees(client):
    one, two = make_person("Ines Keys"), make_person("Bayo Bass")
    duo = make_article(questions=0, interviewees=[one, two])
    Block.objects.create(article=duo, position=1, kind="question", text="<p>How did you meet?</p>")
    Block.objects.create(article=duo, position=2, kind="answer", text="<p>At a jam.</p>", speaker=two)
    Block.objects.create(article=duo, position=3, kind="answer", text="<p>He was late.</p>", speaker=one)
    doc = page(client.get(duo.get_absolute_url()))
    assert texts(doc, "//p[@class='qa-a__speaker']") == ["Bayo Bass", "Ines Keys"]

    solo = make_article(questions=2, interviewees=[one])
    Block.objects.filter(article=solo, kind="answer").update(speaker=one)
    assert page(client.get(solo.get_absolute_url())).xpath("//p[@class='qa-a__speaker']") == []


def test_pull_quotes_headings_and_paragraphs(client):
    article = make_article(questions=0)
    Block.objects.create(article=article, position=1, kind="heading", text="<p>The early years</p>")
    Block.objects.create(article=article, position=2, kind="paragraph", text="<p>Some context.</p>")
    Block.objects.create(
        article=article, position=3, kind="quote", text="<p>The sea decides.</p>", attribution="Bo Guest"
    )
    doc = page(client.get(article.get_absolute_url()))
    assert texts(doc, "//div[@class='article__body']/h2") == ["The early years"]
    assert texts(doc, "//div[@class='prose']") == ["Some context."]
    quote = doc.xpath("//figure[@class='pull-quote']")[0]
    assert texts(quote, "./blockquote") == ["The sea decides."]
    assert texts(quote, "./figcaption") == ["Bo Guest"]


def test_corrections_are_listed_after_the_body(client):
    article = make_article()
    Correction.objects.create(article=article, text="<p>An earlier version misspelt the town.</p>")
    Correction.objects.create(article=article, kind="update", text="<p>Added the mayor's reply.</p>")
    doc = page(client.get(article.get_absolute_url()))
    notes = texts(doc, "//section[@class='corrections']//div[@class='corrections__note']")
    assert notes[0].startswith("Correction,") and "misspelt the town" in notes[0]
    assert notes[1].startswith("Update,")


def test_an_update_date_is_shown_only_after_a_real_edit(client, time_machine):
    article = make_article()
    dates = texts(page(client.get(article.get_absolute_url())), "//p[@class='byline__dates']")
    assert "Updated" not in dates[0]
    time_machine.move_to(timezone.now() + timedelta(days=2))
    article.standfirst = "A better standfirst."
    article.save()
    dates = page(client.get(article.get_absolute_url())).xpath("//p[@class='byline__dates']/time/@datetime")
    assert len(dates) == 2


def test_related_interviews_share_tags_or_people_and_are_published(client):
    guest = make_person()
    article = make_article(tags=["sea"], interviewees=[guest])
    same_tag = make_article("Same tag", tags=["sea"])
    same_person = make_article("Same person", interviewees=[guest])
    make_article("Unrelated", tags=["music"])
    unpublished_articles()
    doc = page(client.get(article.get_absolute_url()))
    related = texts(doc, "//aside[@class='related wrap']//li/a")
    assert related == [same_person.title, same_tag.title]


def test_reading_time_grows_with_the_text(client):
    article = make_article(questions=60)
    doc = page(client.get(article.get_absolute_url()))
    # 60 questions and answers of 10 words, and the standfirst: 607 words at 230 a minute.
    assert "3 min read" in texts(doc, "//p[@class='byline__dates']")[0]


# Unpublished interviews never leak -------------------------------------------------


def test_unpublished_interviews_answer_404_and_appear_nowhere(client):
    guest = make_person(slug="shared-guest")
    live = make_article("Live interview", tags=["sea"], interviewees=[guest])
    hidden = unpublished_articles()
    for article in hidden:
        ArticleInterviewee.objects.create(article=article, person=guest)
        Block.objects.create(article=article, position=99, kind="answer", text="<p>Question secret</p>")
        assert client.get(article.get_absolute_url()).status_code == 404

    pages = [
        reverse("articles:home"),
        reverse("articles:tag", kwargs={"slug": "sea"}),
        guest.get_absolute_url(),
        reverse("articles:search") + "?q=secret",
        reverse("articles:search") + "?q=Question",
        live.get_absolute_url(),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        for article in hidden:
            assert article.title not in html, url
            assert article.get_absolute_url() not in html, url

    # Publishing them makes them appear.
    for article in hidden:
        article.publish(when=timezone.now() - timedelta(minutes=1))
        assert client.get(article.get_absolute_url()).status_code == 200
    home = client.get(reverse("articles:home")).content.decode()
    assert all(article.get_absolute_url() in home for article in hidden)


def test_a_person_or_tag_only_in_unpublished_interviews_has_no_page(client):
    guest = make_person(slug="future-guest")
    make_article(status=Article.Status.DRAFT, tags=["embargoed"], interviewees=[guest])
    assert client.get(guest.get_absolute_url()).status_code == 404
    assert client.get(reverse("articles:tag", kwargs={"slug": "embargoed"})).status_code == 404


def test_an_unpublished_interview_is_404_even_under_an_old_slug(client):
    article = make_article(slug="old", status=Article.Status.DRAFT)
    article.slug = "new"
    article.save()
    assert client.get("/interviews/old/").status_code == 404


# Addresses ---------------------------------------------------------------------------


def test_an_old_slug_redirects_permanently_to_the_current_address(client):
    article = make_article(slug="first-name")
    article.slug = "second-name"
    article.save()
    article.slug = "third-name"
    article.save()
    for old in ("first-name", "second-name"):
        response = client.get(f"/interviews/{old}/")
        assert response.status_code == 301
        assert response["Location"] == "/interviews/third-name/"


def test_unknown_addresses_get_the_sites_404_page(client):
    response = client.get("/interviews/no-such-thing/")
    assert response.status_code == 404
    doc = lxml.html.fromstring(response.content)
    assert texts(doc, "//h1") == ["We can't find that page"]
    assert doc.xpath("//form[@role='search']")


def test_the_500_page_renders_without_a_request_or_database():
    html = get_template("500.html").render()
    assert "Something went wrong" in html
    assert "<script" not in html


# Listings ----------------------------------------------------------------------------


def test_home_shows_featured_then_the_latest_and_paginates(client):
    now = timezone.now()
    featured = make_article("Featured one", featured=True, published_at=now - timedelta(days=30))
    latest = [
        make_article(f"Latest {i}", published_at=now - timedelta(hours=i + 1)) for i in range(PAGE_SIZE + 2)
    ]
    doc = page(client.get("/"))
    assert texts(doc, "//section[@aria-labelledby='featured-title']//h3") == [featured.title]
    latest_titles = texts(doc, "//section[@aria-labelledby='latest-title']//h3")
    assert latest_titles == [a.title for a in latest[:PAGE_SIZE]]
    assert doc.xpath("//nav[@class='pagination']//a[@rel='next']/@href") == ["?page=2"]

    second = page(client.get("/?page=2"))
    assert second.xpath("//section[@aria-labelledby='featured-title']") == []
    assert texts(second, "//section//h3") == [a.title for a in latest[PAGE_SIZE:]]
    assert second.xpath("//link[@rel='canonical']/@href") == ["http://127.0.0.1:8000/?page=2"]


def test_bad_page_numbers_do_not_break_listings(client):
    make_article()
    for query in ("?page=abc", "?page=999", "?page=-1"):
        assert client.get("/" + query).status_code == 200
    # NUL is refused before any view (tests/test_bad_requests.py).
    assert client.get("/?page=1%00").status_code == 400


def test_home_with_nothing_published_says_so(client):
    unpublished_articles()
    doc = page(client.get("/"))
    assert "No interviews have been published yet." in doc.text_content()


def test_tag_page_lists_its_published_interviews(client):
    tagged = make_article("Tagged", tags=["Économie"])
    make_article("Other", tags=["music"])
    url = reverse("articles:tag", kwargs={"slug": "économie"})
    doc = page(client.get(url))
    assert texts(doc, "//h1") == ["Économie"]
    assert texts(doc, "//div[@class='listing']//h2") == [tagged.title]
    assert client.get(reverse("articles:tag", kwargs={"slug": "nothing"})).status_code == 404


def test_person_page_lists_interviews_given_and_written(client):
    person = make_person("Noor Both", slug="noor-both")
    given = make_article("Given", interviewees=[person])
    written = make_article("Written", authors=[person])
    doc = page(client.get(person.get_absolute_url()))
    assert texts(doc, "//h1") == ["Noor Both"]
    assert texts(doc, "//section[@aria-labelledby='given-title']//h3") == [given.title]
    assert texts(doc, "//section[@aria-labelledby='written-title']//h3") == [written.title]
    assert "Researcher, Institute of Examples" in texts(doc, "//p[@class='person__role']")


def test_person_page_paginates_each_list_separately(client):
    person = make_person(slug="prolific")
    for i in range(PAGE_SIZE + 1):
        make_article(f"Given {i}", interviewees=[person], authors=[])
    make_article("Written 0", authors=[person])
    doc = page(client.get(person.get_absolute_url() + "?given=2"))
    assert len(doc.xpath("//section[@aria-labelledby='given-title']//h3")) == 1
    assert texts(doc, "//section[@aria-labelledby='written-title']//h3") == ["Written 0"]
    assert doc.xpath("//section[@aria-labelledby='given-title']//a[@rel='prev']/@href") == [
        "/people/prolific/"
    ]


# Previews (used by the editors' preview and shareable preview links) ------------------


def test_a_preview_renders_a_draft_without_indexing_caching_or_related_items(rf):
    guest = make_person()
    draft = make_article("Draft preview", status=Article.Status.DRAFT, tags=["sea"], interviewees=[guest])
    make_article("Other draft", status=Article.Status.DRAFT, tags=["sea"], interviewees=[guest])
    make_article("Published sibling", tags=["sea"], interviewees=[guest])
    response = render_article_page(
        rf.get("/preview/x/"), Article.objects.for_page().get(pk=draft.pk), preview=True
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Cache-Control"] == "private, no-store"
    doc = lxml.html.fromstring(html)
    assert doc.xpath("//meta[@name='robots']/@content") == ["noindex"]
    assert texts(doc, "//h1") == ["Draft preview"]
    assert "Other draft" not in html and "Published sibling" not in html
    assert doc.xpath("//div[contains(@class, 'share ')]") == []


# Query counts --------------------------------------------------------------------------


def _big_and_small(size):
    """An interview with 5 blocks, or one with 100 blocks and many photos, tags and people."""
    if size == "small":
        people = [make_person(), make_person()]
        return make_article(questions=2, photos=1, tags=["t0"], authors=people[:1], interviewees=people[1:])
    # Small images keep the renditions made on save quick.
    people = [make_person(portrait=make_photo(size=(80, 80))) for _ in range(6)]
    article = make_article(
        questions=45,
        tags=[f"t{i}" for i in range(8)],
        authors=people[:3],
        interviewees=people[3:],
        lead_photo=make_photo(size=(120, 80)),
    )
    Block.objects.bulk_create(
        Block(article=article, position=100 + i, kind="photo", photo=make_photo(size=(120, 80)))
        for i in range(10)
    )
    return article


@pytest.mark.parametrize("size", ["small", "big"])
def test_interview_page_query_count_is_constant(client, django_assert_num_queries, size):
    article = _big_and_small(size)
    assert article.blocks.count() == (5 if size == "small" else 100)
    make_article(tags=["t0"])
    # The first view after a change: the article with its lead photo; the body
    # (the blocks and the interviewees, who decide whether answers name their
    # speaker); the page parts (authors, interviewees, tags, corrections, photo
    # blocks); related interviews; and the page cache's two (articles/pagecache.py: the
    # generation with the next publication time before rendering,
    # Last-Modified after).
    with django_assert_num_queries(9 + PAGE_CACHE_MISS):
        page(client.get(article.get_absolute_url()))
    # Served from the page cache: one query checks it is still fresh; with
    # nothing changed since, the next hits need not ask again.
    with django_assert_num_queries(PAGE_CACHE_HIT):
        page(client.get(article.get_absolute_url()))
    with django_assert_num_queries(PAGE_CACHE_TRUSTED_HIT):
        page(client.get(article.get_absolute_url()))
    # Rendered again (page cache off), the view reuses the body, the parts and
    # the related interviews kept by the first: the article, and the check that
    # the related interviews are still current (articles/related.py).
    with override_settings(CACHE_PAGES=False), django_assert_num_queries(2 + PAGE_CACHE_MISS):
        page(client.get(article.get_absolute_url()))
    Correction.objects.create(article=article, text="<p>Fixed.</p>")
    # The stored page is found stale; the correction gave the interview a new
    # version, so body and parts are fetched again.
    with django_assert_num_queries(PAGE_CACHE_HIT + 9 + PAGE_CACHE_MISS):
        assert "Fixed." in page(client.get(article.get_absolute_url())).text_content()
    with override_settings(CACHE_PAGES=False), django_assert_num_queries(2 + PAGE_CACHE_MISS):
        assert "Fixed." in page(client.get(article.get_absolute_url())).text_content()


@pytest.mark.parametrize("size", ["small", "big"])
def test_listing_query_counts_are_constant(client, django_assert_num_queries, size):
    article = _big_and_small(size)
    person = article.interviewee_links.first().person
    for i in range(PAGE_SIZE + 3):
        make_article(tags=["t0"], featured=i < 2, interviewees=[person], authors=[person])
    # Featured, count, latest, then, making their cards, the authors and
    # interviewees of both lists.
    with django_assert_num_queries(5 + PAGE_CACHE_MISS):
        page(client.get("/"))
    # Tag, count, page of articles + two prefetches for its cards (a tag
    # page's cards have a heading level of their own).
    with django_assert_num_queries(5 + PAGE_CACHE_MISS):
        page(client.get(reverse("articles:tag", kwargs={"slug": "t0"})))
    # Person, then for each list: count, page of articles; the cards are those
    # home made (articles/views.py, _with_cards).
    with django_assert_num_queries(5 + PAGE_CACHE_MISS):
        page(client.get(person.get_absolute_url()))
    for url in ("/", reverse("articles:tag", kwargs={"slug": "t0"}), person.get_absolute_url()):
        with django_assert_num_queries(PAGE_CACHE_HIT):
            assert client.get(url)["X-Page-Cache"] == "hit"
    # Search results are never stored, so they cost the same every time.
    # Count, page of articles + two prefetches.
    with django_assert_num_queries(4):
        page(client.get(reverse("articles:search") + "?q=Question"))
