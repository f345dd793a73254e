"""Roles on the desk, enforced on the server: each rule for a contributor, an editor and a visitor.

The tests post forms as a browser would (or crafted ones), never only check that a button is hidden.
"""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.workflow import A_PHOTO, ANSWERED_QUESTION

from .factories import make_article, make_person, make_photo
from .workflow_support import contributor, editor, errors_text, form_data, messages_text

pytestmark = pytest.mark.django_db

ADD = "admin:articles_article_add"
LIST = "admin:articles_article_changelist"


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def open_form(client, article):
    response = client.get(change_url(article))
    assert response.status_code == 200
    return form_data(response)


def save(client, article, **changes):
    data = open_form(client, article)
    data.update(changes)
    return client.post(change_url(article), data)


def new_interview_data(client, **changes):
    data = form_data(client.get(reverse(ADD)))
    data.update(
        title="Noor Haddad: mapping the coast",
        slug="noor-haddad",
        standfirst="A geographer on rising seas.",
        **changes,
    )
    return data


def log_messages(article):
    return [entry.get_change_message() for entry in LogEntry.objects.filter(object_id=str(article.pk))]


# Contributors -------------------------------------------------------------------


def test_a_contributor_creates_a_draft_and_it_is_theirs(client):
    writer = contributor()
    client.force_login(writer)
    response = client.post(reverse(ADD), new_interview_data(client))
    assert response.status_code == 302, errors_text(response)
    article = Article.objects.get(slug="noor-haddad")
    assert (article.status, article.created_by) == ("draft", writer)


def test_a_contributor_cannot_create_an_interview_already_published(client):
    client.force_login(contributor())
    data = new_interview_data(client, status="published", published_at_0="01/01/2026", published_at_1="10:00")
    response = client.post(reverse(ADD), data)
    assert response.status_code == 200
    assert "Select a valid choice" in errors_text(response)
    assert not Article.objects.exists()


def test_a_contributor_edits_their_draft_and_submits_it_for_review(client):
    writer = contributor()
    article = make_article(status="draft", created_by=writer)
    client.force_login(writer)
    response = save(client, article, title="A better headline", status="review")
    assert response.status_code == 302, errors_text(response)
    article.refresh_from_db()
    assert (article.title, article.status) == ("A better headline", "review")
    assert any(message.startswith("Submitted for review.") for message in log_messages(article))
    # Still theirs to edit while in review.
    assert save(client, article, title="An even better headline").status_code == 302


def test_the_status_menu_offers_contributors_no_publishing(client):
    writer = contributor()
    client.force_login(writer)
    page = client.get(change_url(make_article(status="draft", created_by=writer))).content.decode()
    assert 'value="review"' in page and 'value="published"' not in page


def test_a_crafted_form_cannot_publish_for_a_contributor(client):
    writer = contributor()
    article = make_article(status="review", created_by=writer)
    client.force_login(writer)
    response = save(
        client,
        article,
        status="published",
        published_at_0="01/01/2026",
        published_at_1="10:00",
        featured="on",
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert (article.status, article.published_at, article.featured) == ("review", None, False)


def test_a_contributor_sees_publication_time_and_featuring_read_only(client):
    writer = contributor()
    article = make_article(status="draft", created_by=writer)
    client.force_login(writer)
    data = open_form(client, article)
    assert not {"published_at_0", "published_at_1", "featured"} & set(data)
    assert client.post(change_url(article), data).status_code == 302


@pytest.mark.parametrize(
    ("crafted", "refusal"),
    [
        (
            {"published_at_0": "01/01/2030", "published_at_1": "10:00"},
            "Only editors can set the publication time.",
        ),
        ({"featured": "on"}, "Only editors can feature an interview on the home page."),
    ],
)
def test_a_crafted_publication_time_or_featuring_is_refused(client, crafted, refusal):
    writer = contributor()
    article = make_article(status="draft", created_by=writer, title="As it was")
    client.force_login(writer)
    response = save(client, article, title="Changed", **crafted)
    assert response.status_code == 200
    assert refusal in errors_text(response)
    article.refresh_from_db()
    assert (article.title, article.published_at, article.featured) == ("As it was", None, False)


def test_a_contributor_cannot_change_someone_elses_interview_in_review(client):
    article = make_article(status="review", created_by=contributor(), title="Theirs")
    client.force_login(contributor())
    data = open_form(client, article)  # They may read it...
    data["title"] = "Mine now"
    assert client.post(change_url(article), data).status_code == 403  # ...not change it.
    article.refresh_from_db()
    assert article.title == "Theirs"


def test_a_contributor_neither_reads_nor_changes_someone_elses_draft(client):
    article = make_article(status="draft", created_by=contributor(), title="Theirs")
    client.force_login(contributor())
    for response in (
        client.get(change_url(article)),
        client.post(change_url(article), {"title": "Mine now", "status": "draft"}),
    ):
        assert response.status_code == 302 and response["Location"] == reverse("admin:index")
        assert "Theirs" not in client.get(response["Location"]).content.decode()
    assert "Theirs" not in client.get(reverse(LIST)).content.decode()
    article.refresh_from_db()
    assert article.title == "Theirs"


def test_a_contributor_cannot_change_a_published_interview_even_their_own(client):
    writer = contributor()
    client.force_login(writer)
    article = make_article(created_by=writer, title="As published")
    page = client.get(change_url(article)).content.decode()
    assert "As published" in page and 'name="_save"' not in page
    response = client.post(change_url(article), {"title": "Edited", "status": "draft"})
    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.title, article.status) == ("As published", "published")


