"""Search: one interface, ranked full text on PostgreSQL, a word match on SQLite."""

from datetime import timedelta

import lxml.html
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Block
from articles.search import MAX_QUERY_LENGTH, clean_query, search_articles

from .factories import make_article

pytestmark = pytest.mark.django_db


def titles(query):
    return [article.title for article in search_articles(query)]


def results_page(client, query):
    response = client.get(reverse("articles:search"), {"q": query})
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def test_finds_titles_standfirsts_and_the_text_of_questions_and_answers():
    make_article("Lighthouse keepers remember", standfirst="Stories from the coast.")
    make_article("A conversation", standfirst="About beacons and fog.")
    in_body = make_article("Another conversation", standfirst="Nothing here.")
    Block.objects.create(
        article=in_body, position=50, kind="answer", text="<p>The <em>lighthouse</em> stood for years.</p>"
    )
    make_article("Unrelated", standfirst="Music and food.")
    assert set(titles("lighthouse")) == {"Lighthouse keepers remember", "Another conversation"}
    assert titles("fog") == ["A conversation"]


def test_every_word_must_match():
    make_article("Seagrass meadows", standfirst="Replanting the bay.")
    make_article("Seagrass and carbon", standfirst="Counting it honestly.")
    assert titles("seagrass bay") == ["Seagrass meadows"]


def test_title_matches_come_first():
    older_title_match = make_article(
        "Harbour walls", standfirst="An engineer.", published_at=timezone.now() - timedelta(days=9)
    )
    make_article("Coasts", standfirst="The harbour and its walls, again.")
    assert titles("harbour")[0] == older_title_match.title


def test_unpublished_interviews_are_never_found():
    make_article("Harbour live")
    make_article("Harbour draft", status=Article.Status.DRAFT)
    make_article("Harbour review", status=Article.Status.REVIEW)
    make_article("Harbour scheduled", published_at=timezone.now() + timedelta(hours=1))
    assert titles("harbour") == ["Harbour live"]


def test_queries_are_tidied():
    assert clean_query("  sea \x00 walls\n") == "sea walls"
    assert len(clean_query("x" * 5000)) == MAX_QUERY_LENGTH
    assert list(search_articles("")) == []


def test_results_page_lists_matches(client):
    make_article("Harbour walls")
    doc = results_page(client, "harbour")
    assert [h.text_content() for h in doc.xpath("//div[@class='listing']//h2")] == ["Harbour walls"]
    assert "1 interview found." in doc.text_content()
    assert doc.xpath("//input[@id='search-q']/@value") == ["harbour"]


def test_an_empty_search_gets_a_helpful_page(client):
    make_article(tags=["Oceans"])
    doc = results_page(client, "")
    assert doc.xpath("//h1")[0].text_content() == "Search the interviews"
    assert [a.text_content() for a in doc.xpath("//ul[@class='tag-cloud']//a")] == ["Oceans"]


def test_nothing_found_suggests_what_to_do(client):
    make_article(tags=["Oceans"])
    make_article(status=Article.Status.DRAFT, tags=["Secret topic"])
    doc = results_page(client, "qwxzzy")
    text = doc.text_content()
    assert "No interview matches “qwxzzy”." in text
    assert "Check the spelling" in text
    assert [a.text_content() for a in doc.xpath("//ul[@class='tag-cloud']//a")] == ["Oceans"]


@pytest.mark.parametrize(
    "query",
    ['"unclosed', "-", "a | b", "&&", "sea:*", "!!!", "(", "'; DROP TABLE x; --", "é" * 300, "<b>"],
)
def test_odd_queries_never_fail(client, query):
    make_article("Harbour walls")
    results_page(client, query)


def test_pages_of_results(client):
    for i in range(15):
        make_article(f"Harbour {i}")
    doc = results_page(client, "harbour")
    assert "15 interviews found." in doc.text_content()
    assert doc.xpath("//a[@rel='next']/@href") == ["?q=harbour&page=2"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming needs PostgreSQL full-text search")
def test_postgresql_matches_other_forms_of_a_word():
    make_article("Lighthouse keepers remember")
    assert titles("lighthouses") == ["Lighthouse keepers remember"]


def test_finds_an_interview_by_its_answer_text():
    article = make_article("A conversation", standfirst="Nothing here.", questions=0)
    Block.objects.create(article=article, position=1, kind="question", text="<p>What did you see?</p>")
    Block.objects.create(
        article=article, position=2, kind="answer", text="<p>Cormorants &amp; herons.</p><p>Egrets.</p>"
    )
    make_article("Another conversation")
    assert titles("cormorants") == ["A conversation"]
    article.refresh_from_db()
    assert article.search_document == "What did you see? Cormorants & herons. Egrets."
    assert titles("egrets") == ["A conversation"]


def test_the_stored_document_follows_every_edit_of_the_blocks():
    article = make_article("A conversation", standfirst="Nothing here.", questions=0)
    block = Block.objects.create(article=article, position=1, kind="answer", text="<p>Kelp forests.</p>")
    assert titles("kelp") == ["A conversation"]
    block.text = "<p>Oyster reefs.</p>"
    block.save()
    assert titles("kelp") == []
    assert titles("oyster") == ["A conversation"]
    block.delete()
    assert titles("oyster") == []
    article.refresh_from_db()
    assert article.search_document == ""


def test_saving_the_interview_keeps_its_document_and_searches_its_new_title():
    article = make_article("A conversation", standfirst="Nothing here.")
    Block.objects.create(article=article, position=1, kind="answer", text="<p>Kelp forests.</p>")
    article.refresh_from_db()
    article.title = "Estuaries"
    article.save()
    assert titles("estuaries") == ["Estuaries"]
    assert titles("kelp") == ["Estuaries"]
    assert titles("conversation") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_postgresql_searches_through_the_gin_index():
    from articles.search import INDEX_NAME, _postgres

    make_article("Harbour walls")
    # The search condition alone (a tiny table would rather scan the "public" index).
    sql, params = _postgres(Article.objects.all(), "harbour").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert INDEX_NAME in plan


def test_writes_that_skip_save_are_searched_by_their_new_text_too():
    article = make_article("A conversation", standfirst="Nothing here.")
    Article.objects.filter(pk=article.pk).update(title="Estuaries", standfirst="About kelp.")
    assert titles("estuaries") == ["Estuaries"]
    assert titles("kelp") == ["Estuaries"]
    assert titles("conversation") == []


def test_listings_never_load_the_search_columns():
    make_article("A conversation")
    article = Article.objects.published().get()
    # Every interview's whole text stays in the database unless asked for.
    assert article.get_deferred_fields() == {"search_document", "search_vector"}
