"""Responsive renditions and the social image: made once, upright, stripped, never enlarged."""

import io
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import CommandError, call_command
from django.db import transaction
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import TestCase
from PIL import ExifTags, Image, ImageDraw

from articles import images
from articles.models import Photo
from tests.factories import make_photo

pytestmark = pytest.mark.django_db

RED, BLUE, WHITE, GREEN = (220, 20, 20), (20, 20, 220), (255, 255, 255), (20, 200, 20)


def photo_from(image, name="photo.jpg", fmt="JPEG", **fields):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **fields.pop("save_options", {}))
    fields.setdefault("alt_text", "A test photo")
    photo = Photo(**fields)
    photo.image = ContentFile(buffer.getvalue(), name=name)
    save_and_commit(photo)
    return photo


def save_and_commit(photo):
    """Save as the admin does, then run what waits for the commit, as a real commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        photo.save()
    photo.refresh_from_db(fields=["renditions"])


def open_stored(name):
    with default_storage.open(name, "rb") as file:
        image = Image.open(io.BytesIO(file.read()))
        image.load()
        return image


def rendition_files(photo):
    _, files = default_storage.listdir(f"renditions/{photo.pk}")
    return sorted(files)


def absolute(name):
    return f"https://news.example.org/media/{name}"


def close_to(pixel, colour, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


# Made once, reused ------------------------------------------------------------


def test_renditions_are_made_on_upload_through_the_storage_api():
    photo = make_photo(size=(2000, 1250))
    renditions = photo.renditions
    assert [item["width"] for item in renditions["jpeg"]] == [480, 800, 1200, 1600]
    assert [item["width"] for item in renditions["webp"]] == [480, 800, 1200, 1600]
    for item in renditions["jpeg"] + renditions["webp"] + [renditions["social"]]:
        assert item["name"].startswith(f"renditions/{photo.pk}/")
        assert default_storage.exists(item["name"])
        assert open_stored(item["name"]).size == (item["width"], item["height"])
    assert open_stored(renditions["webp"][0]["name"]).format == "WEBP"
    assert open_stored(renditions["jpeg"][0]["name"]).format == "JPEG"
    assert len(rendition_files(photo)) == 9
    photo.refresh_from_db()
    assert photo.renditions == renditions


def test_saving_again_without_changing_the_file_does_no_work():
    photo = make_photo()
    files = rendition_files(photo)
    with mock.patch("articles.images.renditions._encode", side_effect=AssertionError("re-encoded")) as encode:
        photo.caption = "A new caption"
        save_and_commit(photo)
        save_and_commit(Photo.objects.get(pk=photo.pk))
    assert not encode.called
    assert rendition_files(photo) == files


def test_a_new_file_replaces_the_renditions_and_removes_the_old_ones():
    photo = make_photo()
    old_names = {item["name"] for item in photo.renditions["jpeg"]}
    buffer = io.BytesIO()
    Image.new("RGB", (900, 600), BLUE).save(buffer, "PNG")
    old_original = photo.image.name
    photo.image = ContentFile(buffer.getvalue(), name="replacement.png")
    save_and_commit(photo)
    assert [item["width"] for item in photo.renditions["jpeg"]] == [480, 800, 900]
    assert not default_storage.exists(old_original)
    assert photo.renditions["source"] == photo.image.name
    assert not any(default_storage.exists(name) for name in old_names)
    assert len(rendition_files(photo)) == 7


def test_moving_the_focal_point_remakes_only_the_social_image():
    photo = make_photo()
    sizes = photo.renditions["jpeg"], photo.renditions["webp"]
    old_social = photo.renditions["social"]["name"]
    photo.focal_y = 0.2
    with mock.patch("articles.images.renditions._encode", wraps=images.renditions._encode) as encode:
        save_and_commit(photo)
    assert encode.call_count == 1, "only the social image is encoded"
    assert (photo.renditions["jpeg"], photo.renditions["webp"]) == sizes
    assert photo.renditions["social"]["name"] != old_social
    assert not default_storage.exists(old_social)
    assert default_storage.exists(photo.renditions["social"]["name"])


def test_a_stored_file_that_cannot_be_read_leaves_the_original_in_use():
    photo = Photo(alt_text="Broken")
    # Already in storage (a file damaged there, say): uploads are checked before they get this far.
    photo.image.save("broken.jpg", ContentFile(b"\xff\xd8\xff" + b"not really" * 10), save=False)
    photo.width, photo.height = 100, 100
    with mock.patch("articles.images.renditions.logger") as logger:
        save_and_commit(photo)
    assert logger.exception.called
    assert photo.renditions == {}
    assert Photo.objects.get(pk=photo.pk).renditions == {}
    output = Template("{% load images %}{% picture photo %}").render(Context({"photo": photo}))
    assert f'src="{photo.image.url}"' in output


# What the renditions contain ------------------------------------------------------


def test_exif_orientation_is_applied():
    # Stored sideways, as a phone held upright does it: the camera's top (red) is on the left.
    image = Image.new("RGB", (600, 400), BLUE)
    ImageDraw.Draw(image).rectangle([0, 0, 299, 399], fill=RED)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # display rotated 90° clockwise
    photo = photo_from(image, save_options={"exif": exif})
    assert (photo.renditions["width"], photo.renditions["height"]) == (400, 600)
    largest = photo.renditions["jpeg"][-1]
    assert (largest["width"], largest["height"]) == (400, 600)
    upright = open_stored(largest["name"])
    assert upright.size == (400, 600)
    assert close_to(upright.getpixel((200, 50)), RED)
    assert close_to(upright.getpixel((200, 550)), BLUE)


def test_exif_gps_and_xmp_are_stripped():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Fictive Camera Co"
    exif[ExifTags.Base.Orientation] = 1
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (46.0, 12.0, 30.0), 3: "E", 4: (6.0, 8.0, 15.0)}
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>'
    photo = photo_from(Image.new("RGB", (1000, 700), GREEN), save_options={"exif": exif, "xmp": xmp})
    renditions = photo.renditions
    for item in renditions["jpeg"] + renditions["webp"] + [renditions["social"]]:
        stored = open_stored(item["name"])
        assert not stored.getexif(), item["name"]
        assert "exif" not in stored.info
        assert "xmp" not in stored.info
        assert "icc_profile" not in stored.info


def test_widths_are_never_larger_than_the_original():
    assert images.rendition_widths(4000) == [480, 800, 1200, 1600]
    assert images.rendition_widths(1600) == [480, 800, 1200, 1600]
    assert images.rendition_widths(1000) == [480, 800, 1000]
    assert images.rendition_widths(300) == [300]
    photo = make_photo(size=(700, 500))
    assert [(item["width"], item["height"]) for item in photo.renditions["jpeg"]] == [(480, 343), (700, 500)]
    assert open_stored(photo.renditions["jpeg"][-1]["name"]).size == (700, 500)


def test_a_large_jpeg_is_reduced_without_losing_the_largest_width():
    photo = make_photo(size=(4800, 3200))
    assert [item["width"] for item in photo.renditions["jpeg"]] == [480, 800, 1200, 1600]
    assert (photo.renditions["width"], photo.renditions["height"]) == (4800, 3200)
    assert open_stored(photo.renditions["jpeg"][-1]["name"]).size == (1600, 1067)


def test_a_transparent_png_gets_a_white_background_in_jpeg():
    image = Image.new("RGBA", (600, 400), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle([0, 0, 299, 399], fill=(*RED, 255))
    photo = photo_from(image, "logo.png", "PNG")
    jpeg = open_stored(photo.renditions["jpeg"][-1]["name"])
    assert jpeg.mode == "RGB"
    assert close_to(jpeg.getpixel((450, 200)), WHITE)
    assert close_to(jpeg.getpixel((150, 200)), RED)
    webp = open_stored(photo.renditions["webp"][-1]["name"])
    assert webp.mode == "RGBA"


def test_a_cmyk_jpeg_becomes_rgb():
    photo = photo_from(Image.new("CMYK", (500, 300), (0, 255, 255, 0)))
    jpeg = open_stored(photo.renditions["jpeg"][-1]["name"])
    assert jpeg.mode == "RGB"
    assert close_to(jpeg.getpixel((250, 150)), (255, 0, 0), tolerance=60)


# The social image -----------------------------------------------------------------


def wide_photo_with_green_mark(**fields):
    # A wide white image with a green band around x = 3000 of 4000.
    image = Image.new("RGB", (4000, 1000), WHITE)
    ImageDraw.Draw(image).rectangle([2850, 0, 3150, 999], fill=GREEN)
    return photo_from(image, **fields)


def test_the_social_image_is_1200_by_630_and_centred_on_the_focal_point():
    photo = wide_photo_with_green_mark(focal_x=0.75, focal_y=0.5)
    social = photo.renditions["social"]
    stored = open_stored(social["name"])
    assert stored.size == (1200, 630) == (social["width"], social["height"])
    assert stored.format == "JPEG"
    assert close_to(stored.getpixel((600, 315)), GREEN)
    assert close_to(stored.getpixel((100, 315)), WHITE)


def test_without_a_focal_point_the_social_image_is_the_centre():
    photo = wide_photo_with_green_mark()
    stored = open_stored(photo.renditions["social"]["name"])
    assert close_to(stored.getpixel((600, 315)), WHITE)


def test_a_focal_point_near_the_edge_keeps_the_crop_inside_the_image():
    assert images.focal_crop_box(4000, 1000, 0.99, 0.5, 1200 / 630) == (2095, 0, 4000, 1000)
    assert images.focal_crop_box(1000, 3000, 0.5, 0.0, 1200 / 630) == (0, 0, 1000, 525)
    assert images.focal_crop_box(1000, 3000, 0.5, 0.5, 1200 / 630) == (0, 1238, 1000, 1763)


@pytest.mark.filesystem_only
def test_social_image_helper_gives_an_absolute_url_and_size(settings):
    settings.SITE_URL = "https://news.example.org"
    photo = make_photo(alt_text="Two people talking")
    social = images.social_image(photo)
    assert social == {
        "url": "https://news.example.org/media/" + photo.renditions["social"]["name"],
        "width": 1200,
        "height": 630,
        "alt": "Two people talking",
        "type": "image/jpeg",
    }


@pytest.mark.filesystem_only
def test_urls_already_absolute_are_kept(settings):
    settings.SITE_URL = "https://news.example.org"
    settings.MEDIA_URL = "https://media.example.net/newsroom/"
    photo = make_photo()
    assert images.social_image(photo)["url"].startswith("https://media.example.net/newsroom/renditions/")
    assert images.rendition_url(photo, 800).startswith("https://media.example.net/newsroom/renditions/")


@pytest.mark.filesystem_only
def test_rendition_url_picks_the_smallest_jpeg_wide_enough(settings):
    settings.SITE_URL = "https://news.example.org"
    photo = make_photo(size=(2000, 1000))
    assert images.rendition_url(photo, 1000) == absolute(photo.renditions["jpeg"][2]["name"])
    assert images.rendition_url(photo, 5000) == absolute(photo.renditions["jpeg"][3]["name"])
    assert images.rendition(photo, 480)["bytes"] > 0
    Photo.objects.filter(pk=photo.pk).update(renditions={})
    photo.refresh_from_db()
    assert images.rendition_url(photo, 800) == "https://news.example.org" + photo.image.url


# The {% picture %} tag ---------------------------------------------------------------


def render(template, **context):
    return Template("{% load images %}" + template).render(Context(context))


def tags(output):
    """The start tags in ``output``, in order, as (name, {attribute: value}); the text of spans too."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

        def handle_data(self, data):
            if found and found[-1][0] == "span" and data.strip():
                found[-1][1]["text"] = data.strip()

    Collector().feed(output)
    return found


