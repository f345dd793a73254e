"""Input no page expects gets a clear refusal, never a 500: NUL in addresses, tags without letters, huge forms."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from taggit.models import Tag

from articles.models import Article

from .factories import make_article, make_photo
from .test_admin import BrowserForm, change_url

pytestmark = pytest.mark.django_db


def every_route():
    """(address, the same address with NUL as its parameter or None) for every URL pattern of the site."""

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    def fill(route, text, number):
        address = re.sub(r"\(\?P<app_label>[^)]*\)", "articles", route)
        address = re.sub(r"\(\?P<\w+>[^)]*\)", text, address)
        address = address.replace(r"(\d+)", number).replace("([^/]+)", text)
        address = re.sub(r"<int:\w+>", number, address)
        address = re.sub(r"<\w+:\w+>", text, address)
        return "/" + address.replace("^", "").replace("$", "")

    for route in walk(get_resolver().url_patterns, ""):
        address, with_nul = fill(route, "x", "1"), fill(route, "%00", "%00")
        yield address, with_nul if with_nul != address else None


ROUTES = sorted(set(every_route()), key=lambda route: route[0])


def test_every_route_is_covered():
    addresses = [address for address, _ in ROUTES]
    assert len(set(addresses)) == len(addresses)
    for expected in ("/", "/tags/x/", "/tags/x/feed/rss/", "/admin/articles/article/", "/search/"):
        assert expected in addresses
    assert len(addresses) > 60


@pytest.mark.parametrize(("address", "with_nul"), ROUTES)
def test_nul_anywhere_in_an_address_is_refused_with_400(admin_client, address, with_nul):
    responses = [
        admin_client.get(address, {"q": "\x00"}),
        admin_client.get(address, {"term": "a\x00", "title": "x"}),
        admin_client.get(address + "?%00=1"),
    ]
    if with_nul:
        responses.append(admin_client.get(with_nul))
    assert [response.status_code for response in responses] == [400] * len(responses)


@pytest.mark.parametrize(
    "address",
    [
        "/tags/%00/",
        "/tags/%00/feed/rss/",
        "/admin/articles/article/?title=%00",
        "/admin/articles/article/?status__exact=%00",
        "/admin/articles/article/?q=%00",
        "/admin/articles/article/tag-autocomplete/?term=%00",
        "/admin/autocomplete/?app_label=articles&model_name=article&field_name=lead_photo&term=%00",
        "/search/?q=%00",
    ],
)
def test_the_addresses_that_answered_500_on_postgresql(admin_client, address):
    make_article(tags=["Culture"])
    response = admin_client.get(address)
    assert response.status_code == 400
    assert b"This request could not be understood" in response.content


def test_ordinary_addresses_still_work(admin_client, client):
    article = make_article(tags=["Culture"])
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/search/?q=harbour").status_code == 200
    assert admin_client.get("/admin/articles/article/?q=x&status__exact=draft").status_code == 200


# Tags ----------------------------------------------------------------------------


def tag_form(admin_client, article):
    return BrowserForm(admin_client.get(change_url(article)), "article_form")


def test_a_tag_without_letters_or_digits_is_refused_and_the_form_kept(admin_client):
    article = make_article("Tagless", lead_photo=make_photo(size=(64, 48)))
    form = tag_form(admin_client, article)
    form["tags"] = ["!!!"]
    form["title"] = "A new title typed here"
    response = form.post(admin_client, change_url(article))
    assert response.status_code == 200
    assert "A tag needs at least one letter or digit" in response.content.decode()
    assert "A new title typed here" in response.content.decode()
    assert not Tag.objects.filter(name="!!!").exists()


def test_a_tag_made_without_the_form_still_gets_an_address(client):
    article = make_article("Shouting")
    article.tags.add("!!!", "?")
    slugs = set(Tag.objects.values_list("slug", flat=True))
    assert "" not in slugs and len(slugs) == 2
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/search/?q=nothing-matches").status_code == 200
    tag = Tag.objects.get(name="!!!")
    assert client.get(reverse("articles:tag", kwargs={"slug": tag.slug})).status_code == 200
    # Names with letters keep the slug taggit gives them.
    article.tags.add("2024", "Économie")
    assert set(Tag.objects.filter(name__in=["2024", "Économie"]).values_list("slug", flat=True)) == {
        "2024",
        "économie",
    }


def test_a_nul_typed_into_a_tag_is_dropped_not_a_500(admin_client):
    article = make_article("Nul tags", lead_photo=make_photo(size=(64, 48)))
    form = tag_form(admin_client, article)
    form["tags"] = ["Cul\x00ture", "Mu\x1bsic"]
    form.save(admin_client, change_url(article))
    assert sorted(article.tags.names()) == ["Culture", "Music"]


def test_a_quoted_tag_stays_one_tag(admin_client):
    article = make_article("Quoted", lead_photo=make_photo(size=(64, 48)))
    form = tag_form(admin_client, article)
    form["tags"] = ['"Arts, culture"', "climate, energy"]
    form.save(admin_client, change_url(article))
    assert sorted(article.tags.names()) == ["Arts, culture", "climate", "energy"]
    # Saved again unchanged, the form sends the tag back as one.
    form = tag_form(admin_client, article)
    form.save(admin_client, change_url(article))
    assert sorted(Article.objects.get(pk=article.pk).tags.names()) == ["Arts, culture", "climate", "energy"]
    # The autocomplete offers it in the same form.
    found = admin_client.get(reverse("admin:articles_article_tag_autocomplete"), {"term": "arts"}).json()
    assert found["results"] == [{"id": '"Arts, culture"', "text": "Arts, culture"}]


def test_tags_saved_without_an_address_get_one(client):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("articles.migrations.0011_tags_with_an_address")
    article = make_article("Before the rule", tags=["!!!", "Kept"])
    Tag.objects.filter(name="!!!").update(slug="")
    migration.give_every_tag_an_address(apps, None)
    assert Tag.objects.get(name="!!!").slug.startswith("tag-")
    assert Tag.objects.get(name="Kept").slug == "kept"
    assert client.get(article.get_absolute_url()).status_code == 200
