"""The desk in real Chromium: an editor takes an interview from nothing to the public site,
and a contributor finds that publishing is not theirs to do."""

import re

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from articles.models import Article, Photo
from tests.factories import image_bytes, make_person

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def people():
    return {
        "author": make_person("Ada Quill", slug="ada-quill", role="Staff writer"),
        "interviewee": make_person("Céline Marchetti", slug="celine-marchetti", role="Hydrologist"),
    }


def make_user(username, group):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True, first_name=username.title())
    user.groups.add(Group.objects.get(name=group))
    return user


def log_in(tab, username):
    page = tab.page
    tab.goto("/admin/login/?next=/admin/")
    field(page, "Username").fill(username)
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def field(page, label):
    """The form field labelled ``label`` (the admin adds a colon to every label)."""
    return page.get_by_label(f"{label}:", exact=True)


def choose(page, select, search, option):
    """Pick ``option`` in a Select2 autocomplete by typing ``search``, as an editor does.

    Select2 redraws its list when each answer arrives; on a busy machine a
    click can land on a list about to be replaced, so it tries again, as an
    editor would.
    """
    selection = page.locator(f"{select} + .select2 .select2-selection")
    for _ in range(3):
        if not page.locator(f"{select} + .select2.select2-container--open").count():
            page.locator(f"{select} + .select2").click()
        page.locator(".select2-container--open .select2-search__field").fill(search)
        page.locator(".select2-results__option", has_text=option).click()
        try:
            expect(selection).to_contain_text(option, timeout=3000)
            return
        except AssertionError:
            continue
    expect(selection).to_contain_text(option)


def write(page, row, text):
    """Type into a block's rich text editor (ProseMirror's contenteditable)."""
    editor = page.locator(f"#{row} .ProseMirror")
    editor.click()
    page.keyboard.type(text)
    expect(editor).to_contain_text(text)


def add_block(page, kind):
    """Add a block at the end of the body (the bar after the last row) and return its row id."""
    body = page.locator("#blocks-group")
    before = body.locator(".inline-related[data-kind]").count()
    article = "an" if kind[0] in "aeiou" else "a"
    name = "pull quote" if kind == "quote" else kind
    body.get_by_role("button", name=f"Add {article} {name} at the end").click()
    expect(body.locator(".inline-related[data-kind]")).to_have_count(before + 1)
    row_id = body.locator(".inline-related[data-kind]").last.get_attribute("id")
    expect(page.locator(f"#id_{row_id}-kind")).to_have_value(kind)
    if kind == "photo":
        # A new photo block opens the library search at once.
        expect(page.locator(f"#id_{row_id}-photo + .select2.select2-container--open")).to_have_count(1)
    return row_id


def in_reading_order(page, *texts):
    content = page.locator("main").inner_text()
    missing = [text for text in texts if text not in content]
    assert not missing, f"missing from the page: {missing}"
    positions = [content.index(text) for text in texts]
    return positions == sorted(positions)


