"""Related interviews: found once, kept, and found again whenever what they show changes."""

from datetime import timedelta

import lxml.html
import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.test import TestCase
from django.utils import timezone

from articles import pagecache
from articles.models import Article

from .factories import image_bytes, make_article, make_person

pytestmark = pytest.mark.django_db


def related(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content)
    return [" ".join(a.text_content().split()) for a in doc.xpath("//aside[@class='related wrap']//li/a")]


@pytest.fixture
def uncached(settings):
    # The page cache would render the page again after each change anyway; without it,
    # only the kept list decides what the page shows.
    settings.CACHE_PAGES = False


@pytest.fixture
def guest():
    return make_person()


@pytest.fixture
def article(guest):
    return make_article("Kept: the interview", tags=["sea"], interviewees=[guest])


def test_the_kept_list_follows_edits_and_unpublishing_of_the_interviews_it_shows(
    client, uncached, article, guest
):
    same_tag = make_article("Same tag", tags=["sea"])
    same_person = make_article("Same person", interviewees=[guest])
    assert related(client, article) == ["Same person", "Same tag"]
    assert related(client, article) == ["Same person", "Same tag"]

    same_tag.title = "Same tag, retitled"
    same_tag.save()
    assert related(client, article) == ["Same person", "Same tag, retitled"]

    same_person.status = Article.Status.DRAFT
    same_person.save()
    assert related(client, article) == ["Same tag, retitled"]


def test_interviews_joining_or_leaving_its_tags_and_people_change_the_list(client, uncached, article, guest):
    same_tag = make_article("Same tag", tags=["sea"])
    other = make_article("Other topic", tags=["music"])
    assert related(client, article) == ["Same tag"]

    other.tags.add("sea")
    assert related(client, article) == ["Other topic", "Same tag"]

    same_tag.tags.remove("sea")
    assert related(client, article) == ["Other topic"]

    make_article("Newly published", interviewees=[guest])
    assert related(client, article) == ["Newly published", "Other topic"]


def test_an_unrelated_change_keeps_the_list_and_an_edit_of_the_interview_finds_it_again(
    client, uncached, article, django_assert_num_queries
):
    make_article("Same tag", tags=["sea"])
    make_article("Music", tags=["music"])
    assert related(client, article) == ["Same tag"]
    make_article("Another music interview", tags=["music"])
    # The interview and the check that the kept list is current; nothing else is fetched again.
    with django_assert_num_queries(2 + 2):
        assert related(client, article) == ["Same tag"]

    article.tags.add("music")
    assert related(client, article) == ["Another music interview", "Music", "Same tag"]


def test_a_scheduled_interview_joins_the_list_at_its_time(client, uncached, article, time_machine):
    make_article("Published", tags=["sea"], published_at=timezone.now() - timedelta(days=1))
    make_article("Embargoed", tags=["sea"], published_at=timezone.now() + timedelta(hours=2))
    assert related(client, article) == ["Published"]
    assert related(client, article) == ["Published"]

    time_machine.move_to(timezone.now() + timedelta(hours=3))
    assert related(client, article) == ["Embargoed", "Published"]


def test_a_page_rendered_with_the_kept_list_depends_on_what_it_shows(client, rf, article):
    same_tag = make_article("Same tag", tags=["sea"])
    url = article.get_absolute_url()
    before = pictures(client, url)
    # The stored page is gone (evicted or expired) while the kept list is not:
    # the page rendered again from it must still go stale with it.
    caches[settings.PAGE_CACHE_ALIAS].delete(pagecache._cache_key(rf.get(url)))
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"

    # Only the photo's key changes: a new picture in the related list, nothing else on the page.
    photo = same_tag.lead_photo
    photo.image = ContentFile(image_bytes(320, 200, color=(200, 30, 30)), name="replaced.jpg")
    with TestCase.captureOnCommitCallbacks(execute=True):
        photo.save()
    after = pictures(client, url)
    assert after != before and "replaced" in after


def pictures(client, url):
    doc = lxml.html.fromstring(client.get(url).content)
    return " ".join(doc.xpath("//aside[@class='related wrap']//img/@src"))
