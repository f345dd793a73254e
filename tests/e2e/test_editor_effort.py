"""What it costs to enter a real interview at the desk, counted in a real browser.

10 questions, 15 answer paragraphs, one photo (already in the library) inside
answer 8, one interviewee, one author, from the empty form to publication. The
photo comes last, as photos do, and goes where it belongs.
"""

import pytest
from playwright.sync_api import expect
from reversion.models import Version

from articles.models import Article
from tests.e2e.effort import QUESTIONS, Effort, answer_paragraphs
from tests.e2e.test_editor import log_in, make_user
from tests.factories import make_person, make_photo


@pytest.fixture
def library():
    make_person("Ada Quill", slug="ada-quill", role="Staff writer")
    make_person("Céline Marchetti", slug="celine-marchetti", role="Hydrologist")
    return make_photo(caption="The old pier at dawn", credit="Agence Fictive/Lou Prism", size=(1200, 800))


# Measured on this test's first run after the body editor landed; before it (the same
# interview, old desk) it took 84 clicks, 14 keys and 1 save. docs: /work/notes/issue-11.md
AFTER = {"clicks": 8, "keys": 34}


def choose(effort, select, search, option):
    page = effort.page
    effort.click(page.locator(f"{select} + .select2"), "open " + select)
    effort.type_other(search, "search")
    effort.click(page.locator(".select2-results__option", has_text=option), "pick " + option)
    expect(page.locator(f"{select} + .select2 .select2-selection")).to_contain_text(option)


def choose_by_keyboard(effort, select, search, option, opened=False):
    """Select2 picked the way a fast editor does: open it, type a few letters, Enter."""
    page = effort.page
    if not opened:
        effort.click(page.locator(f"{select} + .select2"), "open " + select)
    expect(page.locator(".select2-container--open .select2-search__field")).to_be_focused()
    effort.type_other(search, "search")
    expect(page.locator(".select2-results__option--highlighted", has_text=option)).to_be_visible()
    effort.press("Enter", "pick " + option)
    expect(page.locator(f"{select} + .select2 .select2-selection")).to_contain_text(option)


def test_entering_an_interview(open_tab, library):
    make_user("eddie", "Editor")
    tab = open_tab("desktop")
    page = tab.page
    log_in(tab, "eddie")
    tab.goto("/admin/articles/article/add/")
    effort = Effort(page)

    effort.click(page.locator("#id_title"), "title")
    effort.text("Céline Marchetti: “Rivers keep the ledger”")
    title = page.locator("#id_title")
    assert title.evaluate("box => box.scrollWidth <= box.clientWidth"), "the headline does not fit its box"
    effort.press("Tab", "to the standfirst")
    effort.text("The hydrologist on floods, towns and what a river remembers.")
    choose_by_keyboard(effort, "#id_interviewee_links-0-person", "Cél", "Céline Marchetti")
    choose_by_keyboard(effort, "#id_author_links-0-person", "Ada", "Ada Quill")

    # The body, typed straight through: Ctrl+Enter adds the block that follows (answer after
    # question, question after answer), Ctrl+Shift+Enter another of the same kind.
    effort.click(page.locator("#blocks-0 .ProseMirror"), "into the first question")
    previous = None
    for n, question in enumerate(QUESTIONS, start=1):
        blocks = [("question", [question])]
        paragraphs = answer_paragraphs(n)
        if n == 8:
            blocks += [("answer", paragraphs[:1]), ("answer", paragraphs[1:])]
        else:
            blocks.append(("answer", paragraphs))
        for kind, text in blocks:
            if previous is not None:
                effort.press("Control+Shift+Enter" if kind == previous else "Control+Enter", "next block")
            expect(
                page.locator("#blocks-group .inline-related[data-kind] .ProseMirror-focused")
            ).to_have_count(1)
            effort.paragraphs(text)
            previous = kind

    # The photo goes between the two halves of answer 8 (places 16 and 17), from the "add here" bar.
    body = page.locator("#blocks-group")
    halves = body.locator(".inline-related[data-kind=answer]", has_text="Answer 8, paragraph 2")
    bar = page.locator(".block-insert").nth(16)
    expect(bar.locator("xpath=following-sibling::*[1]")).to_contain_text("Answer 8, paragraph 2")
    effort.click(bar.get_by_role("button", name="Add a photo here"), "add a photo here")
    expect(halves).to_have_count(1)
    row = body.locator(".inline-related[data-kind=photo]").get_attribute("id")
    choose_by_keyboard(effort, f"#id_{row}-photo", "pier", "The old pier at dawn", opened=True)
    expect(page.locator(f"#{row} .photo-as-seen")).to_have_text(
        "The old pier at dawn · Credit: Agence Fictive/Lou Prism"
    )
    expect(page.locator(f"#{row} .block-number")).to_have_text("17")
    expect(page.locator(".autosave-status")).to_contain_text("Saved at")

    effort.select(page.locator("#id_status"), "published")
    effort.save(page.get_by_role("button", name="Save", exact=True))
    expect(page.locator(".messagelist .success")).to_contain_text("Published: “Céline Marchetti")

    article = Article.objects.get()
    assert article.is_public and article.lead_photo is None
    kinds = [block.kind for block in article.blocks.all()]
    assert len(kinds) == 22
    assert kinds[14:18] == ["question", "answer", "photo", "answer"]
    autosaves = (
        Version.objects.get_for_object(article).filter(revision__comment__startswith="Autosaved").count()
    )
    print("\nEFFORT", effort.summary(), "autosaves", autosaves)
    assert autosaves >= 1
    assert effort.clicks <= AFTER["clicks"] and effort.keys <= AFTER["keys"] and effort.saves == 1
