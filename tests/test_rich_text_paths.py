"""Rich text is sanitized on every write path, once per value, and refused when it is built to be slow."""

import json
import uuid
from collections import Counter

import pytest
import reversion
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from reversion.models import Version

from articles import richtext
from articles.models import Article, Block, Correction, Person

from .factories import make_article, make_person, make_photo
from .test_admin import BrowserForm, change_url

pytestmark = pytest.mark.django_db

HOSTILE = '<p onclick="steal()">Kept <script>alert(1)</script><a href="javascript:x()">link</a></p>'
BAD = ("<script", "onclick", "javascript:")


def assert_clean(value):
    assert "Kept" in value
    for bad in BAD:
        assert bad not in value, value


def stored_text(block):
    return Block.objects.values_list("text", flat=True).get(pk=block.pk)


def an_answer(article=None):
    article = article or make_article(questions=0, lead_photo=False)
    return Block.objects.create(article=article, position=1, kind="answer", text="<p>Safe.</p>")


# Every write path -----------------------------------------------------------------


def test_loaddata_sanitizes_raw_saves(tmp_path):
    article = make_article(questions=0, lead_photo=False)
    fixture = tmp_path / "hostile.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "articles.person",
                    "pk": 901,
                    "fields": {"name": "Hostile", "slug": "hostile", "bio": HOSTILE},
                },
                {
                    "model": "articles.block",
                    "pk": 902,
                    "fields": {"article": article.pk, "position": 1, "kind": "answer", "text": HOSTILE},
                },
            ]
        )
    )
    call_command("loaddata", str(fixture), verbosity=0)
    assert_clean(Person.objects.values_list("bio", flat=True).get(pk=901))
    assert_clean(Block.objects.values_list("text", flat=True).get(pk=902))


def test_restoring_a_revision_sanitizes_what_it_restores():
    article = make_article(questions=1, lead_photo=False)
    with reversion.create_revision():
        article.save()
    version = Version.objects.get_for_object(Block.objects.filter(article=article).first()).get()
    # A revision stored before a stricter rule, or written to the database directly.
    data = json.loads(version.serialized_data)
    data[0]["fields"]["text"] = HOSTILE
    Version.objects.filter(pk=version.pk).update(serialized_data=json.dumps(data))
    Version.objects.get(pk=version.pk).revision.revert()
    assert_clean(Block.objects.values_list("text", flat=True).get(pk=version.object_id))


def test_update_bulk_create_and_bulk_update_sanitize():
    article = make_article(questions=0, lead_photo=False)
    block = an_answer(article)
    Block.objects.filter(pk=block.pk).update(text=HOSTILE)
    assert_clean(stored_text(block))
    [created] = Block.objects.bulk_create([Block(article=article, position=2, kind="answer", text=HOSTILE)])
    assert_clean(stored_text(created))
    created.text = HOSTILE.replace("Kept", "Kept again")
    Block.objects.bulk_update([created], ["text"])
    assert_clean(stored_text(created))
    Correction.objects.bulk_create([Correction(article=article, text=HOSTILE)])
    assert_clean(Correction.objects.get(article=article).text)


def test_a_save_sanitizes_each_value_once(admin_client, monkeypatch):
    """The form, the model's validation and the save share one sanitize call per value."""
    article = make_article("Once", questions=2, lead_photo=make_photo(size=(64, 48)))
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    fresh = [f"<p>Fresh answer {uuid.uuid4()} with <strong>bold</strong>.</p>" for _ in range(3)]
    for text in fresh:
        form.add_row("blocks", kind="answer", text=text)
    cleaned = Counter()
    real = richtext._cleaner

    class Counting:
        def clean(self, html):
            cleaned[html] += 1
            return real.clean(html)

    monkeypatch.setattr(richtext, "_cleaner", Counting())
    form.save(admin_client, change_url(article))
    assert all(cleaned[text] == 1 for text in fresh), cleaned
    assert max(cleaned.values()) == 1, cleaned
    assert set(fresh) <= set(Block.objects.filter(article=article).values_list("text", flat=True))


# Limits before sanitizing ---------------------------------------------------------


def nested(depth, item="<ul><li>", end="</li></ul>"):
    return item * depth + "x" + end * depth


def test_deeply_nested_rich_text_is_refused_in_the_form_and_nothing_is_lost(admin_client):
    article = make_article("Nesting", lead_photo=make_photo(size=(64, 48)))
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    form.add_row("blocks", kind="answer", text=nested(5000))
    form["title"] = "A title typed before saving"
    response = form.post(admin_client, change_url(article))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This text is nested too deeply to save" in page
    assert "A title typed before saving" in page
    assert Article.objects.get(pk=article.pk).title == "Nesting"


def test_overlong_rich_text_is_refused_with_its_length(admin_client):
    person = make_person("Long Bio")
    url = f"/admin/articles/person/{person.pk}/change/"
    form = BrowserForm(admin_client.get(url), "person_form")
    form["bio"] = "<p>" + "word " * 25_000 + "</p>"
    response = form.post(admin_client, url)
    assert response.status_code == 200
    assert "This text is too long to save: at most 100,000 characters" in response.content.decode()


def test_deep_nesting_is_refused_on_every_other_path_too():
    block = an_answer()
    with pytest.raises(ValidationError, match="nested too deeply"), transaction.atomic():
        Block.objects.filter(pk=block.pk).update(text=nested(richtext.MAX_DEPTH + 1))
    with pytest.raises(ValidationError, match="nested too deeply"), transaction.atomic():
        make_person(bio=nested(richtext.MAX_DEPTH + 1, "<p><em>", "</em></p>"))
    assert stored_text(block) == "<p>Safe.</p>"


def test_real_formatting_is_well_within_the_limits():
    # Lists two levels deep with formatting, implied </li> and </p> as pasted HTML has them.
    real = "<ul><li><p><strong><em><a href='https://example.org'>x</a></em></strong>" * 3
    real += "<li>sibling<li>another" * 50 + "<p>one<p>two<br><br/>" * 50
    assert richtext.sanitize(real)


# Empty after sanitizing --------------------------------------------------------------


def test_a_correction_with_nothing_left_after_sanitizing_is_refused(admin_client):
    article = make_article("Corrected", lead_photo=make_photo(size=(64, 48)))
    form = BrowserForm(admin_client.get(change_url(article)), "article_form")
    form.add_row("corrections", kind="correction", text="<p><script>alert(1)</script></p>")
    response = form.post(admin_client, change_url(article))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Correction.objects.filter(article=article).exists()
    with pytest.raises(ValidationError):
        Correction(article=article, text="<p><br></p>").full_clean()
