import itertools
import os

import pytest

from tests import seaweedfs

# `TEST_STORAGE=s3` runs the tests with media on a real S3-compatible store
# (SeaweedFS, started for the session) instead of a folder; .ci/run does both.
ON_S3 = os.environ.get("TEST_STORAGE") == "s3"
_prefixes = itertools.count(1)


@pytest.fixture(scope="session")
def seaweedfs_endpoint():
    with seaweedfs.running() as endpoint:
        yield endpoint


@pytest.fixture
def s3_media(seaweedfs_endpoint, settings):
    """Media on the SeaweedFS bucket, under a prefix of this test's own; returns a boto3 client."""
    return seaweedfs.use_bucket(settings, seaweedfs_endpoint, f"test-{os.getpid()}-{next(_prefixes)}")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path, request):
    """Uploads and renditions go to a fresh folder per test (or a fresh prefix in the bucket)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if ON_S3 and not request.node.get_closest_marker("filesystem_only"):
        request.getfixturevalue("s3_media")
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Every test starts with no stored pages (local memory outlives a test's rolled-back versions)."""
    from django.conf import settings
    from django.core.cache import caches

    caches[settings.PAGE_CACHE_ALIAS].clear()
