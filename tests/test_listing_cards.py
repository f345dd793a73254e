"""Interview cards on home, tag and person pages: kept per interview version, and never stale."""

from datetime import UTC, datetime

import lxml.html
import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.test import TestCase

from articles import pagecache

from .factories import PAGE_CACHE_MISS, image_bytes, make_article, make_person

pytestmark = pytest.mark.django_db

PAGES = ["/", "/tags/harbours/", "/people/tomas-greer/"]


def cards(client, url):
    response = client.get(url)
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content)
    return [" ".join(card.text_content().split()) for card in doc.xpath("//article[@class='card']")]


def images(client, url):
    doc = lxml.html.fromstring(client.get(url).content)
    return " ".join(doc.xpath("//article[@class='card']//img/@src"))


@pytest.fixture
def guest():
    return make_person("Tomas Greer", slug="tomas-greer")


def test_kept_cards_show_every_change_at_once(client, settings, guest):
    settings.CACHE_PAGES = False
    author = make_person("Ines Marlow")
    article = make_article(
        "Tomas Greer: the pilot's harbour", tags=["harbours"], interviewees=[guest], authors=[author]
    )
    photo = article.lead_photo
    for url in PAGES:
        assert cards(client, url) == cards(client, url)
        assert "With Tomas Greer · By Ines Marlow" in cards(client, url)[0], url
    before = {url: images(client, url) for url in PAGES}

    article.title = "Tomas Greer: a pilot's harbour, retitled"
    article.save()
    author.name = "Ines Marlow-Achebe"
    author.save()
    photo.image = ContentFile(image_bytes(320, 200, color=(200, 30, 30)), name="replaced.jpg")
    with TestCase.captureOnCommitCallbacks(execute=True):
        photo.save()

    for url in PAGES:
        (card,) = cards(client, url)
        assert "retitled" in card and "By Ines Marlow-Achebe" in card, url
        assert images(client, url) != before[url], url


def test_kept_cards_cost_no_queries_of_their_own(client, settings, guest, django_assert_num_queries):
    settings.CACHE_PAGES = False
    for _ in range(3):
        make_article(tags=["harbours"], interviewees=[guest], lead_photo=None, photos=1)
    cards(client, "/")
    # Featured, the count and the latest; their people and cover photos come with the kept cards.
    with django_assert_num_queries(3 + PAGE_CACHE_MISS):
        assert len(cards(client, "/")) == 3


def test_a_page_made_from_kept_cards_depends_on_what_they_show(client, rf, guest):
    make_article(tags=["harbours"], interviewees=[guest])
    for url in PAGES:
        assert "With Tomas Greer" in cards(client, url)[0]
        # The stored page is gone (evicted or expired) while its cards are kept:
        # the page made again from them must still go stale with them.
        caches[settings.PAGE_CACHE_ALIAS].delete(pagecache._cache_key(rf.get(url)))
        assert client.get(url)["X-Page-Cache"] == "miss"
        assert client.get(url)["X-Page-Cache"] == "hit"

    guest.name = "Tomas A. Greer"
    guest.save()
    for url in PAGES:
        assert "With Tomas A. Greer" in cards(client, url)[0], url


def test_kept_cards_follow_the_sites_time_zone(client, settings):
    settings.CACHE_PAGES = False
    make_article(published_at=datetime(2026, 6, 1, 23, 30, tzinfo=UTC))
    assert "1 June 2026" in cards(client, "/")[0]
    # A deployment moving the site to another time zone: the same instant is the next day there.
    settings.TIME_ZONE = "Pacific/Auckland"
    assert "2 June 2026" in cards(client, "/")[0]
