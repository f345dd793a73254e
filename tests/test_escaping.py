"""Text derived from rich text is text: every page escapes it exactly once."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from reversion.models import Version

from articles.models import Block, Correction

from .factories import make_article, make_person, make_photo
from .test_admin import BrowserForm, change_url
from .test_hostile_input import page_strings

pytestmark = pytest.mark.django_db

TEXT = "3 < 4 & 5 \"quoted\" 'single' <b>not bold</b>"
# The same, as the rich text editor stores it.
STORED = "<p>3 &lt; 4 &amp; 5 \"quoted\" 'single' &lt;b&gt;not bold&lt;/b&gt;</p>"


def assert_escaped_once(html, text=TEXT):
    """The parsed page holds ``text`` itself: not its escaped form (escaped twice), nor markup (not escaped)."""
    _, strings = page_strings(html)
    assert text in strings
    assert escape(text) not in strings


def test_a_block_label_is_the_text_itself():
    article = make_article(questions=0, lead_photo=False)
    block = Block.objects.create(article=article, position=1, kind="question", text=STORED)
    assert str(block) == f"Question: {TEXT}"


def test_every_admin_page_that_names_a_block_escapes_it_once(admin_client):
    article = make_article("Escapes", questions=0, lead_photo=make_photo(size=(64, 48)))
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    form.add_row("blocks", kind="question", text=STORED)
    form.add_row("blocks", kind="answer", text="<p>An answer.</p>")
    form.save(admin_client, change_url(article))
    label = str(Block.objects.get(article=article, kind="question"))
    assert label.startswith("Question: 3 < 4 & 5")
    version = Version.objects.get_for_object(article).first()
    pages = {
        "change": admin_client.get(change_url(article)),
        "history": admin_client.get(reverse("admin:articles_article_history", args=[article.pk])),
        "revision": admin_client.get(
            reverse("admin:articles_article_revision", args=[article.pk, version.pk])
        ),
        "delete": admin_client.get(reverse("admin:articles_article_delete", args=[article.pk])),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert_escaped_once(response.content.decode(), label)


def test_the_interview_and_person_pages_show_rich_text_derivations_once(client):
    person = make_person("Ada Quill", bio=STORED)
    article = make_article("Ada & “friends” <3", interviewees=[person], questions=0)
    Block.objects.create(article=article, position=1, kind="question", text=STORED)
    Block.objects.create(article=article, position=2, kind="answer", text="<p>Yes.</p>")
    Correction.objects.create(article=article, text=STORED)
    for url in (person.get_absolute_url(), article.get_absolute_url()):
        html = client.get(url).content.decode()
        assert_escaped_once(html)
    person_page = client.get(person.get_absolute_url()).content.decode()
    assert f'<meta name="description" content="{escape(TEXT)}">' in person_page
    assert_escaped_once(client.get(article.get_absolute_url()).content.decode(), "Ada & “friends” <3")
