"""Invisible characters pasted into text never reach the database, and never break a feed or sitemap."""

import gzip

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from lxml import etree
from taggit.models import Tag

from articles.models import Article, ArticleInterviewee, Block, Person, Photo
from articles.richtext import RichTextField
from articles.text import CleanCharField, CleanTextField, clean_text

from .factories import make_article, make_person, make_photo

pytestmark = pytest.mark.django_db

# What Word, PDFs and terminals leave in copied text: Word's line break
# (U+000B), form feed, escape, backspace, BEL, DEL, a C1 control and
# non-characters.
INVISIBLE = ["\x0b", "\x0c", "\x1b", "\x08", "\x07", "\x7f", "\x9b", "\ufffe", "\uffff", "\ufdd0"]


REMOVED = [char for char in INVISIBLE if char not in "\x0b\x0c"]


def dirty(text):
    """``text`` with the characters that are removed after its first word, and line breaks at its end."""
    first, rest = text.split(" ", 1)
    return f"{first}{''.join(REMOVED)} {rest}\x0b\x0c"


@pytest.mark.parametrize(
    ("value", "multiline", "expected"),
    [
        ("Line one\x0bline two", True, "Line one\nline two"),
        ("Line one\x0bline two", False, "Line one line two"),
        ("Tab\tand\nnewline\r\n", True, "Tab\tand\nnewline\r\n"),
        ("Tab\tand\nnewline", False, "Tab and newline"),
        ("Esc\x1b[31mred\x00", True, "Esc[31mred"),
        ("Non\ufffe-char\U0010ffff\ud800", True, "Non-char"),
        ("Ça va? — l'été 🎉 “quoted” <b>&amp;", False, "Ça va? — l'été 🎉 “quoted” <b>&amp;"),
    ],
)
def test_clean_text_removes_only_what_nobody_can_see(value, multiline, expected):
    assert clean_text(value, multiline=multiline) == expected


def test_every_text_field_people_type_into_is_cleaned():
    """A new text field on any model of the app must clean its input too."""
    unclean = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("articles").get_models()
        for field in model._meta.fields
        if type(field) in (models.CharField, models.TextField) and not field.choices
    ]
    assert unclean == [], "use articles.text.CleanCharField / CleanTextField"


def stored(model, pk, name):
    return model.objects.values_list(name, flat=True).get(pk=pk)


def test_every_write_path_stores_clean_text():
    person = Person.objects.create(name=dirty("Ada Quill"), slug="ada", role=dirty("Chief of staff"))
    assert stored(Person, person.pk, "name") == "Ada Quill  "
    assert person.name == "Ada Quill  "  # The instance matches what is stored.
    Person.objects.filter(pk=person.pk).update(role=dirty("Deputy director"))
    assert stored(Person, person.pk, "role") == "Deputy director  "
    article = make_article(questions=0, lead_photo=False)
    blocks = Block.objects.bulk_create(
        [Block(article=article, position=1, kind="quote", text="<p>Q</p>", attribution=dirty("Ada Quill"))]
    )
    assert stored(Block, blocks[0].pk, "attribution") == "Ada Quill  "
    blocks[0].attribution = dirty("Bo Wren")
    Block.objects.bulk_update(blocks, ["attribution"])
    assert stored(Block, blocks[0].pk, "attribution") == "Bo Wren  "
    # A raw save, as loaddata and revision restores make.
    article.standfirst = "First line\x0bsecond line\x1b."
    article.save_base(raw=True)
    assert stored(Article, article.pk, "standfirst") == "First line\nsecond line."


def test_loaddata_stores_clean_text(tmp_path):
    from django.core.management import call_command

    fixture = tmp_path / "people.json"
    fixture.write_text(
        '[{"model": "articles.person", "pk": 900, "fields": {"name": "Ada\\u000b Quill\\u001b",'
        ' "slug": "ada-q", "role": "", "organisation": "", "bio": "", "website": "", "links": ""}}]'
    )
    call_command("loaddata", str(fixture), verbosity=0)
    assert stored(Person, 900, "name") == "Ada  Quill"


def test_rich_text_loses_invisible_characters_too():
    person = make_person(bio="<p>Line\x0bbreak\x1b and <em>more</em>\ufffe</p>")
    assert stored(Person, person.pk, "bio") == "<p>Line\nbreak and <em>more</em></p>"