def test_scheduled_interviews_are_embargoed_from_contributors_even_their_own(client, settings):
    writer = contributor()
    article = make_article(
        created_by=writer, published_at=timezone.now() + timedelta(days=1), title="Embargoed"
    )
    client.force_login(writer)
    for url in (
        change_url(article),
        reverse("admin:articles_article_history", args=[article.pk]),
        reverse("admin:articles_article_preview", args=[article.pk]),
        reverse(LIST),
        reverse("admin:index"),
    ):
        response = client.get(url, follow=True)
        assert "Embargoed" not in response.content.decode(), url
    response = client.post(change_url(article), {"title": "Edited", "status": "draft"})
    assert response.status_code in (302, 403)
    article.refresh_from_db()
    assert (article.title, article.status) == ("Embargoed", "published")

    # A newsroom that trusts its contributors with embargoes says so; they still cannot change it.
    settings.EMBARGO_READABLE_BY_CONTRIBUTORS = True
    assert (
        "Embargoed"
        in client.get(reverse("admin:articles_article_preview", args=[article.pk])).content.decode()
    )
    page = client.get(change_url(article)).content.decode()
    assert "Embargoed" in page and 'name="_save"' not in page
    assert client.post(change_url(article), {"title": "Edited", "status": "draft"}).status_code == 403


@pytest.mark.parametrize("action", ["publish_now", "back_to_draft"])
def test_a_contributor_cannot_run_the_publishing_actions(client, action):
    writer = contributor()
    draft = make_article(status="review", created_by=writer)
    live = make_article(created_by=writer)
    client.force_login(writer)
    changelist = client.get(reverse(LIST)).content.decode()
    assert 'value="publish_now"' not in changelist and 'value="back_to_draft"' not in changelist
    client.post(reverse(LIST), {"action": action, "_selected_action": [draft.pk, live.pk]})
    draft.refresh_from_db()
    live.refresh_from_db()
    assert (draft.status, live.status) == ("review", "published")


def test_a_contributor_cannot_delete_interviews(client):
    writer = contributor()
    article = make_article(status="draft", created_by=writer)
    client.force_login(writer)
    response = client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_a_contributor_uploads_photos_but_does_not_manage_people_or_tags(client):
    client.force_login(contributor())
    assert client.get(reverse("admin:articles_photo_add")).status_code == 200
    assert client.get(reverse("admin:articles_person_add")).status_code == 403
    assert client.get(reverse("admin:taggit_tag_add")).status_code == 403


def photo_change_url(photo):
    return reverse("admin:articles_photo_change", args=[photo.pk])


def test_a_contributor_cannot_change_a_photo_readers_see_or_will_see(client):
    lead, in_body, scheduled, portrait = (make_photo(caption=f"As published {n}") for n in range(4))
    make_article(lead_photo=lead)
    article = make_article(photos=0, published_at=timezone.now() + timedelta(days=1))
    article.blocks.create(position=99, kind="photo", photo=in_body)
    make_article(lead_photo=scheduled, published_at=timezone.now() + timedelta(days=3))
    make_person(portrait=portrait)
    client.force_login(contributor())
    for photo in (lead, in_body, scheduled, portrait):
        response = client.get(photo_change_url(photo))
        assert response.status_code == 200
        assert 'name="_save"' not in response.content.decode()
        assert "only an editor can change it" in messages_text(response)
        crafted = {
            "alt_text": "Replaced",
            "caption": "Replaced",
            "credit": "Me",
            "focal_x": 0.5,
            "focal_y": 0.5,
        }
        assert client.post(photo_change_url(photo), crafted).status_code == 403
        photo.refresh_from_db()
        assert photo.caption.startswith("As published")


