"""Desk sessions: their length, and two-factor sign-in with an authenticator app (django-otp)."""

import os
import re
import subprocess
import sys
from base64 import b32decode

import lxml.html
import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .workflow_support import contributor, editor, errors_text

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
VERIFY = reverse("two_factor:verify")
DESK = reverse("admin:index")


def sign_in(client, user):
    return client.post(LOGIN, {"username": user.username, "password": "pw", "next": DESK})


def code_for(key):
    """What the editor's app shows now, from the key it was set up with."""
    return str(TOTP(key).token()).zfill(6)


def enrol(client):
    """Scan (read the key from the page) and confirm with the first code, as an editor does."""
    page = client.get(VERIFY).content.decode()
    secret = lxml.html.fromstring(page).xpath("//code[@class='two-factor__secret']")[0].text
    key = b32decode(secret)
    return key, client.post(VERIFY, {"code": code_for(key), "next": DESK})


def test_a_desk_session_lasts_twelve_hours_by_default(client):
    response = sign_in(client, editor())
    assert response.status_code == 302
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 12 * 3600


def test_the_session_age_comes_from_the_environment():
    def session_age(**env):
        code = "import django; django.setup(); from django.conf import settings; print(settings.SESSION_COOKIE_AGE)"
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "DEBUG": "1", **env}
        environment.pop("PYTEST_VERSION", None)
        result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return int(result.stdout)

    assert session_age() == 12 * 3600
    assert session_age(ADMIN_SESSION_HOURS="2") == 2 * 3600


def test_with_two_factor_off_a_password_is_enough(client, settings):
    settings.TWO_FACTOR_FOR_EDITORS = False
    assert sign_in(client, editor())["Location"] == DESK
    assert client.get(DESK).status_code == 200


def test_with_two_factor_on_an_editor_sets_up_an_app_before_anything_else(client, settings, time_machine):
    time_machine.move_to("2026-06-01 08:00Z")
    settings.TWO_FACTOR_FOR_EDITORS = True
    boss = editor()
    assert sign_in(client, boss)["Location"] == DESK
    # Every desk page sends them to set up the app first.
    for url in (DESK, reverse("admin:articles_article_changelist"), reverse("admin:articles_article_add")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), url
    page = client.get(VERIFY)
    assert page.status_code == 200
    doc = lxml.html.fromstring(page.content)
    assert doc.xpath("//img[starts-with(@src, 'data:image/svg+xml')]")

    # A wrong code is refused, and nothing opens.
    response = client.post(VERIFY, {"code": "000000", "next": DESK})
    assert response.status_code == 200
    assert "That code is not right" in errors_text(response)
    assert client.get(DESK).status_code == 302

    TOTPDevice.objects.filter(user=boss).update(throttling_failure_count=0)
    key, response = enrol(client)
    assert response.status_code == 302 and response["Location"] == DESK
    assert client.get(DESK).status_code == 200
    assert TOTPDevice.objects.get(user=boss).confirmed

    # Next time, the password alone is not enough.
    time_machine.shift(30)  # A code works once: the app shows the next one.
    client.logout()
    sign_in(client, boss)
    assert client.get(DESK)["Location"].startswith(VERIFY)
    page = client.get(VERIFY).content.decode()
    assert "two-factor__secret" not in page  # The key is shown once, when setting up.
    response = client.post(VERIFY, {"code": code_for(key), "next": DESK})
    assert response["Location"] == DESK and client.get(DESK).status_code == 200


def test_with_two_factor_on_contributors_may_but_need_not_use_it(client, settings):
    settings.TWO_FACTOR_FOR_EDITORS = True
    writer = contributor()
    sign_in(client, writer)
    assert client.get(DESK).status_code == 200


def test_whoever_set_up_an_app_needs_its_code_even_with_the_setting_off(client, settings):
    settings.TWO_FACTOR_FOR_EDITORS = False
    writer = contributor()
    client.force_login(writer)
    key, response = enrol(client)
    assert response["Location"] == DESK
    client.logout()
    sign_in(client, writer)
    assert client.get(DESK)["Location"].startswith(VERIFY)


def test_repeated_wrong_codes_are_slowed_down(client, settings):
    settings.TWO_FACTOR_FOR_EDITORS = True
    client.force_login(editor())
    key, _ = enrol(client)
    client.logout()
    client.force_login(TOTPDevice.objects.get().user)
    client.post(VERIFY, {"code": "000000"})
    # Even the right code waits after a wrong one.
    response = client.post(VERIFY, {"code": code_for(key), "next": DESK})
    assert "Too many wrong codes in a row" in errors_text(response)
    assert client.get(DESK).status_code == 302


def test_the_next_address_stays_on_the_site(client, settings):
    settings.TWO_FACTOR_FOR_EDITORS = True
    client.force_login(editor())
    page = client.get(VERIFY + "?next=https://evil.example/")
    assert re.search(r'name="next" value="/admin/"', page.content.decode())
