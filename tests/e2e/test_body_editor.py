"""The body editor in real Chromium, driven by the keyboard: add a block anywhere, move it, change its
kind; compact rows showing only each kind's fields; autosave that never overwrites a newer save."""

import os
import time

import pytest
from django.db import OperationalError
from playwright.sync_api import expect

from articles.models import Article, Block
from tests.e2e.test_editor import log_in, make_user
from tests.factories import make_article, make_person, make_photo


@pytest.fixture
def draft():
    guest = make_person("Céline Marchetti", slug="celine-marchetti", role="Hydrologist")
    return make_article(
        "Céline Marchetti: rivers",
        status="draft",
        questions=2,
        interviewees=[guest],
        lead_photo=None,
    )


def open_draft(open_tab, article):
    make_user("eddie", "Editor")
    tab = open_tab("desktop")
    log_in(tab, "eddie")
    tab.goto(f"/admin/articles/article/{article.pk}/change/")
    return tab


def rows(page):
    return page.locator("#blocks-group .inline-related[data-kind]:not(.is-removed)")


def kinds_on_page(page):
    return rows(page).evaluate_all("rows => rows.map((row) => row.dataset.kind)")


def test_adding_moving_and_changing_a_block_with_the_keyboard_only(open_tab, draft):
    tab = open_draft(open_tab, draft)
    page = tab.page
    assert kinds_on_page(page) == ["question", "answer", "question", "answer"]

    # In the first answer, Ctrl+Enter adds the question that follows it, focused, at place 3.
    rows(page).nth(1).locator(".ProseMirror").focus()
    page.keyboard.press("End")
    page.keyboard.press("Control+Enter")
    expect(rows(page).nth(2).locator(".ProseMirror")).to_be_focused()
    page.keyboard.type("And after the flood?")
    assert kinds_on_page(page) == ["question", "answer", "question", "question", "answer"]
    expect(rows(page).locator(".block-number")).to_have_text(["1", "2", "3", "4", "5"])

    # Alt+Shift+↓ moves it down a place; the numbers follow at once.
    page.keyboard.press("Alt+Shift+ArrowDown")
    expect(rows(page).nth(3)).to_contain_text("And after the flood?")
    expect(rows(page).nth(3).locator(".ProseMirror")).to_be_focused()
    expect(rows(page).nth(3).locator(".block-number")).to_have_text("4")

    # Its kind, from the keyboard: Shift+Tab back to the kind and type-ahead "P" for paragraph.
    kind = rows(page).nth(3).locator("select.block-kind")
    kind.focus()
    page.keyboard.press("p")
    expect(kind).to_have_value("paragraph")

    # "Add here" bars: one tab stop each, arrows between its buttons, Enter adds at that place.
    bar = page.locator(".block-insert").nth(1)
    bar.get_by_role("button", name="Add a question here").focus()
    page.keyboard.press("ArrowRight")
    expect(bar.get_by_role("button", name="Add an answer here")).to_be_focused()
    page.keyboard.press("Enter")
    expect(rows(page).nth(1).locator(".ProseMirror")).to_be_focused()
    page.keyboard.type("It began upstream, decades ago.")

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Saved as draft")
    texts = [(block.kind, block.text) for block in draft.blocks.all()]
    assert [kind for kind, _ in texts] == ["question", "answer", "answer", "question", "paragraph", "answer"]
    assert "It began upstream" in texts[1][1] and "And after the flood?" in texts[4][1]
    assert [block.position for block in draft.blocks.all()] == [1, 2, 3, 4, 5, 6]
    tab.assert_no_errors()


def test_rows_show_only_the_fields_of_their_kind(open_tab, draft):
    photo = make_photo(caption="The old pier at dawn", credit="Agence Fictive/Lou Prism")
    Block.objects.create(article=draft, position=3, kind="photo", photo=photo, caption="The pier, 1998")
    Block.objects.create(article=draft, position=9, kind="quote", text="<p>Rivers keep the ledger.</p>")
    tab = open_draft(open_tab, draft)
    page = tab.page
    answer = rows(page).nth(1)
    # One interviewee: no speaker to choose.
    expect(answer.locator(".field-speaker")).to_be_hidden()
    expect(answer.locator(".field-attribution")).to_be_hidden()
    expect(answer.locator(".field-caption")).to_be_hidden()
    photo_row = page.locator("#blocks-group .inline-related[data-kind=photo]")
    expect(photo_row.locator(".field-text")).to_be_hidden()
    expect(photo_row.locator(".photo-as-seen")).to_have_text(
        "The pier, 1998 · Credit: Agence Fictive/Lou Prism"
    )
    photo_row.locator("textarea[name$='-caption']").fill("")
    expect(photo_row.locator(".photo-as-seen")).to_have_text(
        "The old pier at dawn · Credit: Agence Fictive/Lou Prism"
    )
    quote = page.locator("#blocks-group .inline-related[data-kind=quote]")
    expect(quote.locator(".field-attribution")).to_be_visible()

    # A second interviewee: now every answer asks who speaks.
    make_person("Dev Okafor", slug="dev-okafor")
    page.locator("#interviewee_links-group").get_by_role("button", name="Add another interviewee").click()
    page.locator("#id_interviewee_links-1-person + .select2").click()
    page.locator(".select2-container--open .select2-search__field").fill("Dev")
    page.locator(".select2-results__option", has_text="Dev Okafor").click()
    expect(answer.locator(".field-speaker")).to_be_visible()
    expect(rows(page).nth(0).locator(".field-speaker")).to_be_hidden()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert draft.interviewee_links.count() == 2
    assert draft.blocks.get(kind="photo").caption == ""
    tab.assert_no_errors()


