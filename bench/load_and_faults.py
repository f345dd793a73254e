"""Load and fault test: gunicorn on PostgreSQL and Redis, 64 connections for 30 seconds, with restarts.

    .venv/bin/python bench/load_and_faults.py                 # 64 connections, 30 s, restarts at 10 s and 20 s
    .venv/bin/python bench/load_and_faults.py --no-faults     # the same load without restarts

Everything is private to the run: a PostgreSQL cluster (initdb) and a Redis
server on free loopback ports, a site built from the demo content, and
gunicorn with deploy/gunicorn.conf.py. 64 client threads, each with a kept-alive
connection, ask for a mix of pages (home, interviews, tag and person pages,
feeds, search, sitemap, /healthz). PostgreSQL is restarted a third of the way
in and Redis two thirds of the way in. The report counts answers by status,
5xx answers and socket errors (refused, reset, timed out) over the whole run
and in the five seconds after each restart, and the time until the first good
answer after each.

This is a measurement, not a test: numbers depend on the machine.
"""

import argparse
import http.client
import json
import random
import statistics
import tempfile
import threading
import time
from collections import Counter

from services import HOST, PostgreSQL, Redis, free_port, prepare_site, site_environment, start_gunicorn, stop

PAGES = [
    "/",
    "/interviews/teodora-valen-sea-wall-promise/",
    "/interviews/karlsson-adeyemi-duo/",
    "/tags/climate/",
    "/feeds/rss/",
    "/feeds/json/",
    "/search/?q=water",
    "/sitemap.xml",
    "/healthz",
]


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.records = []  # (finished at, status or error name, seconds)

    def add(self, status, seconds):
        with self.lock:
            self.records.append((time.monotonic(), status, seconds))


def client_loop(port, stop_at, results, seed):
    rng = random.Random(seed)
    connection = None
    while time.monotonic() < stop_at:
        path = rng.choice(PAGES)
        started = time.monotonic()
        try:
            if connection is None:
                connection = http.client.HTTPConnection(HOST, port, timeout=15)
            connection.request("GET", path, headers={"Host": HOST})
            response = connection.getresponse()
            response.read()
            results.add(response.status, time.monotonic() - started)
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as error:
            results.add(type(error).__name__, time.monotonic() - started)
            if connection is not None:
                connection.close()
            connection = None
            time.sleep(0.05)


def summarise(records, since=None, until=None):
    chosen = [r for r in records if (since is None or r[0] >= since) and (until is None or r[0] < until)]
    statuses = Counter(str(status) for _, status, _ in chosen)
    durations = sorted(seconds for _, status, seconds in chosen if status == 200)
    return {
        "requests": len(chosen),
        "statuses": dict(sorted(statuses.items())),
        "5xx": sum(count for status, count in statuses.items() if status.isdigit() and status[0] == "5"),
        "socket errors": sum(count for status, count in statuses.items() if not status.isdigit()),
        "p50 ms": round(statistics.median(durations) * 1000, 1) if durations else None,
        "p99 ms": round(durations[int(len(durations) * 0.99) - 1] * 1000, 1) if durations else None,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--no-faults", action="store_true")
    parser.add_argument("--workers", default="2")
    parser.add_argument("--threads", default="4")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newsroom-load-") as folder:
        postgres, redis = PostgreSQL(folder), Redis(folder)
        postgres.start()
        redis.start()
        port = free_port()
        env = site_environment(folder, port, DATABASE_URL=postgres.url, REDIS_URL=redis.url)
        env.update({"WEB_CONCURRENCY": args.workers, "GUNICORN_THREADS": args.threads})
        server = None
        try:
            prepare_site(env)
            server = start_gunicorn(env, port)
            results = Results()
            started = time.monotonic()
            stop_at = started + args.seconds
            clients = [
                threading.Thread(target=client_loop, args=(port, stop_at, results, n), daemon=True)
                for n in range(args.connections)
            ]
            for thread in clients:
                thread.start()
            faults = []
            if not args.no_faults:
                for fraction, name, service in ((1 / 3, "PostgreSQL", postgres), (2 / 3, "Redis", redis)):
                    time.sleep(max(0, started + args.seconds * fraction - time.monotonic()))
                    began = time.monotonic()
                    service.restart()
                    faults.append((name, began, time.monotonic()))
            for thread in clients:
                thread.join()
            report = {
                "connections": args.connections,
                "seconds": args.seconds,
                "gunicorn": f"{args.workers} workers x {args.threads} threads (gthread)",
                "whole run": summarise(results.records),
            }
            report["requests per second"] = round(report["whole run"]["requests"] / args.seconds, 1)
            for name, began, ended in faults:
                after = summarise(results.records, since=began, until=ended + 5)
                good = [r[0] for r in results.records if r[0] >= ended and r[1] == 200]
                after["restart took s"] = round(ended - began, 2)
                after["first 200 after restart s"] = round(min(good) - ended, 3) if good else None
                report[f"{name} restart (from restart to 5 s after)"] = after
            print(json.dumps(report, indent=2))
        finally:
            if server is not None:
                stop(server)
            redis.stop()
            postgres.stop("immediate")


if __name__ == "__main__":
    main()
