"""Authorization, the editor's side: asking, accepting and declining, the record, and publication."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse
from reversion.models import Version

from articles import authorization
from articles.authorization import AuthorizationEvent, AuthorizationRequest, Suggestion
from articles.authorization_text import editable_text, to_html, word_diff
from articles.workflow import PublishRefused

from .factories import make_article, make_person
from .workflow_support import contributor, editor, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def celine():
    return make_person("Céline Marchetti", slug="celine-marchetti")


@pytest.fixture
def draft(celine):
    return make_article(status="draft", title="Céline Marchetti: the rivers we lost", interviewees=[celine])


def review_url(article):
    return reverse("admin:articles_authorizationrequest_review", args=[article.pk])


def answers(article):
    return list(article.blocks.filter(kind="answer").order_by("position"))


def approve(link):
    """What the interviewee's "I approve" button does."""
    article = link.article
    current = link.answers(list(article.blocks.all()), authorization.interviewee_ids(article))
    link.approve(current, authorization.fingerprint(current), None)


def suggest(link, block, text, comment=""):
    return link.submit({block: (block.text, to_html(text, block.text))}, {}, comment, None)[0]


# Asking ------------------------------------------------------------------------


def test_an_editor_asks_and_the_link_is_emailed_and_shown(client, draft, celine):
    boss = editor("Ada Quill")
    boss.email = "ada@example.org"
    boss.save()
    client.force_login(boss)
    page = client.get(review_url(draft))
    assert page.status_code == 200
    data = {
        "action": "ask",
        "person": celine.pk,
        f"ask-{celine.pk}-person": celine.pk,
        f"ask-{celine.pk}-email": "celine@example.org",
        f"ask-{celine.pk}-days": "5",
        f"ask-{celine.pk}-message": "We go to print on Friday.",
    }
    response = client.post(review_url(draft), data, follow=True, REMOTE_ADDR="192.0.2.10")
    link = AuthorizationRequest.objects.get()
    assert (link.article, link.person, link.email, link.created_by) == (
        draft,
        celine,
        "celine@example.org",
        boss,
    )
    page = response.content.decode()
    assert link.url in page
    assert "the link was emailed to celine@example.org" in page
    [email] = mail.outbox
    assert email.to == ["celine@example.org"] and email.reply_to == ["ada@example.org"]
    assert draft.title in email.subject
    assert link.url in email.body and "We go to print on Friday." in email.body
    assert "Ada Quill" in email.body
    actions = list(link.events.values_list("action", "ip_address", "user"))
    assert actions == [("asked", "192.0.2.10", boss.pk), ("sent", "192.0.2.10", boss.pk)]


def test_asking_without_an_address_gives_the_link_to_copy(client, draft, celine):
    client.force_login(editor())
    data = {"action": "ask", "person": celine.pk, f"ask-{celine.pk}-person": celine.pk}
    data[f"ask-{celine.pk}-days"] = "7"
    response = client.post(review_url(draft), data, follow=True)
    link = AuthorizationRequest.objects.get()
    assert "Copy the link below" in response.content.decode()
    assert link.url in response.content.decode()
    assert not mail.outbox


