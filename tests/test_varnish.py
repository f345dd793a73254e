"""Debian's Varnish, with deploy/varnish/newsroom.vcl, in front of the live site.

varnishd listens on a free loopback port and forwards to pytest-django's live
server; the site purges it (PURGE_BACKEND=varnish) after every commit. Skipped
with one reason where varnishd is missing, failed instead under E2E_REQUIRED=1.
"""

import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import previews
from articles.models import Article

from .factories import make_article
from .workflow_support import editor, errors_text, form_data

VCL = Path(__file__).resolve().parent.parent / "deploy" / "varnish" / "newsroom.vcl"
VARNISHD = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/usr/local/sbin")
REQUIRED = os.environ.get("E2E_REQUIRED") == "1"

# serialized_rollback: the desk groups made by a data migration survive the flush after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def varnish(live_server, tmp_path, settings):
    if not VARNISHD:
        if REQUIRED:
            pytest.fail("varnishd not found (E2E_REQUIRED=1): `apt-get install varnish`")
        pytest.skip("varnishd not found: `apt-get install varnish` to run the Varnish tests")
    backend = urlsplit(live_server.url)
    vcl = VCL.read_text()
    vcl = vcl.replace('.host = "127.0.0.1";', f'.host = "{backend.hostname}";', 1)
    vcl = vcl.replace('.port = "8000";', f'.port = "{backend.port}";', 1)
    (tmp_path / "site.vcl").write_text(vcl)
    port = free_port()
    command = [
        VARNISHD,
        "-F",
        "-j",
        "none",
        "-n",
        str(tmp_path / "varnish"),
        "-f",
        str(tmp_path / "site.vcl"),
    ]
    command += ["-a", f"127.0.0.1:{port}", "-T", f"127.0.0.1:{free_port()}", "-s", "malloc,32m"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    settings.PURGE_BACKEND = "varnish"
    settings.VARNISH_URLS = [f"http://127.0.0.1:{port}"]
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            pytest.fail(f"varnishd exited: {process.stdout.read().decode()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail("varnishd did not start within 30 seconds")
            time.sleep(0.2)
    yield port
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def fetch(port, path, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = connection.getresponse()
        return response.status, response.getheader("X-Cache"), response.read().decode(), response
    finally:
        connection.close()


def admin_edit(article, **changes):
    desk = Client()
    desk.force_login(editor())
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = form_data(desk.get(url))
    data.update(changes)
    response = desk.post(url, data)
    assert response.status_code == 302, errors_text(response)
    return desk


def test_pages_are_hits_and_an_edit_in_the_admin_is_purged_exactly(varnish):
    edited = make_article(title="Lena Sorell: before", tags=["sea"])
    untouched = make_article(title="Ravi Olsen: the hills", tags=["hills"])
    pages = [edited.get_absolute_url(), "/", "/feeds/rss/", untouched.get_absolute_url(), "/tags/hills/"]
    for path in pages:
        status, cache, _, response = fetch(varnish, path)
        assert (status, cache) == (200, "MISS"), path
        assert response.getheader("Surrogate-Key") is None  # Varnish keeps the keys to itself.
        assert fetch(varnish, path)[:2] == (200, "HIT"), path

    admin_edit(edited, title="Lena Sorell: after")

    for path in (edited.get_absolute_url(), "/", "/feeds/rss/"):
        status, cache, body, _ = fetch(varnish, path)
        assert (status, cache) == (200, "MISS"), path
        assert "Lena Sorell: after" in body and "Lena Sorell: before" not in body, path
        assert fetch(varnish, path)[1] == "HIT", path
    # Pages that do not show the edited interview stay in Varnish.
    for path in (untouched.get_absolute_url(), "/tags/hills/"):
        assert fetch(varnish, path)[1] == "HIT", path


def test_unpublishing_is_purged_too(varnish):
    article = make_article(title="Short-lived piece")
    assert fetch(varnish, article.get_absolute_url())[0] == 200
    assert fetch(varnish, article.get_absolute_url())[1] == "HIT"
    Article.objects.get(pk=article.pk).unpublish()
    assert fetch(varnish, article.get_absolute_url())[0] == 404
    assert "Short-lived piece" not in fetch(varnish, "/")[2]


def test_the_admin_previews_and_signed_in_readers_are_never_cached(varnish, live_server):
    draft = make_article(title="Embargoed piece", status=Article.Status.REVIEW)
    link = previews.create_link(draft, editor())
    preview = reverse("articles:preview", kwargs={"token": previews.link_token(link)})
    for path in ("/admin/login/", preview):
        for _ in range(2):
            status, cache, _, _ = fetch(varnish, path)
            assert status == 200 and cache == "MISS", path
    link.revoked_at = timezone.now()
    link.save()
    assert "Embargoed piece" not in fetch(varnish, preview)[2]
    public = make_article(title="Public piece")
    fetch(varnish, public.get_absolute_url())
    assert fetch(varnish, public.get_absolute_url())[1] == "HIT"
    status, cache, _, response = fetch(varnish, public.get_absolute_url(), Cookie="sessionid=abc")
    assert cache == "MISS" and response.getheader("Cache-Control") == "private, no-cache"


def test_tracking_parameters_share_one_copy(varnish):
    article = make_article()
    fetch(varnish, article.get_absolute_url())
    status, cache, _, _ = fetch(varnish, article.get_absolute_url() + "?utm_source=social&fbclid=x1")
    assert (status, cache) == (200, "HIT")


def test_a_ban_without_keys_is_refused(varnish):
    # Bans come from the purgers ACL (loopback here) and must name the keys.
    connection = http.client.HTTPConnection("127.0.0.1", varnish, timeout=5)
    connection.request("BAN", "/", headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    assert response.status == 400 and re.search(r"X-Ban-Surrogate-Key", response.read().decode())
    connection.close()
