"""Production settings that cannot go wrong silently, and the two documented deployment shapes.

Settings are read from the environment when the settings module is imported,
so each case imports it in a fresh interpreter with exactly that environment,
as gunicorn or manage.py would.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "SECRET_KEY": "test-" + "k" * 50,
    "SITE_URL": "https://news.example.org",
    "ALLOWED_HOSTS": "news.example.org,127.0.0.1",
}


def clean_environment(**values):
    # Nothing from the test run (PYTEST_VERSION makes the settings think they are under test).
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTEST_VERSION", "DEBUG", "SITE_URL", "SECRET_KEY", "SECURE_SSL_REDIRECT"}
        and not key.startswith(("SECURE_", "SESSION_", "CSRF_", "BEHIND_", "DATABASE_", "REDIS_"))
    }
    env.update(values)
    env["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    return env


def settings_under(**values):
    """The settings that an environment gives, read in a fresh interpreter."""
    names = [
        "SITE_URL",
        "ALLOWED_HOSTS",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "CSRF_TRUSTED_ORIGINS",
        "MEDIA_ORIGIN",
    ]
    code = (
        "import json, newsroom.settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}} | "
        "{'SECURE_PROXY_SSL_HEADER': getattr(s, 'SECURE_PROXY_SSL_HEADER', None)}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean_environment(**values),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def manage_check(**values):
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean_environment(**values),
        capture_output=True,
        text=True,
    )


# SITE_URL -------------------------------------------------------------------------


def test_without_site_url_production_refuses_to_start_with_one_line():
    values = {**PRODUCTION}
    del values["SITE_URL"]
    result = manage_check(**values)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SITE_URL is not set. Set it to the site's public address, for example "
        "https://news.example.org, or set DEBUG=1 for local development."
    ]


@pytest.mark.parametrize(
    "value",
    [
        "news.example.org",
        "ftp://news.example.org",
        "https://news.example.org/news",
        "https://",
        "https://x:port",
    ],
)
def test_site_url_must_be_an_absolute_http_origin(value):
    result = manage_check(**{**PRODUCTION, "SITE_URL": value})
    assert result.returncode != 0
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("Configuration error: SITE_URL must be an absolute http(s) origin")
    assert repr(value) in line


def test_an_http_site_url_with_the_https_redirect_on_is_refused():
    result = manage_check(**{**PRODUCTION, "SITE_URL": "http://news.example.org"})
    assert result.returncode != 0
    [line] = result.stderr.strip().splitlines()
    assert "set SECURE_SSL_REDIRECT=0 for a plain-http trial" in line


def test_debug_keeps_a_local_default_and_a_trailing_slash_is_dropped():
    assert settings_under(DEBUG="1")["SITE_URL"] == "http://127.0.0.1:8000"
    assert settings_under(**{**PRODUCTION, "SITE_URL": "https://news.example.org/"})["SITE_URL"] == (
        "https://news.example.org"
    )


def test_the_site_urls_host_is_allowed_without_listing_it_again():
    values = {**PRODUCTION}
    del values["ALLOWED_HOSTS"]
    found = settings_under(**values)
    assert "news.example.org" in found["ALLOWED_HOSTS"]
    assert found["CSRF_TRUSTED_ORIGINS"] == ["https://news.example.org"]


# Deployment shapes ------------------------------------------------------------------


def test_production_defaults_are_https_only():
    found = settings_under(**PRODUCTION)
    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SESSION_COOKIE_SECURE"] is True
    assert found["CSRF_COOKIE_SECURE"] is True
    assert found["SECURE_HSTS_SECONDS"] == 31536000
    assert found["SECURE_PROXY_SSL_HEADER"] is None


def test_behind_a_tls_proxy_the_forwarded_scheme_is_trusted():
    found = settings_under(**PRODUCTION, BEHIND_TLS_PROXY="1")
    assert found["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert found["SECURE_SSL_REDIRECT"] is True
    assert found["SESSION_COOKIE_SECURE"] is True
    # The proxy may redirect to https itself; cookies stay secure.
    found = settings_under(**PRODUCTION, BEHIND_TLS_PROXY="1", SECURE_SSL_REDIRECT="0")
    assert found["SECURE_SSL_REDIRECT"] is False
    assert found["SESSION_COOKIE_SECURE"] is True


def test_a_plain_http_trial_turns_off_redirect_secure_cookies_and_hsts():
    found = settings_under(**{**PRODUCTION, "SITE_URL": "http://127.0.0.1:8000"}, SECURE_SSL_REDIRECT="0")
    assert found["SECURE_SSL_REDIRECT"] is False
    assert found["SESSION_COOKIE_SECURE"] is False
    assert found["CSRF_COOKIE_SECURE"] is False
    assert found["SECURE_HSTS_SECONDS"] == 0


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_behind_a_tls_proxy_there_is_no_redirect_loop(client):
    # The proxy forwards https requests as plain http with X-Forwarded-Proto: https.
    assert client.get("/", headers={"x-forwarded-proto": "https"}).status_code == 200
    redirect = client.get("/")
    assert redirect.status_code == 301
    assert redirect["Location"] == "https://testserver/"


# gunicorn with the shipped configuration -------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A migrated database and collected static files, as the README's production commands make."""
    folder = tmp_path_factory.mktemp("site")
    env = site_environment(folder, **PRODUCTION)
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    return folder


