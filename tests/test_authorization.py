"""Authorization, the interviewee's side: the personal link, what it shows, and every refusal."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from articles import authorization
from articles.authorization import AuthorizationEvent, AuthorizationRequest, Suggestion
from articles.models import Block

from .factories import make_article, make_person
from .workflow_support import editor

pytestmark = pytest.mark.django_db


def assert_private(response):
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert "public" not in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def path(link, name="authorize"):
    return reverse(f"articles:{name}", kwargs={"token": authorization.signer.token(link)})


@pytest.fixture
def celine():
    return make_person("Céline Marchetti", slug="celine-marchetti")


@pytest.fixture
def draft(celine):
    return make_article(status="draft", title="Céline Marchetti: the rivers we lost", interviewees=[celine])


@pytest.fixture
def link(draft, celine):
    return authorization.ask(draft, celine, user=editor("Ada Quill"), email="celine@example.org")


def answers(article):
    return list(article.blocks.filter(kind="answer").order_by("position"))


def form_for(client, link):
    """What a browser sends from the changes page, unchanged."""
    import lxml.html

    page = lxml.html.fromstring(client.get(path(link, "authorize_changes")).content.decode())
    form = page.xpath("//form[contains(@class, 'authz-form')]")[0]
    data = dict(form.form_values())
    for name, value in data.items():
        if value.startswith("\n") and name.startswith(("answer_", "comment_", "general")):
            data[name] = value[1:]
    return data


# The link ------------------------------------------------------------------


def test_the_link_shows_the_interview_as_readers_will_see_it(client, draft, link):
    response = client.get(path(link))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Céline Marchetti: the rivers we lost" in page
    assert "Answer 3, second paragraph." in page
    assert "Not published yet" in page
    assert "I approve my answers" in page
    assert '<meta name="robots" content="noindex' in page
    assert_private(response)
    link.refresh_from_db()
    assert link.first_read_at is not None
    assert link.events.filter(action=AuthorizationEvent.Action.OPENED).count() == 1
    # Reading it again is not a new event, reading a new version is.
    client.get(path(link))
    assert link.events.filter(action=AuthorizationEvent.Action.OPENED).count() == 1
    block = answers(draft)[0]
    block.text = "<p>Edited by the desk.</p>"
    block.save()
    client.get(path(link))
    assert link.events.filter(action=AuthorizationEvent.Action.OPENED).count() == 2


def test_the_link_is_absolute_on_the_canonical_site(settings, link):
    settings.SITE_URL = "https://news.example.org"
    assert link.url.startswith("https://news.example.org/authorize/")


def test_the_link_costs_a_constant_number_of_queries(client, celine, django_assert_num_queries):
    article = make_article(status="draft", questions=10, photos=3, interviewees=[celine], tags=["a", "b"])
    link = authorization.ask(article, celine, user=editor())
    client.get(path(link))  # The first visit records an event.
    # The link, its interviewees, the blocks, the visit, what they sent; the article page's
    # body and parts (authors, interviewees, tags...) come from the first visit.
    with django_assert_num_queries(5):
        assert client.get(path(link)).status_code == 200


def test_the_link_expires_after_authorization_days(client, settings, draft, celine, time_machine):
    settings.AUTHORIZATION_DAYS = 3
    time_machine.move_to(timezone.now(), tick=False)
    link = authorization.ask(draft, celine, user=editor())
    assert link.expires_at == timezone.now() + timedelta(days=3)
    time_machine.shift(timedelta(days=3) - timedelta(minutes=1))
    assert client.get(path(link)).status_code == 200
    time_machine.shift(timedelta(minutes=2))
    for name in ("authorize", "authorize_changes"):
        response = client.get(path(link, name))
        assert response.status_code == 410
        page = response.content.decode()
        assert "expired" in page
        assert draft.title not in page and "Céline" not in page
        assert_private(response)
    response = client.post(path(link, "authorize_approve"), {"seen": "x"})
    assert response.status_code == 410
    link.refresh_from_db()
    assert link.status == AuthorizationRequest.Status.WAITING


def test_a_revoked_link_stops_working(client, draft, link):
    link.revoke(editor(), None)
    response = client.get(path(link))
    assert response.status_code == 410
    assert "withdrew" in response.content.decode()
    assert draft.title not in response.content.decode()
    assert client.post(path(link, "authorize_changes"), {}).status_code == 410


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token.split(":")[0],
        lambda token: "00000000-0000-4000-8000-000000000000:" + token.split(":")[1],
        lambda token: "not-a-token",
    ],
)
def test_a_tampered_link_is_not_found(client, draft, link, tamper):
    token = tamper(authorization.signer.token(link))
    for name in ("authorize", "authorize_changes"):
        response = client.get(reverse(f"articles:{name}", kwargs={"token": token}))
        assert response.status_code == 404
        assert draft.title not in response.content.decode()


def test_a_preview_token_is_not_an_authorization_token(client, draft, link):
    from articles import previews

    preview = previews.create_link(draft, editor())
    token = previews.link_token(preview)
    assert client.get(reverse("articles:authorize", kwargs={"token": token})).status_code == 404


def test_once_published_the_link_leads_to_the_public_page(client, draft, link):
    draft.publish()
    response = client.get(path(link))
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    response = client.post(path(link, "authorize_approve"), {"seen": "x"})
    assert response.status_code == 410
    assert client.post(path(link, "authorize_changes"), {}).status_code == 410
    assert not Suggestion.objects.exists()


def test_a_scheduled_interview_takes_no_more_answers(client, draft, link):
    draft.publish(timezone.now() + timedelta(days=1))
    response = client.get(path(link))
    assert response.status_code == 410
    assert "about to be published" in response.content.decode()


def test_someone_taken_off_the_interview_loses_the_link(client, draft, link, celine):
    draft.interviewee_links.filter(person=celine).delete()
    draft.interviewee_links.create(person=make_person())
    assert client.get(path(link)).status_code == 410


# Approving -------------------------------------------------------------------


def test_approving_records_who_and_when_and_tells_the_editor(client, draft, link, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    link.created_by.email = "ada@example.org"
    link.created_by.save()
    data = {"seen": authorization.fingerprint(answers(draft))}
    response = client.post(path(link, "authorize_approve"), data, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    assert_private(response)
    link.refresh_from_db()
    assert link.status == AuthorizationRequest.Status.APPROVED
    assert link.approved_at == timezone.now()
    event = link.events.get(action=AuthorizationEvent.Action.APPROVED)
    assert (event.ip_address, event.at) == ("203.0.113.7", timezone.now())
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert "Céline Marchetti approved" in mail.outbox[0].subject
    page = client.get(path(link)).content.decode()
    assert "You approved your answers on" in page


def test_an_approval_of_text_the_desk_changed_meanwhile_is_refused(client, draft, link):
    seen = authorization.fingerprint(answers(draft))
    block = answers(draft)[1]
    block.text = "<p>The desk rewrote this while she was reading.</p>"
    block.save()
    response = client.post(path(link, "authorize_approve"), {"seen": seen})
    assert response.status_code == 409
    assert "changed your answers while you were reading" in response.content.decode()
    link.refresh_from_db()
    assert link.status == AuthorizationRequest.Status.WAITING


# Suggesting -------------------------------------------------------------------


def test_suggesting_a_change_keeps_it_against_the_text_seen(client, draft, link):
    data = form_for(client, link)
    first = answers(draft)[0]
    data[f"answer_{first.pk}"] = (
        "Answer 1, first paragraph, with a correction.\n\nAnswer 1, second paragraph."
    )
    question = draft.blocks.filter(kind="question").first()
    data[f"comment_{question.pk}"] = "I would ask this differently."
    data["general"] = "Please use my full title."
    response = client.post(path(link, "authorize_changes"), data, REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 302
    # In reading order: the question's comment, the answer's change, then the note on the whole.
    comment, change, general = Suggestion.objects.order_by("id")
    assert change.block == first
    assert change.seen_text == first.text
    assert change.proposed_text == (
        "<p>Answer 1, first paragraph, with a correction.</p><p>Answer 1, second paragraph.</p>"
    )
    assert (comment.block, comment.comment, comment.proposed_text) == (
        question,
        "I would ask this differently.",
        "",
    )
    assert (general.block, general.comment) == (None, "Please use my full title.")
    # Nothing changed in the interview itself.
    first.refresh_from_db()
    assert "with a correction" not in first.text
    link.refresh_from_db()
    assert link.status == AuthorizationRequest.Status.CHANGES
    events = link.events.filter(action__in=["suggested", "commented"])
    assert events.count() == 3 and {event.ip_address for event in events} == {"198.51.100.4"}
    assert "The editor received what you sent" in client.get(path(link)).content.decode()


def test_untouched_paragraphs_keep_their_formatting(client, draft, link):
    first = answers(draft)[0]
    first.text = (
        '<p>We <em>measured</em> it, see <a href="https://example.org/">the study</a>.</p><p>Second.</p>'
    )
    first.save()
    data = form_for(client, link)
    assert data[f"answer_{first.pk}"] == "We measured it, see the study.\n\nSecond."
    data[f"answer_{first.pk}"] = "We measured it, see the study.\n\nSecond, reworded."
    client.post(path(link, "authorize_changes"), data)
    proposed = Suggestion.objects.get().proposed_text
    assert proposed.startswith('<p>We <em>measured</em> it, see <a href="https://example.org/"')
    assert proposed.endswith("<p>Second, reworded.</p>")


def test_suggested_text_is_sanitized(client, draft, link):
    data = form_for(client, link)
    first = answers(draft)[0]
    data[f"answer_{first.pk}"] = "<script>alert(1)</script><img src=x onerror=alert(2)> Fine words."
    client.post(path(link, "authorize_changes"), data)
    proposed = Suggestion.objects.get().proposed_text
    assert "<script" not in proposed and "<img" not in proposed
    assert "&lt;script&gt;" in proposed  # Shown as the text they typed, never run.


def test_sending_nothing_says_so_and_keeps_nothing(client, link):
    response = client.post(path(link, "authorize_changes"), form_for(client, link))
    assert response.status_code == 400
    assert "You have not changed anything yet" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_an_emptied_answer_is_refused_and_the_rest_is_kept(client, draft, link):
    data = form_for(client, link)
    first, second = answers(draft)[:2]
    data[f"answer_{first.pk}"] = "   "
    data[f"answer_{second.pk}"] = "A better second answer."
    response = client.post(path(link, "authorize_changes"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "An answer cannot be left empty" in page
    assert "A better second answer." in page
    assert not Suggestion.objects.exists()


def test_a_new_suggestion_replaces_the_open_one_for_the_same_answer(client, draft, link):
    first = answers(draft)[0]
    data = form_for(client, link)
    data[f"answer_{first.pk}"] = "First try."
    client.post(path(link, "authorize_changes"), data)
    data = form_for(client, link)
    assert data[f"answer_{first.pk}"] == "First try."  # Their pending version, to go on from.
    data["general"] = "Only a note this time."
    client.post(path(link, "authorize_changes"), data)
    assert Suggestion.objects.filter(status="open").exclude(proposed_text="").count() == 1
    data = form_for(client, link)
    data[f"answer_{first.pk}"] = "Second try."
    client.post(path(link, "authorize_changes"), data)
    statuses = dict(Suggestion.objects.exclude(proposed_text="").values_list("proposed_text", "status"))
    assert statuses == {"<p>First try.</p>": "withdrawn", "<p>Second try.</p>": "open"}


# Crafted forms: never a block that is not their answer --------------------------


@pytest.fixture
def two_voices():
    lena = make_person("Lena Brandt", slug="lena-brandt")
    omar = make_person("Omar Haddad", slug="omar-haddad")
    article = make_article(status="draft", interviewees=[lena, omar], questions=2)
    first, second = answers(article)
    first.speaker = lena
    first.save()
    second.speaker = omar
    second.save()
    link = authorization.ask(article, lena, user=editor())
    return article, link, first, second


def test_with_two_interviewees_each_changes_only_their_own_answers(client, two_voices):
    article, link, lenas, omars = two_voices
    data = form_for(client, link)
    assert f"answer_{lenas.pk}" in data
    assert f"answer_{omars.pk}" not in data
    assert f"comment_{omars.pk}" in data  # They may comment on it.


def crafted(client, link, data):
    response = client.post(path(link, "authorize_changes"), data)
    assert response.status_code == 400
    assert "could not be saved" in response.content.decode()
    assert not Suggestion.objects.exists()
    assert link.events.filter(action=AuthorizationEvent.Action.REFUSED).exists()


def test_a_crafted_post_cannot_suggest_for_someone_elses_answer(client, two_voices):
    article, link, lenas, omars = two_voices
    data = form_for(client, link)
    data[f"answer_{omars.pk}"] = "Words put in Omar's mouth."
    data[f"seen_{omars.pk}"] = data[f"seen_{lenas.pk}"]
    crafted(client, link, data)


def test_a_crafted_post_cannot_suggest_for_a_question(client, draft, link):
    question = draft.blocks.filter(kind="question").first()
    data = form_for(client, link)
    data[f"answer_{question.pk}"] = "A different question."
    crafted(client, link, data)
    assert Block.objects.get(pk=question.pk).text == question.text


def test_a_crafted_post_cannot_reuse_one_answers_original_for_another(client, draft, link):
    first, second = answers(draft)[:2]
    data = form_for(client, link)
    data[f"seen_{second.pk}"] = data[f"seen_{first.pk}"]
    data[f"answer_{second.pk}"] = "Changed."
    crafted(client, link, data)


def test_a_crafted_post_cannot_forge_the_text_seen(client, draft, link):
    first = answers(draft)[0]
    data = form_for(client, link)
    data[f"seen_{first.pk}"] = "forged"
    data[f"answer_{first.pk}"] = "Changed."
    crafted(client, link, data)


def test_a_crafted_post_to_another_interview_block_is_refused(client, link):
    other = make_article(status="draft")
    block = other.blocks.filter(kind="answer").first()
    data = form_for(client, link)
    data[f"answer_{block.pk}"] = "Hijack."
    crafted(client, link, data)


def test_the_suggestion_form_is_rate_limited(client, settings, draft, link):
    settings.AUTHORIZATION_SENDS_PER_HOUR = 2
    first = answers(draft)[0]
    for attempt in range(2):
        data = form_for(client, link)
        data[f"answer_{first.pk}"] = f"Attempt {attempt}."
        assert client.post(path(link, "authorize_changes"), data).status_code == 302
    data = form_for(client, link)
    data[f"answer_{first.pk}"] = "One too many."
    response = client.post(path(link, "authorize_changes"), data)
    assert response.status_code == 429
    assert "One too many." in response.content.decode()  # What they typed is still there.
    assert not Suggestion.objects.filter(proposed_text__contains="One too many").exists()
    assert link.events.filter(action=AuthorizationEvent.Action.REFUSED).count() == 1


def test_behind_a_trusted_proxy_the_log_has_the_visitors_address(client, settings, draft, link):
    settings.TRUSTED_PROXIES = 1
    client.get(path(link), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9")
    assert link.events.get(action="opened").ip_address == "198.51.100.9"
    # Something that is not an address is not stored as one (and is no error).
    draft.title = "A new headline to read"
    draft.save()
    response = client.get(path(link), REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    assert response.status_code == 200
    assert link.events.filter(action="opened").latest("id").ip_address is None
