"""The browser harness itself catches what the reader tests rely on it to catch."""

import pytest
from django.http import HttpResponse
from django.urls import path

from tests.e2e.urls import urlpatterns as site_urlpatterns


def careless_page(request):
    return HttpResponse(
        '<!doctype html><html lang="en"><head><title>Careless</title></head><body><main>'
        '<p style="color: red">Inline style</p><script>document.title = "inline"</script>'
        '<img src="/missing.png"><div class="wide"><pre>' + "x" * 400 + "</pre></div>"
        "</main></body></html>"
    )


# The site's own URLs stay, since its 404 page links to them.
urlpatterns = [path("careless/", careless_page), *site_urlpatterns]


@pytest.fixture
def careless_tab(open_tab, settings):
    tab = open_tab("phone")
    settings.ROOT_URLCONF = __name__
    tab.goto("/careless/")
    return tab


def test_inline_style_and_script_are_reported_as_csp_violations(careless_tab):
    with pytest.raises(AssertionError, match="CSP violations"):
        careless_tab.assert_no_errors()
    directives = {violation["directive"] for violation in careless_tab.csp_violations}
    assert directives == {"style-src-attr", "script-src-elem"}
    assert careless_tab.page.title() == "Careless"


def test_missing_resources_are_console_errors(careless_tab):
    assert any("404" in error and "/missing.png" in error for error in careless_tab.console_errors)


def test_sideways_scrolling_is_reported(careless_tab):
    with pytest.raises(AssertionError, match="page scrolls sideways"):
        careless_tab.assert_no_horizontal_overflow()


def test_accessibility_violations_are_reported(careless_tab):
    with pytest.raises(AssertionError, match="image-alt"):
        careless_tab.assert_accessible()
