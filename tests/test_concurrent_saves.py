"""Two editors saving one interview at the same moment: one wins, the other is told, nothing breaks.

The edit-conflict check runs under a row lock taken in the save's own
transaction, so the second save waits for the first and then sees it. Row
locks are PostgreSQL's: on SQLite (one writer at a time) these tests skip.
"""

import threading
import time

import pytest
import reversion
from django.db import connection, connections, transaction
from django.test import Client

from articles.models import Article

from .factories import make_article
from .test_revisions import change_url
from .workflow_support import editor, errors_text, form_data

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def post_in_thread(client, url, data, results):
    def run():
        try:
            results.append(client.post(url, data))
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def wait_until_someone_waits_for_a_lock():
    """Until another connection is blocked on a lock (PostgreSQL's own view of it)."""
    with connections["default"].cursor() as cursor:
        for _ in range(200):
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.025)
    pytest.fail("the second save never waited for the first")


def test_a_save_waits_for_one_in_progress_and_then_reports_the_conflict():
    article = make_article(status="draft", title="Original", questions=2)
    tomas = Client()
    tomas.force_login(editor("Tomas Berg"))
    stale = form_data(tomas.get(change_url(article)))
    stale.update(title="Tomas's headline", **{"blocks-0-order": "2", "blocks-1-order": "1"})
    ines = editor("Ines Okafor")

    results = []
    with transaction.atomic():
        # Ines's save is under way: her transaction holds the interview's row.
        saving = Article.objects.select_for_update().get(pk=article.pk)
        thread = post_in_thread(tomas, change_url(article), stale, results)
        wait_until_someone_waits_for_a_lock()
        saving.title = "Ines's headline"
        saving.save()
        with reversion.create_revision():
            reversion.set_user(ines)
            reversion.add_to_revision(saving)
    thread.join(timeout=30)

    (response,) = results
    assert response.status_code == 200
    assert "Ines Okafor saved this interview on" in errors_text(response)
    article.refresh_from_db()
    assert article.title == "Ines's headline"
    assert [block.kind for block in article.blocks.all()] == ["question", "answer"] * 2


def test_two_saves_sent_together_never_fail():
    article = make_article(status="draft", questions=3)
    clients, forms = [], []
    for name in ("Ines Okafor", "Tomas Berg"):
        client = Client()
        client.force_login(editor(name))
        clients.append(client)
        forms.append(form_data(client.get(change_url(article))))
    # Each reverses the body in its own way: no unique positions to collide on.
    forms[0].update(**{f"blocks-{i}-order": str(6 - i) for i in range(6)})
    forms[1].update(**{f"blocks-{i}-order": str((i + 3) % 6 + 1) for i in range(6)})

    results = []
    threads = [
        post_in_thread(c, change_url(article), f, results) for c, f in zip(clients, forms, strict=True)
    ]
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(response.status_code for response in results) == [200, 302]
    conflict = next(response for response in results if response.status_code == 200)
    assert "saved this interview on" in errors_text(conflict)
    assert sorted(block.position for block in article.blocks.all()) == [1, 2, 3, 4, 5, 6]
