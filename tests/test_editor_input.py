"""What editors type gets a clear answer: profile links, very long interviews, standfirsts that mention <tags>."""

import pytest
from django.test import override_settings

from articles.admin.blocks import MAX_BLOCKS, BlockInline
from articles.models import Article, Block, Person

from .factories import make_article, make_person, make_photo
from .test_admin import BrowserForm, change_url

pytestmark = pytest.mark.django_db


def person_url(person):
    return f"/admin/articles/person/{person.pk}/change/"


@pytest.mark.parametrize(
    "bad",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://files.example.org/",
        "//evil.example/path",
        "mastodon.example/@ada",
        "https://",
    ],
)
def test_profile_links_must_be_web_addresses(admin_client, bad):
    person = make_person("Ada Links")
    form = BrowserForm(admin_client.get(person_url(person)), "person_form")
    form["links"] = f"https://bsky.example/ada\n{bad}"
    form["role"] = "A role typed meanwhile"
    response = form.post(admin_client, person_url(person))
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not a web address. Put one address per line, starting with https://." in page
    assert "A role typed meanwhile" in page
    assert Person.objects.get(pk=person.pk).links == ""


def test_good_profile_links_are_saved_and_shown(admin_client, client):
    person = make_person("Ada Links")
    make_article(interviewees=[person])
    form = BrowserForm(admin_client.get(person_url(person)), "person_form")
    form["links"] = "https://bsky.example/ada\r\n\r\nhttp://mastodon.example/@ada\n"
    form.save(admin_client, person_url(person))
    page = client.get(person.get_absolute_url()).content.decode()
    assert 'href="https://bsky.example/ada"' in page
    assert 'href="http://mastodon.example/@ada"' in page


def test_a_stored_link_that_is_not_a_web_address_is_never_a_link(client):
    person = make_person("Ada Old")
    make_article(interviewees=[person])
    Person.objects.filter(pk=person.pk).update(links="javascript:alert(1)\nhttps://ok.example/ada")
    page = client.get(person.get_absolute_url()).content.decode()
    assert "javascript:" not in page
    assert 'href="https://ok.example/ada"' in page


# Very long interviews ----------------------------------------------------------------


def test_more_blocks_than_the_desk_accepts_get_a_message_and_keep_the_form(admin_client, monkeypatch):
    monkeypatch.setattr(BlockInline, "max_num", 3)
    article = make_article("Long one", questions=1, lead_photo=make_photo(size=(64, 48)))
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    for n in range(2):
        form.add_row("blocks", kind="answer", text=f"<p>Typed answer {n}.</p>")
    response = form.post(admin_client, change_url(article))
    assert response.status_code == 200
    page = response.content.decode()
    assert "An interview can have at most 3 blocks. Nothing is saved yet" in page
    assert "Typed answer 1." in page
    assert Block.objects.filter(article=article).count() == 2


def test_an_interview_with_the_most_blocks_fits_in_one_request(admin_client, settings):
    """The request's field limit leaves room for MAX_BLOCKS blocks, with everything else on the form."""
    article = make_article("Counted", questions=1, lead_photo=make_photo(size=(64, 48)))
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    fields_per_block = sum(1 for name in form.data if name.startswith("blocks-0-"))
    others = sum(1 for name in form.data if not name.startswith("blocks-"))
    assert fields_per_block * MAX_BLOCKS + others * 2 < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


@override_settings(DATA_UPLOAD_MAX_NUMBER_FIELDS=50)
def test_a_form_beyond_the_request_limit_gets_a_page_that_says_what_to_do(admin_client):
    article = make_article("Huge", questions=3, lead_photo=make_photo(size=(64, 48)))
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    response = form.post(admin_client, change_url(article))
    assert response.status_code == 400
    page = response.content.decode()
    assert "If you were saving a form, go back: what you typed is still in your browser." in page


# Standfirst -----------------------------------------------------------------------------


def test_a_standfirst_that_mentions_a_tag_is_not_missing():
    article = make_article("Markup", status=Article.Status.DRAFT, standfirst="<Ada> explains <script> tags.")
    assert "a standfirst" not in article.publish_problems()
    article.publish()
    assert Article.objects.get(pk=article.pk).is_public
    blank = make_article("Blank", status=Article.Status.DRAFT, standfirst="  \n ")
    assert "a standfirst" in blank.publish_problems()
