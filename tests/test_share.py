"""Share links: plain links built on the server, correctly encoded for any title."""

from urllib.parse import parse_qs, unquote, urlsplit

import lxml.html
import pytest

from articles.share import share_links

from .factories import make_article

HOSTILE = "Tom & \"Jerry\" #1 — café </script> 100%+ 'quoted'"
URL = "https://news.example.org/interviews/tom-jerry/"


def params(href):
    parts = urlsplit(href)
    # mailto: puts its parameters after "?" in the path part.
    query = parts.query or parts.path.partition("?")[2]
    return {key: values[0] for key, values in parse_qs(query, strict_parsing=True).items()}


def by_key(links):
    return {link["key"]: link for link in links}


def test_every_network_gets_a_link():
    links = share_links(URL, "Title")
    keys = [link["key"] for link in links]
    assert keys == ["x", "facebook", "linkedin", "bluesky", "whatsapp", "reddit", "email"]


def test_hostile_titles_survive_the_round_trip():
    links = by_key(share_links(URL, HOSTILE))
    assert params(links["x"]["href"]) == {"text": HOSTILE, "url": URL}
    assert params(links["facebook"]["href"]) == {"u": URL}
    assert params(links["linkedin"]["href"]) == {"url": URL}
    assert params(links["bluesky"]["href"]) == {"text": f"{HOSTILE} {URL}"}
    assert params(links["whatsapp"]["href"]) == {"text": f"{HOSTILE} {URL}"}
    assert params(links["reddit"]["href"]) == {"url": URL, "title": HOSTILE}
    assert params(links["email"]["href"]) == {"subject": HOSTILE, "body": f"{HOSTILE} {URL}"}


def test_encoded_links_hold_no_raw_separators_or_spaces():
    for link in share_links(URL + "#q-3", HOSTILE):
        query = link["href"].split("?", 1)[1]
        for value in (part.split("=", 1)[1] for part in query.split("&")):
            assert not set(value) & set(" &#\"'<>+"), (link["key"], value)
        # Mail clients read "+" literally, so spaces must be %20 in mailto: links.
        if link["key"] == "email":
            assert "%20" in link["href"]
            assert unquote(link["href"].split("subject=")[1].split("&")[0]) == HOSTILE


@pytest.mark.django_db
def test_the_page_has_share_bars_above_and_below_that_work_without_javascript(client):
    article = make_article(HOSTILE, slug="hostile")
    doc = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    canonical = "http://127.0.0.1:8000/interviews/hostile/"
    top, bottom = doc.xpath("//div[contains(@class, 'share ')]")
    assert (top.get("class"), bottom.get("class")) == ("share share--top", "share share--bottom")
    # Above the interview, a way to the full bar below (the script opens the share menu instead).
    (share, copy) = top.xpath(".//a")
    assert (share.get("href"), share.text_content()) == ("#share-bottom", "Share…")
    assert bottom.get("id") == "share-bottom" and share.get("data-share-url") == canonical
    assert copy.get("href") == canonical and copy.get("data-copy") == canonical
    links = bottom.xpath(".//a")
    labels = [" ".join(a.text_content().split()) for a in links]
    assert labels == [
        "Share on X",
        "Share on Facebook",
        "Share on LinkedIn",
        "Share on Bluesky",
        "Share on WhatsApp",
        "Share on Reddit",
        "Share by Email",
        "Copy link",
    ]
    for a in links[:6]:
        assert a.get("target") == "_blank" and a.get("rel") == "noopener"
        assert a.get("href").startswith("https://")
    assert params(links[0].get("href")) == {"text": HOSTILE, "url": canonical}
    copy = links[-1]
    assert copy.get("href") == canonical and copy.get("data-copy") == canonical
    # The native share sheet is an enhancement the script reveals.
    assert bottom.xpath(".//button[@data-native-url]/@hidden") == [""]


@pytest.mark.django_db
def test_each_question_has_a_link_and_points_the_one_share_menu_at_itself(client):
    article = make_article("Plain title", slug="plain", questions=3)
    doc = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    question = doc.xpath("//div[@id='q-2']")[0]
    # Without script the question's link still works: it is a plain anchor.
    assert question.xpath(".//a[@class='qa-q__link']/@href") == ["#q-2"]
    # The Share button is the script's to add: without script there is no menu to open.
    assert question.xpath(".//button") == []
    # No network links under the questions: one menu for all of them, which the script fills
    # with the share bar's links, made from their address templates.
    assert doc.xpath("//div[@class='article__body']//a[contains(@class, 'share__link')]") == []
    (menu,) = doc.xpath("//dialog[@id='share-menu']")
    assert menu.get("data-share-title") == "Plain title" and menu.xpath(".//a") == []
    templates = doc.xpath("//div[@id='share-bottom']//a/@data-share-href")
    assert templates[0] == "https://x.com/intent/post?text={t}&url={u}"
    assert len(templates) == 7


@pytest.mark.django_db
def test_shared_addresses_come_from_site_url_never_the_host_header(client, settings):
    settings.SITE_URL = "https://news.example.org"
    settings.ALLOWED_HOSTS = ["*"]
    article = make_article(slug="hosted")
    html = client.get(article.get_absolute_url(), HTTP_HOST="evil.example").content.decode()
    assert "evil.example" not in html
    assert "https%3A%2F%2Fnews.example.org%2Finterviews%2Fhosted%2F" in html