def test_a_bad_address_is_explained_and_nothing_is_asked(client, draft, celine):
    client.force_login(editor())
    data = {"action": "ask", "person": celine.pk, f"ask-{celine.pk}-person": celine.pk}
    data.update({f"ask-{celine.pk}-days": "7", f"ask-{celine.pk}-email": "not an address"})
    response = client.post(review_url(draft), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a valid email address" in page and 'value="not an address"' in page
    assert not AuthorizationRequest.objects.exists()


def test_only_an_interviewee_can_be_asked(draft):
    with pytest.raises(authorization.AuthorizationError):
        authorization.ask(draft, make_person(), user=editor())


def test_asking_twice_is_refused_until_the_first_link_is_revoked(draft, celine):
    first = authorization.ask(draft, celine, user=editor())
    with pytest.raises(authorization.AuthorizationError, match="already been asked"):
        authorization.ask(draft, celine, user=editor())
    first.revoke(editor(), None)
    assert authorization.ask(draft, celine, user=editor()).pk != first.pk


def test_a_contributor_asks_for_their_own_draft_only(client, celine):
    writer = contributor()
    own = make_article(status="draft", interviewees=[celine], created_by=writer)
    other = make_article(status="draft", interviewees=[celine], created_by=contributor())
    client.force_login(writer)
    data = {"action": "ask", "person": celine.pk, f"ask-{celine.pk}-person": celine.pk}
    data[f"ask-{celine.pk}-days"] = "7"
    assert client.post(review_url(own), data).status_code == 302
    # A colleague's draft is not even there for them (workflow.readable).
    assert client.post(review_url(other), data).status_code == 404
    assert list(AuthorizationRequest.objects.values_list("article", flat=True)) == [own.pk]


def test_people_without_a_desk_account_see_nothing(client, draft):
    assert client.get(review_url(draft)).status_code == 302  # To the login page.


def test_revoking_from_the_page_stops_the_link(client, draft, celine):
    link = authorization.ask(draft, celine, user=editor())
    client.force_login(editor())
    client.post(review_url(draft), {"action": "revoke", "request": link.pk})
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert link.events.filter(action="revoked").exists()


# Going through suggestions --------------------------------------------------------


def test_the_editor_sees_a_word_level_difference_beside_the_answer(client, draft, celine):
    link = authorization.ask(draft, celine, user=editor())
    first = answers(draft)[0]
    suggest(link, first, "Answer 1, the first paragraph.\n\nAnswer 1, second paragraph.")
    client.force_login(editor())
    page = client.get(review_url(draft)).content.decode()
    assert "Answer to question 1: a change from Céline Marchetti" in page
    assert "<ins>the</ins>" in page
    assert "Answer 1, first paragraph." in page  # The answer as it is now, beside it.
    # And in the interview's change form.
    form_page = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert "1 suggestion waiting for you" in form_page and "<ins>the</ins>" in form_page


def test_accepting_changes_the_answer_in_a_revision_naming_whose_suggestion_it_was(client, draft, celine):
    link = authorization.ask(draft, celine, user=editor())
    first = answers(draft)[0]
    suggestion = suggest(link, first, "A better first answer.")
    boss = editor("Ada Quill")
    client.force_login(boss)
    response = client.post(
        review_url(draft),
        {"action": "accept", "suggestion": suggestion.pk, "reply": "Thank you, done."},
        REMOTE_ADDR="192.0.2.20",
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.text == "<p>A better first answer.</p>"
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by, suggestion.reply) == (
        "accepted",
        boss,
        "Thank you, done.",
    )
    version = Version.objects.get_for_object(draft).select_related("revision").first()
    assert "Accepted the change suggested by Céline Marchetti" in version.revision.get_comment()
    assert version.revision.user == boss
    assert LogEntry.objects.filter(change_message__contains="suggested by Céline Marchetti").exists()
    event = link.events.get(action=AuthorizationEvent.Action.ACCEPTED)
    assert (event.user, event.ip_address, event.suggestion) == (boss, "192.0.2.20", suggestion)
    # The interviewee sees the outcome and the reply.
    page = client.get(reverse("articles:authorize", kwargs={"token": authorization.signer.token(link)}))
    assert "Accepted" in page.content.decode() and "Thank you, done." in page.content.decode()


def test_declining_leaves_the_answer_as_it_was(client, draft, celine):
    link = authorization.ask(draft, celine, user=editor())
    first = answers(draft)[0]
    before = first.text
    suggestion = suggest(link, first, "Something we cannot print.")
    client.force_login(editor())
    client.post(
        review_url(draft), {"action": "reject", "suggestion": suggestion.pk, "reply": "Legal says no."}
    )
    first.refresh_from_db()
    assert first.text == before
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reply) == ("rejected", "Legal says no.")
    assert link.events.filter(action="rejected").exists()


def test_a_suggestion_is_accepted_once(draft, celine):
    link = authorization.ask(draft, celine, user=editor())
    suggestion = suggest(link, answers(draft)[0], "Once.")
    suggestion.accept(editor(), None)
    with pytest.raises(authorization.AuthorizationError, match="already been dealt with"):
        suggestion.accept(editor(), None)


def test_a_suggestion_for_an_answer_no_longer_theirs_cannot_be_accepted(draft, celine):
    omar = make_person("Omar Haddad")
    draft.interviewee_links.create(person=omar, position=1)
    first = answers(draft)[0]
    first.speaker = celine
    first.save()
    link = authorization.ask(draft, celine, user=editor())
    suggestion = suggest(link, first, "Mine.")
    first.speaker = omar
    first.save()
    with pytest.raises(authorization.AuthorizationError, match="no longer Céline Marchetti's answer"):
        suggestion.accept(editor(), None)
    first.refresh_from_db()
    assert first.text != "<p>Mine.</p>"


