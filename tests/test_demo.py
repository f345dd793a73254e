"""The demo content (`load_demo`) and the editor account (`create_editor`) that `make run` creates."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import TestCase
from taggit.models import Tag, TaggedItem

from articles.demo import content, pictures
from articles.models import Article, ArticleAuthor, ArticleInterviewee, Block, Person, Photo

pytestmark = pytest.mark.django_db

LONG = "teodora-valen-sea-wall-promise"
DUO = "karlsson-adeyemi-duo"


@pytest.fixture(autouse=True)
def small_pictures(monkeypatch):
    # Full-size pictures and their renditions take seconds; the content is the same.
    monkeypatch.setattr(pictures, "PHOTO_SIZE", (640, 400))
    monkeypatch.setattr(pictures, "PORTRAIT_SIZE", (320, 320))


def run(*args):
    out = io.StringIO()
    # As on a real database, renditions are made once the command's transaction commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command(*args, stdout=out)
    return out.getvalue()


def snapshot(media_root):
    models = [Article, Block, Person, Photo, ArticleAuthor, ArticleInterviewee, Tag, TaggedItem]
    return {
        "counts": {model.__name__: model.objects.count() for model in models},
        "updated": sorted(Article.objects.values_list("slug", "updated_at")),
        "photos": sorted(Photo.objects.values_list("pk", "image", "renditions")),
        "files": sorted(
            (str(path), path.stat().st_mtime_ns) for path in media_root.rglob("*") if path.is_file()
        ),
    }


def test_load_demo_publishes_complete_interviews_and_keeps_the_rest_private():
    output = run("load_demo")

    assert output.count("\n") == 1 and output.startswith("Demo content loaded: 5 interviews")
    published = list(Article.objects.published())
    assert len(published) >= 3
    assert Article.objects.count() > len(published), "a draft and a scheduled interview stay private"
    assert sum(article.featured for article in published) == 1
    for article in published:
        assert ": " in article.title
        assert len(article.standfirst) > 100
        assert article.publish_problems() == []
        assert article.tags.exists()
        assert article.interviewees.exists()
        assert all(author.bio and author.portrait for author in article.authors.all())
    assert Article.objects.filter(status="draft").exists()
    assert Article.objects.scheduled().exists()


def test_the_long_interview_has_what_the_interview_page_must_show():
    run("load_demo")
    article = Article.objects.get(slug=LONG)
    blocks = list(article.blocks.select_related("photo"))
    kinds = [block.kind for block in blocks]

    pairs = [i for i in range(len(blocks) - 1) if kinds[i : i + 2] == ["question", "answer"]]
    assert len(pairs) >= 14
    assert all(blocks[i + 1].text.count("<p>") >= 2 for i in pairs), "answers run to several paragraphs"
    answers = "".join(block.text for block in blocks if block.kind == "answer")
    assert "<em>" in answers and "<strong>" in answers and '<a href="https://' in answers

    photo_positions = [i for i, kind in enumerate(kinds) if kind == "photo"]
    assert len(photo_positions) == 2
    for i in photo_positions:
        assert kinds[i - 1] == "answer"
        assert blocks[i].display_caption and blocks[i].photo.credit and blocks[i].photo.alt_text
        assert blocks[i].photo.renditions, "saved through the model, so renditions were made"
    assert any(kinds[i - 1 : i + 2] == ["answer", "photo", "answer"] for i in photo_positions)

    quote = next(block for block in blocks if block.kind == "quote")
    assert quote.text and quote.attribution == "Teodora Valen"
    assert "heading" in kinds
    stored = Photo.objects.values_list("width", "height").get(pk=article.lead_photo_id)
    assert stored == pictures.PHOTO_SIZE, "sizes are stored, so pages never open the file to measure it"
    assert "Under-Secretary-General" in article.interviewees.get().role
    assert "learned to read a tide table" in article.authors.get().bio


def test_the_two_person_interview_names_the_speaker_of_every_answer():
    run("load_demo")
    article = Article.objects.get(slug=DUO)
    interviewees = set(article.interviewees.values_list("pk", flat=True))
    speakers = [block.speaker_id for block in article.blocks.filter(kind="answer")]

    assert len(interviewees) == 2
    assert set(speakers) == interviewees


def test_running_load_demo_again_changes_nothing(media_root):
    run("load_demo")
    before = snapshot(media_root)

    output = run("load_demo")

    assert output.startswith("Demo content already loaded (5 interviews); nothing changed.")
    assert snapshot(media_root) == before


def test_a_deleted_demo_interview_is_recreated_without_duplicating_people():
    run("load_demo")
    people = Person.objects.count()
    Article.objects.get(slug=DUO).delete()

    output = run("load_demo")

    assert output.startswith("Demo content loaded: 1 interview (1 published, 0 scheduled, 0 draft), 0 people")
    assert "4 interviews were already there" in output
    assert Article.objects.filter(slug=DUO).exists()
    assert Person.objects.count() == people


def test_a_failure_is_one_readable_line_and_leaves_nothing_behind(settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("uploads cannot go inside a file")
    settings.MEDIA_ROOT = blocked

    with pytest.raises(CommandError) as error:
        run("load_demo")

    assert "\n" not in str(error.value)
    assert "Could not load the demo content" in str(error.value)
    assert not Article.objects.exists() and not Photo.objects.exists() and not Person.objects.exists()


def test_a_database_error_midway_removes_the_files_already_written(monkeypatch, media_root):
    broken = dict(content.DUO_INTERVIEW, slug="broken", blocks=[content.q("")])  # a question needs text
    monkeypatch.setattr(content, "ARTICLES", [content.LONG_INTERVIEW, broken])

    with pytest.raises(CommandError, match="Could not load the demo content"):
        run("load_demo")

    assert not Article.objects.exists() and not Photo.objects.exists()
    assert [path for path in media_root.rglob("*") if path.is_file()] == []


def test_create_editor_prints_a_working_password_once():
    output = run("create_editor")

    password = re.search(r"with the password (\S+) ", output).group(1)
    user = get_user_model().objects.get(username="editor")
    assert user.is_superuser and user.is_staff
    assert user.check_password(password) and len(password) >= 16
    assert user.groups.filter(name="Editor").exists()

    again = run("create_editor")

    assert password not in again
    assert "already exists" in again and "python manage.py changepassword editor" in again
    user.refresh_from_db()
    assert user.check_password(password)
    assert get_user_model().objects.count() == 1


def test_create_editor_takes_another_username_and_gives_each_its_own_password():
    first = run("create_editor", "--username", "desk")
    second = run("create_editor", "--username", "night-desk")

    assert (
        get_user_model().objects.filter(username__in=["desk", "night-desk"], is_superuser=True).count() == 2
    )
    assert re.search(r"password (\S+) ", first).group(1) != re.search(r"password (\S+) ", second).group(1)
    assert Group.objects.get(name="Editor").user_set.count() == 2
