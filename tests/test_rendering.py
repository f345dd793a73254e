"""The interview body: rendered once per version, fresh after every change to what it shows."""

import lxml.html
import pytest
from django.urls import reverse

from articles import previews, rendering
from articles.models import Article, ArticleAuthor, ArticleInterviewee, Block, Correction

from .factories import make_article, make_person, make_photo
from .workflow_support import editor

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


# The page parts: bylines, tags, corrections and photos around the body ---------------------------


def _add_author(article, author):
    ArticleAuthor.objects.create(article=article, person=make_person("Noor Added"), position=5)


def _remove_author(article, author):
    ArticleAuthor.objects.filter(article=article, person=author).delete()


def _rename_author(article, author):
    author.name = "Noor Renamed"
    author.save()


def _new_bio(article, author):
    author.bio = "<p>Noor now writes about rivers.</p>"
    author.save()


def _new_portrait(article, author):
    author.portrait = make_photo(size=(80, 80))
    author.save()


def _portrait_renditions_gone(article, author):
    # Any change to the photo's files changes the addresses the page gives: without renditions,
    # the page shows the original.
    photo = author.portrait
    photo.renditions = {}
    photo.save()
    return photo.image.url


def _rename_interviewee(article, author):
    person = article.interviewee_links.get().person
    person.name = "Odile Renamed"
    person.save()


def _new_role_for_this_interview(article, author):
    link = article.interviewee_links.get()
    link.role = "Harbour master, retired"
    link.save()


def _tag_added(article, author):
    article.tags.add("tidal rivers")


def _tag_removed(article, author):
    article.tags.remove("estuaries")


def _tag_renamed(article, author):
    tag = article.tags.get(name="estuaries")
    tag.name = "deltas"
    tag.save()


def _correction_added(article, author):
    Correction.objects.create(article=article, text="<p>The dam opened in 1962.</p>")


def _correction_edited(article, author):
    correction = article.corrections.get()
    correction.text = "<p>The dam opened in 1963.</p>"
    correction.save()


def _correction_deleted(article, author):
    article.corrections.get().delete()


def _retitled(article, author):
    article.title = "Noor Haddad on a river that moved"
    article.save()


def _photo_block_removed(article, author):
    article.blocks.filter(kind="photo").delete()


PAGE_EDITS = [
    (_retitled, '<h1 class="article__title">Noor Haddad on a river that moved</h1>', None),
    (_add_author, "Noor Added", None),
    (_remove_author, None, "Noor Haddad"),
    (_rename_author, ">Noor Renamed<", ">Noor Haddad<"),
    (_new_bio, "Noor now writes about rivers.", "writes about examples"),
    (_new_portrait, "about-author__portrait", None),
    (_portrait_renditions_gone, "(the original's address)", None),
    (_rename_interviewee, "Odile Renamed", "Odile Ferrant"),
    (_new_role_for_this_interview, "Harbour master, retired", None),
    (_tag_added, "tidal rivers", None),
    (_tag_removed, None, "estuaries"),
    (_tag_renamed, ">deltas<", ">estuaries<"),
    (_correction_added, "The dam opened in 1962.", None),
    (_correction_edited, "The dam opened in 1963.", "in 1962"),
    (_correction_deleted, None, "The dam opened"),
    # Without a lead photo, the body's first photo is the interview's image for social networks.
    (_photo_block_removed, None, 'property="og:image"'),
]


@pytest.mark.parametrize("edit, shown, gone", PAGE_EDITS, ids=[edit.__name__ for edit, _, _ in PAGE_EDITS])
@pytest.mark.parametrize("stored", [False, True], ids=["rendered", "page cache"])
def test_an_edit_around_the_body_shows_at_once(client, settings, edit, shown, gone, stored):
    author = make_person("Noor Haddad", portrait=make_photo(size=(80, 80)))
    article = make_article(
        questions=2,
        photos=1,
        lead_photo=None,
        authors=[author],
        interviewees=[make_person("Odile Ferrant")],
        tags=["estuaries"],
    )
    if edit in (_correction_edited, _correction_deleted):
        Correction.objects.create(article=article, text="<p>The dam opened in 1962.</p>")

    def page_html():
        # Rendered once with the page cache off, so that the page stored next is made from the
        # parts kept under the interview's version, never loaded from the database.
        settings.CACHE_PAGES = False
        html = client.get(article.get_absolute_url()).content.decode()
        if stored:
            settings.CACHE_PAGES = True
            response = client.get(article.get_absolute_url())
            html = response.content.decode()
        return html

    page_html()
    if stored:
        assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    shown = edit(article, author) or shown
    html = page_html()
    if shown:
        assert shown in html
    if gone:
        assert gone not in html


def test_previews_and_share_addresses_keep_their_own_header_and_share_links(client, settings):
    settings.CACHE_PAGES = False
    article = make_article(questions=3)
    link = previews.create_link(article, editor())
    preview = lxml.html.fromstring(
        client.get(reverse("articles:preview", kwargs={"token": previews.link_token(link)})).content
    )
    assert preview.xpath("//*[contains(@class, 'share')]") == []
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    assert page.xpath("//div[@id='share-bottom']") and not page.xpath("//p[@class='landing-link']")
    shared = lxml.html.fromstring(client.get(reverse("articles:question", args=[article.slug, 2])).content)
    assert shared.xpath("//p[@class='landing-link']/a/@href") == ["#q-2"]
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    assert not page.xpath("//p[@class='landing-link']")


def test_the_lead_photos_new_caption_shows_in_the_metadata_at_once(client, settings):
    settings.CACHE_PAGES = False
    article = make_article(questions=1, lead_photo=make_photo(caption="Old lead caption"))
    assert "Old lead caption" in client.get(article.get_absolute_url()).content.decode()
    photo = article.lead_photo
    photo.caption = "New lead caption"
    photo.save()
    html = client.get(article.get_absolute_url()).content.decode()
    data = lxml.html.fromstring(html).xpath("//script[@type='application/ld+json']/text()")[0]
    assert '"caption":"New lead caption"' in data and "Old lead caption" not in html
