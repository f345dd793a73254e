"""Pre-publish checks, scheduling and the rules behind the roles, below the admin."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticleAuthor, Block
from articles.workflow import A_PHOTO, ANSWERED_QUESTION, PublishRefused

from .factories import make_article, make_photo
from .workflow_support import contributor, editor

pytestmark = pytest.mark.django_db


def test_a_complete_interview_has_no_problems():
    article = make_article(status="draft", photos=1)
    assert article.publish_problems() == []


def test_an_empty_draft_lists_everything_missing_in_one_message():
    article = make_article(
        status="draft", standfirst="", questions=0, lead_photo=None, authors=[], interviewees=[]
    )
    article.title = " "
    with pytest.raises(PublishRefused) as refused:
        article.publish()
    assert refused.value.messages == [
        "This interview cannot be published yet. It still needs: a title; a standfirst; "
        f"{ANSWERED_QUESTION}; {A_PHOTO}; at least one author; at least one interviewee."
    ]
    article.refresh_from_db()
    assert article.status == "draft" and article.published_at is None


def test_drafts_may_be_incomplete():
    article = Article.objects.create(title="", slug="empty", standfirst="")
    article.status = Article.Status.REVIEW
    article.save()
    assert Article.objects.get(pk=article.pk).status == "review"


def test_a_question_needs_its_answer():
    article = make_article(status="draft", questions=1)
    article.blocks.filter(kind="answer").delete()
    assert article.publish_problems() == [ANSWERED_QUESTION]
    Block.objects.create(article=article, position=10, kind="answer", text="<p>Now answered.</p>")
    assert article.publish_problems() == []


def test_an_answer_before_any_question_does_not_count():
    article = make_article(status="draft", questions=0)
    Block.objects.create(article=article, position=1, kind="answer", text="<p>An answer.</p>")
    Block.objects.create(article=article, position=2, kind="question", text="<p>A question?</p>")
    assert article.publish_problems() == [ANSWERED_QUESTION]


def test_every_photo_used_needs_alt_text_and_a_credit():
    lead = make_photo(credit="", caption="Harbour at dawn")
    article = make_article(status="draft", photos=1, lead_photo=lead)
    in_body = article.blocks.get(kind="photo").photo
    in_body.credit = "   "
    in_body.caption = "Market stalls"
    in_body.save()
    assert article.publish_problems() == [
        "a credit on the photo “Harbour at dawn”",
        "a credit on the photo “Market stalls”",
    ]


def test_publishing_stamps_the_time_and_keeps_the_first_publication(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    article = make_article(status="draft")
    article.publish()
    first = article.first_published_at
    assert first == article.published_at == timezone.now()
    time_machine.shift(timedelta(days=2))
    article.unpublish()
    article.publish(timezone.now())
    article.refresh_from_db()
    assert article.first_published_at == first
    assert article.published_at == timezone.now()


def test_later_edits_set_the_updated_time(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    article = make_article()
    time_machine.shift(timedelta(hours=3))
    article.standfirst = "A sharper standfirst."
    article.save()
    article.refresh_from_db()
    assert article.updated_at == timezone.now()
    assert article.updated_at - article.published_at > timedelta(hours=3)


def test_scheduled_interview_is_invisible_before_its_time_and_visible_after(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    when = timezone.now() + timedelta(hours=5)
    article = make_article(status="draft")
    article.publish(when)
    url = reverse("articles:detail", kwargs={"slug": article.slug})
    assert article.is_scheduled
    assert client.get(url).status_code == 404
    assert article.title not in client.get(reverse("articles:home")).content.decode()
    time_machine.move_to(when + timedelta(seconds=1), tick=False)
    assert client.get(url).status_code == 200
    assert article.title in client.get(reverse("articles:home")).content.decode()


def test_scheduling_an_incomplete_interview_is_refused():
    article = make_article(status="draft", authors=[])
    with pytest.raises(PublishRefused, match="at least one author"):
        article.publish(timezone.now() + timedelta(days=1))
    assert not Article.objects.scheduled().exists()


def test_back_to_draft_removes_it_from_the_public_site_at_once(client):
    article = make_article()
    url = reverse("articles:detail", kwargs={"slug": article.slug})
    assert client.get(url).status_code == 200
    article.unpublish()
    assert client.get(url).status_code == 404
    assert article.title not in client.get(reverse("articles:home")).content.decode()


def test_corrections_are_shown_at_the_end_of_the_article(client):
    article = make_article()
    article.corrections.create(kind="correction", text="<p>An earlier version misspelt the town.</p>")
    page = client.get(reverse("articles:detail", kwargs={"slug": article.slug})).content.decode()
    assert "An earlier version misspelt the town." in page


@pytest.mark.parametrize("status", ["draft", "review"])
def test_contributors_edit_their_own_unpublished_interviews_only(status):
    writer, other = contributor(), contributor()
    article = make_article(status=status, created_by=writer)
    assert workflow.can_edit(writer, article)
    assert not workflow.can_edit(other, article)
    assert not workflow.can_publish(writer)


def test_contributors_cannot_edit_a_published_interview_even_their_own():
    writer = contributor()
    assert not workflow.can_edit(writer, make_article(created_by=writer))
    scheduled = make_article(created_by=writer, published_at=timezone.now() + timedelta(days=1))
    assert not workflow.can_edit(writer, scheduled)


def test_editors_edit_and_publish_everything():
    boss = editor()
    assert workflow.can_publish(boss)
    for status in ("draft", "review", "published"):
        assert workflow.can_edit(boss, make_article(status=status, created_by=contributor()))


def test_anonymous_visitors_may_do_nothing():
    nobody = AnonymousUser()
    assert not workflow.can_publish(nobody)
    assert not workflow.can_edit(nobody, make_article(status="draft"))
    assert not workflow.can_edit(nobody, None)


def test_transitions_are_described_for_the_log(time_machine):
    time_machine.move_to("2026-03-02 09:00Z", tick=False)
    article = make_article(status="draft")
    article.status = "review"
    assert workflow.describe_transition("draft", None, article) == "Submitted for review."
    article.status = "published"
    article.published_at = timezone.now()
    assert workflow.describe_transition("review", None, article) == "Published (2 March 2026, 09:00)."
    article.published_at = timezone.now() + timedelta(days=1)
    assert workflow.describe_transition("draft", None, article) == "Scheduled for 3 March 2026, 09:00."
    article.status = "draft"
    assert workflow.describe_transition("published", article.published_at, article).startswith(
        "Unpublished: back to draft"
    )
    assert workflow.describe_transition("draft", None, article) is None


def test_authors_count_only_when_saved():
    article = make_article(status="draft", authors=[])
    assert "at least one author" in article.publish_problems()
    ArticleAuthor.objects.create(article=article, person=article.interviewee_links.get().person)
    assert "at least one author" not in article.publish_problems()


# The desk on the admin index -------------------------------------------------------


def fill_the_desk(writer, n):
    for i in range(n):
        make_article(status="review", created_by=writer, title=f"Waiting {i}", lead_photo=None, questions=0)
        make_article(
            published_at=timezone.now() + timedelta(days=i + 1),
            title=f"Later {i}",
            lead_photo=None,
            questions=0,
        )
        make_article(title=f"Out {i}", lead_photo=None, questions=0)


def test_the_desk_shows_what_needs_attention_with_links(client, time_machine):
    time_machine.move_to("2026-06-01 08:00Z", tick=False)
    writer = contributor("Sam Writer")
    waiting = make_article(status="review", created_by=writer, title="Waiting for an editor")
    later = make_article(published_at=timezone.now() + timedelta(hours=30), title="Going out tomorrow")
    out = make_article(title="Out this morning")
    make_article(status="draft", title="Someone's draft")
    client.force_login(editor())
    page = client.get(reverse("admin:index")).content.decode()
    assert "In review" in page and "Scheduled" in page and "Recently published" in page
    for article in (waiting, later, out):
        assert reverse("admin:articles_article_change", args=[article.pk]) in page
    assert "Sam Writer" in page
    assert "2 Jun 2026, 14:00" in page
    assert reverse("admin:articles_article_preview", args=[waiting.pk]) in page
    assert out.get_absolute_url() in page
    assert "Someone's draft" not in page


def test_a_contributor_sees_their_own_drafts_on_the_desk(client):
    writer = contributor()
    make_article(status="draft", title="My own draft", created_by=writer)
    make_article(status="draft", title="Another writer's draft", created_by=contributor())
    client.force_login(writer)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Your drafts" in page and "My own draft" in page
    assert "Another writer's draft" not in page


@pytest.mark.parametrize("n", [1, 6])
def test_the_desk_costs_a_constant_number_of_queries(client, django_assert_num_queries, n):
    writer = contributor()
    fill_the_desk(writer, n)
    client.force_login(editor())
    # Session, user, its two-factor device, its own and its groups' permissions; the desk's four
    # lists and the (empty) list waiting for authorization; recent actions.
    with django_assert_num_queries(11):
        assert client.get(reverse("admin:index")).status_code == 200
