"""Autosave of drafts (static/admin/js/autosave.js posts the form with ``_autosave=1``)."""

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Block

from .factories import make_article
from .workflow_support import editor, form_data

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def autosave(client, url, data):
    response = client.post(url, {**data, "_autosave": "1"})
    assert response.status_code == 200
    return response.json()


def add_block(data, **fields):
    """What the page does to add a row: the next form number, TOTAL_FORMS one more."""
    index = int(data["blocks-TOTAL_FORMS"])
    for name, value in {"kind": "paragraph", "text": "", "order": "", "id": "", **fields}.items():
        data[f"blocks-{index}-{name}"] = value
    data["blocks-TOTAL_FORMS"] = str(index + 1)
    return index


def applied(data, answer):
    """The page after an autosave: new version, ids of the rows created, every row counted initial."""
    data = {**data, "loaded_version": answer["version"]}
    for prefix, rows in answer["rows"].items():
        for index, pk in rows.items():
            data[f"{prefix}-{index}-id"] = str(pk)
        data[f"{prefix}-INITIAL_FORMS"] = data[f"{prefix}-TOTAL_FORMS"]
    return data


@pytest.fixture
def desk(client):
    client.force_login(editor("Ines Okafor"))
    return client


def test_an_autosave_keeps_the_draft_as_a_revision_and_says_when(desk, time_machine):
    time_machine.move_to("2026-12-01 10:42Z", tick=False)
    article = make_article(status="draft", questions=1)
    data = form_data(desk.get(change_url(article)))
    data["title"] = "Typed a moment ago"
    new = add_block(data, text="<p>A closing note.</p>", order="3")

    answer = autosave(desk, change_url(article), data)

    assert answer["state"] == "saved" and answer["saved_at"] == "10:42"
    assert answer["rows"]["blocks"][str(new)] == article.blocks.get(kind="paragraph").pk
    article.refresh_from_db()
    assert article.title == "Typed a moment ago" and article.status == "draft"
    (version,) = Version.objects.get_for_object(article)
    assert version.revision.comment.startswith("Autosaved.")


def test_an_autosave_never_publishes(desk):
    article = make_article(status="draft", questions=1)
    data = form_data(desk.get(change_url(article)))
    data.update(status="published", published_at_0="2026-01-01", published_at_1="08:00:00", featured="on")
    assert autosave(desk, change_url(article), data)["state"] == "saved"
    article.refresh_from_db()
    assert (article.status, article.published_at, article.featured) == ("draft", None, False)


def test_a_published_interview_is_not_autosaved(desk):
    article = make_article(status="published", title="Live")
    data = form_data(desk.get(change_url(article)))
    data["title"] = "Half-typed"
    answer = autosave(desk, change_url(article), data)
    assert answer["state"] == "off" and "published" in answer["message"]
    article.refresh_from_db()
    assert article.title == "Live"


def test_an_autosave_stops_at_someone_elses_newer_save_and_says_who(desk):
    article = make_article(status="draft", title="Original")
    data = form_data(desk.get(change_url(article)))
    tomas = Client()
    tomas.force_login(editor("Tomas Berg"))
    theirs = form_data(tomas.get(change_url(article)))
    assert tomas.post(change_url(article), {**theirs, "title": "Tomas's headline"}).status_code == 302

    answer = autosave(desk, change_url(article), {**data, "title": "Mine"})

    assert answer["state"] == "conflict"
    assert answer["message"].startswith("Autosave stopped. Tomas Berg saved this interview on")
    article.refresh_from_db()
    assert article.title == "Tomas's headline"


def test_an_incomplete_form_waits_and_saves_nothing(desk):
    article = make_article(status="draft", title="Original")
    data = form_data(desk.get(change_url(article)))
    answer = autosave(desk, change_url(article), {**data, "title": "", "slug": ""})
    assert answer["state"] == "invalid" and answer["message"].startswith("Not saved automatically yet:")
    article.refresh_from_db()
    assert article.title == "Original"


def test_rows_created_by_an_autosave_are_updated_next_time_and_new_ones_still_added(desk):
    article = make_article(status="draft", questions=1)
    data = form_data(desk.get(change_url(article)))
    add_block(data, text="<p>First version.</p>", order="3")
    untouched = add_block(data, order="4")  # Added, never typed into.
    answer = autosave(desk, change_url(article), data)
    assert answer["state"] == "saved", answer
    data = applied(data, answer)
    assert article.blocks.count() == 3

    # Next save: the autosaved row is edited, the untouched one filled in, one more added.
    data[f"blocks-{untouched - 1}-text"] = "<p>Second version.</p>"
    data[f"blocks-{untouched}-text"] = "<p>Filled in later.</p>"
    add_block(data, kind="heading", text="<p>The end</p>", order="5")
    answer = autosave(desk, change_url(article), data)

    assert answer["state"] == "saved"
    texts = [block.text for block in article.blocks.all()]
    assert texts[2:] == ["<p>Second version.</p>", "<p>Filled in later.</p>", "<p>The end</p>"]
    assert Block.objects.filter(article=article, text="<p>First version.</p>").count() == 0


def test_a_new_interview_is_created_by_its_first_autosave(desk):
    data = form_data(desk.get(ADD_URL))
    data.update(title="Ola Brant: salt", slug="ola-brant-salt", standfirst="On salt.")
    data["blocks-0-text"] = "<p>Why salt?</p>"
    answer = autosave(desk, ADD_URL, data)
    article = Article.objects.get()
    assert answer["state"] == "saved" and answer["change_url"] == change_url(article)
    assert article.status == "draft" and article.blocks.get().text == "<p>Why salt?</p>"

    # The page goes on from the change address with the ids it was given: nothing doubles.
    data = applied(data, answer)
    data["blocks-0-text"] = "<p>Why salt, of all things?</p>"
    assert autosave(desk, answer["change_url"], data)["state"] == "saved"
    assert article.blocks.get().text == "<p>Why salt, of all things?</p>"