def site_environment(folder, **values):
    return clean_environment(
        **values,
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
    )


def start_gunicorn(folder, *, whole_log=False, **values):
    """gunicorn with the shipped configuration; ``whole_log`` reads its access log too, with the errors."""
    port = free_port()
    env = site_environment(folder, **values)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "--workers=1"]
        + [f"--bind=127.0.0.1:{port}", "newsroom.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE if whole_log else subprocess.DEVNULL,
        stderr=subprocess.STDOUT if whole_log else subprocess.PIPE,
        text=True,
    )
    return server, port


def get(port, path, headers=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        return opener.open(request, timeout=10)
    except urllib.error.HTTPError as error:
        return error


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_for(server, port):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert server.poll() is None, (server.stderr or server.stdout).read()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not start")


@pytest.fixture
def gunicorn(site):
    servers = []

    def start(**values):
        server, port = start_gunicorn(site, **values)
        servers.append(server)
        wait_for(server, port)
        return port

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=20)


def test_gunicorn_refuses_to_start_without_site_url_in_one_line(tmp_path):
    values = {**PRODUCTION}
    del values["SITE_URL"]
    server, _ = start_gunicorn(tmp_path, **values)
    _, stderr = server.communicate(timeout=30)
    assert server.returncode != 0
    assert stderr.strip().splitlines() == [
        "Configuration error: SITE_URL is not set. Set it to the site's "
        "public address, for example https://news.example.org, or set DEBUG=1 for local development."
    ]


def test_gunicorn_plain_http_trial_serves_without_redirect_or_secure_cookies(gunicorn):
    port = gunicorn(**{**PRODUCTION, "SITE_URL": "http://127.0.0.1:8000"}, SECURE_SSL_REDIRECT="0")
    response = get(port, "/admin/login/")
    assert response.status == 200
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("csrftoken=")
    assert "Secure" not in cookie
    assert "Strict-Transport-Security" not in response.headers


def test_gunicorn_behind_a_tls_proxy_serves_https_requests_and_redirects_plain_ones(gunicorn):
    port = gunicorn(**PRODUCTION, BEHIND_TLS_PROXY="1")
    response = get(port, "/admin/login/", {"Host": "news.example.org", "X-Forwarded-Proto": "https"})
    assert response.status == 200
    assert "; Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    redirect = get(port, "/admin/login/", {"Host": "news.example.org"})
    assert redirect.status == 301
    assert redirect.headers["Location"] == "https://news.example.org/admin/login/"


def test_gunicorn_logs_each_request_once_with_its_duration(site):
    env = {**PRODUCTION, "SITE_URL": "http://127.0.0.1:8000", "SECURE_SSL_REDIRECT": "0"}
    server, port = start_gunicorn(site, whole_log=True, **env)
    try:
        wait_for(server, port)
        assert get(port, "/robots.txt?logged=1").status == 200
    finally:
        server.terminate()
        log, _ = server.communicate(timeout=20)
    lines = [line for line in log.splitlines() if "/robots.txt" in line]
    assert len(lines) == 1, log
    assert re.search(r'"GET /robots.txt\?logged=1 HTTP/1.1" 200 \d+ \d+ms', lines[0])
