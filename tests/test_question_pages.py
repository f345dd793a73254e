"""Each question's share address: its own preview for crawlers, the interview for readers, never a draft."""

from datetime import timedelta

import lxml.html
import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from articles import cards, rendering
from articles.models import Article, Block

from .factories import PAGE_CACHE_MISS, make_article, make_person

pytestmark = pytest.mark.django_db


def crawl(client, path):
    """What a social network's crawler reads: the status and the page's meta tags."""
    response = client.get(path)
    if response.status_code != 200:
        return response, {}
    doc = lxml.html.fromstring(response.content)
    tags = {}
    for meta in doc.xpath("//head/meta[@property or @name]"):
        tags.setdefault(meta.get("property") or meta.get("name"), meta.get("content"))
    tags["canonical"] = doc.xpath("//link[@rel='canonical']/@href")[0]
    return response, tags


@pytest.fixture
def interview():
    person = make_person("Odile Ferrant", role="Archivist", organisation="")
    article = make_article(
        "Odile Ferrant: keeping the river's record", slug="odile-ferrant", questions=3, interviewees=[person]
    )
    answer = article.blocks.filter(kind="answer").order_by("position")[1]
    answer.quote = "Answer 2, second paragraph."
    answer.save()
    cards.refresh_article_cards(article)
    return article


def test_the_share_address_carries_that_questions_preview_and_card(client, interview):
    response, meta = crawl(client, "/interviews/odile-ferrant/q/2/")

    assert response.status_code == 200
    answer = interview.blocks.get(quote="Answer 2, second paragraph.")
    assert meta["og:title"] == "Question 2?"
    assert meta["og:description"] == "“Answer 2, second paragraph.” — Odile Ferrant"
    assert meta["og:url"] == settings.SITE_URL + "/interviews/odile-ferrant/q/2/"
    assert meta["og:image"] == settings.SITE_URL + cards.card_url(answer)
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["twitter:card"] == "summary_large_image"
    # Search engines see one page: the interview.
    assert meta["canonical"] == settings.SITE_URL + "/interviews/odile-ferrant/"
    # Readers get the whole interview, sent to the question.
    assert b'data-landing="q-2"' in response.content and b'href="#q-2"' in response.content


def test_a_question_whose_answer_has_no_card_falls_back_to_the_interviews_image(client, interview):
    _, page = crawl(client, "/interviews/odile-ferrant/")
    _, meta = crawl(client, "/interviews/odile-ferrant/q/1/")

    assert meta["og:title"] == "Question 1?"
    assert meta["og:description"].startswith("“Answer 1, first paragraph.")
    assert meta["og:image"] == page["og:image"]


def test_a_pull_quote_gives_its_card_to_the_question_it_sits_under(client, interview):
    first_answer = interview.blocks.filter(kind="answer").order_by("position")[0]
    Block.objects.create(
        article=interview,
        position=first_answer.position,
        kind="quote",
        text="<p>The record is a promise.</p>",
        attribution="Odile Ferrant",
    )
    cards.refresh_article_cards(interview)
    quote = interview.blocks.get(kind="quote")

    _, meta = crawl(client, "/interviews/odile-ferrant/q/1/")

    assert meta["og:description"] == "“The record is a promise.” — Odile Ferrant"
    assert meta["og:image"] == settings.SITE_URL + cards.card_url(quote)
    page = client.get("/interviews/odile-ferrant/").content.decode()
    assert '<figure class="pull-quote" data-share-path="q/1/">' in page


def test_every_question_on_the_page_has_the_anchor_its_share_address_is_made_from(client, interview):
    doc = lxml.html.fromstring(client.get("/interviews/odile-ferrant/").content)

    # The site's script shares question "q-2" as "q/2/" (tests/e2e/test_reader.py drives it).
    assert doc.xpath("//div[@class='qa-q']/@id") == ["q-1", "q-2", "q-3"]
    for number in (1, 2, 3):
        assert client.get(f"/interviews/odile-ferrant/q/{number}/").status_code == 200


