"""Two gunicorn processes, each with its own local-memory page cache, and an edit made by a third.

Local memory is per process, so this proves that freshness is decided by the
database they share: without Redis, several workers (or machines) never serve
a page that an edit committed anywhere has made stale.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
SLUG = "two-processes"
SETUP = f"""
from datetime import timedelta
from django.utils import timezone
from articles.models import Article, Person
person = Person.objects.create(name="Ines Varga", slug="ines-varga")
article = Article.objects.create(
    title="Ines Varga: the first headline", slug="{SLUG}", standfirst="A standfirst.",
    status="published", published_at=timezone.now() - timedelta(hours=1),
)
article.interviewee_links.create(person=person)
article.tags.add("rivers")
"""
EDIT = f"""
from articles.models import Article
article = Article.objects.get(slug="{SLUG}")
article.title = "Ines Varga: the second headline"
article.save()
"""
UNPUBLISH = f"""
from articles.models import Article
Article.objects.get(slug="{SLUG}").unpublish()
"""


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def environment(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "REDIS_URL", "DATABASE_URL"}}
    env.update(
        {
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
            "MEDIA_ROOT": str(tmp_path / "media"),
            "CACHE_PAGES": "1",
            "LOG_LEVEL": "ERROR",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def get(port, path):
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        return response.status, response.getheader("X-Page-Cache"), response.read().decode()
    finally:
        connection.close()


def serve(env, tmp_path, port):
    config = tmp_path / "gunicorn.conf.py"  # Nothing from the project's own configuration.
    config.write_text("")
    command = [sys.executable, "-m", "gunicorn", "newsroom.wsgi:application", "-c", str(config)]
    command += ["--workers=1", f"--bind={HOST}:{port}", "--log-level=warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, "gunicorn exited"
        try:
            get(port, "/robots.txt")
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    pytest.fail("gunicorn did not start")


@pytest.fixture
def two_servers(tmp_path):
    env = environment(tmp_path)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "shell", "-c", SETUP)
    servers, ports = [], []
    try:
        for _ in range(2):
            ports.append(free_port())
            servers.append(serve(env, tmp_path, ports[-1]))
        yield env, ports
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


def test_an_edit_committed_elsewhere_is_seen_by_every_process_at_once(two_servers):
    env, ports = two_servers
    pages = (f"/interviews/{SLUG}/", "/", "/tags/rivers/", "/people/ines-varga/", "/feeds/rss/")
    for port in ports:
        for path in pages:
            assert get(port, path)[:2] == (200, "miss"), (port, path)
            status, state, body = get(port, path)
            assert (status, state) == (200, "hit") and "the first headline" in body, (port, path)
    manage(env, "shell", "-c", EDIT)
    for port in ports:
        for path in pages:
            status, state, body = get(port, path)
            assert (status, state) == (200, "miss"), (port, path)
            assert "the second headline" in body and "the first headline" not in body, (port, path)
    manage(env, "shell", "-c", UNPUBLISH)
    for port in ports:
        assert get(port, f"/interviews/{SLUG}/")[0] == 404
        for path in ("/", "/feeds/rss/"):
            status, _, body = get(port, path)
            assert status == 200 and "the second headline" not in body, (port, path)
