"""Previews: the admin's Preview button and shareable links for people without accounts."""

from datetime import timedelta
from urllib.parse import unquote

import lxml.html
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles import previews
from articles.models import PreviewLink

from .factories import make_article
from .workflow_support import contributor, editor, form_data, make_user

pytestmark = pytest.mark.django_db


def shared_path(link):
    return reverse("articles:preview", kwargs={"token": previews.link_token(link)})


def assert_private(response):
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert "public" not in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex' in response.content.decode()


@pytest.fixture
def draft():
    return make_article(status="draft", title="Ama Mensah: the river and the town", tags=["rivers"])


def test_a_shared_link_shows_the_draft_as_readers_will_see_it(client, draft):
    make_article(title="Another published interview on rivers", tags=["rivers"])
    link = previews.create_link(draft, editor())
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = client.get(shared_path(link))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ama Mensah: the river and the town" in page
    assert "Question 3?" in page and "Answer 3, second paragraph." in page
    assert_private(response)
    # Nothing else is revealed: no related interviews.
    assert "Another published interview on rivers" not in page


def test_previews_carry_no_share_links(client, draft):
    """A share link would send a draft's headline and questions to the networks."""
    public = make_article(title="Published already")
    assert 'id="share-menu"' in client.get(public.get_absolute_url()).content.decode()
    link = previews.create_link(draft, editor())
    client.force_login(editor())
    for response in (client.get(shared_path(link)), client.get(admin_preview_path(draft))):
        assert response.status_code == 200
        doc = lxml.html.fromstring(response.content)
        assert doc.xpath("//*[contains(@class, 'share')]") == []
        assert doc.xpath("//*[@data-share-url or @data-share-title]") == []
        external = [href for href in doc.xpath("//a/@href") if href.startswith(("http", "mailto:"))]
        assert not [href for href in external if "Question" in unquote(href)], external
        assert not [href for href in external if not href.startswith(settings.SITE_URL)], external


def test_a_shared_link_costs_a_constant_number_of_queries(client, django_assert_num_queries):
    article = make_article(status="draft", questions=8, photos=4, tags=["a", "b", "c"])
    article.corrections.create(text="<p>A note.</p>")
    link = previews.create_link(article, editor())
    # The first view: the link; the article with its lead photo; the body (interviewees,
    # blocks); the page parts (authors, interviewees, tags, corrections, photo blocks).
    with django_assert_num_queries(9):
        assert client.get(shared_path(link)).status_code == 200
    # Then the link and the article: body and parts are kept under the interview's version.
    with django_assert_num_queries(2):
        assert client.get(shared_path(link)).status_code == 200


def test_the_link_is_absolute_on_the_canonical_site(settings, draft):
    settings.SITE_URL = "https://news.example.org"
    link = previews.create_link(draft, editor())
    assert previews.link_url(link).startswith("https://news.example.org/preview/")
    assert str(link.key) in previews.link_url(link)


def test_a_link_expires_after_the_set_number_of_days(client, settings, draft, time_machine):
    settings.PREVIEW_LINK_DAYS = 3
    time_machine.move_to(timezone.now(), tick=False)
    link = previews.create_link(draft, editor())
    assert link.expires_at == timezone.now() + timedelta(days=3)
    time_machine.shift(timedelta(days=3) - timedelta(minutes=1))
    assert client.get(shared_path(link)).status_code == 200
    time_machine.shift(timedelta(minutes=2))
    response = client.get(shared_path(link))
    assert response.status_code == 410
    page = response.content.decode()
    assert "This preview is no longer available" in page and "expired" in page
    assert draft.title not in page
    assert_private(response)


def test_a_revoked_link_stops_working(client, draft):
    link = previews.create_link(draft, editor())
    link.revoked_at = timezone.now()
    link.save()
    response = client.get(shared_path(link))
    assert response.status_code == 410
    assert "withdrew this preview link" in response.content.decode()
    assert draft.title not in response.content.decode()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        lambda token: token.split(":")[0],  # signature removed
        lambda token: "00000000-0000-4000-8000-000000000000:" + token.split(":")[1],  # key swapped
        lambda token: "not-a-token",
    ],
)
def test_a_tampered_link_is_not_found(client, draft, tamper):
    link = previews.create_link(draft, editor())
    token = tamper(previews.link_token(link))
    response = client.get(reverse("articles:preview", kwargs={"token": token}))
    assert response.status_code == 404
    assert draft.title not in response.content.decode()


