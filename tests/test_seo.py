"""Metadata for search engines and social networks."""

import json

import lxml.html
import pytest
from django.urls import reverse

from articles.models import Block
from articles.seo import json_ld

from .factories import make_article, make_person, make_photo

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, lxml.html.fromstring(response.content)


def meta(doc, attribute, name):
    return doc.xpath(f"//meta[@{attribute}='{name}']/@content")


def structured_data(doc):
    scripts = doc.xpath("//script[@type='application/ld+json']")
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


def interview():
    author = make_person("Ada Writer", slug="ada-writer")
    guest = make_person("Bo Guest", slug="bo-guest", role="Mayor", organisation="Port Town")
    article = make_article(
        "Bo Guest: the harbour",
        slug="bo-guest-harbour",
        standfirst="The mayor on tides.",
        authors=[author],
        interviewees=[guest],
        tags=["Harbours", "Politics"],
        lead_photo=make_photo(alt_text="The harbour at dusk", caption="Dusk", credit="Agency/Jo"),
    )
    photo = make_photo(alt_text="A boat", caption="Library caption", credit="Other/Ann", licence="CC BY 4.0")
    Block.objects.create(article=article, position=50, kind="photo", photo=photo, caption="Block caption")
    return article


def test_title_description_and_canonical(client):
    article = interview()
    _, doc = get(client, article.get_absolute_url())
    assert doc.xpath("//title")[0].text == "Bo Guest: the harbour · Newsroom"
    assert meta(doc, "name", "description") == ["The mayor on tides."]
    assert doc.xpath("//link[@rel='canonical']/@href") == [f"{SITE}/interviews/bo-guest-harbour/"]
    assert meta(doc, "name", "robots") == []

    article.seo_title = "Harbour mayor interview"
    article.seo_description = "What the mayor of Port Town says about tides."
    article.save()
    _, doc = get(client, article.get_absolute_url())
    assert doc.xpath("//title")[0].text == "Harbour mayor interview · Newsroom"
    assert meta(doc, "name", "description") == ["What the mayor of Port Town says about tides."]
    assert meta(doc, "property", "og:title") == ["Harbour mayor interview"]


def test_open_graph_and_twitter_card(client):
    article = interview()
    _, doc = get(client, article.get_absolute_url())
    assert meta(doc, "property", "og:type") == ["article"]
    assert meta(doc, "property", "og:url") == [f"{SITE}/interviews/bo-guest-harbour/"]
    assert meta(doc, "property", "og:description") == ["The mayor on tides."]
    image = meta(doc, "property", "og:image")[0]
    assert image.startswith(f"{SITE}/media/")
    assert meta(doc, "property", "og:image:width") == ["1200"]
    assert meta(doc, "property", "og:image:height") == ["630"]
    assert meta(doc, "property", "og:image:alt") == ["The harbour at dusk"]
    published = meta(doc, "property", "article:published_time")[0]
    assert published.startswith(f"{article.published_at:%Y-%m-%dT%H:%M:%S}")
    assert meta(doc, "property", "article:modified_time")
    assert meta(doc, "property", "article:author") == [f"{SITE}/people/ada-writer/"]
    assert meta(doc, "property", "article:tag") == ["Harbours", "Politics"]
    assert meta(doc, "name", "twitter:card") == ["summary_large_image"]
    assert meta(doc, "name", "twitter:image:alt") == ["The harbour at dusk"]


def test_news_article_structured_data(client):
    article = interview()
    _, doc = get(client, article.get_absolute_url())
    data = structured_data(doc)
    url = f"{SITE}/interviews/bo-guest-harbour/"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Bo Guest: the harbour"
    assert data["description"] == "The mayor on tides."
    assert data["genre"] == "Interview"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["datePublished"].startswith(f"{article.published_at:%Y-%m-%dT%H:%M:%S}")
    assert data["dateModified"] >= data["datePublished"]
    assert data["author"] == [{"@type": "Person", "name": "Ada Writer", "url": f"{SITE}/people/ada-writer/"}]
    assert data["about"] == [
        {
            "@type": "Person",
            "name": "Bo Guest",
            "url": f"{SITE}/people/bo-guest/",
            "jobTitle": "Mayor",
            "affiliation": {"@type": "Organization", "name": "Port Town"},
        }
    ]
    publisher = data["publisher"]
    assert publisher["@type"] == "Organization" and publisher["name"] == "Newsroom"
    assert publisher["logo"]["url"].startswith(f"{SITE}/static/img/logo")
    lead, block = data["image"]
    assert lead["@type"] == "ImageObject" and lead["url"].startswith(f"{SITE}/media/")
    assert (lead["caption"], lead["creditText"]) == ("Dusk", "Agency/Jo")
    assert lead["width"] and lead["height"]
    assert (block["caption"], block["creditText"], block["copyrightNotice"]) == (
        "Block caption",
        "Other/Ann",
        "CC BY 4.0",
    )
    assert data["keywords"] == ["Harbours", "Politics"]


def test_a_title_cannot_break_out_of_the_structured_data(client):
    title = 'Break </script><script>alert(1)</script> & <!-- "out"'
    article = make_article(title, slug="breakout")
    response, doc = get(client, article.get_absolute_url())
    html = response.content.decode()
    block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in block and ">" not in block and "&" not in block
    assert structured_data(doc)["headline"] == title
    assert "<script>alert(1)" not in html


def test_json_ld_escapes_line_separators_and_stays_valid_json():
    text = json_ld({"headline": "a\u2028b</script>"})
    assert "\u2028" not in text
    assert json.loads(text) == {"headline": "a\u2028b</script>"}


def test_an_interview_without_a_photo_gets_a_summary_card(client):
    article = make_article(lead_photo=None, slug="no-photo")
    _, doc = get(client, article.get_absolute_url())
    assert meta(doc, "name", "twitter:card") == ["summary"]
    assert meta(doc, "property", "og:image") == []
    assert "image" not in structured_data(doc)


def test_listing_pages_have_absolute_canonical_and_open_graph_urls(client):
    guest = make_person(slug="guest")
    make_article(tags=["sea"], interviewees=[guest])
    for url in ("/", reverse("articles:tag", kwargs={"slug": "sea"}), guest.get_absolute_url()):
        _, doc = get(client, url)
        canonical = doc.xpath("//link[@rel='canonical']/@href")
        assert canonical == [f"{SITE}{url}"]
        assert meta(doc, "property", "og:url") == canonical
        assert meta(doc, "name", "description")[0]


def test_search_results_are_not_indexed(client):
    _, doc = get(client, reverse("articles:search") + "?q=harbour")
    assert meta(doc, "name", "robots") == ["noindex"]
