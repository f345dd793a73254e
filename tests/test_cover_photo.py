"""The lead photo is optional: the body's first photo then stands for the interview, and no photo shows twice."""

import json

import feedparser
import lxml.html
import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Block

from .factories import make_article, make_photo

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


def body_photo_interview(**fields):
    """Published, no lead photo, one photo after the first answer."""
    article = make_article(lead_photo=None, questions=2, **fields)
    photo = make_photo(
        alt_text="The pier at dawn", caption="The old pier", credit="Agence/Lou", size=(800, 500)
    )
    Block.objects.create(article=article, position=2, kind="photo", photo=photo)
    return article, photo


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def structured_data(doc):
    return json.loads(doc.xpath("//script[@type='application/ld+json']")[0].text)


def test_without_a_lead_photo_the_first_body_photo_is_the_social_image(client):
    article, photo = body_photo_interview()
    doc = page(client, article)
    og_image = doc.xpath("//meta[@property='og:image']/@content")
    assert len(og_image) == 1 and f"/renditions/{photo.pk}/" in og_image[0]
    assert doc.xpath("//meta[@property='og:image:alt']/@content") == ["The pier at dawn"]
    # Shown once, in the body where the editor put it; no lead figure above.
    assert len(doc.xpath("//figure[.//img[@alt='The pier at dawn']]")) == 1
    assert not doc.xpath("//figure[contains(@class, 'lead-photo')]")
    (image,) = structured_data(doc)["image"]
    assert image["caption"] == "The old pier" and image["creditText"] == "Agence/Lou"


def test_a_lead_photo_that_is_also_in_the_body_shows_once_everywhere(client):
    article, photo = body_photo_interview()
    article.lead_photo = photo
    article.save()
    doc = page(client, article)
    assert len(doc.xpath("//img[@alt='The pier at dawn']")) == 1
    assert len(structured_data(doc)["image"]) == 1

    rss = client.get("/feeds/rss/").content.decode()
    (entry,) = feedparser.parse(rss).entries
    assert entry.content[0]["value"].count('alt="The pier at dawn"') == 1
    assert len(entry.enclosures) == 1


def test_the_feed_enclosure_is_the_first_body_photo(client):
    body_photo_interview()
    (entry,) = feedparser.parse(client.get("/feeds/rss/").content).entries
    (enclosure,) = entry.enclosures
    assert enclosure["type"] == "image/jpeg" and enclosure["href"].startswith(f"{SITE}/media/")
    assert entry.content[0]["value"].count('alt="The pier at dawn"') == 1
    (item,) = json.loads(client.get("/feeds/json/").content)["items"]
    assert item["image"].startswith(f"{SITE}/media/")


def home_queries(client):
    # Rendered every time: the page cache's own check of a stored copy would count too.
    with override_settings(CACHE_PAGES=False), CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("articles:home"))
    return response, len(queries)


def test_cards_show_the_body_photo_with_one_query_for_all_cards(client):
    make_article()
    _, with_leads_only = home_queries(client)
    for _ in range(2):
        body_photo_interview()
    response, few = home_queries(client)
    for _ in range(3):
        body_photo_interview()
    response, more = home_queries(client)

    doc = lxml.html.fromstring(response.content)
    assert len(doc.xpath("//article[contains(@class, 'card')]//img")) == 6
    assert few == more == with_leads_only + 1
