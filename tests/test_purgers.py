"""Fastly and Cloudflare purges, against a local HTTP server that records the calls (their APIs are on the internet)."""

import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction

from articles import caching

from .factories import make_article, make_person

pytestmark = pytest.mark.django_db


class Recorder(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.calls.append({"path": self.path, "headers": dict(self.headers), "json": json.loads(body)})
        reply = json.dumps({"status": "ok", "success": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.calls = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def fastly(settings, recorder):
    settings.PURGE_BACKEND = "fastly"
    settings.FASTLY_API_URL = f"http://127.0.0.1:{recorder.server_port}"
    settings.FASTLY_SERVICE_ID = "SERVICE1"
    settings.FASTLY_API_TOKEN = "fastly-token"
    return recorder


@pytest.fixture
def cloudflare(settings, recorder):
    settings.PURGE_BACKEND = "cloudflare"
    settings.CLOUDFLARE_API_URL = f"http://127.0.0.1:{recorder.server_port}/client/v4"
    settings.CLOUDFLARE_ZONE_ID = "ZONE1"
    settings.CLOUDFLARE_API_TOKEN = "cloudflare-token"
    return recorder


def test_fastly_gets_the_changed_keys_after_commit(fastly, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # Committed before the test begins.
        person = make_person()
        make_article(interviewees=[person])
    fastly.calls.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        person.name = "Renamed Person"
        person.save()
    assert fastly.calls == []  # Nothing leaves before the commit.
    for callback in callbacks:
        callback()
    (call,) = fastly.calls
    assert call["path"] == "/service/SERVICE1/purge"
    assert call["headers"]["Fastly-Key"] == "fastly-token"
    assert set(call["json"]["surrogate_keys"]) == {f"person-{person.pk}", "overflow"}


def test_cloudflare_gets_the_tags_in_batches_of_a_hundred(cloudflare, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        caching.changed(*(f"article-{n}" for n in range(1, 251)))
    assert [call["path"] for call in cloudflare.calls] == ["/client/v4/zones/ZONE1/purge_cache"] * 3
    assert all(call["headers"]["Authorization"] == "Bearer cloudflare-token" for call in cloudflare.calls)
    tags = [tag for call in cloudflare.calls for tag in call["json"]["tags"]]
    assert len(tags) == 251 and set(tags) == {*(f"article-{n}" for n in range(1, 251)), "overflow"}
    assert max(len(call["json"]["tags"]) for call in cloudflare.calls) == 100


def test_one_purge_per_transaction_and_none_for_a_rollback(fastly, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(tags=["sea"])
    fastly.calls.clear()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        article.title = "Retitled"
        article.save()
        article.blocks.first().save()
        article.tags.add("coast")
    (call,) = fastly.calls
    assert {f"article-{article.pk}", "listings"} <= set(call["json"]["surrogate_keys"])
    fastly.calls.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        article.title = "Never saved"
        article.save()
        raise RuntimeError
    assert fastly.calls == []


def test_a_failed_purge_is_logged_and_the_edit_kept(settings, caplog, django_capture_on_commit_callbacks):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.PURGE_BACKEND = "fastly"
    settings.FASTLY_API_URL = f"http://127.0.0.1:{closed}"
    settings.FASTLY_SERVICE_ID, settings.FASTLY_API_TOKEN = "S", "T"
    with django_capture_on_commit_callbacks(execute=True):
        person = make_person()
    with (
        caplog.at_level(logging.WARNING, logger="articles.purgers"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        person.name = "Kept anyway"
        person.save()
    assert "Purging" in caplog.text and "failed" in caplog.text
    person.refresh_from_db()
    assert person.name == "Kept anyway"