def test_editor_writes_previews_fixes_and_publishes_an_interview(open_tab, people, tmp_path, client):
    make_user("eddie", "Editor")
    tab = open_tab("desktop")
    page = tab.page
    log_in(tab, "eddie")

    # Upload a photo to the library, forgetting its credit.
    upload = tmp_path / "harbour.jpg"
    upload.write_bytes(image_bytes(1400, 900, color=(30, 110, 160)))
    page.get_by_role("link", name="Photos").first.click()
    page.get_by_role("link", name=re.compile(r"Add photo")).click()
    page.locator("#id_image").set_input_files(upload)
    field(page, "Alt text").fill("The harbour at dawn, fishing boats moored along the old pier")
    field(page, "Caption").fill("The old pier at dawn")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    photo = Photo.objects.get()

    # A new interview: headline, standfirst, who, and a body typed in the rich text editor.
    tab.goto("/admin/articles/article/add/")
    # Typed key by key: the admin fills in the slug as the title is typed.
    field(page, "Title").press_sequentially("Céline Marchetti: “Rivers keep the ledger”")
    expect(field(page, "Slug")).to_have_value("celine-marchetti-rivers-keep-the-ledger")
    field(page, "Standfirst").fill("The hydrologist on floods, towns and what a river remembers.")
    choose(page, "#id_interviewee_links-0-person", "Céline", "Céline Marchetti")
    choose(page, "#id_author_links-0-person", "Ada", "Ada Quill")
    write(page, "blocks-0", "Where does a flood begin?")
    write(page, add_block(page, "answer"), "Long before the rain, in the choices a town makes.")
    photo_row = add_block(page, "photo")
    choose(page, f"#id_{photo_row}-photo", "pier", "The old pier at dawn")
    # The second answer gets typed before its question: the question is then moved up above it.
    write(page, add_block(page, "answer"), "It keeps a ledger of every promise we break.")
    question_row = add_block(page, "question")
    write(page, question_row, "What does a river remember?")
    page.locator(f"#{question_row}").get_by_role("button", name="Move up").click()
    expect(page.locator(f"#id_{question_row}-order")).to_have_value("4")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert [block.kind for block in article.blocks.all()] == [
        "question",
        "answer",
        "photo",
        "question",
        "answer",
    ]

    # The preview shows it as readers will see it, body in the order the editor made.
    page.get_by_role("link", name="Preview", exact=True).click()
    expect(page.locator("h1")).to_have_text("Céline Marchetti: “Rivers keep the ledger”")
    assert in_reading_order(
        page,
        "Where does a flood begin?",
        "Long before the rain",
        "The old pier at dawn",
        "What does a river remember?",
        "It keeps a ledger",
    )
    assert client.get(article.get_absolute_url()).status_code == 404

    # Publishing is refused, with everything that is missing in one message; nothing typed is lost.
    tab.goto(f"/admin/articles/article/{article.pk}/change/")
    field(page, "Status").select_option("published")
    page.get_by_role("button", name="Save and continue editing").click()
    refusal = page.locator(".errorlist.nonfield")
    expect(refusal).not_to_contain_text("lead photo")  # Optional: the body's photo stands in.
    expect(refusal).to_contain_text("a credit on the photo")
    expect(field(page, "Standfirst")).to_have_value(
        "The hydrologist on floods, towns and what a river remembers."
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert client.get(article.get_absolute_url()).status_code == 404

    # Fix it: credit the photo in another tab, then publish.
    library = tab.new_page()
    library.goto(f"{tab.base_url}/admin/articles/photo/{photo.pk}/change/")
    field(library, "Credit").fill("Agence Fictive/Lou Prism")
    library.get_by_role("button", name="Save", exact=True).click()
    expect(library.locator(".messagelist .success")).to_be_visible()
    library.close()
    expect(field(page, "Status")).to_have_value("published")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert article.is_public

    # The interview is on the public site, from the home page on.
    tab.goto("/")
    page.get_by_role("link", name="Céline Marchetti: “Rivers keep the ledger”").first.click()
    expect(page.locator("h1")).to_have_text("Céline Marchetti: “Rivers keep the ledger”")
    expect(page.locator("figure", has_text="The old pier at dawn").first).to_contain_text(
        "Credit: Agence Fictive/Lou Prism"
    )
    assert in_reading_order(
        page, "Where does a flood begin?", "What does a river remember?", "It keeps a ledger"
    )
    tab.assert_no_errors()


def test_contributor_submits_for_review_but_cannot_publish(open_tab, people, client):
    make_user("cora", "Contributor")
    tab = open_tab("desktop")
    page = tab.page
    log_in(tab, "cora")

    tab.goto("/admin/articles/article/add/")
    status = field(page, "Status")
    assert status.locator("option").all_inner_texts() == ["Draft", "In review"]
    field(page, "Title").fill("Dev Okafor: “A mayor answers to the river”")
    field(page, "Standfirst").fill("The mayor of Riverside on the flood that changed his town.")
    choose(page, "#id_interviewee_links-0-person", "Céline", "Céline Marchetti")
    write(page, "blocks-0", "What changed after the flood?")
    write(page, add_block(page, "answer"), "Everything we build now starts with the river.")
    status.select_option("review")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    article = Article.objects.get()
    assert article.status == Article.Status.REVIEW

    # No way to publish from the list of interviews.
    tab.goto("/admin/articles/article/")
    actions = page.locator("select[name=action] option").all_inner_texts()
    assert not [action for action in actions if "Publish" in action], actions

    # A crafted form that asks for "published" anyway is refused by the server.
    tab.goto(f"/admin/articles/article/{article.pk}/change/")
    page.evaluate(
        """() => {
            const option = new Option("Published", "published");
            document.querySelector("#id_status").append(option);
        }"""
    )
    field(page, "Status").select_option("published")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".field-status .errorlist")).to_be_visible()
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW
    assert client.get(article.get_absolute_url()).status_code == 404
    tab.assert_no_errors()
