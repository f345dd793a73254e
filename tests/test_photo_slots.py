"""Photo slots: a photo block holding its place, caption and credit until the photo is chosen."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles.models import Block
from articles.workflow import PublishRefused

from .factories import make_article, make_photo
from .test_admin import BrowserForm, change_url

pytestmark = pytest.mark.django_db

CAPTION = "The terrace of the seed bank, after the first frost."
CREDIT = "Northlight Agency/Ines Valtrio"


def with_slot(**fields):
    """An interview of two questions and their answers, then a photo slot."""
    article = make_article(questions=2, **fields)
    Block.objects.create(article=article, position=5, kind="photo", caption=CAPTION, credit=CREDIT)
    return article


def test_a_photo_block_without_photo_caption_or_credit_is_refused_by_the_database():
    article = make_article(questions=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(article=article, position=9, kind="photo")
    slot = Block.objects.create(article=article, position=9, kind="photo", credit=CREDIT)
    assert slot.is_unfilled_slot
    assert str(slot) == f"Photo slot: {CREDIT}"


def test_an_interview_with_an_unfilled_slot_cannot_be_published():
    article = with_slot(status="draft")
    with pytest.raises(PublishRefused) as refused:
        article.publish()
    assert refused.value.problems == [f"the photo for the slot “{CAPTION}”"]

    slot = article.blocks.get(kind="photo")
    slot.photo = make_photo(credit="")
    slot.save()
    # The slot's own credit is the one readers see, so the photo needs none.
    article.publish()
    assert article.is_public


def test_readers_and_subscribers_never_see_an_unfilled_slot(client):
    # Published before the slot was added (say, by a script): the slot still stays hidden.
    article = with_slot()
    page = client.get(article.get_absolute_url()).content.decode()
    assert CAPTION not in page and CREDIT not in page
    assert page.count('<figure class="photo">') == 0
    for feed in ["/feeds/rss/", "/feeds/atom/", "/feeds/json/"]:
        body = client.get(feed).content.decode()
        assert article.title in body
        assert CREDIT not in body, feed
    sitemap = client.get("/sitemap-interviews.xml")
    assert sitemap.status_code == 200
    assert sitemap.content.count(b"<image:image>") == 1  # The lead photo only.


def test_a_filled_slot_shows_its_own_caption_and_credit(client):
    article = with_slot()
    slot = article.blocks.get(kind="photo")
    slot.photo = make_photo(caption="Library caption", credit="Library Credit")
    slot.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<span class="photo__caption">{CAPTION}</span>' in page
    assert f'<span class="photo__credit">Credit: {CREDIT}</span>' in page
    assert "Library Credit" not in page
    feed = client.get("/feeds/json/").json()
    assert f"Credit: {CREDIT}" in feed["items"][0]["content_html"]


def test_editors_fill_a_slot_in_the_interview_form(admin_client):
    article = with_slot(status="draft")
    slot = article.blocks.get(kind="photo")
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    row = form.row_for("blocks", slot.pk)
    assert form[f"blocks-{row}-caption"] == CAPTION
    assert form[f"blocks-{row}-credit"] == CREDIT
    assert form[f"blocks-{row}-photo"] == ""

    # Saved as a draft, the slot stays a slot.
    form.save(admin_client, change_url(article))
    assert article.blocks.get(pk=slot.pk).is_unfilled_slot

    # Publishing is refused, naming the slot; the form keeps what was typed.
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    form["status"] = "published"
    response = form.post(admin_client, change_url(article))
    assert response.status_code == 200
    assert f"the photo for the slot “{CAPTION}”" in response.content.decode()

    photo = make_photo()
    form = BrowserForm(response, "article_form")
    form[f"blocks-{row}-photo"] = str(photo.pk)
    form.save(admin_client, change_url(article))
    article.refresh_from_db()
    assert article.is_public
    assert article.blocks.get(pk=slot.pk).photo == photo
    # The "+" beside the photo uploads a new one into the library for the slot.
    page = admin_client.get(change_url(article)).content.decode()
    assert reverse("admin:articles_photo_add") in page