@pytest.mark.filesystem_only
def test_picture_tag_gives_webp_and_jpeg_srcsets_with_dimensions(django_assert_num_queries):
    photo = make_photo(size=(2000, 1250), alt_text='Delegates "voting" & talking')
    photo = Photo.objects.get(pk=photo.pk)
    with django_assert_num_queries(0):
        output = render('{% picture photo sizes="(min-width: 60rem) 40rem, 100vw" %}', photo=photo)
    assert output.startswith("<picture>") and output.endswith("</picture>")
    (_, _), (_, source), (_, img) = tags(output)
    assert [name for name, _ in tags(output)] == ["picture", "source", "img"]
    assert source.get("type") == "image/webp"
    assert source.get("srcset").count(".webp ") == 4
    assert "/media/renditions/" in source.get("srcset")
    assert source.get("sizes") == "(min-width: 60rem) 40rem, 100vw"
    assert img.get("srcset").endswith(f"/media/{photo.renditions['jpeg'][3]['name']} 1600w")
    assert img.get("src") == f"/media/{photo.renditions['jpeg'][1]['name']}"
    assert img.get("sizes") == "(min-width: 60rem) 40rem, 100vw"
    assert (img.get("width"), img.get("height")) == ("1600", "1000")
    assert img.get("alt") == 'Delegates "voting" & talking'
    assert img.get("loading") == "lazy"
    assert img.get("decoding") == "async"
    assert img.get("fetchpriority") is None


