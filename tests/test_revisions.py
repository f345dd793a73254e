"""Revisions (django-reversion), restores, the audit trail and edit conflicts in the admin."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Block

from .factories import make_article
from .workflow_support import contributor, editor, errors_text, form_data

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def save(client, article, **changes):
    data = form_data(client.get(change_url(article)))
    data.update(changes)
    response = client.post(change_url(article), data)
    assert response.status_code == 302, errors_text(response)
    return response


def article_versions(article):
    return list(Version.objects.get_for_object(article).select_related("revision__user").order_by("pk"))


def restore(client, article, version):
    """Open an old revision in the admin and save it, as the "Revert" button does."""
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, form_data(page))


def texts(article):
    return [block.text for block in Block.objects.filter(article=article).order_by("position")]


def test_every_save_is_a_revision_with_its_blocks_user_and_comment(client):
    article = make_article(status="draft", questions=2)
    boss = editor("Ines Okafor")
    client.force_login(boss)
    save(client, article, title="New headline")
    [version] = article_versions(article)
    revision = version.revision
    assert revision.user == boss
    assert "Changed Title" in revision.get_comment()
    saved_models = {v.content_type.model for v in revision.version_set.all()}
    assert {"article", "block", "articleauthor", "articleinterviewee"} <= saved_models
    assert revision.version_set.filter(content_type__model="block").count() == 4


def test_history_shows_who_when_and_what(client, time_machine):
    time_machine.move_to("2026-06-01 08:15Z", tick=False)
    article = make_article(status="review")
    client.force_login(editor("Ines Okafor"))
    save(client, article, title="A new headline", status="published")
    page = client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert "Ines Okafor" in page or "Okafor" in page
    assert "1 June 2026" in page
    assert "Published (1 June 2026, 08:15)." in page
    assert "Changed Title" in page


def test_restoring_brings_back_removed_blocks_as_a_new_revision(client):
    article = make_article(status="draft", questions=3)
    original = texts(article)
    client.force_login(editor())
    save(client, article)  # The revision to come back to.
    save(client, article, **{"blocks-0-DELETE": "on", "blocks-1-DELETE": "on"})
    assert len(texts(article)) == 4
    first = article_versions(article)[0]

    response = restore(client, article, first)

    assert response.status_code == 302, errors_text(response)
    assert texts(article) == original
    versions = article_versions(article)
    assert len(versions) == 3
    assert "Reverted to previous version" in versions[-1].revision.comment
    assert any(
        entry.change_message.startswith("Restored the version saved on")
        for entry in LogEntry.objects.filter(object_id=str(article.pk))
    )


def test_restoring_undoes_a_reorder(client):
    article = make_article(status="draft", questions=2)
    original = texts(article)
    client.force_login(editor())
    save(client, article)
    # Swap the first question and its answer.
    save(client, article, **{"blocks-0-order": "2", "blocks-1-order": "1"})
    assert texts(article)[:2] == [original[1], original[0]]
    response = restore(client, article, article_versions(article)[0])
    assert response.status_code == 302, errors_text(response)
    assert texts(article) == original


def test_restoring_removes_blocks_added_since(client):
    article = make_article(status="draft", questions=1)
    original = texts(article)
    client.force_login(editor())
    save(client, article)
    data = {
        "blocks-TOTAL_FORMS": "3",
        "blocks-2-kind": "paragraph",
        "blocks-2-text": "<p>A paragraph added later.</p>",
        "blocks-2-order": "3",
    }
    save(client, article, **data)
    assert len(texts(article)) == 3
    restore(client, article, article_versions(article)[0])
    assert texts(article) == original


def test_looking_at_an_old_revision_changes_nothing(client):
    article = make_article(status="draft", questions=2)
    client.force_login(editor())
    save(client, article)
    save(client, article, title="Second title", **{"blocks-0-DELETE": "on"})
    before = texts(article)
    url = reverse("admin:articles_article_revision", args=[article.pk, article_versions(article)[0].pk])
    assert client.get(url).status_code == 200
    article.refresh_from_db()
    assert article.title == "Second title" and texts(article) == before
    assert len(article_versions(article)) == 2


def test_a_contributor_cannot_restore_over_a_published_interview(client):
    writer = contributor()
    article = make_article(status="draft", created_by=writer, questions=1)
    client.force_login(writer)
    save(client, article)
    first = article_versions(article)[0]
    article.publish()
    url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    assert client.get(url).status_code == 403
    client.force_login(editor())
    data = form_data(client.get(url))  # A form an editor could send...
    client.force_login(writer)
    assert client.post(url, data).status_code == 403  # ...is refused from the contributor.
    article.refresh_from_db()
    assert article.status == "published"


def test_publishing_through_a_restore_still_needs_a_complete_interview(client):
    article = make_article(status="review", questions=0)
    client.force_login(editor())
    save(client, article)
    url = reverse("admin:articles_article_revision", args=[article.pk, article_versions(article)[0].pk])
    data = form_data(client.get(url))
    data["status"] = "published"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "at least one question with its answer" in errors_text(response)
    article.refresh_from_db()
    assert article.status == "review"


# Edit conflicts --------------------------------------------------------------------


def test_the_second_save_is_refused_with_who_and_when_and_keeps_its_input(client, time_machine):
    time_machine.move_to("2026-06-01 08:15Z", tick=False)
    article = make_article(status="draft", title="Original")
    first, second = editor("Ines Okafor"), editor("Tomas Berg")
    client.force_login(second)
    stale = form_data(client.get(change_url(article)))

    client.force_login(first)
    time_machine.move_to("2026-06-01 08:20Z", tick=False)
    save(client, article, title="Ines's headline")

    client.force_login(second)
    time_machine.move_to("2026-06-01 08:25Z", tick=False)
    stale.update(title="Tomas's headline", standfirst="Tomas's standfirst.")
    response = client.post(change_url(article), stale)
    assert response.status_code == 200
    assert "Ines Okafor saved this interview on 1 June 2026, 08:20, while you were editing it." in (
        errors_text(response)
    )
    kept = form_data(response)
    assert (kept["title"], kept["standfirst"]) == ("Tomas's headline", "Tomas's standfirst.")
    article.refresh_from_db()
    assert article.title == "Ines's headline"

    # Saving again, having seen the warning, replaces their version.
    response = client.post(change_url(article), kept)
    assert response.status_code == 302, errors_text(response)
    article.refresh_from_db()
    assert article.title == "Tomas's headline"


def test_a_change_from_the_list_also_counts_as_a_conflict(client):
    article = make_article(status="review")
    tomas = editor("Tomas Berg")
    client.force_login(tomas)
    stale = form_data(client.get(change_url(article)))
    client.force_login(editor("Ines Okafor"))
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [article.pk]},
    )
    client.force_login(tomas)
    response = client.post(change_url(article), {**stale, "title": "Too late"})
    assert response.status_code == 200
    assert "Ines Okafor saved this interview" in errors_text(response)
    article.refresh_from_db()
    assert article.status == "published" and article.title != "Too late"


def test_saving_without_anyone_else_in_between_is_not_a_conflict(client):
    article = make_article(status="draft")
    client.force_login(editor())
    save(client, article, title="One")
    save(client, article, title="Two")
    article.refresh_from_db()
    assert article.title == "Two"
    assert article.updated_at <= timezone.now()


def test_publishing_and_unpublishing_from_the_list_show_in_the_history(client):
    article = make_article(status="review")
    client.force_login(editor("Ines Okafor"))
    changelist = reverse("admin:articles_article_changelist")
    client.post(changelist, {"action": "publish_now", "_selected_action": [article.pk]})
    client.post(changelist, {"action": "back_to_draft", "_selected_action": [article.pk]})
    comments = [version.revision.get_comment() for version in article_versions(article)]
    assert comments == [
        "Published from the list of interviews.",
        "Back to draft from the list of interviews.",
    ]
    page = client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert "Published from the list of interviews." in page and "Ines Okafor" in page


def test_a_contributor_restoring_keeps_what_only_editors_set(client):
    """Featuring, the publication time and corrections stay as they are (the same rights as saving)."""
    writer = contributor()
    article = make_article(status="draft", created_by=writer, title="The first draft")
    client.force_login(editor())
    # An editor features the draft and gives it a publication time...
    save(client, article, featured="on", published_at_0="01/06/2026", published_at_1="07:00")
    # ...then changes their mind and adds a correction.
    correction = {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-kind": "correction",
        "corrections-0-text": "<p>The dam opened in 1998.</p>",
        "corrections-0-created_at_0": "03/05/2026",
        "corrections-0-created_at_1": "10:00",
    }
    save(client, article, featured="", published_at_0="", published_at_1="", title="Reworked", **correction)
    first = article_versions(article)[0]

    client.force_login(writer)
    response = restore(client, article, first)

    assert response.status_code == 302, errors_text(response)
    article.refresh_from_db()
    assert article.title == "The first draft"  # The restore itself happened...
    assert (article.status, article.featured, article.published_at) == ("draft", False, None)  # ...not this.
    assert [c.text for c in article.corrections.all()] == ["<p>The dam opened in 1998.</p>"]

    # An editor restoring the same revision brings all of it back.
    client.force_login(editor())
    response = restore(client, article, first)
    assert response.status_code == 302, errors_text(response)
    article.refresh_from_db()
    assert article.featured and article.published_at is not None
    assert not article.corrections.exists()


def test_a_contributor_restores_a_once_published_revision_without_publishing_it(client):
    writer = contributor()
    article = make_article(status="review", created_by=writer, title="Once out")
    client.force_login(editor())
    save(client, article, status="published", published_at_0="", published_at_1="")
    save(client, article, status="review", title="Back in review")
    client.force_login(writer)
    url = reverse("admin:articles_article_revision", args=[article.pk, article_versions(article)[0].pk])
    data = form_data(client.get(url))
    for crafted in ({"status": "published"}, {"featured": "on"}):
        response = client.post(url, {**data, **crafted})
        assert response.status_code == 200
        article.refresh_from_db()
        assert (article.status, article.featured, article.title) == ("review", False, "Back in review")
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert (article.status, article.title) == ("review", "Once out")
    assert client.get(article.get_absolute_url()).status_code == 404


def test_only_editors_recover_deleted_interviews(client):
    article = make_article(status="draft", title="Deleted by mistake")
    client.force_login(editor())
    save(client, article)
    version = article_versions(article)[0]
    article.delete()
    client.force_login(contributor())
    assert client.get(reverse("admin:articles_article_recoverlist")).status_code == 403
    recover = reverse("admin:articles_article_recover", args=[version.pk])
    assert client.get(recover).status_code == 403
    client.force_login(editor())
    page = client.get(reverse("admin:articles_article_recoverlist"))
    assert "Deleted by mistake" in page.content.decode()
    assert client.get(recover).status_code == 200
