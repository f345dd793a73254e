"""“Import interview” in the admin: upload or paste, review and fix, create the draft."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Person, Photo

from . import import_fixtures as fx
from .factories import make_person
from .test_admin import BrowserForm
from .test_import_bad_input import BAD_INPUT, assert_nothing_created
from .workflow_support import contributor, make_user

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:articles_article_import")

PASTED = """Lio Brandt: on maps

A cartographer on drawing what is not there yet.

When did you draw your first map?

At six, of my grandmother's garden. It had a dragon in it.

And now?

Now the dragons are data. We still draw them by hand.

Do you miss paper?
"""


def review_of(client, **data):
    response = client.post(IMPORT_URL, data)
    assert response.status_code == 200
    assert b'id="import_review"' in response.content, response.content.decode()[:3000]
    return BrowserForm(response, "import_review"), response


def kinds(form):
    return [form[f"rows-{i}-kind"] for i in range(form.rows("rows"))]


def test_the_interviews_list_offers_the_import_to_those_who_may_add(client):
    client.force_login(contributor())
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert f'href="{IMPORT_URL}"' in page and "Import interview" in page


def test_someone_who_may_not_add_interviews_cannot_import(client):
    viewer = make_user()
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"pasted": PASTED}).status_code == 403
    assert not Article.objects.exists()


def test_pasting_shows_each_paragraph_with_its_kind_counts_and_warnings(admin_client):
    form, response = review_of(admin_client, pasted=PASTED)
    assert kinds(form) == ["title", "standfirst", "question", "answer", "question", "answer", "question"]
    assert form["title"] == "Lio Brandt: on maps"
    assert form["standfirst"] == "A cartographer on drawing what is not there yet."
    page = response.content.decode()
    assert "Found 3 questions, 2 answer paragraphs and 0 photos." in page
    assert "Question 3 has no answer." in page
    assert not Article.objects.exists()


def test_fixing_kinds_joining_and_splitting_then_creating_the_draft(admin_client, admin_user):
    lio = make_person("Lio Brandt", bio="")
    form, _ = review_of(admin_client, pasted=PASTED)
    assert form["interviewees"] == str(lio.pk)  # Matched by the name in the headline.
    form["rows-6-kind"] = "paragraph"  # The unanswered question is a closing remark.
    form["rows-5-text"] = "Now the dragons are data.\n\nWe still draw them by hand."  # Split.
    response = form.post(admin_client, IMPORT_URL, button="_update")
    form = BrowserForm(response, "import_review")
    assert kinds(form) == [
        "title",
        "standfirst",
        "question",
        "answer",
        "question",
        "answer",
        "answer",
        "paragraph",
    ]
    assert "Found 2 questions, 3 answer paragraphs and 0 photos." in response.content.decode()
    form["rows-6-join"] = "on"  # Undo the split.

    response = form.post(admin_client, IMPORT_URL, button="_create")
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[article.pk])
    assert (article.title, article.status, article.created_by) == ("Lio Brandt: on maps", "draft", admin_user)
    assert list(article.interviewees.all()) == [lio]
    assert [(b.kind, b.text) for b in article.blocks.order_by("position")] == [
        ("question", "<p>When did you draw your first map?</p>"),
        ("answer", "<p>At six, of my grandmother's garden. It had a dragon in it.</p>"),
        ("question", "<p>And now?</p>"),
        ("answer", "<p>Now the dragons are data. We still draw them by hand.</p>"),
        ("paragraph", "<p>Do you miss paper?</p>"),
    ]
    entry = LogEntry.objects.get(object_id=str(article.pk))
    assert entry.is_addition() and entry.change_message == "Imported from pasted text."
    page = admin_client.get(response["Location"]).content.decode()
    assert "Created the draft “Lio Brandt: on maps” from pasted text" in page


def test_a_word_document_with_a_picture_becomes_a_draft_with_its_photo(admin_client):
    upload = SimpleUploadedFile("seed-bank.docx", fx.seed_bank_docx("bold", picture=True))
    form, response = review_of(admin_client, upload=upload)
    assert kinds(form)[8] == "photo"
    assert form["rows-8-text"] == fx.CAPTION and form["rows-8-credit"] == fx.CREDIT
    assert "With the document's picture 1." in response.content.decode()
    # Unknown names are offered as new people, never created without asking.
    assert not Person.objects.exists()
    form["new_interviewees"] = "Ines Valtrio"
    form.post(admin_client, IMPORT_URL, button="_create")
    article = Article.objects.get()
    assert [p.name for p in article.interviewees.all()] == ["Ines Valtrio"]
    assert list(article.authors.all()) == []
    assert Person.objects.count() == 1  # Marek Osei was offered, not ticked.
    photo = article.blocks.get(kind="photo").photo
    assert (photo.caption, photo.credit, photo.width) == (fx.CAPTION, fx.CREDIT, 320)
    assert Photo.objects.count() == 1


def test_a_contributor_cannot_add_people_through_the_import(client):
    client.force_login(contributor())
    upload = SimpleUploadedFile("seed-bank.docx", fx.seed_bank_docx("bold"))
    form, _ = review_of(client, upload=upload)
    form["new_interviewees"] = "Ines Valtrio"
    response = form.post(client, IMPORT_URL, button="_create")
    assert "You cannot add people to the site." in response.content.decode()
    assert not Article.objects.exists() and not Person.objects.exists()
    del form["new_interviewees"]
    assert form.post(client, IMPORT_URL, button="_create").status_code == 302
    assert Article.objects.get().status == "draft"


def test_a_review_without_any_question_left_is_refused(admin_client):
    form, _ = review_of(admin_client, pasted=PASTED)
    for index in (2, 4, 6):
        form[f"rows-{index}-kind"] = "paragraph"
    response = form.post(admin_client, IMPORT_URL, button="_create")
    assert "No question was found in this document" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_files_get_a_clear_message_in_the_form(admin_client, case, media_root):
    name, make, message = BAD_INPUT[case]
    response = admin_client.post(IMPORT_URL, {"upload": SimpleUploadedFile(name, make())})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="import_form"' in page
    assert message.replace("“", "&ldquo;") in page or message in page
    assert_nothing_created(media_root)


def test_an_empty_paste_asks_for_text(admin_client):
    response = admin_client.post(IMPORT_URL, {"pasted": "  \n\xa0 "})
    assert "Paste the interview&#x27;s text, or choose a file to upload." in response.content.decode()
