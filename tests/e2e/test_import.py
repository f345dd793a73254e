"""“Import interview” in real Chromium: paste an interview, fix one paragraph's kind, create the draft."""

import re

from playwright.sync_api import expect

from articles.models import Article
from tests.factories import make_person

from .test_editor import field, log_in, make_user

PASTED = """Ilse Marrow: the weather in the archive

A meteorologist who reads old ships' logs for the storms nobody measured.

How did you find the logs?

In a basement in Hull, behind a boiler. Nobody had opened the crates since 1952.

What do they tell you?

That the winters were rougher than the tables say.

Tell me about the worst storm you found.

January 1841. Three ships wrote the same word on the same day: "unbearable".
"""


def test_an_editor_pastes_an_interview_fixes_a_kind_and_creates_the_draft(open_tab):
    make_user("ines", "Editor")
    make_person("Ilse Marrow", slug="ilse-marrow")
    tab = open_tab("desktop")
    page = tab.page
    log_in(tab, "ines")

    tab.goto("/admin/articles/article/")
    page.get_by_role("link", name="Import interview").click()
    field(page, "Or paste the text").fill(PASTED)
    page.get_by_role("button", name="Read the interview").click()

    counts = page.locator("#import-counts")
    expect(counts).to_contain_text("Found 2 questions, 4 answer paragraphs and 0 photos.")
    # The third question does not ask: the fallback reads it as part of an answer.
    kind = page.get_by_label("Kind of paragraph 7")
    expect(kind).to_have_value("answer")
    expect(page.get_by_label("Text of paragraph 7")).to_have_value("Tell me about the worst storm you found.")
    kind.select_option("question")
    page.get_by_role("button", name="Update the preview").click()
    expect(counts).to_contain_text("Found 3 questions, 3 answer paragraphs and 0 photos.")
    expect(page.locator("#id_interviewees + .select2")).to_contain_text("Ilse Marrow")
    tab.assert_no_errors()

    page.get_by_role("button", name="Create draft").click()
    expect(page).to_have_url(re.compile(r"/admin/articles/article/\d+/change/$"))
    expect(page.locator(".messagelist")).to_contain_text(
        "Created the draft “Ilse Marrow: the weather in the archive”"
    )
    tab.assert_no_errors()

    article = Article.objects.get()
    assert article.status == "draft"
    assert [p.name for p in article.interviewees.all()] == ["Ilse Marrow"]
    assert [(block.kind, block.text) for block in article.blocks.order_by("position")] == [
        ("question", "<p>How did you find the logs?</p>"),
        ("answer", "<p>In a basement in Hull, behind a boiler. Nobody had opened the crates since 1952.</p>"),
        ("question", "<p>What do they tell you?</p>"),
        ("answer", "<p>That the winters were rougher than the tables say.</p>"),
        ("question", "<p>Tell me about the worst storm you found.</p>"),
        ("answer", '<p>January 1841. Three ships wrote the same word on the same day: "unbearable".</p>'),
    ]
    # The change form shows the blocks in that order.
    kinds = page.locator(".dynamic-blocks select.block-kind")
    expect(kinds).to_have_count(6)
    assert [kinds.nth(i).input_value() for i in range(6)] == ["question", "answer"] * 3
