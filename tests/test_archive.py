"""Export and restore: every demo interview survives the trip into an empty site unchanged."""

import hashlib
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError
from django.db import models
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from taggit.models import Tag

from articles import archive
from articles.importing import detect, read
from articles.models import Article, Block, Correction, OldSlug, Person, Photo

from .test_demo import run, small_pictures  # noqa: F401 (small_pictures is an autouse fixture)
from .workflow_support import contributor

pytestmark = pytest.mark.django_db


def plain_fields(obj, skip=()):
    return {
        field.name: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if not field.primary_key
        and not isinstance(field, models.ForeignKey)
        and field.name not in {"image", "renditions", "cards", "body_version", *skip}
    }


def photo_snapshot(photo):
    if photo is None:
        return None
    with photo.image.open("rb") as stream:
        digest = hashlib.sha256(stream.read()).hexdigest()
    return {**plain_fields(photo), "sha256": digest}


def person_snapshot(person):
    if person is None:
        return None
    return {**plain_fields(person), "portrait": photo_snapshot(person.portrait)}


def site_snapshot():
    """Everything readers and editors see of every interview, keyed by its uuid, with no database ids."""
    snapshot = {}
    for article in Article.objects.all():
        snapshot[str(article.uuid)] = {
            **plain_fields(article),
            "lead_photo": photo_snapshot(article.lead_photo),
            "created_by": article.created_by.username if article.created_by else None,
            "tags": list(article.tags.names()),
            "old_slugs": sorted(article.old_slugs.values_list("slug", flat=True)),
            "authors": [(person_snapshot(link.person), link.position) for link in article.author_links.all()],
            "interviewees": [
                (person_snapshot(link.person), link.position, link.role)
                for link in article.interviewee_links.all()
            ],
            "blocks": [
                {
                    **plain_fields(block),
                    "speaker": person_snapshot(block.speaker),
                    "photo": photo_snapshot(block.photo),
                }
                for block in article.blocks.order_by("position", "id")
            ],
            "corrections": [plain_fields(correction) for correction in article.corrections.all()],
        }
    return snapshot


def empty_the_site(media_root):
    Article.objects.all().delete()
    Person.objects.all().delete()
    Photo.objects.all().delete()
    Tag.objects.all().delete()
    for path in sorted(Path(media_root).rglob("*"), reverse=True):
        if path.is_file():
            path.unlink()


@pytest.fixture
def demo_site(admin_user):
    run("load_demo")
    # What the demo does not show: a correction, an old address, a moved focal point, a creator,
    # a photo slot, a block's own credit, and a portrait.
    article = Article.objects.order_by("id").first()
    Correction.objects.create(
        article=article,
        kind="correction",
        text="<p>An earlier version gave the wrong <em>year</em>.</p>",
        created_at=timezone.now() - timedelta(days=2),
    )
    OldSlug.objects.create(slug="an-address-it-once-had", article=article)
    photo = Photo.objects.order_by("id").first()
    photo.focal_x, photo.focal_y = 0.25, 0.8
    photo.save()
    Article.objects.filter(pk=article.pk).update(created_by=admin_user)
    Block.objects.create(
        article=article, position=999, kind="photo", caption="A slot", credit="Agency/Someone"
    )
    Block.objects.filter(article=article, kind="photo", photo__isnull=False).update(
        credit="Own Credit/On The Block"
    )
    return article


def test_every_demo_interview_survives_export_and_restore_into_an_empty_site(demo_site, media_root, tmp_path):
    before = site_snapshot()
    assert len(before) >= 3
    path = tmp_path / "backup.zip"
    assert run("export_interviews", str(path)).startswith(f"Exported {len(before)} interviews to {path}")
    empty_the_site(media_root)
    assert not Article.objects.exists()

    assert run("import_interviews", str(path)) == f"Restored {len(before)} interviews.\n"
    after = site_snapshot()
    assert after == before
    # The restored photos get their renditions again.
    assert all(photo.renditions.get("jpeg") for photo in Photo.objects.all())


def test_the_restored_interviews_are_on_the_site_as_before(demo_site, media_root, client, tmp_path):
    published = Article.objects.published().order_by("id").first()
    OldSlug.objects.create(slug="its-first-address", article=published)
    page_before = client.get(published.get_absolute_url()).content.decode()
    data = archive.export(Article.objects.all())
    empty_the_site(media_root)
    with TestCase.captureOnCommitCallbacks(execute=True):
        archive.restore(data)
    response = client.get(published.get_absolute_url())
    assert response.status_code == 200
    assert published.title in response.content.decode()
    assert page_before.count("<figure") == response.content.decode().count("<figure")
    old = client.get(reverse("articles:detail", kwargs={"slug": "its-first-address"}))
    assert (old.status_code, old["Location"]) == (301, published.get_absolute_url())


