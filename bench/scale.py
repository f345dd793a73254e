"""Public and admin pages at 200 interviews and at 10,000: uncached p50 and the ratio.

    .venv/bin/python bench/scale.py                               # a throwaway SQLite site
    .venv/bin/python bench/scale.py --database-url postgres://postgres@127.0.0.1/nr_scale

Builds a throwaway site (the demo content, then `make_scale_content`), measures
every page in-process with Django's test client (DEBUG off, CACHE_PAGES=0, so
every request renders; the median time of 30 requests after 3 warm-ups, as
the client waits for them, so PostgreSQL's own work counts too) and the
queries each page makes; keeps a copy of that database, adds interviews up to
10,000, and measures the two in turns (three times each, each page's p50 the
median of the three). The target (issue 10): every page within 1.5x of itself
at 200. A PostgreSQL database given with --database-url is emptied first; its
copy (the same name with "_small") is dropped at the end.

This is a measurement, not a test: numbers depend on the machine.
"""

import argparse
import json
import os
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMALL, LARGE = 200, 10_000
RUNS, WARM_UPS = 30, 3
# Measurements of each size, taken in turns with the other.
TURNS = 3
TARGET = 1.5

# Pages measured with nothing kept in Django's cache, as after a change to the interview.
FROM_SCRATCH = {"interview from scratch"}
# (label, path). The desk tag and staff writer of the scale content are on one
# interview in five, so their pages and feeds are full at both sizes: the same
# page, with more interviews behind it.
PAGES = [
    ("interview", "/interviews/scale-150/"),
    # Django's cache emptied before each request: the body, the page parts and the related query.
    ("interview from scratch", "/interviews/scale-150/"),
    ("home", "/"),
    ("home, page 5", "/?page=5"),
    ("tag page", "/tags/scale-topic-0/"),
    ("person page", "/people/scale-person-0/"),
    ("RSS feed, 20 full interviews", "/feeds/rss/"),
    ("tag feed", "/tags/scale-topic-0/feed/rss/"),
    ("person feed", "/people/scale-person-0/feed/rss/"),
    ("sitemap index", "/sitemap.xml"),
    ("sitemap of tags", "/sitemap-tags.xml"),
    ("sitemap of people", "/sitemap-people.xml"),
    ("news sitemap", "/sitemap-news.xml"),
    ("search, rare word", "/search/?q=lighthouse"),
    ("search, one interview", "/search/?q=part+150"),
    ("search, every interview", "/search/?q=tide"),
    ("admin list of interviews", "/admin/articles/article/"),
    ("admin list, searched", "/admin/articles/article/?q=water"),
    ("admin list, filtered", "/admin/articles/article/?status__exact=published"),
]


def environment(workdir, database_url):
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "SITE_URL"}}
    env.update(
        {
            "DEBUG": "0",
            "CACHE_PAGES": "0",
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "testserver",
            "SITE_URL": "http://testserver",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": database_url or f"sqlite:///{workdir / 'scale.sqlite3'}",
            "MEDIA_ROOT": str(workdir / "media"),
            "STATIC_ROOT": str(workdir / "static"),
            "LOG_LEVEL": "ERROR",
            # The editor who opens the admin list has no second factor to show.
            "TWO_FACTOR_FOR_EDITORS": "0",
        }
    )
    return env


def manage(env, *arguments):
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"`manage.py {' '.join(arguments)}` failed: {result.stderr.strip().splitlines()[-1:]}")


