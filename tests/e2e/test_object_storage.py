"""An interview whose photos come from an S3 bucket (SeaweedFS), in real Chromium under the site's CSP."""

import pytest

from tests.factories import make_article, make_photo

PICTURES_LOADED = """
() => [...document.images].map((img) => ({src: img.currentSrc, loaded: img.complete && img.naturalWidth > 0}))
"""


@pytest.fixture
def interview_on_the_bucket(s3_media, settings):
    article = make_article(lead_photo=make_photo(size=(1200, 800)), photos=2)
    return article, settings.MEDIA_URL


def test_photos_from_the_bucket_load_under_the_csp(open_tab, interview_on_the_bucket):
    article, media_url = interview_on_the_bucket
    tab = open_tab("desktop")
    tab.goto(article.get_absolute_url())
    tab.page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    tab.assert_no_errors()
    pictures = tab.page.evaluate(PICTURES_LOADED)
    from_bucket = [picture for picture in pictures if picture["src"].startswith(media_url)]
    assert len(from_bucket) >= 3, pictures
    assert all(picture["loaded"] for picture in from_bucket), pictures


def test_without_the_buckets_origin_in_img_src_the_browser_blocks_them(
    open_tab, interview_on_the_bucket, settings
):
    # The check above is only worth something if the CSP really decides: take the origin out.
    article, media_url = interview_on_the_bucket
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {**policy["DIRECTIVES"], "img-src": ["'self'"]},
    }
    tab = open_tab("desktop")
    tab.goto(article.get_absolute_url())
    tab.page.wait_for_load_state("networkidle")
    blocked = [
        violation["blocked"] for violation in tab.csp_violations if violation["directive"] == "img-src"
    ]
    assert blocked and all(uri.startswith(media_url.split("/newsroom-test/")[0]) for uri in blocked), blocked