def test_a_contributor_changes_photos_only_drafts_use_and_editors_change_any(client):
    draft_photo, published_photo = make_photo(caption="Draft photo"), make_photo(caption="Published photo")
    make_article(status="draft", lead_photo=draft_photo)
    make_article(lead_photo=published_photo)
    for user, photo in ((contributor(), draft_photo), (editor(), published_photo)):
        client.force_login(user)
        data = form_data(client.get(photo_change_url(photo)), "photo_form")
        data.pop("image", None)
        response = client.post(photo_change_url(photo), {**data, "caption": "Recaptioned"})
        assert response.status_code == 302, errors_text(response)
        photo.refresh_from_db()
        assert photo.caption == "Recaptioned"


def test_a_contributor_cannot_add_corrections(client):
    writer = contributor()
    article = make_article(status="draft", created_by=writer)
    client.force_login(writer)
    data = open_form(client, article)
    data.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-text": "<p>Sneaked in.</p>",
            "corrections-0-created_at_0": "01/01/2026",
            "corrections-0-created_at_1": "10:00",
        }
    )
    client.post(change_url(article), data)
    assert not article.corrections.exists()


# Editors --------------------------------------------------------------------------


def test_an_editor_publishes_a_complete_interview_and_the_log_says_so(client, time_machine):
    time_machine.move_to("2026-05-04 09:30Z", tick=False)
    article = make_article(status="review", created_by=contributor())
    client.force_login(editor())
    response = save(client, article, status="published", published_at_0="", published_at_1="")
    assert response.status_code == 302, errors_text(response)
    article.refresh_from_db()
    assert article.status == "published" and article.published_at == timezone.now()
    assert any(message.startswith("Published (4 May 2026, 09:30).") for message in log_messages(article))
    assert client.get(article.get_absolute_url()).status_code == 200


def test_an_editor_schedules_and_the_list_says_scheduled(client, time_machine):
    time_machine.move_to("2026-05-04 09:30Z", tick=False)
    article = make_article(status="review", title="For tomorrow")
    client.force_login(editor())
    response = save(client, article, status="published", published_at_0="05/05/2026", published_at_1="07:00")
    assert response.status_code == 302, errors_text(response)
    article.refresh_from_db()
    assert article.is_scheduled
    assert any(message.startswith("Scheduled for 5 May 2026, 07:00.") for message in log_messages(article))
    changelist = client.get(reverse(LIST)).content.decode()
    assert "Scheduled" in changelist
    assert client.get(article.get_absolute_url()).status_code == 404
    time_machine.move_to("2026-05-05 07:00:01Z", tick=False)
    assert client.get(article.get_absolute_url()).status_code == 200


def test_an_editor_edits_a_published_interview_and_sends_it_back_to_draft(client):
    article = make_article(status="published", created_by=contributor())
    first = article.first_published_at
    client.force_login(editor())
    assert save(client, article, title="Retitled").status_code == 302
    response = save(client, article, status="draft")
    assert response.status_code == 302, errors_text(response)
    article.refresh_from_db()
    assert (article.title, article.status, article.first_published_at) == ("Retitled", "draft", first)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert any(message.startswith("Unpublished: back to draft") for message in log_messages(article))


def test_an_editor_publishes_and_unpublishes_from_the_list(client):
    ready = make_article(status="review")
    client.force_login(editor())
    response = client.post(
        reverse(LIST), {"action": "publish_now", "_selected_action": [ready.pk]}, follow=True
    )
    ready.refresh_from_db()
    assert ready.is_public
    assert "Published now" in messages_text(response)
    assert any(message.startswith("Published (") for message in log_messages(ready))
    client.post(reverse(LIST), {"action": "back_to_draft", "_selected_action": [ready.pk]})
    ready.refresh_from_db()
    assert ready.status == "draft"
    assert client.get(ready.get_absolute_url()).status_code == 404
    assert "Back to draft from the list of interviews." in log_messages(ready)


