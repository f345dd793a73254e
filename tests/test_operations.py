"""What operators rely on: /healthz, the request log, error reports (mail, Sentry) and media served by the site."""

import gzip
import http.server
import json
import logging
import subprocess
import sys
import threading

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import override_settings

from .test_deployment import PRODUCTION, ROOT, clean_environment, settings_under

pytestmark = pytest.mark.django_db

DEAD_REDIS = {"default": {"BACKEND": "newsroom.redis_cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


# /healthz ---------------------------------------------------------------------------


def test_healthz_answers_200_with_each_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "storage": "ok"}}
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


@override_settings(CACHES=DEAD_REDIS)
def test_healthz_answers_503_naming_the_failed_check_and_nothing_more(client, caplog):
    with caplog.at_level(logging.ERROR, logger="newsroom.operations"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "checks": {"database": "ok", "cache": "error", "storage": "ok"},
    }
    assert b"127.0.0.1" not in response.content and b"Error" not in response.content
    assert "Health check failed: cache" in caplog.text


@override_settings(SECURE_SSL_REDIRECT=True)
def test_healthz_is_exempt_from_the_https_redirect(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


# Request log ------------------------------------------------------------------------


def test_every_request_logs_one_line_with_method_path_status_and_duration(client, caplog):
    with caplog.at_level(logging.INFO, logger="newsroom.requests"):
        client.get("/")
        client.get("/interviews/nothing-here/")
    lines = [record.getMessage() for record in caplog.records if record.name == "newsroom.requests"]
    assert len(lines) == 2
    assert lines[0].startswith("GET / 200 ") and lines[0].endswith("ms")
    assert lines[1].startswith("GET /interviews/nothing-here/ 404 ")


# Error reports ----------------------------------------------------------------------


@override_settings(ROOT_URLCONF="tests.failing_urls", ADMINS=[("Desk", "desk@example.org")], DEBUG=False)
def test_a_server_error_is_mailed_to_the_admins(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    [message] = mail.outbox
    assert message.to == ["desk@example.org"]
    assert "boom from the error-reporting test" in message.body


def test_admins_and_email_come_from_the_environment():
    code = (
        "import json, newsroom.settings as s; print(json.dumps([s.ADMINS, s.SERVER_EMAIL, s.EMAIL_HOST, "
        "s.EMAIL_PORT, s.EMAIL_USE_TLS]))"
    )
    env = clean_environment(
        **PRODUCTION,
        ADMINS="Night Desk <desk@example.org>, ops@example.org",
        SERVER_EMAIL="newsroom@example.org",
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="1",
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        [["Night Desk", "desk@example.org"], ["", "ops@example.org"]],
        "newsroom@example.org",
        "smtp.example.org",
        587,
        True,
    ]


class Recorder(http.server.BaseHTTPRequestHandler):
    """Stands in for Sentry's ingestion endpoint: keeps what is posted."""

    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            # sentry-sdk compresses with brotli whenever the module is installed.
            import brotli

            body = brotli.decompress(body)
        type(self).received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_recorder():
    Recorder.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


def test_with_sentry_dsn_a_server_error_reaches_sentry_without_personal_data(sentry_recorder):
    code = """
import django, sentry_sdk
django.setup()
from django.test import Client, override_settings
from django.test.utils import setup_test_environment
setup_test_environment()
from django.conf import settings
plain_static = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(ROOT_URLCONF="tests.failing_urls", STORAGES=plain_static):
    status = Client(raise_request_exception=False).get("/boom/", REMOTE_ADDR="203.0.113.9").status_code
sentry_sdk.flush(timeout=10)
print(status)
"""
    env = clean_environment(
        **{**PRODUCTION, "SITE_URL": "http://127.0.0.1:8000"},
        SECURE_SSL_REDIRECT="0",
        SENTRY_DSN=f"http://publickey@127.0.0.1:{sentry_recorder}/42",
        DATABASE_URL="sqlite:///:memory:",
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "500"
    envelopes = [body for path, body in Recorder.received if path == "/api/42/envelope/"]
    assert envelopes, Recorder.received
    event = b"\n".join(envelopes)
    assert b"boom from the error-reporting test" in event
    assert b"203.0.113.9" not in event


# Media served by the site ----------------------------------------------------------------


def stored(name, data=b"data"):
    return default_storage.save(name, ContentFile(data))


@pytest.mark.filesystem_only
def test_a_rendition_is_served_with_its_type_nosniff_and_a_long_cache(client):
    name = stored("renditions/1/photo-800-0123456789abcdef.jpg", b"\xff\xd8\xff jpeg bytes")
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Content-Disposition" not in response or "attachment" not in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"\xff\xd8\xff jpeg bytes"


@pytest.mark.filesystem_only
def test_anything_that_is_not_an_image_is_a_download(client):
    for name in ("notes/page.html", "notes/drawing.svg", "notes/no-extension"):
        stored(name, b"<script>alert(1)</script>")
        response = client.get(f"/media/{name}")
        assert response.status_code == 200, name
        assert response["Content-Type"] == "application/octet-stream", name
        assert response["Content-Disposition"].startswith("attachment;"), name
        assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.filesystem_only
def test_no_listing_no_traversal_no_missing_file(client, settings):
    stored("renditions/1/a.jpg")
    (settings.MEDIA_ROOT.parent / "secret.txt").write_text("outside the media folder")
    for path in (
        "renditions/",
        "renditions/1/",
        "renditions",
        "../secret.txt",
        "%2e%2e/secret.txt",
        "renditions/1/../../../secret.txt",
        "renditions/1/missing.jpg",
        "/etc/passwd",
    ):
        assert client.get(f"/media/{path}").status_code == 404, path


# Object storage settings ------------------------------------------------------------------


def test_a_bucket_switches_media_to_s3_with_public_unsigned_addresses():
    code = (
        "import json, newsroom.settings as s; print(json.dumps([s.STORAGES['default'], s.STORAGES['renditions'], "
        "s.AWS_QUERYSTRING_AUTH, s.AWS_S3_FILE_OVERWRITE, s.AWS_S3_CUSTOM_DOMAIN, s.AWS_S3_URL_PROTOCOL, "
        "s.SERVE_MEDIA, s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]))"
    )
    env = clean_environment(
        **PRODUCTION,
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:8333",
        MEDIA_URL="https://media.example.org/newsroom/",
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    default, renditions, signed, overwrite, domain, protocol, serve_media, img_src = json.loads(result.stdout)
    assert default == {"BACKEND": "storages.backends.s3.S3Storage"}
    assert renditions == {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"file_overwrite": True}}
    assert (signed, overwrite) == (False, False)
    assert (domain, protocol) == ("media.example.org/newsroom", "https:")
    assert serve_media is False
    assert img_src == ["'self'", "data:", "https://media.example.org"]


def test_a_bucket_without_a_public_media_url_is_refused_in_one_line():
    env = clean_environment(**PRODUCTION, AWS_STORAGE_BUCKET_NAME="newsroom-media")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Configuration error: With AWS_STORAGE_BUCKET_NAME set, MEDIA_URL must be")


def test_media_on_a_cdn_is_allowed_by_the_csp():
    assert settings_under(**PRODUCTION, MEDIA_URL="https://cdn.example.net/media/")["MEDIA_ORIGIN"] == (
        "https://cdn.example.net"
    )