def test_restoring_twice_skips_what_is_already_there(demo_site, tmp_path):
    path = tmp_path / "backup.zip"
    run("export_interviews", str(path))
    count = Article.objects.count()
    out = run("import_interviews", str(path))
    assert out.endswith("Restored 0 interviews.\n")
    assert out.count("Already here, skipped:") == count
    assert Article.objects.count() == count


def test_an_address_taken_by_another_interview_restores_nothing(demo_site, media_root, tmp_path):
    path = tmp_path / "backup.zip"
    run("export_interviews", str(path))
    taken = Article.objects.order_by("id").last()
    empty_the_site(media_root)
    Article.objects.create(title="Someone else", slug=taken.slug, standfirst="Here first.")
    with pytest.raises(
        CommandError, match=f"Another interview on this site already has the address “{taken.slug}”"
    ):
        run("import_interviews", str(path))
    assert Article.objects.count() == 1
    assert not Photo.objects.exists() and not Person.objects.exists()
    assert not [p for p in Path(media_root).rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    "content,message",
    [
        (b"not a zip", "This file is not a Newsroom archive (it is not a zip file)."),
        ("zip-without-manifest", "This is not a Newsroom archive: it has no archive.json."),
        ("zip-with-other-format", "This is not a Newsroom archive."),
    ],
)
def test_a_file_that_is_not_an_archive_is_one_line(tmp_path, content, message):
    path = tmp_path / "backup.zip"
    if isinstance(content, str):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zipped:
            if content == "zip-with-other-format":
                zipped.writestr("archive.json", json.dumps({"format": "something-else"}))
            else:
                zipped.writestr("readme.txt", "hello")
        content = buffer.getvalue()
    path.write_bytes(content)
    with pytest.raises(CommandError) as error:
        run("import_interviews", str(path))
    assert str(error.value) == message


def test_the_markdown_export_reads_back_as_the_same_interview(demo_site):
    data = archive.export(Article.objects.filter(pk=demo_site.pk))
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        markdown = zipped.read(f"markdown/{demo_site.slug}.md")
    document = detect(read(f"{demo_site.slug}.md", markdown))
    body = [
        p.kind for p in document.paragraphs if p.kind in ("question", "answer", "photo", "heading", "quote")
    ]
    expected = []
    for block in demo_site.blocks.order_by("position", "id"):
        count = 1 if block.kind in ("photo", "heading") else max(1, block.text.count("<p>"))
        expected += [block.kind] * count
    assert body == [kind for kind in expected if kind != "paragraph"]
    assert document.paragraphs[0].text == demo_site.title


def test_editors_export_from_the_list_and_contributors_cannot(admin_client, demo_site, client):
    url = reverse("admin:articles_article_changelist")
    response = admin_client.post(url, {"action": "export_archive", "_selected_action": [demo_site.pk]})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment;" in response["Content-Disposition"]
    with zipfile.ZipFile(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ) as zipped:
        manifest = json.loads(zipped.read("archive.json"))
    assert [entry["slug"] for entry in manifest["interviews"]] == [demo_site.slug]

    client.force_login(contributor())
    page = client.get(url).content.decode()
    assert "export_archive" not in page
    refused = client.post(url, {"action": "export_archive", "_selected_action": [demo_site.pk]})
    assert refused.get("Content-Type") != "application/zip"


def test_a_photo_carrying_camera_metadata_is_restored_without_it(demo_site, media_root):
    data = archive.export(Article.objects.filter(pk=demo_site.pk))
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        manifest = json.loads(zipped.read("archive.json"))
        files = {name: zipped.read(name) for name in zipped.namelist()}
    key, spec = next(iter(manifest["photos"].items()))
    exif = PILImage.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    exif[0x8825] = {2: (51, 30, 0)}  # GPS latitude
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (10, 20, 30)).save(buffer, "JPEG", exif=exif)
    files[spec["file"]] = buffer.getvalue()
    spec["sha256"] = hashlib.sha256(buffer.getvalue()).hexdigest()
    spec["width"], spec["height"] = "64", "48"
    files["archive.json"] = json.dumps(manifest).encode()
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(rebuilt, "w") as zipped:
        for name, content in files.items():
            zipped.writestr(name, content)
    empty_the_site(media_root)
    with TestCase.captureOnCommitCallbacks(execute=True):
        archive.restore(rebuilt.getvalue())
    photo = Photo.objects.get(alt_text=spec["alt_text"])
    with photo.image.open("rb") as stream, PILImage.open(stream) as image:
        assert not image.getexif()
        assert image.size == (64, 48)