def test_picture_tag_for_the_lead_photo_loads_eagerly_with_high_priority():
    photo = make_photo()
    _, _, (_, img) = tags(render('{% picture photo loading="eager" %}', photo=photo))
    assert img.get("loading") == "eager"
    assert img.get("fetchpriority") == "high"
    assert img.get("sizes") == "(min-width: 50rem) 46rem, 100vw"


def test_picture_tag_falls_back_to_the_original_file():
    photo = make_photo(size=(900, 600))
    Photo.objects.filter(pk=photo.pk).update(renditions={})
    photo.refresh_from_db()
    [(name, img)] = tags(render("{% picture photo %}", photo=photo))
    assert name == "img"
    assert img.get("src") == photo.image.url
    assert (img.get("width"), img.get("height")) == ("900", "600")
    assert img.get("srcset") is None


def test_picture_tag_renders_nothing_without_a_photo():
    assert render("{% picture photo %}", photo=None) == ""


@pytest.mark.filesystem_only
def test_social_image_and_rendition_url_tags(settings):
    settings.SITE_URL = "https://news.example.org"
    photo = make_photo()
    output = render(
        "{% social_image photo as image %}"
        "{{ image.url }} {{ image.width }}x{{ image.height }} {{ image.alt }}"
        "|{% rendition_url photo 480 %}",
        photo=photo,
    )
    social, feed = output.split("|")
    assert (
        social
        == f"https://news.example.org/media/{photo.renditions['social']['name']} 1200x630 {photo.alt_text}"
    )
    assert feed == f"https://news.example.org/media/{photo.renditions['jpeg'][0]['name']}"