def test_an_editor_adds_a_dated_correction_readers_see(client):
    article = make_article()
    client.force_login(editor())
    data = open_form(client, article)
    data.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-text": "<p>The dam opened in 1998, not 1989.</p>",
            "corrections-0-created_at_0": "03/05/2026",
            "corrections-0-created_at_1": "10:00",
        }
    )
    response = client.post(change_url(article), data)
    assert response.status_code == 302, errors_text(response)
    assert "The dam opened in 1998, not 1989." in client.get(article.get_absolute_url()).content.decode()


def test_an_editor_manages_people_tags_and_deletes(client):
    client.force_login(editor())
    assert client.get(reverse("admin:articles_person_add")).status_code == 200
    assert client.get(reverse("admin:taggit_tag_add")).status_code == 200
    article = make_article(status="draft")
    client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert not Article.objects.filter(pk=article.pk).exists()


# Pre-publish checks through the admin ------------------------------------------------


def test_publishing_an_incomplete_interview_is_refused_with_one_message_and_input_kept(client):
    article = make_article(status="review", authors=[], lead_photo=None, questions=0)
    client.force_login(editor())
    response = save(client, article, status="published", title="My unsaved headline")
    assert response.status_code == 200
    errors = errors_text(response)
    assert errors.count("This interview cannot be published yet.") == 1
    assert f"It still needs: {ANSWERED_QUESTION}; {A_PHOTO}; at least one author." in errors
    assert form_data(response)["title"] == "My unsaved headline"
    article.refresh_from_db()
    assert article.status == "review" and article.title != "My unsaved headline"


def test_the_check_sees_blocks_added_in_the_same_save(client):
    article = make_article(status="review", questions=0)
    client.force_login(editor())
    data = open_form(client, article)
    data.update(
        {
            "status": "published",
            "blocks-TOTAL_FORMS": "2",
            "blocks-0-kind": "question",
            "blocks-0-text": "<p>Where did it start?</p>",
            "blocks-0-order": "1",
            "blocks-1-kind": "answer",
            "blocks-1-text": "<p>On a ferry.</p>",
            "blocks-1-order": "2",
        }
    )
    response = client.post(change_url(article), data)
    assert response.status_code == 302, errors_text(response)
    article.refresh_from_db()
    assert article.is_public and article.blocks.count() == 2


def test_the_check_sees_blocks_deleted_in_the_same_save(client):
    article = make_article(status="review", questions=1)
    client.force_login(editor())
    data = open_form(client, article)
    data.update({"status": "published", "blocks-1-DELETE": "on"})
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    assert "at least one question with its answer" in errors_text(response)
    assert article.blocks.count() == 2


def test_the_check_covers_photos_chosen_in_the_same_save(client):
    uncredited = make_photo(credit="", caption="Night ferry")
    article = make_article(status="review")
    client.force_login(editor())
    response = save(client, article, status="published", lead_photo=str(uncredited.pk))
    assert response.status_code == 200
    assert "a credit on the photo “Night ferry”" in errors_text(response)


def test_an_incomplete_published_interview_cannot_be_saved_broken(client):
    article = make_article()
    client.force_login(editor())
    response = save(client, article, standfirst="")
    assert response.status_code == 200
    assert "a standfirst" in errors_text(response)


def test_drafts_save_however_incomplete(client):
    article = make_article(status="draft", authors=[], interviewees=[], lead_photo=None, questions=0)
    client.force_login(editor())
    assert save(client, article, standfirst="").status_code == 302


def test_the_bulk_action_refuses_incomplete_interviews_and_publishes_the_rest(client):
    ready = make_article(status="review", title="Ready one")
    missing = make_article(status="review", title="Missing one", interviewees=[])
    client.force_login(editor())
    response = client.post(
        reverse(LIST), {"action": "publish_now", "_selected_action": [ready.pk, missing.pk]}, follow=True
    )
    text = messages_text(response)
    assert "“Missing one” was not published. This interview cannot be published yet." in text
    assert "at least one interviewee" in text
    ready.refresh_from_db()
    missing.refresh_from_db()
    assert ready.is_public and missing.status == "review"


# Visitors ---------------------------------------------------------------------------


def test_a_visitor_is_sent_to_log_in_and_nothing_changes(client):
    article = make_article(status="draft", title="Unchanged")
    for url in (change_url(article), reverse(LIST), reverse(ADD)):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.post(change_url(article), {"title": "Hacked", "status": "published"})
    client.post(reverse(LIST), {"action": "publish_now", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert (article.title, article.status) == ("Unchanged", "draft")
