"""make_scale_content: many published interviews of realistic size, for measuring."""

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Block

from .factories import make_photo

pytestmark = pytest.mark.django_db


def test_makes_published_interviews_that_every_page_shows(client):
    make_photo()
    call_command("make_scale_content", count=3)
    call_command("make_scale_content", count=2)  # adds, never repeats
    articles = Article.objects.published().filter(slug__startswith="scale-")
    assert articles.count() == 5
    article = articles.first()
    assert Block.objects.filter(article=article, kind="question").count() == 12
    assert article.tags.count() == 3 and article.author_links.count() == 2
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Question 12: what changed?" in page and "Scale Person" in page
    assert article.title in client.get("/").content.decode()
    assert article.title in client.get(f"/tags/{article.tags.first().slug}/").content.decode()
    assert "scale-4" in client.get("/feeds/rss/").content.decode()


def test_refuses_a_count_below_one():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("make_scale_content", count=0)


def test_pages_cached_before_it_runs_show_the_new_interviews(client):
    make_photo()
    call_command("make_scale_content", count=1)
    for path in ("/", "/tags/scale-topic-0/"):
        assert client.get(path)["X-Page-Cache"] == "miss"
        assert client.get(path)["X-Page-Cache"] == "hit"
    call_command("make_scale_content", count=5)
    for path in ("/", "/tags/scale-topic-0/"):
        response = client.get(path)
        assert response["X-Page-Cache"] == "miss"
        assert "part 5" in response.content.decode()