def test_a_suggestion_from_another_interview_cannot_be_decided_here(client, draft, celine):
    other = make_article(status="draft", interviewees=[celine])
    link = authorization.ask(other, celine, user=editor())
    suggestion = suggest(link, answers(other)[0], "Elsewhere.")
    client.force_login(editor())
    response = client.post(review_url(draft), {"action": "accept", "suggestion": suggestion.pk})
    assert response.status_code == 404
    assert Suggestion.objects.get().status == "open"


def test_the_editor_sees_when_the_answer_changed_since_it_was_seen(client, draft, celine):
    link = authorization.ask(draft, celine, user=editor())
    first = answers(draft)[0]
    suggest(link, first, "Their version.")
    first.text = "<p>The desk's version.</p>"
    first.save()
    client.force_login(editor())
    page = client.get(review_url(draft)).content.decode()
    assert "This block changed since Céline Marchetti saw it" in page


def test_the_editor_sees_when_the_interview_changed_since_it_was_read(client, draft, celine):
    link = authorization.ask(draft, celine, user=editor())
    client.get(link.url.removeprefix("http://127.0.0.1:8000"))
    client.force_login(editor())
    assert "changed since they last read it" not in client.get(review_url(draft)).content.decode()
    draft.title = "A new headline"
    draft.save()
    assert "changed since they last read it" in client.get(review_url(draft)).content.decode()


# The record --------------------------------------------------------------------------


def test_authorized_by_shows_on_the_desk_the_change_form_and_the_history(client, draft, celine):
    link = authorization.ask(draft, celine, user=editor("Ada Quill"))
    approve(link)
    client.force_login(editor())
    desk = client.get(reverse("admin:index")).content.decode()
    assert "Waiting for authorization" in desk and "Authorized by Céline Marchetti on" in desk
    form_page = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert "Authorized by Céline Marchetti on" in form_page
    history = client.get(reverse("admin:articles_article_history", args=[draft.pk])).content.decode()
    assert "Authorized by Céline Marchetti on" in history


@pytest.mark.parametrize("n", [1, 5])
def test_the_desk_list_costs_a_constant_number_of_queries(client, django_assert_num_queries, n):
    for _ in range(n):
        person = make_person()
        article = make_article(status="draft", interviewees=[person], questions=4)
        authorization.ask(article, person, user=editor())
    client.force_login(editor())
    # As in test_workflow, plus the blocks, interviewees and requests of the interviews waiting.
    with django_assert_num_queries(14):
        assert client.get(reverse("admin:index")).status_code == 200


# Publication -----------------------------------------------------------------------------


@pytest.fixture
def required(draft):
    draft.authorization_required = True
    draft.save()
    return draft


def test_publication_waits_for_the_interviewees_asked(required, celine):
    with pytest.raises(PublishRefused, match="its interviewees' authorization"):
        required.publish()
    link = authorization.ask(required, celine, user=editor())
    with pytest.raises(PublishRefused, match="approval from Céline Marchetti"):
        required.publish()
    approve(link)
    required.publish()
    assert required.is_public


def test_a_later_edit_makes_the_approval_stale(required, celine):
    link = authorization.ask(required, celine, user=editor())
    approve(link)
    first = answers(required)[0]
    first.text = "<p>Edited after the approval.</p>"
    first.save()
    with pytest.raises(PublishRefused, match="whose answers changed after they approved them"):
        required.publish()
    link.refresh_from_db()
    assert "ask again" in link.describe(list(required.blocks.all()), {celine.pk})
    approve(link)
    required.publish()


def test_an_edit_of_a_question_keeps_the_approval(required, celine):
    link = authorization.ask(required, celine, user=editor())
    approve(link)
    question = required.blocks.filter(kind="question").first()
    question.text = "<p>A rephrased question?</p>"
    question.save()
    required.publish()


def test_every_interviewee_asked_must_approve(required, celine):
    omar = make_person("Omar Haddad")
    required.interviewee_links.create(person=omar, position=1)
    approve(authorization.ask(required, celine, user=editor()))
    authorization.ask(required, omar, user=editor())
    with pytest.raises(PublishRefused, match="approval from Omar Haddad"):
        required.publish()


def test_without_the_requirement_publication_does_not_wait(draft, celine):
    authorization.ask(draft, celine, user=editor())
    draft.publish()
    assert draft.is_public


