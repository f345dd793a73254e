"""The interview body: rendered once per version, fresh after every change to what it shows."""

import lxml.html
import pytest

from articles import rendering
from articles.models import Article, ArticleInterviewee, Block

from .factories import make_article, make_person, make_photo

pytestmark = pytest.mark.django_db


def body_text(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    body = lxml.html.fromstring(response.content).xpath("//div[@class='article__body']")[0]
    return " ".join(body.text_content().split())


def feed_text(client):
    return client.get("/feeds/json/").content.decode()


def test_the_body_is_rendered_once_and_reused_by_page_and_feeds(client, django_assert_num_queries):
    article = make_article(questions=2)
    rendered = []
    original = rendering.render_body

    def counting(*args):
        rendered.append(args)
        return original(*args)

    rendering.render_body = counting
    try:
        client.get(article.get_absolute_url())
        client.get(article.get_absolute_url())
        client.get("/feeds/rss/")
        client.get("/feeds/atom/")
    finally:
        rendering.render_body = original
    assert len(rendered) == 1


def test_an_edited_block_shows_at_once(client):
    article = make_article(questions=2)
    assert "Answer 2, first paragraph." in body_text(client, article)
    block = article.blocks.get(kind="answer", text__contains="Answer 2")
    block.text = "<p>Answer 2, as approved.</p>"
    block.save()
    assert "Answer 2, as approved." in body_text(client, article)
    assert "Answer 2, as approved." in feed_text(client)
    block.delete()
    assert "Answer 2" not in body_text(client, article)
    assert "Answer 2" not in feed_text(client)


def test_a_photo_caption_or_credit_change_shows_at_once(client):
    article = make_article(questions=1)
    photo = make_photo(size=(320, 200), caption="Old caption", credit="Old Agency")
    Block.objects.create(article=article, position=10, kind="photo", photo=photo)
    assert "Old caption" in body_text(client, article)
    photo.caption, photo.credit = "New caption", "New Agency"
    photo.save()
    text = body_text(client, article)
    assert "New caption" in text and "Credit: New Agency" in text and "Old" not in text
    assert "New caption" in feed_text(client) and "Credit: New Agency" in feed_text(client)


def test_a_speakers_new_name_and_a_second_interviewee_show_at_once(client):
    one, two = make_person("Ines Keys"), make_person("Bayo Bass")
    article = make_article(questions=0, interviewees=[one])
    Block.objects.create(article=article, position=1, kind="question", text="<p>How did you meet?</p>")
    Block.objects.create(article=article, position=2, kind="answer", text="<p>At a jam.</p>", speaker=one)
    assert "Ines Keys" not in body_text(client, article)  # one interviewee: no speaker names
    ArticleInterviewee.objects.create(article=article, person=two, position=1)
    assert "Ines KeysAt a jam." in body_text(client, article)
    one.name = "Ines Keyes"
    one.save()
    assert "Ines KeyesAt a jam." in body_text(client, article)
    assert "<strong>Ines Keyes:</strong> At a jam." in feed_text(client)


def test_a_photo_slot_without_its_photo_shows_nothing():
    article = make_article(questions=1, interviewees=[])
    blocks = list(Article.objects.for_page().get(pk=article.pk).blocks.select_related("photo", "speaker"))
    slot = Block(article=article, position=99, kind="photo", caption="Photo to come", photo=None)
    body = rendering.render_body(article, [*blocks, slot])
    assert "Photo to come" not in body.html and "<figure" not in body.html
    assert "Photo to come" not in body.feed_html


def test_a_cache_that_fails_costs_a_render_not_the_page(client, settings, caplog):
    # Nothing listens on port 9 (discard) of the loopback address.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    article = make_article(questions=1)
    assert "Answer 1, first paragraph." in body_text(client, article)
    assert "Cache unavailable for interview bodies" in caplog.text
