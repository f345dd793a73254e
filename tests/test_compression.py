"""Compressed responses: public pages and feeds, never a page that may hold a secret."""

import gzip

import brotli
import pytest

from articles import previews

from .factories import make_article
from .workflow_support import editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(questions=5)


def test_public_pages_and_feeds_come_in_brotli_where_accepted_else_gzip(client, article):
    for path in (article.get_absolute_url(), "/", "/feeds/rss/", "/sitemap.xml"):
        plain = client.get(path)
        assert plain.status_code == 200 and not plain.has_header("Content-Encoding"), path
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert response["Content-Encoding"] == "br", path
        assert "Accept-Encoding" in response["Vary"]
        assert brotli.decompress(response.content) == plain.content
        assert int(response["Content-Length"]) == len(response.content) < len(plain.content)
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip, br;q=0")
        assert response["Content-Encoding"] == "gzip", path
        assert gzip.decompress(response.content) == plain.content


def test_nothing_that_may_hold_a_secret_is_compressed(client, article):
    # The sign-in form carries a CSRF token.
    response = client.get("/admin/login/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200 and not response.has_header("Content-Encoding")
    client.force_login(editor())
    # A signed-in editor: the desk, and even the public pages.
    for path in ("/admin/", "/admin/articles/article/", article.get_absolute_url()):
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip, br")
        assert response.status_code == 200, path
        assert not response.has_header("Content-Encoding"), path
    client.logout()
    # A preview link is private.
    draft = make_article(status="draft")
    token_path = previews.link_url(previews.create_link(draft, editor())).removeprefix(
        "http://127.0.0.1:8000"
    )
    response = client.get(token_path, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200 and not response.has_header("Content-Encoding")
