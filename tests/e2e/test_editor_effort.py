"""What it costs to enter a real interview at the desk, counted in a real browser.

10 questions, 15 answer paragraphs, one photo (already in the library) inside
answer 8, one interviewee, one author, from the empty form to publication. The
photo comes last, as photos do, and goes where it belongs.
"""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.e2e.effort import QUESTIONS, Effort, answer_paragraphs
from tests.e2e.test_editor import log_in, make_user
from tests.factories import make_person, make_photo


@pytest.fixture
def library():
    make_person("Ada Quill", slug="ada-quill", role="Staff writer")
    make_person("Céline Marchetti", slug="celine-marchetti", role="Hydrologist")
    return make_photo(caption="The old pier at dawn", credit="Agence Fictive/Lou Prism", size=(1200, 800))


def choose(effort, select, search, option):
    page = effort.page
    effort.click(page.locator(f"{select} + .select2"), "open " + select)
    effort.type_other(search, "search")
    effort.click(page.locator(".select2-results__option", has_text=option), "pick " + option)
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
    effort.click(page.locator("#id_standfirst"), "standfirst")
    effort.text("The hydrologist on floods, towns and what a river remembers.")
    choose(effort, "#id_interviewee_links-0-person", "Cél", "Céline Marchetti")
    choose(effort, "#id_author_links-0-person", "Ada", "Ada Quill")

    body = page.locator("#blocks-group")
    first = True
    for n, question in enumerate(QUESTIONS, start=1):
        blocks = [("question", [question])]
        paragraphs = answer_paragraphs(n)
        if n == 8:
            blocks += [("answer", paragraphs[:1]), ("answer", paragraphs[1:])]
        else:
            blocks.append(("answer", paragraphs))
        for kind, text in blocks:
            if first:
                row = "blocks-0"
                first = False
            else:
                effort.click(body.get_by_role("button", name="Add another Block"), "add block")
                row = body.locator(".inline-related.dynamic-blocks").last.get_attribute("id")
                if kind != "question":
                    effort.select(page.locator(f"#id_{row}-kind"), kind)
            effort.click(page.locator(f"#{row} .ProseMirror"), "into editor")
            effort.paragraphs(text)

    # The photo, at the end, then moved up into answer 8 (row 22 to row 17).
    effort.click(body.get_by_role("button", name="Add another Block"), "add block")
    row = body.locator(".inline-related.dynamic-blocks").last.get_attribute("id")
    effort.select(page.locator(f"#id_{row}-kind"), "photo")
    choose(effort, f"#id_{row}-photo", "pier", "The old pier at dawn")
    for _ in range(5):
        effort.click(page.locator(f"#{row}").get_by_role("button", name="Move up"), "move up")
    # Publishing needs a lead photo: the only one there is.
    choose(effort, "#id_lead_photo", "pier", "The old pier at dawn")
    effort.select(page.locator("#id_status"), "published")
    effort.save(page.get_by_role("button", name="Save", exact=True))
    expect(page.locator(".messagelist .success")).to_be_visible()

    article = Article.objects.get()
    assert article.is_public
    kinds = [block.kind for block in article.blocks.all()]
    assert len(kinds) == 22
    assert kinds[14:18] == ["question", "answer", "photo", "answer"]
    print("\nEFFORT", effort.summary())
    print("\n".join(effort.log))