def test_a_signed_key_without_a_link_is_not_found(client, draft):
    link = previews.create_link(draft, editor())
    path = shared_path(link)
    link.delete()
    assert client.get(path).status_code == 404


def test_a_deleted_interview_takes_its_links_with_it(client, draft):
    path = shared_path(previews.create_link(draft, editor()))
    draft.delete()
    assert client.get(path).status_code == 404


def admin_preview_path(article):
    return reverse("admin:articles_article_preview", args=[article.pk])


def test_editors_preview_any_interview_from_the_admin(client, draft):
    client.force_login(editor())
    change_page = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert f'href="{admin_preview_path(draft)}"' in change_page
    response = client.get(admin_preview_path(draft))
    assert response.status_code == 200
    assert "Ama Mensah: the river and the town" in response.content.decode()
    assert_private(response)


def test_contributors_preview_their_own_interviews_and_those_in_review(client):
    writer = contributor()
    own = make_article(status="draft", created_by=writer, title="My own draft")
    in_review = make_article(status="review", created_by=contributor(), title="A colleague's, in review")
    not_theirs = make_article(status="draft", created_by=contributor(), title="A colleague's draft")
    embargoed = make_article(
        published_at=timezone.now() + timedelta(days=1), created_by=writer, title="Mine, due"
    )
    client.force_login(writer)
    for article in (own, in_review):
        response = client.get(admin_preview_path(article))
        assert response.status_code == 200 and article.title in response.content.decode()
        assert_private(response)
    for article in (not_theirs, embargoed):
        response = client.get(admin_preview_path(article))
        assert response.status_code == 404 and article.title not in response.content.decode()


def test_a_scheduled_interview_previews_too(client):
    article = make_article(published_at=timezone.now() + timedelta(days=2), title="Due on Thursday")
    client.force_login(editor())
    assert "Due on Thursday" in client.get(admin_preview_path(article)).content.decode()


def test_the_admin_preview_needs_an_account_with_access(client, draft):
    response = client.get(admin_preview_path(draft))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(make_user())  # Staff, but in no group.
    assert client.get(admin_preview_path(draft)).status_code == 403
    client.force_login(editor())
    assert client.get(reverse("admin:articles_article_preview", args=[draft.pk + 99])).status_code == 404


def test_an_editor_creates_a_link_and_sees_its_address(client, draft, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    boss = editor()
    client.force_login(boss)
    add = reverse("admin:articles_previewlink_add")
    page = client.get(f"{add}?article={draft.pk}")
    data = form_data(page, "previewlink_form")
    assert data["article"] == str(draft.pk) and data["days"] == "7"
    response = client.post(add, data, follow=True)
    link = PreviewLink.objects.get()
    assert (link.article, link.created_by) == (draft, boss)
    assert link.expires_at == timezone.now() + timedelta(days=7)
    assert previews.link_url(link) in response.content.decode()
    assert client.get(shared_path(link)).status_code == 200


def test_an_editor_revokes_a_link_from_its_page(client, draft):
    client.force_login(editor())
    link = previews.create_link(draft, editor())
    change = reverse("admin:articles_previewlink_change", args=[link.pk])
    data = form_data(client.get(change), "previewlink_form")
    data["revoke"] = "on"
    assert client.post(change, data).status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client.get(shared_path(link)).status_code == 410


def test_an_editor_revokes_links_from_the_list(client, draft):
    client.force_login(editor())
    links = [previews.create_link(draft, editor()) for _ in range(2)]
    response = client.post(
        reverse("admin:articles_previewlink_changelist"),
        {"action": "revoke", "_selected_action": [link.pk for link in links]},
    )
    assert response.status_code == 302
    assert PreviewLink.objects.filter(revoked_at__isnull=True).count() == 0


def test_contributors_cannot_share_previews(client, draft):
    client.force_login(contributor())
    assert client.get(reverse("admin:articles_previewlink_add")).status_code == 403
    response = client.post(reverse("admin:articles_previewlink_add"), {"article": draft.pk, "days": 7})
    assert response.status_code == 403
    assert not PreviewLink.objects.exists()
