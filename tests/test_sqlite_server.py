"""SQLite, the default database, as a web server uses it: saves made at the same time both succeed.

Each thread has its own connection to one SQLite file, opened with the
options settings.py gives SQLite (SQLITE_OPTIONS), as two gunicorn workers
would. Both read, then both write: with SQLite's default deferred
transactions the second write fails at once with "database is locked".
"""

import contextlib
import threading

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.db.utils import OperationalError

from .factories import make_article, make_person

ALIAS = "sqlite_server_test"


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    def connect(options):
        # A database of its own, outside the test database and its transaction.
        connections.settings[ALIAS] = connections.configure_settings(
            {
                "default": {},
                ALIAS: {
                    "ENGINE": "django.db.backends.sqlite3",
                    "NAME": str(tmp_path / "db.sqlite3"),
                    "OPTIONS": dict(options),
                },
            }
        )[ALIAS]
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS saves (id INTEGER PRIMARY KEY, note TEXT)")
        connections[ALIAS].close()

    with django_db_blocker.unblock():
        yield connect
    connections[ALIAS].close()
    del connections[ALIAS]  # This thread's connection, which would keep this test's settings.
    connections.settings.pop(ALIAS, None)


def save_twice_at_once():
    """Two threads each read then save, both reading before either saves when SQLite lets them."""
    both_read = threading.Barrier(2, timeout=1)
    errors = []

    def save(note):
        connection = connections[ALIAS]
        try:
            with transaction.atomic(using=ALIAS), connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM saves")
                # Broken when the other save waits for this one to finish: nothing to wait for.
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_read.wait()
                cursor.execute("INSERT INTO saves (note) VALUES (%s)", [note])
        except OperationalError as error:
            errors.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(note,)) for note in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("SELECT note FROM saves ORDER BY note")
        saved = [row[0] for row in cursor.fetchall()]
    connections[ALIAS].close()
    return saved, errors


def test_two_saves_at_once_both_succeed(sqlite_file):
    sqlite_file(settings.SQLITE_OPTIONS)
    assert save_twice_at_once() == (["first", "second"], [])


def test_without_these_options_one_of_them_fails(sqlite_file):
    """What the options fix: SQLite's defaults lose one of the two saves."""
    sqlite_file({"timeout": 5})
    saved, errors = save_twice_at_once()
    assert len(saved) == 1
    assert errors == ["database is locked"]


def test_the_default_database_uses_them():
    default = settings.DATABASES["default"]
    if default["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the default database here is not SQLite")
    for name, value in settings.SQLITE_OPTIONS.items():
        assert default["OPTIONS"][name] == value


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps its own statistics")
def test_the_query_planner_gets_statistics_after_a_request(client, monkeypatch):
    from newsroom import database

    make_article("Harbour walls", authors=[make_person("Ines Corvo")])
    monkeypatch.setattr(database, "_last_run", None)
    client.get("/")
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        analysed = {row[0] for row in cursor.fetchall()}
    # The tables the home page read, among them those the person and tag pages join.
    assert {"articles_article", "articles_articleauthor"} <= analysed
