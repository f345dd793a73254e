"""Desk accounts: sign-in throttling per account and per address (django-axes), and unlocking."""

import logging

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from .workflow_support import contributor, editor, messages_text

pytestmark = pytest.mark.django_db

PASSWORD = "pw"  # workflow_support's users
LOGIN = reverse("admin:login")


def sign_in(client, user_or_name, password=PASSWORD, address="198.51.100.7", **headers):
    username = getattr(user_or_name, "username", user_or_name)
    data = {"username": username, "password": password, "next": "/admin/"}
    return client.post(LOGIN, data, REMOTE_ADDR=address, **headers)


def fail(client, user_or_name, times, **kwargs):
    for _ in range(times):
        response = sign_in(client, user_or_name, "wrong", **kwargs)
        assert response.status_code in (200, 429)
    return response


def signed_in(response):
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_an_account_is_locked_after_five_failures_whatever_the_address(client):
    writer = contributor()
    for n in range(4):
        response = sign_in(client, writer, "wrong", address=f"203.0.113.{n}")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    response = sign_in(client, writer, "wrong", address="203.0.113.4")
    assert response.status_code == 429
    # Now even the right password, from anywhere, is refused with a clear message.
    response = sign_in(client, writer, address="192.0.2.50")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed sign-ins" in page
    assert "signing in is paused for 15\xa0minutes" in page
    assert "ask an editor to unlock your account" in page
    assert "_auth_user_id" not in client.session
    # Someone else, elsewhere, is not affected.
    assert signed_in(sign_in(client, editor(), address="192.0.2.51"))


def test_an_address_is_locked_after_five_failures_whatever_the_account(client):
    for n in range(5):
        sign_in(client, f"guess{n}", "wrong", address="203.0.113.9")
    someone = editor()
    assert sign_in(client, someone, address="203.0.113.9").status_code == 429
    assert signed_in(sign_in(client, someone, address="203.0.113.10"))


def test_the_lock_lifts_after_the_cool_off(client, time_machine):
    time_machine.move_to("2026-06-01 08:00Z", tick=False)
    writer = contributor()
    fail(client, writer, 5)
    time_machine.move_to("2026-06-01 08:14Z", tick=False)
    assert sign_in(client, writer).status_code == 429
    time_machine.move_to("2026-06-01 08:16Z", tick=False)
    assert signed_in(sign_in(client, writer))


def test_a_successful_sign_in_starts_the_count_again(client):
    writer = contributor()
    fail(client, writer, 4)
    assert signed_in(sign_in(client, writer))
    client.logout()
    fail(client, writer, 4)
    assert signed_in(sign_in(client, writer))


def test_failed_sign_ins_are_logged_with_account_and_address(client, caplog):
    caplog.set_level(logging.WARNING, logger="axes")
    fail(client, "ines", 5, address="203.0.113.77")
    failures = [r.getMessage() for r in caplog.records if "failure by" in r.getMessage()]
    assert len(failures) == 5
    assert all("ines" in message and "203.0.113.77" in message for message in failures)
    assert any("Locking out" in r.getMessage() for r in caplog.records)
    assert "wrong" not in caplog.text  # Never the password tried.


def test_an_editor_unlocks_an_account_from_the_admin(client):
    writer = contributor()
    fail(client, writer, 5)
    assert sign_in(client, writer).status_code == 429

    client.force_login(editor())
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = client.get(changelist)
    assert page.status_code == 200 and writer.username in page.content.decode()
    selected = list(AccessAttempt.objects.filter(username=writer.username).values_list("pk", flat=True))
    response = client.post(changelist, {"action": "unlock", "_selected_action": selected}, follow=True)
    assert f"Unlocked: {writer.username}." in messages_text(response)
    client.logout()
    assert signed_in(sign_in(client, writer))


def test_contributors_cannot_see_or_unlock_sign_in_attempts(client):
    fail(client, "someone", 2)
    client.force_login(contributor())
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_an_operator_unlocks_an_account_with_a_command(client, capsys):
    writer = contributor()
    fail(client, writer, 5)
    call_command("axes_reset_username", writer.username)
    assert "attempts removed" in capsys.readouterr().out
    assert signed_in(sign_in(client, writer))


def test_behind_a_proxy_the_forwarded_address_is_the_one_counted(client, settings):
    """Behind Varnish every request comes from the proxy: counting its address would lock everyone out."""
    settings.TRUSTED_PROXIES = 1
    proxy = "127.0.0.1"
    for n in range(5):
        # The client may send its own X-Forwarded-For; the proxy appends the real address.
        sign_in(client, f"guess{n}", "wrong", address=proxy, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.5")
    someone = editor()
    assert sign_in(client, someone, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    assert signed_in(sign_in(client, someone, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.6"))
