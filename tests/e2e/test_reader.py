"""A reader on a phone and on a desktop: the interview page and the listings, in real Chromium."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from articles.models import Block, Correction
from tests.factories import make_article, make_person, make_photo

# (viewport, colour scheme): the phone in light mode, the desktop in both, since contrast differs.
LOOKS = [("phone", "light"), ("desktop", "light"), ("desktop", "dark")]
# Renditions take time to make; photos where size does not matter stay small.
SMALL = (640, 400)


@pytest.fixture
def long_interview():
    """A long interview as the desk publishes them: 14 questions, photos, two authors, two interviewees."""
    authors = [
        make_person("Ada Quill", slug="ada-quill", role="Staff writer", portrait=make_photo(size=SMALL)),
        make_person("Bruno Pen", slug="bruno-pen", role="Contributing editor"),
    ]
    interviewees = [
        make_person("Céline Marchetti", slug="celine-marchetti", role="Hydrologist"),
        make_person("Dev Okafor", slug="dev-okafor", role="Mayor of Riverside"),
    ]
    article = make_article(
        "Céline Marchetti & Dev Okafor: “Rivers keep the ledger” — on water and towns",
        questions=14,
        lead_photo=make_photo(size=(1200, 800)),
        authors=authors,
        interviewees=interviewees,
        tags=["Climate", "Économie", "Water"],
        featured=True,
    )
    # Rebuild the body in reading order: speakers on answers (two interviewees), photos after the
    # 2nd, 5th and 9th answers so that some are far below the fold, then a quote, a heading, a note.
    body = []
    answers = 0
    for block in article.blocks.order_by("position"):
        body.append(block)
        if block.kind == Block.Kind.ANSWER:
            block.speaker = interviewees[answers % 2]
            answers += 1
            if answers in (2, 5, 9):
                body.append(Block(kind=Block.Kind.PHOTO, photo=make_photo(size=SMALL)))
    body += [
        Block(
            kind=Block.Kind.QUOTE,
            text="<p>A river remembers every promise a town breaks.</p>",
            attribution="Céline Marchetti",
        ),
        Block(kind=Block.Kind.HEADING, text="Afterwards"),
        Block(
            kind=Block.Kind.PARAGRAPH,
            text='<p>Edited for <em>length</em> and <a href="https://example.org/">clarity</a>.</p>',
        ),
    ]
    article.blocks.all().delete()
    for position, block in enumerate(body, start=1):
        block.pk, block.article, block.position = None, article, position
        block.save()
    Correction.objects.create(article=article, text="<p>An earlier version misspelt the river's name.</p>")
    # Related interviews through a shared tag and a shared person.
    make_article(tags=["Water"], authors=authors[:1], lead_photo=make_photo(size=SMALL))
    make_article(interviewees=interviewees[1:], lead_photo=False)
    return article


def open_page(open_tab, path, look=("desktop", "light")):
    width, scheme = look
    tab = open_tab(width, color_scheme=scheme)
    tab.goto(path)
    return tab


def assert_reader_sees_a_sound_page(tab):
    tab.assert_no_errors()
    tab.assert_no_horizontal_overflow()
    tab.assert_accessible()


@pytest.mark.parametrize("look", LOOKS, ids="-".join)
def test_interview_page_is_clean_accessible_and_fits(open_tab, long_interview, look):
    tab = open_page(open_tab, long_interview.get_absolute_url(), look)
    expect(tab.page.locator("h1")).to_have_text(long_interview.title)
    # Lazy photos further down load too, and without errors, once the reader gets there.
    tab.page.keyboard.press("End")
    tab.page.wait_for_load_state("networkidle")
    assert_reader_sees_a_sound_page(tab)


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_copy_link_copies_the_interview_address(open_tab, live_server, long_interview, width):
    tab = open_page(open_tab, long_interview.get_absolute_url(), (width, "light"))
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    tab.page.evaluate("() => navigator.clipboard.writeText('nothing copied yet')")
    address = tab.page.url

    tab.page.get_by_role("link", name="Copy link").first.click()

    canonical = settings.SITE_URL + long_interview.get_absolute_url()
    # The site's script writes to the clipboard asynchronously: wait until it has, or time out.
    tab.page.wait_for_function(
        "async (expected) => (await navigator.clipboard.readText()) === expected", arg=canonical
    )
    assert tab.page.url == address, "the copy control navigated away instead of copying"
    tab.assert_no_errors()


def test_a_questions_link_control_copies_the_address_of_that_question(open_tab, live_server, long_interview):
    tab = open_page(open_tab, long_interview.get_absolute_url(), ("phone", "light"))
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    control = tab.page.get_by_role("link", name="Link to question 3", exact=True)
    anchor = control.get_attribute("href")

    control.click()

    # The question's share address, which gives networks that question's own preview.
    expected = settings.SITE_URL + long_interview.get_absolute_url() + "q/3/"
    tab.page.wait_for_function(
        "async (expected) => (await navigator.clipboard.readText()) === expected", arg=expected
    )
    assert tab.page.evaluate("() => location.hash") == anchor
    expect(tab.page.locator(anchor)).to_contain_text("Question 3?")
    expect(tab.page.locator(anchor)).to_be_in_viewport()
    tab.assert_no_errors()


def test_a_questions_share_button_points_the_share_menu_at_that_question(open_tab, long_interview):
    tab = open_page(open_tab, long_interview.get_absolute_url())
    page = tab.page
    menu = page.locator("#share-menu")
    expect(menu).to_be_hidden()
    button = page.get_by_role("button", name="Share question 3", exact=True)

    button.click()

    expect(menu).to_be_visible()
    expect(menu).to_contain_text("Question 3?")
    address = settings.SITE_URL + long_interview.get_absolute_url() + "q/3/"
    x = menu.get_by_role("link", name="Share on X")
    href = x.get_attribute("href")
    assert href.startswith("https://x.com/intent/post?")
    assert page.evaluate("(href) => new URL(href).searchParams.get('url')", href) == address
    text = page.evaluate("(href) => new URL(href).searchParams.get('text')", href)
    assert text == f"Question 3? ({long_interview.title})"
    mail = menu.get_by_role("link", name="Share by Email").get_attribute("href")
    assert "q%2F3%2F" in mail and "+" not in mail
    tab.assert_accessible()

    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()
    # The next question gets its own address.
    page.get_by_role("button", name="Share question 4", exact=True).click()
    href = menu.get_by_role("link", name="Share on Facebook").get_attribute("href")
    assert page.evaluate("(href) => new URL(href).searchParams.get('u')", href) == address[:-2] + "4/"
    tab.assert_no_errors()


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_question_link_scrolls_to_its_question(open_tab, long_interview, width):
    tab = open_page(open_tab, long_interview.get_absolute_url(), (width, "light"))
    page = tab.page
    contents = page.locator("details.contents")
    contents.locator("summary").click()
    entry = contents.get_by_role("link").nth(11)
    anchor = entry.get_attribute("href")
    assert anchor.startswith("#")
    question = page.locator(anchor)
    expect(question).to_contain_text("Question 12?")
    expect(question).not_to_be_in_viewport()

    entry.click()

    expect(question).to_be_in_viewport()
    assert page.evaluate("() => location.hash") == anchor
    tab.assert_no_errors()


def test_question_anchor_in_a_shared_address_opens_at_the_question(open_tab, long_interview):
    anchor = open_page(open_tab, long_interview.get_absolute_url()).page.locator("details.contents a").nth(9)
    anchor = anchor.get_attribute("href")
    tab = open_tab("phone")
    tab.goto(long_interview.get_absolute_url() + anchor)
    expect(tab.page.locator(anchor)).to_contain_text("Question 10?")
    expect(tab.page.locator(anchor)).to_be_in_viewport()


def test_print_drops_the_share_bar_and_keeps_captions(open_tab, long_interview):
    tab = open_page(open_tab, long_interview.get_absolute_url())
    tab.page.emulate_media(media="print")
    for share_bar in tab.page.locator(".share").all():
        expect(share_bar).to_be_hidden()
    expect(tab.page.locator("figcaption").first).to_be_visible()


@pytest.fixture
def listings(long_interview):
    """The addresses of the home, tag, person and search pages, with enough interviews to paginate."""
    photo = make_photo(size=SMALL)
    for n in range(14):
        make_article(f"Interviewee {n}: on cities & “water”", tags=["Climate"], questions=1, lead_photo=photo)
    tag = long_interview.tags.get(name="Économie")
    return {
        "home": reverse("articles:home"),
        "tag": reverse("articles:tag", kwargs={"slug": tag.slug}),
        "paginated tag": reverse(
            "articles:tag", kwargs={"slug": long_interview.tags.get(name="Climate").slug}
        ),
        "person": reverse("articles:person", kwargs={"slug": "celine-marchetti"}),
        "search": reverse("articles:search") + "?q=river",
        "search-nothing": reverse("articles:search") + "?q=zzqxv",
    }


# Each width and each colour scheme once: the listings share the interview page's styles.
@pytest.mark.parametrize("look", [("phone", "light"), ("desktop", "dark")], ids="-".join)
def test_listings_are_clean_accessible_and_fit(open_tab, listings, look):
    width, scheme = look
    tab = open_tab(width, color_scheme=scheme)
    for name, path in listings.items():
        tab.goto(path)
        try:
            assert_reader_sees_a_sound_page(tab)
        except AssertionError as error:
            raise AssertionError(f"{name} page ({path}): {error}") from error


def test_not_found_page_is_clean_and_accessible(open_tab):
    tab = open_tab("phone")
    response = tab.goto("/interviews/no-such-interview/", expect_status=404)
    # The 404 status itself is the one console message a missing page must cause.
    tab.console_errors = [error for error in tab.console_errors if not error.endswith(f"({response.url})")]
    assert_reader_sees_a_sound_page(tab)


def test_a_question_share_address_lands_on_that_question(open_tab, long_interview):
    tab = open_page(open_tab, long_interview.get_absolute_url() + "q/5/", ("phone", "light"))

    expect(tab.page.locator("#q-5")).to_be_in_viewport()
    expect(tab.page.locator("#q-5")).to_be_focused()
    tab.assert_accessible()
    tab.assert_no_errors()


def test_a_pull_quote_is_shared_with_the_address_of_its_question(open_tab, long_interview):
    tab = open_page(open_tab, long_interview.get_absolute_url())
    page = tab.page
    quote = page.locator(".pull-quote").first
    number = quote.get_attribute("data-share-path")

    quote.get_by_role("button", name="Share this quote").click()

    menu = page.locator("#share-menu")
    expect(menu).to_be_visible()
    expect(menu.locator("h2")).to_have_text("Share this quote")
    href = menu.get_by_role("link", name="Share on Facebook").get_attribute("href")
    shared = page.evaluate("(href) => new URL(href).searchParams.get('u')", href)
    assert shared == settings.SITE_URL + long_interview.get_absolute_url() + number
    tab.assert_no_errors()
