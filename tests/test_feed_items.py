"""Feed items kept per interview version: every change they show makes them again."""

import json

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import TestCase

from articles import pagecache
from articles.models import Correction

from .factories import make_article, make_person, make_photo

pytestmark = pytest.mark.django_db

FEED = "/feeds/json/"


def item(client):
    response = client.get(FEED)
    assert response.status_code == 200
    (only,) = json.loads(response.content)["items"]
    return only


def test_kept_items_show_every_change_at_once(client, settings):
    settings.CACHE_PAGES = False
    author = make_person("Ines Marlow")
    guest = make_person("Tomas Greer", role="Harbour pilot")
    photo = make_photo(credit="First Agency/Ana Lens")
    article = make_article(authors=[author], interviewees=[guest], lead_photo=photo, tags=["harbours"])
    assert item(client) == item(client)
    before = item(client)
    assert before["authors"][0]["name"] == "Ines Marlow" and before["tags"] == ["harbours"]

    author.name = "Ines Marlow-Achebe"
    author.save()
    guest.role = "Retired harbour pilot"
    guest.save()
    with TestCase.captureOnCommitCallbacks(execute=True):
        photo.credit = "Second Agency/Ana Lens"
        photo.save()
    article.tags.add("tides")
    Correction.objects.create(article=article, text="<p>The pilot's years at sea were corrected.</p>")

    after = item(client)
    assert after["authors"][0]["name"] == "Ines Marlow-Achebe"
    assert sorted(after["tags"]) == ["harbours", "tides"]
    assert "Retired harbour pilot" in after["content_html"]
    assert "Second Agency/Ana Lens" in after["content_html"]
    assert "were corrected" in after["content_html"]


def test_a_feed_made_from_kept_items_depends_on_what_they_show(client, rf):
    author = make_person("Ines Marlow")
    make_article(authors=[author])
    assert item(client)["authors"][0]["name"] == "Ines Marlow"
    # The stored feed is gone (evicted or expired) while its items are kept:
    # the feed made again from them must still go stale with them.
    caches[settings.PAGE_CACHE_ALIAS].delete(pagecache._cache_key(rf.get(FEED)))
    assert client.get(FEED)["X-Page-Cache"] == "miss"
    assert client.get(FEED)["X-Page-Cache"] == "hit"

    author.name = "Ines Marlow-Achebe"
    author.save()
    assert item(client)["authors"][0]["name"] == "Ines Marlow-Achebe"
