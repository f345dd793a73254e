"""Search latency on the configured database: p50/max of search_articles() for a few queries.

    DATABASE_URL=postgres://... .venv/bin/python bench/search_p50.py [--old MODULE_PATH]

Runs each query 7 times after 1 warm-up run, fetching the first page of
results (10 rows) and the count, as the results page does. ``--old`` loads
another version of articles/search.py (for a before/after comparison).
"""

import argparse
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from articles import search  # noqa: E402
from articles.models import Article  # noqa: E402

QUERIES = ["lighthouse", "part 9999", "tide"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", help="path of another search.py to measure instead")
    args = parser.parse_args()
    module = search
    if args.old:
        spec = importlib.util.spec_from_file_location("old_search", args.old)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    print(f"{Article.objects.published().count()} published interviews, {module.__name__}")
    for query in QUERIES:
        times = []
        for run in range(8):
            start = time.perf_counter()
            results = module.search_articles(query)
            count = results.count()
            list(results[:10])
            if run >= 1:
                times.append((time.perf_counter() - start) * 1000)
        times.sort()
        print(f"{query!r}: {count} found, p50 {statistics.median(times):.1f} ms, max {times[-1]:.1f} ms")


if __name__ == "__main__":
    main()
