"""The desk speaks of interviews and says what a save did; tags keep the order entered; pasted blank lines go."""

from datetime import timedelta

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from articles.models import Article, Block
from articles.richtext import sanitize

from .factories import make_article
from .workflow_support import editor, errors_text, form_data, messages_text

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def save(client, article, **changes):
    data = form_data(client.get(change_url(article)))
    data.update(changes)
    response = client.post(change_url(article), data, follow=True)
    assert response.redirect_chain, errors_text(response)
    return strip_tags(messages_text(response))


def test_the_admin_says_interview(client):
    client.force_login(editor())
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Add interview" in html and "Select interview to change" in html
    assert "article" not in lxml.html.fromstring(html).text_content().lower().replace("articles_article", "")
    add = client.get(reverse("admin:articles_article_add")).content.decode()
    assert "<title>Add interview" in add
    # Answer and Paragraph are told apart where the kind is chosen.
    assert "Paragraph: the writer's own narration between questions" in add


def test_saving_a_draft_says_so(client):
    article = make_article(status="draft", title="Ola Brant: salt")
    client.force_login(editor())
    assert save(client, article) == "Saved as draft: “Ola Brant: salt”. Readers cannot see it."


def test_publishing_says_where_it_is_live(client, settings):
    settings.SITE_URL = "https://news.example.org"
    article = make_article(status="draft", title="Ola Brant: salt", slug="ola-brant-salt")
    client.force_login(editor())
    url = "https://news.example.org/interviews/ola-brant-salt/"
    assert save(client, article, status="published") == f"Published: “Ola Brant: salt” is live at {url}."
    assert save(client, article, title="Ola Brant: sea salt") == (
        f"Saved: the changes to “Ola Brant: sea salt” are live at {url}."
    )


def test_scheduling_says_when(client, time_machine):
    time_machine.move_to("2026-11-30 10:00Z", tick=False)
    article = make_article(status="draft", title="Ola Brant: salt")
    client.force_login(editor())
    later = timezone.localtime(timezone.now() + timedelta(days=3, hours=-2))
    said = save(
        client,
        article,
        status="published",
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1="08:00:00",
    )
    assert said == "Scheduled for 3 December 2026, 08:00: “Ola Brant: salt” goes live then."


def test_tags_keep_the_order_entered_and_the_first_is_the_kicker(client):
    article = make_article(status="published", tags=[])
    client.force_login(editor())
    save(client, article, tags=["Rivers", "Climate", "Agriculture"])
    assert list(article.tags.names()) == ["Rivers", "Climate", "Agriculture"]
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    assert page.xpath("//p[@class='kicker']//text()") == ["Rivers"]

    # Putting another first makes it the kicker.
    save(client, article, tags=["Climate", "Rivers", "Agriculture"])
    assert list(Article.objects.get(pk=article.pk).tags.names()) == ["Climate", "Rivers", "Agriculture"]
    page = lxml.html.fromstring(client.get(article.get_absolute_url()).content)
    assert page.xpath("//p[@class='kicker']//text()") == ["Climate"]


def test_pasted_lines_holding_only_a_non_breaking_space_are_dropped():
    pasted = "<p>First.</p><p>\u00a0</p><p>&nbsp;</p><p> <br> </p><p><strong>&nbsp;</strong></p><p>Second&nbsp;one.</p>"
    assert sanitize(pasted) == "<p>First.</p><p>Second&nbsp;one.</p>"
    article = make_article(questions=1)
    block = Block.objects.create(article=article, position=9, kind="answer", text=pasted)
    block.refresh_from_db()
    assert block.text == "<p>First.</p><p>Second&nbsp;one.</p>"


def test_the_body_editor_reads_a_photos_caption_and_credit_as_readers_see_them(client):
    from .factories import make_photo

    photo = make_photo(caption="The old pier at dawn", credit="Agence Fictive/Lou Prism")
    url = reverse("admin:articles_photo_details", args=[photo.pk])
    assert client.get(url).status_code == 302  # To the login page: nothing for the public.
    client.force_login(editor())
    assert client.get(url).json() == {"caption": "The old pier at dawn", "credit": "Agence Fictive/Lou Prism"}
    assert client.get(reverse("admin:articles_photo_details", args=[photo.pk + 1])).status_code == 404