def test_a_22_block_interview_fits_in_a_few_screens_and_passes_axe(open_tab):
    from axe_playwright_python.sync_playwright import Axe

    article = make_article(status="draft", questions=10, photos=1, lead_photo=None)
    tab = open_draft(open_tab, article)
    page = tab.page
    expect(rows(page)).to_have_count(21)
    height = page.locator("#blocks-group").evaluate("group => group.getBoundingClientRect().height")
    screens = height / page.viewport_size["height"]
    if os.environ.get("E2E_SCREENSHOTS"):
        page.screenshot(path=os.environ["E2E_SCREENSHOTS"], full_page=True)
    print(f"\nBODY {height:.0f}px = {screens:.1f} screens")
    assert screens <= 5, f"the body takes {screens:.1f} screens"
    tab.assert_no_errors()  # Before axe, which injects styles of its own.
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, results.generate_report()


def test_a_removed_new_row_after_moves_leaves_the_others_intact(open_tab, draft):
    tab = open_draft(open_tab, draft)
    page = tab.page
    rows(page).nth(0).locator(".ProseMirror").focus()
    page.keyboard.press("Control+Shift+Enter")  # A second question, at place 2...
    page.keyboard.type("Who measures the river?")
    page.keyboard.press("Alt+Shift+ArrowUp")  # ...moved to the top.
    page.locator(".block-insert--end").get_by_role("button", name="Add a paragraph at the end").click()
    last = rows(page).last
    last.locator(".inline-deletelink").click()
    expect(rows(page)).to_have_count(5)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    kinds = [block.kind for block in draft.blocks.all()]
    assert kinds == ["question", "question", "answer", "question", "answer"]
    assert "Who measures" in draft.blocks.first().text


def test_autosave_keeps_a_draft_and_stops_at_someone_elses_newer_save(open_tab, draft):
    tab = open_draft(open_tab, draft)
    page = tab.page
    rows(page).nth(1).locator(".ProseMirror").focus()
    page.keyboard.press("End")
    page.keyboard.type(" And the river remembers.")
    expect(page.locator(".autosave-status")).to_contain_text("Saved at", timeout=15_000)
    assert "And the river remembers." in draft.blocks.get(position=2).text
    assert Article.objects.get(pk=draft.pk).status == "draft"

    # Someone else saves; the next autosave stops and says who, leaving their version alone.
    other = Article.objects.get(pk=draft.pk)
    other.title = "Céline Marchetti: the river's ledger"
    other.save()
    page.keyboard.type(" Mine.")
    expect(page.locator(".autosave-status")).to_contain_text("Autosave stopped.", timeout=15_000)
    expect(page.locator(".autosave-status")).to_contain_text("while you were editing it")
    assert Article.objects.get(pk=draft.pk).title == "Céline Marchetti: the river's ledger"
    assert "Mine." not in draft.blocks.get(position=2).text

    # Closing the tab sends what was typed in the last seconds.
    fresh = make_article("Ola Brant: salt", status="draft", questions=1)
    page.goto(f"{tab.base_url}/admin/articles/article/{fresh.pk}/change/")
    rows(page).nth(1).locator(".ProseMirror").focus()
    page.keyboard.press("End")
    page.keyboard.type(" Typed just before closing.")
    page.close()
    assert eventually(lambda: "Typed just before closing." in fresh.blocks.get(position=2).text)


def eventually(check, seconds=5):
    """The request sent as the page closed arrives on its own time."""
    deadline = time.monotonic() + seconds
    while not _locked_or(check):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _locked_or(check):
    # The test's in-memory SQLite is shared with the live server's thread, and
    # reading a table while that thread writes it fails at once instead of waiting.
    try:
        return check()
    except OperationalError as error:
        if "locked" not in str(error):
            raise
        return False