def test_figure_partial_shows_caption_and_credit(django_assert_num_queries):
    photo = make_photo(credit="Fictive Photo Agency/Jo Marlowe")
    with django_assert_num_queries(0):
        output = render_to_string(
            "includes/_figure.html", {"photo": photo, "caption": "Ballots & boxes", "loading": "eager"}
        )
    found = tags(output)
    assert [name for name, _ in found] == ["figure", "picture", "source", "img", "figcaption", "span", "span"]
    assert found[3][1]["loading"] == "eager"
    assert found[5][1] == {"class": "photo__caption", "text": "Ballots & boxes"}
    assert found[6][1] == {"class": "photo__credit", "text": "Credit: Fictive Photo Agency/Jo Marlowe"}
    lazy = render_to_string("includes/_figure.html", {"photo": photo, "caption": ""})
    assert 'loading="lazy"' in lazy
    assert "photo__caption" not in lazy


# The make_renditions command ----------------------------------------------------------


def test_make_renditions_is_idempotent_and_repairs_what_is_missing():
    first, second = make_photo(size=(1600, 1000)), make_photo(size=(1600, 1000))
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    assert "made for 0 photo(s); 2 already up to date" in out.getvalue()

    default_storage.delete(first.renditions["webp"][1]["name"])
    Photo.objects.filter(pk=second.pk).update(renditions={})
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    assert "made for 2 photo(s); 0 already up to date" in out.getvalue()
    first.refresh_from_db()
    second.refresh_from_db()
    assert default_storage.exists(first.renditions["webp"][1]["name"])
    assert len(second.renditions["jpeg"]) == 4

    out = io.StringIO()
    call_command("make_renditions", "--force", str(first.pk), stdout=out)
    assert "made for 1 photo(s)" in out.getvalue()
    assert len(rendition_files(first)) == 9