@pytest.mark.parametrize("number", [0, 4, 99])
def test_a_question_that_does_not_exist_is_not_found(client, interview, number):
    assert client.get(f"/interviews/odile-ferrant/q/{number}/").status_code == 404


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT, "published_at": None},
        {"status": Article.Status.REVIEW, "published_at": None},
        {"status": Article.Status.PUBLISHED, "published_at": timezone.now() + timedelta(days=1)},
    ],
)
def test_unpublished_interviews_have_no_share_addresses(client, state):
    make_article("Secret Person: the embargo", slug="secret", questions=2, **state)

    response = client.get("/interviews/secret/q/1/")

    assert response.status_code == 404
    assert b"Secret Person" not in response.content and b"Question 1" not in response.content


def test_a_share_address_under_an_old_slug_follows_the_interview(client, interview):
    interview.slug = "odile-ferrant-river"
    interview.save()

    response = client.get("/interviews/odile-ferrant/q/2/")

    assert response.status_code == 301
    assert response["Location"] == "/interviews/odile-ferrant-river/q/2/"


def test_hostile_question_text_is_escaped_once_in_the_preview(client, interview):
    question = interview.blocks.filter(kind="question").order_by("position")[0]
    Block.objects.filter(pk=question.pk).update(text='<p>Is 3 &lt; 4 &amp; "so" it?</p>')
    rendering.new_version(Article.objects.filter(pk=interview.pk))

    _, meta = crawl(client, "/interviews/odile-ferrant/q/1/")

    assert meta["og:title"] == 'Is 3 < 4 & "so" it?'


def test_long_questions_and_quotes_are_shortened_at_a_word(client, interview):
    question = interview.blocks.filter(kind="question").order_by("position")[0]
    text = "Why does the river remember " * 10 + "everything?"
    Block.objects.filter(pk=question.pk).update(text=f"<p>{text}</p>")

    _, meta = crawl(client, "/interviews/odile-ferrant/q/1/")

    title = meta["og:title"]
    assert len(title) <= 150 and title.endswith("…")
    assert text.startswith(title[:-1]) and text[len(title) - 1] == " "


def test_the_share_page_costs_one_query_more_than_the_interview(client, interview, django_assert_num_queries):
    client.get("/interviews/odile-ferrant/")  # the body and page parts are rendered once and kept
    # Both rendered (not served from the page cache, which adds its two queries to each):
    # the article, and the check that its kept related interviews are current.
    with override_settings(CACHE_PAGES=False):
        with django_assert_num_queries(2 + PAGE_CACHE_MISS) as page:
            client.get("/interviews/odile-ferrant/")
        with django_assert_num_queries(len(page.captured_queries) + 1):
            client.get("/interviews/odile-ferrant/q/2/")


def test_a_share_page_is_served_from_the_page_cache_and_follows_edits(client, interview):
    url = "/interviews/odile-ferrant/q/2/"
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    question = interview.blocks.filter(kind="question").order_by("position")[1]
    question.text = "<p>A reworded second question?</p>"
    question.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss" and "A reworded second question?" in response.content.decode()


def test_a_card_drawn_after_the_page_was_rendered_shows_at_once(client, settings, interview):
    settings.CACHE_PAGES = False
    answer = interview.blocks.get(quote="Answer 2, second paragraph.")
    answer.quote = "Answer 2, first paragraph."
    answer.save()
    # A crawler comes between the edit and its new card.
    _, before = crawl(client, "/interviews/odile-ferrant/q/2/")
    cards.refresh_article_cards(interview)
    answer.refresh_from_db()
    _, meta = crawl(client, "/interviews/odile-ferrant/q/2/")
    assert meta["og:image"] == settings.SITE_URL + cards.card_url(answer)
    assert meta["og:image"] != before["og:image"]