def measure(env):
    """Run this script's --measure-pages in a fresh process with ``env``; returns its results."""
    result = subprocess.run(
        [sys.executable, __file__, "--measure-pages"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"Measuring failed: {result.stderr.strip()}")
    return json.loads(result.stdout)


def measure_pages():
    """In the site's own process: CPU time and queries of each page."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from articles.models import Article

    setup_test_environment()
    editor, _ = get_user_model().objects.get_or_create(
        username="scale-bench", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    admin = Client()
    admin.force_login(editor)
    results = {"interviews": Article.objects.published().count(), "pages": {}}
    for label, path in PAGES:
        browser = admin if path.startswith("/admin/") else client

        def get(browser=browser, path=path, from_scratch=label in FROM_SCRATCH):
            if from_scratch:
                cache.clear()
            return browser.get(path)

        for _ in range(WARM_UPS):
            response = get()
            if response.status_code != 200:
                sys.exit(f"{path} answered {response.status_code}")
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            get()
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = get()
        results["pages"][label] = {
            "path": path,
            "p50": statistics.median(times),
            "queries": len(queries),
            "bytes": len(response.content),
        }
    print(json.dumps(results))


def measure_in_turns(small_env, large_env):
    """Each size measured TURNS times, alternately; each page's p50 is the median of its turns.

    A busy moment of the machine then weighs on both sizes alike, not on one.
    """
    runs = {"small": [], "large": []}
    for _ in range(TURNS):
        runs["small"].append(measure(small_env))
        runs["large"].append(measure(large_env))
    results = []
    for size in ("small", "large"):
        first = runs[size][0]
        for label in first["pages"]:
            first["pages"][label]["p50"] = statistics.median(run["pages"][label]["p50"] for run in runs[size])
        results.append(first)
    return results


def copy_database(url, workdir):
    """A copy of the site's database (a new file, or a new PostgreSQL database from it); returns its URL."""
    if url.startswith("sqlite:///"):
        copy = workdir / "small.sqlite3"
        with sqlite3.connect(url.removeprefix("sqlite:///")) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        return f"sqlite:///{copy}"
    server, name = url.rsplit("/", 1)
    # From another database: PostgreSQL copies only a database nobody is connected to.
    subprocess.run(
        ["psql", f"{server}/postgres", "-q", "-c", f'CREATE DATABASE "{name}_small" TEMPLATE "{name}"'],
        check=True,
        capture_output=True,
    )
    return f"{url}_small"


def drop_copy(copy_url, database_url):
    if database_url:
        name = copy_url.rsplit("/", 1)[1]
        subprocess.run(
            ["psql", database_url, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}"'], capture_output=True
        )


def settle(database_url):
    """After a bulk load, what autovacuum would soon do anyway: measuring while it runs measures it."""
    if database_url:
        subprocess.run(["psql", database_url, "-q", "-c", "VACUUM ANALYZE"], check=True, capture_output=True)


def empty_postgres(database_url):
    """Drop everything in the given PostgreSQL database, so the run starts from the same state."""
    subprocess.run(
        ["psql", database_url, "-q", "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"],
        check=True,
        capture_output=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL database to use (emptied first)")
    parser.add_argument("--measure-pages", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_pages:
        return measure_pages()

    with tempfile.TemporaryDirectory(prefix="newsroom-scale-") as folder:
        workdir = Path(folder)
        env = environment(workdir, args.database_url)
        if args.database_url:
            empty_postgres(args.database_url)
        started = time.monotonic()
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "make_scale_content", "--count", str(SMALL))
        settle(args.database_url)
        # A copy at 200 interviews, so the two sizes can be measured in turns.
        small_env = {**env, "DATABASE_URL": copy_database(env["DATABASE_URL"], workdir)}
        try:
            manage(env, "make_scale_content", "--count", str(LARGE - SMALL))
            settle(args.database_url)
            small, large = measure_in_turns(small_env, env)
        finally:
            drop_copy(small_env["DATABASE_URL"], args.database_url)
        elapsed = time.monotonic() - started

    database = "PostgreSQL" if args.database_url else "SQLite"
    code = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    print(f"Code: {code.stdout.strip()}; {database}; load average {os.getloadavg()[0]:.1f}; {elapsed:.0f} s")
    print(
        f"Interviews: {small['interviews']} and {large['interviews']} published (scale content plus the demo)"
    )
    print()
    print(
        f"| Page | p50 ms at {small['interviews']} | p50 ms at {large['interviews']} | Ratio | Queries | Within {TARGET}x |"
    )
    print("|---|---:|---:|---:|---:|:---:|")
    for label, _ in PAGES:
        before, after = small["pages"][label], large["pages"][label]
        ratio = after["p50"] / before["p50"]
        queries = str(before["queries"])
        if after["queries"] != before["queries"]:
            queries += f" / {after['queries']}"
        verdict = "yes" if ratio <= TARGET else "**no**"
        print(
            f"| {label} (`{before['path']}`) | {before['p50']:.1f} | {after['p50']:.1f} | {ratio:.2f} | {queries} | {verdict} |"
        )


if __name__ == "__main__":
    main()