def test_make_renditions_reports_failures():
    photo = make_photo()
    with default_storage.open(photo.image.name, "wb") as file:
        file.write(b"garbage")
    with pytest.raises(CommandError), mock.patch("articles.images.renditions.logger"):
        call_command("make_renditions", "--force", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.parametrize("media_url", ["/media/", "https://media.example.net/newsroom/"])
def test_the_fast_url_is_the_storage_url(settings, media_url):
    settings.MEDIA_URL = media_url
    photo = make_photo()
    names = [item["name"] for item in photo.renditions["jpeg"] + photo.renditions["webp"]]
    names += [photo.renditions["social"]["name"], "renditions/7/a name with spaces & ümlauts.jpg"]
    for name in names:
        assert images.storage_url(name) == default_storage.url(name)


# After commit, named by content ------------------------------------------------------


def test_names_come_from_content_and_parameters_not_the_file_name():
    first = photo_from(Image.new("RGB", (900, 600), BLUE), name="IMG_0001.jpg")
    second = photo_from(Image.new("RGB", (900, 600), RED), name="IMG_0001.jpg")
    assert first.image.name != second.image.name, "two uploads of one name never share a file"
    first_names = images.referenced_names(first.renditions)
    second_names = images.referenced_names(second.renditions)
    assert not first_names & second_names
    assert all(name.startswith("renditions/") and "-" in name for name in first_names)


def test_nothing_is_made_or_deleted_before_the_transaction_commits():
    photo = make_photo()
    old = images.referenced_names(photo.renditions)
    buffer = io.BytesIO()
    Image.new("RGB", (800, 500), GREEN).save(buffer, "JPEG")
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks, transaction.atomic():
        photo.image = ContentFile(buffer.getvalue(), name="new.jpg")
        photo.save()
        assert all(default_storage.exists(name) for name in old), "nothing deleted inside the transaction"
        assert rendition_files(photo) == sorted(name.rsplit("/", 1)[1] for name in old)
    assert callbacks, "the work waits for the commit"


def test_a_rolled_back_save_leaves_the_files_alone():
    photo = make_photo()
    files = rendition_files(photo)
    with (
        TestCase.captureOnCommitCallbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        photo.focal_y = 0.1
        photo.save()
        raise RuntimeError("rolled back")
    assert rendition_files(photo) == files
    assert Photo.objects.get(pk=photo.pk).renditions == photo.renditions


def test_two_saves_of_one_photo_never_delete_each_others_files():
    photo = make_photo(size=(1600, 1000))
    # Two editors' saves commit one after the other; their after-commit work
    # then runs in the worst order: the first save's work last.
    with TestCase.captureOnCommitCallbacks(execute=False) as first:
        photo.focal_y = 0.1
        photo.save()
    with TestCase.captureOnCommitCallbacks(execute=False) as second:
        photo.focal_y = 0.9
        photo.save()
    with TestCase.captureOnCommitCallbacks(execute=True):
        for callback in second + first:
            callback()
    photo.refresh_from_db()
    assert photo.renditions["social"]["focal"] == [0.5, 0.9]
    names = images.referenced_names(photo.renditions)
    assert all(default_storage.exists(name) for name in names)
    assert sorted(name.rsplit("/", 1)[1] for name in names) == rendition_files(photo)


def test_work_for_a_state_that_changed_meanwhile_writes_nothing():
    photo = make_photo(size=(1600, 1000))
    Photo.objects.filter(pk=photo.pk).update(focal_y=0.1)
    files = rendition_files(photo)
    real_render = images.renditions.render

    def render_while_another_editor_saves(*args, **kwargs):
        made = real_render(*args, **kwargs)
        Photo.objects.filter(pk=photo.pk).update(focal_y=0.3)
        return made

    with mock.patch("articles.images.renditions.render", render_while_another_editor_saves):
        assert images.refresh(photo.pk) == "superseded"
    assert rendition_files(photo) == files
    assert Photo.objects.get(pk=photo.pk).renditions == photo.renditions


def test_deleting_a_photo_deletes_its_original_and_renditions_after_commit():
    photo = make_photo()
    original, folder = photo.image.name, f"renditions/{photo.pk}"
    with (
        TestCase.captureOnCommitCallbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Photo.objects.filter(pk=photo.pk).delete()
        raise RuntimeError("rolled back")
    assert default_storage.exists(original) and rendition_files(photo)
    with TestCase.captureOnCommitCallbacks(execute=True):
        Photo.objects.filter(pk=photo.pk).delete()
    assert not default_storage.exists(original)
    assert default_storage.listdir(folder) == ([], [])


class CountingStorage(FileSystemStorage):
    """The file-system storage, noting each call that would be a round trip to an object store."""

    calls = []

    def __getattribute__(self, name):
        if name in {"save", "open", "exists", "delete", "listdir", "size"}:
            type(self).calls.append((object.__getattribute__(self, "_allow_overwrite"), name))
        return object.__getattribute__(self, name)


def test_an_upload_costs_one_write_per_file_and_no_existence_checks(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.test_renditions.CountingStorage"},
        "renditions": {
            "BACKEND": "tests.test_renditions.CountingStorage",
            "OPTIONS": {"allow_overwrite": True},
        },
    }
    calls = CountingStorage.calls
    calls.clear()
    photo = make_photo(size=(1600, 1000))
    originals = [name for overwrite, name in calls if not overwrite]
    renditions = [name for overwrite, name in calls if overwrite]
    # The original: one write (whose unique name Django checks once) and one read to make the renditions.
    assert sorted(originals) == ["exists", "open", "save"]
    # Nine renditions, nine writes, one listing to find leftovers: no exists-delete-save per file.
    assert sorted(renditions) == ["listdir"] + ["save"] * 9
    calls.clear()
    photo.focal_y = 0.2
    save_and_commit(photo)
    # The original read once, the new social image written, the old one deleted.
    assert sorted(name for _, name in calls) == ["delete", "listdir", "open", "save"]