def test_the_fields_of_the_model_are_the_django_fields_for_migrations():
    field = Article._meta.get_field("title")
    assert isinstance(field, CleanCharField)
    assert field.deconstruct()[1] == "django.db.models.CharField"
    assert Photo._meta.get_field("caption").deconstruct()[1] == "django.db.models.TextField"
    assert isinstance(Photo._meta.get_field("caption"), CleanTextField)
    assert isinstance(Block._meta.get_field("text"), RichTextField)


# Feeds and sitemaps -------------------------------------------------------------


def newest_with_dirty_fields():
    """An interview whose every shown field carries invisible characters, as stored before the fix."""
    person = make_person("Ada Quill")
    tag = "Culture"
    article = make_article(
        "Ada Quill: a life in letters", interviewees=[person], authors=[make_person("Bo Wren")], tags=[tag]
    )
    dirty_values = {
        Article: (
            article.pk,
            {"title": dirty("Ada Quill: a life"), "standfirst": dirty("A standfirst here.")},
        ),
        Person: (person.pk, {"name": dirty("Ada Quill"), "role": dirty("Chief of staff")}),
    }
    # Stored as a database from before this rule would hold them (bypassing the fields' cleaning).
    from django.db import connection

    with connection.cursor() as cursor:
        for model, (pk, values) in dirty_values.items():
            for name, value in values.items():
                cursor.execute(
                    f"UPDATE {model._meta.db_table} SET {name} = %s WHERE id = %s",
                    [value, pk],
                )
        cursor.execute(
            f"UPDATE {Block._meta.db_table} SET text = %s WHERE article_id = %s AND kind = 'answer'",
            ["<p>Answer\x0b with a break\x1b.</p>", article.pk],
        )
        cursor.execute(f"UPDATE {Tag._meta.db_table} SET name = %s", [dirty("Culture and arts")])
        cursor.execute(
            f"UPDATE {ArticleInterviewee._meta.db_table} SET role = %s WHERE article_id = %s",
            [dirty("Former chief"), article.pk],
        )
    return article, person, Tag.objects.get()


def feed_urls(person, tag):
    urls = []
    for kind in ("rss", "atom"):
        urls.append(reverse(f"articles:feed_{kind}"))
        urls.append(reverse(f"articles:person_feed_{kind}", kwargs={"slug": person.slug}))
        urls.append(reverse(f"articles:tag_feed_{kind}", kwargs={"slug": tag.slug}))
    return urls


def xml_of(response):
    content = response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    return etree.fromstring(content)  # Raises on anything that is not well-formed XML.


def test_feeds_never_fail_on_invisible_characters_in_stored_text(client):
    article, person, tag = newest_with_dirty_fields()
    for url in feed_urls(person, tag):
        response = client.get(url)
        assert response.status_code == 200, url
        text = etree.tostring(xml_of(response), encoding="unicode")
        assert "Ada Quill: a life" in " ".join(text.split()), url
        assert not any(char in text for char in INVISIBLE), url


def test_the_news_sitemap_stays_well_formed_xml(client):
    newest_with_dirty_fields()
    response = client.get(reverse("articles:sitemap_news"))
    assert response.status_code == 200
    titles = xml_of(response).findall(".//{http://www.google.com/schemas/sitemap-news/0.9}title")
    assert [" ".join(title.text.split()) for title in titles] == ["Ada Quill: a life"]


def test_invisible_characters_typed_in_the_desk_are_gone_from_feeds(admin_client, client):
    """End to end: pasted text saved through the admin, then read by a feed reader."""
    from .test_admin import BrowserForm, change_url

    article = make_article("Plain title", lead_photo=make_photo(size=(64, 48)))
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    form["title"] = "Pasted\x0b title\x0c with\x1b breaks"
    form["standfirst"] = "Pasted\x0bstandfirst\x08."
    form.save(admin_client, change_url(article))
    article.refresh_from_db()
    assert article.title == "Pasted  title  with breaks"
    assert article.standfirst == "Pasted\nstandfirst."
    assert client.get(reverse("articles:feed_rss")).status_code == 200
