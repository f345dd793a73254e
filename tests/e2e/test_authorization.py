"""Authorization in real Chromium: the editor asks, the interviewee suggests and approves on a phone,
the editor accepts one change and declines another, and publication waits for the approval."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import make_article, make_person

from .test_editor import field, log_in, make_user


@pytest.fixture
def interview():
    celine = make_person("Céline Marchetti", slug="celine-marchetti", role="Hydrologist")
    article = make_article(
        "Céline Marchetti: “Rivers keep the ledger”",
        status=Article.Status.DRAFT,
        questions=2,
        interviewees=[celine],
        authorization_required=True,
    )
    first, second = article.blocks.filter(kind="answer").order_by("position")
    first.text = "<p>Long before the rain, in the choices a town makes.</p>"
    first.save()
    second.text = "<p>It keeps a ledger of every promise we break.</p>"
    second.save()
    return article


def try_to_publish(page, article):
    page.goto(f"/admin/articles/article/{article.pk}/change/")
    field(page, "Status").select_option("published")
    page.get_by_role("button", name="Save and continue editing").click()


def test_an_interviewee_authorizes_an_interview_through_their_link(open_tab, interview, client):
    editor = make_user("eddie", "Editor")
    editor.email = "eddie@example.org"
    editor.save()
    desk = open_tab("desktop")
    page = desk.page
    log_in(desk, "eddie")

    # The editor asks from the interview's Authorization page; the link is emailed and shown.
    desk.goto(f"/admin/articles/article/{interview.pk}/change/")
    page.get_by_role("link", name="Authorization", exact=True).click()
    page.get_by_label("Their email address").fill("celine@example.org")
    page.get_by_role("button", name="Ask Céline Marchetti to authorize").click()
    expect(page.locator(".messagelist .success")).to_contain_text("emailed to celine@example.org")
    address = page.get_by_label("Personal link for Céline Marchetti").input_value()
    [email] = mail.outbox
    assert email.to == ["celine@example.org"] and address in email.body
    link_path = urlparse(address).path

    # Publication waits for her.
    try_to_publish(page, interview)
    expect(page.locator(".errorlist.nonfield")).to_contain_text("approval from Céline Marchetti")

    # She opens the link on her phone, without an account: the interview as readers will see it.
    phone = open_tab("phone")
    her = phone.page
    phone.goto(link_path)
    expect(her.locator("h1")).to_have_text("Céline Marchetti: “Rivers keep the ledger”")
    expect(her.locator(".authz-banner")).to_contain_text("Not published yet")
    phone.assert_no_horizontal_overflow()
    phone.assert_accessible()

    # She suggests two changes and comments on a question.
    her.get_by_role("link", name="Suggest changes", exact=True).click()
    expect(her.locator("h1")).to_have_text("Suggest changes")
    phone.assert_no_horizontal_overflow()
    phone.assert_accessible()
    her.get_by_label("Your answer to question 1").fill(
        "Long before the rain, in the choices a whole town makes."
    )
    her.get_by_label("Your answer to question 2").fill("It keeps a ledger of every promise we made.")
    her.get_by_text("Comment on question 1").click()
    her.locator(".authz-block--question").first.get_by_label("Your comment for the editor").fill(
        "Could this say “where” rather than “when”?"
    )
    her.get_by_role("button", name="Send to the editor").click()
    expect(her.locator("#status")).to_contain_text("The editor received what you sent")
    phone.assert_no_errors()

    # The editor sees each change word by word beside the answer; accepts one, declines the other.
    desk.goto(f"/admin/articles/authorizationrequest/interview/{interview.pk}/")
    first = page.locator(".authz-suggestion", has_text="Answer to question 1")
    expect(first.locator("ins")).to_have_text("whole")
    first.get_by_role("button", name="Accept").click()
    expect(page.locator(".messagelist .success")).to_contain_text("it is in the interview now")
    second = page.locator(".authz-suggestion", has_text="Answer to question 2").first
    expect(second.locator("del")).to_have_text("break.")
    second.get_by_label(re.compile("Reply to Céline Marchetti")).fill("We keep “break”: it is what you said.")
    second.get_by_role("button", name="Decline").click()
    expect(page.locator(".messagelist .success")).to_contain_text("Declined")
    answers = list(interview.blocks.filter(kind="answer").order_by("position").values_list("text", flat=True))
    assert answers == [
        "<p>Long before the rain, in the choices a whole town makes.</p>",
        "<p>It keeps a ledger of every promise we break.</p>",
    ]

    # Still refused: she has not approved the text as it is now.
    try_to_publish(page, interview)
    expect(page.locator(".errorlist.nonfield")).to_contain_text("approval from Céline Marchetti")

    # She reads the outcome and the reply, then approves.
    phone.goto(link_path)
    expect(her.locator(".authz-sent")).to_contain_text("Accepted")
    expect(her.locator(".authz-sent")).to_contain_text("We keep “break”: it is what you said.")
    her.get_by_role("button", name="I approve my answers").click()
    expect(her.locator("#status")).to_contain_text("You approved your answers on")
    phone.assert_accessible()
    phone.assert_no_errors()

    # Now it goes out; the desk records who authorized it, and her link leads to the public page.
    try_to_publish(page, interview)
    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".field-authorization_status")).to_contain_text("Authorized by Céline Marchetti on")
    interview.refresh_from_db()
    assert interview.is_public
    phone.goto(link_path)
    expect(her).to_have_url(re.compile(re.escape(interview.get_absolute_url()) + "$"))
    desk.assert_no_errors()
