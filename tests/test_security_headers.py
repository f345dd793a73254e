"""A strict Content-Security-Policy on every public page, and nothing inline that it would block."""

import lxml.html
import pytest
from django.urls import reverse

from articles.models import Block, Correction

from .factories import make_article, make_person, make_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_urls():
    guest = make_person(slug="guest", portrait=make_photo(size=(80, 80)))
    article = make_article(
        'Quotes " and </script> in a title', tags=["sea"], interviewees=[guest, make_person()], photos=1
    )
    Block.objects.create(article=article, position=60, kind="quote", text="<p>Said.</p>", attribution="Guest")
    Correction.objects.create(article=article, text="<p>Fixed.</p>")
    make_article(tags=["sea"])
    return {
        "home": reverse("articles:home"),
        "interview": article.get_absolute_url(),
        "tag": reverse("articles:tag", kwargs={"slug": "sea"}),
        "person": guest.get_absolute_url(),
        "search": reverse("articles:search") + "?q=title",
        "empty search": reverse("articles:search"),
        "not found": "/interviews/nothing-here/",
    }


def directives(header):
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_every_public_page_has_a_strict_content_security_policy(client, public_urls):
    for name, url in public_urls.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not found" else 200), name
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], name
        assert policy["style-src"] == ["'self'"], name
        assert policy["object-src"] == ["'none'"], name
        assert policy["frame-ancestors"] == ["'none'"], name
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_contain_no_inline_script_style_or_event_handler(client, public_urls):
    for name, url in public_urls.items():
        doc = lxml.html.fromstring(client.get(url).content)
        for script in doc.xpath("//script"):
            if script.get("type") == "application/ld+json":
                # A data block: browsers never execute it, so CSP does not apply.
                assert script.get("src") is None
                continue
            assert script.get("src", "").startswith("/static/"), name
            assert not (script.text or "").strip(), name
        assert doc.xpath("//style") == [], name
        assert doc.xpath("//*[@style]") == [], name
        handlers = [attr for el in doc.iter() for attr in el.attrib if attr.lower().startswith("on")]
        assert handlers == [], name
        assert doc.xpath("//a[starts-with(@href, 'javascript:')]") == [], name


def test_every_asset_comes_from_the_site_itself(client, public_urls):
    for name, url in public_urls.items():
        doc = lxml.html.fromstring(client.get(url).content)
        sources = doc.xpath("//script/@src | //link[@rel='stylesheet' or @rel='icon']/@href | //img/@src")
        sources += [s.split()[0] for s in doc.xpath("//img/@srcset | //source/@srcset")]
        assert sources, name
        for source in sources:
            assert source.startswith(("/static/", "/media/")), (name, source)


def test_every_response_turns_off_the_browser_features_the_site_never_uses(client, public_urls):
    urls = {
        **public_urls,
        "rss": reverse("articles:feed_rss"),
        "sitemap": reverse("articles:sitemap"),
        "static file": "/static/js/site.js",
        "admin login": reverse("admin:login"),
        "admin (redirect to log in)": reverse("admin:index"),
    }
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code in (200, 302, 404), name
        policy = {
            feature.strip(): allowed
            for feature, _, allowed in (
                part.partition("=") for part in response["Permissions-Policy"].split(",")
            )
        }
        for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"):
            assert policy[feature] == "()", (name, feature)
        # What the share links use stays on for the site itself.
        assert policy["clipboard-write"] == policy["web-share"] == "(self)", name