def test_the_site_setting_decides_for_new_interviews(settings):
    settings.AUTHORIZATION_REQUIRED = True
    assert make_article(status="draft").authorization_required is True
    settings.AUTHORIZATION_REQUIRED = False
    assert make_article(status="draft").authorization_required is False


def test_the_change_form_refuses_publication_without_approval(client, required, celine):
    authorization.ask(required, celine, user=editor())
    client.force_login(editor())
    change = reverse("admin:articles_article_change", args=[required.pk])
    data = form_data(client.get(change))
    data["status"] = "published"
    response = client.post(change, data)
    assert response.status_code == 200
    assert "approval from Céline Marchetti" in response.content.decode()
    required.refresh_from_db()
    assert required.status == "draft"


def test_a_contributor_cannot_switch_the_requirement_off(client, celine):
    writer = contributor()
    article = make_article(status="draft", interviewees=[celine], created_by=writer)
    article.authorization_required = True
    article.save()
    client.force_login(writer)
    change = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(client.get(change))
    assert "authorization_required" not in data
    data["authorization_required"] = ""
    data["show_authorized_line"] = "on"
    response = client.post(change, data)
    assert "Only editors can decide what readers are told" in response.content.decode()
    article.refresh_from_db()
    assert article.authorization_required and not article.show_authorized_line


# What readers see ----------------------------------------------------------------------------


def test_readers_are_told_only_when_the_editor_chooses_and_the_approval_holds(client, celine):
    article = make_article(interviewees=[celine])
    link = authorization.ask(article, celine, user=editor())
    approve(link)
    line = "This interview was authorized by its subject."
    assert line not in client.get(article.get_absolute_url()).content.decode()
    article.show_authorized_line = True
    article.save()
    assert line in client.get(article.get_absolute_url()).content.decode()
    first = answers(article)[0]
    first.text = "<p>Changed after approval.</p>"
    first.save()
    assert line not in client.get(article.get_absolute_url()).content.decode()


# Text -------------------------------------------------------------------------------------------


def test_the_difference_is_word_by_word_and_escaped():
    diff = word_diff("<p>We lost three rivers.</p>", "<p>We lost four <b>rivers</b> &amp; lakes.</p>")
    assert diff == "We lost <del>three rivers.</del> <ins>four rivers &amp; lakes.</ins>"


def test_a_split_paragraph_shows_in_the_difference():
    diff = word_diff("<p>One. Two.</p>", "<p>One.</p><p>Two.</p>")
    assert "<ins>¶</ins>" in diff


def test_editable_text_round_trips_lists_and_breaks():
    html = "<p>Line one<br>line two</p><ul><li>First</li><li>Second</li></ul>"
    text = editable_text(html)
    assert text == "Line one\nline two\n\nFirst\nSecond"
    assert to_html(text, html) == html


def test_every_form_on_the_authorization_page_carries_its_csrf_token(draft, celine):
    """With CSRF checks on, as in a browser: asking, deciding and revoking all go through."""
    import lxml.html
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor())
    link = authorization.ask(draft, celine, user=editor())
    suggest(link, answers(draft)[0], "Checked by a browser.")
    page = lxml.html.fromstring(client.get(review_url(draft)).content.decode())
    forms = page.xpath("//form[@method='post']")
    assert len(forms) == 4  # The admin's log out; email again, revoke, decide.
    for form in forms:
        assert form.xpath(".//input[@name='csrfmiddlewaretoken']/@value")[0]
    decide = page.xpath("//form[contains(@class, 'authz-decide')]")[0]
    data = dict(decide.form_values())
    data["action"] = "accept"
    assert client.post(review_url(draft), data).status_code == 302
    assert Suggestion.objects.get().status == "accepted"


@pytest.mark.parametrize("n", [1, 6])
def test_the_list_of_requests_costs_a_constant_number_of_queries(client, django_assert_num_queries, n):
    for _ in range(n):
        person = make_person()
        authorization.ask(make_article(status="draft", interviewees=[person]), person, user=editor())
    client.force_login(editor())
    # Session, user, its two-factor device, permissions (own and groups'); the count, the total
    # and the page of requests.
    with django_assert_num_queries(8):
        response = client.get(reverse("admin:articles_authorizationrequest_changelist"))
    assert response.status_code == 200
    assert response.content.decode().count('class="field-state">Waiting for an answer') == n
