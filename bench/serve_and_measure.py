"""Serve the demo site with gunicorn and measure the public pages, uncached, cached and through Varnish.

    .venv/bin/python bench/serve_and_measure.py            # measure over HTTP (make bench)
    .venv/bin/python bench/serve_and_measure.py --profile  # cProfile the interview page in-process

Everything runs against a throwaway copy of the site in a temporary folder:
its own SQLite database with the demo content, its own media and static
files, DEBUG off, as in production. Each of these runs at once on
127.0.0.1, in one sync gunicorn worker each:

- uncached: the site with CACHE_PAGES=0 (every request renders the page);
- cached: the site with its page cache (local memory), after a warm-up;
- ceiling: bench/ceiling.py, a bare Django view returning as many constant
  bytes as the interview page, with no middleware: the most requests per
  second a Django process serves on this machine;
- varnish: when varnishd is installed, Varnish with deploy/varnish/newsroom.vcl
  in front of the cached site (every request a Varnish hit).

A client in this script sends a bounded number of requests per page, one at
a time, in twenty rounds that visit every page of every mode, in a new order each (so a burst
of other work on the machine falls on all of them alike), and reports requests per second, p50/p99 latency, the gunicorn
worker's CPU time per request read from /proc, and the ratios. Results are
also written to bench/results/latest.json.

This is a measurement, not a test: numbers depend on the machine.
"""

import argparse
import cProfile
import http.client
import json
import os
import platform
import pstats
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PAGES = [
    ("interview (14+ questions)", "/interviews/teodora-valen-sea-wall-promise/", "Teodora Valen"),
    ("home", "/", "Teodora Valen"),
    ("tag page", "/tags/climate/", "Teodora Valen"),
    ("feed (RSS, full text)", "/feeds/rss/", "Teodora Valen"),
]
VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"
INTERVIEW_PATH = PAGES[0][1]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def site_environment(workdir, port):
    """Production-like settings for a throwaway site in ``workdir``."""
    env = {
        key: value
        for key, value in os.environ.items()
        # Nothing from the caller's site configuration leaks into the measurement.
        if key not in {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "STATIC_ROOT", "DEBUG", "SITE_URL"}
    }
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": HOST,
            "SITE_URL": f"http://{HOST}:{port}",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "MEDIA_ROOT": str(workdir / "media"),
            "STATIC_ROOT": str(workdir / "static"),
            "LOG_LEVEL": "ERROR",
            # As under deploy/gunicorn.conf.py, where gunicorn's access log has the line per
            # request; neither the site nor the ceiling is measured with an access log.
            "REQUEST_LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


def prepare(env):
    manage = [sys.executable, str(ROOT / "manage.py")]
    steps = [
        ["migrate", "--noinput", "-v0"],
        ["load_demo"],
        ["collectstatic", "--noinput", "-v0"],
    ]
    for step in steps:
        result = subprocess.run(manage + step, cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"`manage.py {' '.join(step)}` failed:\n{result.stderr.strip()}")


# Measuring over HTTP --------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(env, port, app="newsroom.wsgi:application", pythonpath=None, python=None, cwd=ROOT):
    """One sync worker serving ``app``; ``python`` and ``cwd`` serve another project (bench/against_wagtail.py)."""
    command = [
        python or sys.executable,
        "-m",
        "gunicorn",
        app,
        "--workers=1",
        "--worker-class=sync",
        f"--bind={HOST}:{port}",
        "--log-level=warning",
    ]
    if pythonpath:
        command.append(f"--pythonpath={pythonpath}")
    server = subprocess.Popen(command, cwd=cwd, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with status {server.returncode}; is port {port} free?")
        try:
            status, _ = fetch(port, "/")
            worker = worker_pid(server.pid)
            if status == 200 and worker:
                return server, worker
        except OSError:
            pass
        time.sleep(0.2)
    stop(server)
    sys.exit("gunicorn did not answer within 30 seconds.")


def varnishd_path():
    return shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/usr/local/sbin")


def start_varnish(workdir, backend_port):
    """varnishd with the shipped VCL in front of ``backend_port``; returns (process, port)."""
    vcl = VCL.read_text().replace('.port = "8000";', f'.port = "{backend_port}";', 1)
    (workdir / "bench.vcl").write_text(vcl)
    port = free_port()
    command = [varnishd_path(), "-F", "-j", "none", "-n", str(workdir / "varnish")]
    command += ["-f", str(workdir / "bench.vcl"), "-a", f"{HOST}:{port}", "-T", f"{HOST}:{free_port()}"]
    command += ["-s", "malloc,64m"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("varnishd exited at start.")
        try:
            fetch(port, "/robots.txt")
            return process, port
        except OSError:
            time.sleep(0.2)
    stop(process)
    sys.exit("varnishd did not answer within 30 seconds.")


def stop(server):
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def worker_pid(master):
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        pids = children.read_text().split()
    else:
        pids = [p.name for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(p.name) == master]
    return int(pids[0]) if len(pids) == 1 else None


def _parent(pid):
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def cpu_seconds(pid):
    """utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # After the ")" that closes the command name, field 3 (state) is index 0.
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def fetch(port, path):
    # gunicorn's sync worker closes every connection after one response, so
    # each request opens a new one, as it would without keep-alive in production.
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": HOST, "Accept-Encoding": "identity"})
        response = connection.getresponse()
        body = response.read()
        return response.status, body
    finally:
        connection.close()


def check(port, path, expected):
    """The page's body, after making sure it is the page meant: 200 with ``expected`` in it."""
    status, body = fetch(port, path)
    if status != 200 or expected.encode() not in body:
        sys.exit(f"{path} answered {status} without “{expected}”; is the demo content loaded?")
    return body


def sample(port, worker, path, requests, max_seconds):
    """Up to ``requests`` requests one at a time: (latencies, elapsed seconds, worker CPU seconds or None)."""
    latencies = []
    cpu_before = cpu_seconds(worker) if worker else 0
    started = time.perf_counter()
    deadline = started + max_seconds
    while len(latencies) < requests and time.perf_counter() < deadline:
        sent = time.perf_counter()
        status, _ = fetch(port, path)
        latencies.append(time.perf_counter() - sent)
        if status != 200:
            sys.exit(f"{path} answered {status} during the measurement.")
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds(worker) - cpu_before if worker else None
    return latencies, elapsed, cpu


def measure_in_rounds(targets, args):
    """Measure every (mode, page name, port, worker, path, expected) in ROUNDS turns; one result each."""
    bodies, totals = {}, {}
    for mode, name, port, worker, path, expected in targets:
        bodies[mode, name] = check(port, path, expected)
        for _ in range(args.warmup):
            fetch(port, path)
        totals[mode, name] = ([], 0.0, 0.0 if worker else None)
    for turn in range(ROUNDS):
        order = list(targets)
        random.Random(turn).shuffle(order)
        for mode, name, port, worker, path, _ in order:
            latencies, elapsed, cpu = sample(
                port, worker, path, args.requests // ROUNDS, args.seconds / ROUNDS
            )
            previous = totals[mode, name]
            totals[mode, name] = (
                previous[0] + latencies,
                previous[1] + elapsed,
                None if cpu is None else previous[2] + cpu,
            )
    return [
        {"mode": mode, "page": name, **summary(path, bodies[mode, name], *totals[mode, name])}
        for mode, name, port, worker, path, _ in targets
    ]


def summary(path, body, latencies, elapsed, cpu):
    latencies = sorted(latencies)
    count = len(latencies)
    return {
        "path": path,
        "requests": count,
        "bytes": len(body),
        "requests_per_second": count / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(count - 1, round(0.99 * count) - 1)],
        "cpu_ms_per_request": 1000 * cpu / count if cpu is not None else None,
    }


def calibration_ms():
    """CPU time of a fixed pure-Python loop (best of five), to compare runs on a busy or quiet machine."""
    best = None
    for _ in range(5):
        started = time.process_time()
        sum(range(1_000_000))
        spent = 1000 * (time.process_time() - started)
        best = spent if best is None else min(best, spent)
    return best


def revision():
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit} with uncommitted changes" if dirty.strip() else commit


def machine():
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "revision": revision(),
        "calibration_ms": calibration_ms(),
        "load_average": os.getloadavg()[0],
        "cpu": model,
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


# Every server runs at once and the rounds take turns in a new order each
# time, so a burst of other work on the machine, or the cost of switching from
# one server to another, falls on every mode alike rather than on one of them.
ROUNDS = 20


def run_http(args):
    port = args.port or free_port()
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        workdir = Path(tmp)
        env = site_environment(workdir, port)
        prepare(env)
        info = machine()
        servers, targets = [], []
        try:
            for mode, cache_pages, server_port in (("uncached", "0", free_port()), ("cached", "1", port)):
                server, worker = start_gunicorn({**env, "CACHE_PAGES": cache_pages}, server_port)
                servers.append(server)
                targets += [
                    (mode, name, server_port, worker, path, expected) for name, path, expected in PAGES
                ]
            # The ceiling returns as many bytes as the interview page.
            size = len(check(port, INTERVIEW_PATH, PAGES[0][2]))
            ceiling_port = free_port()
            server, worker = start_gunicorn(
                {**env, "CEILING_BYTES": str(size)}, ceiling_port, "ceiling:application", ROOT / "bench"
            )
            servers.append(server)
            targets.append(("ceiling", "bare Django view", ceiling_port, worker, "/", "x"))
            if varnishd_path():
                # In front of the cached site: every measured request is a Varnish hit.
                varnish, varnish_port = start_varnish(workdir, port)
                servers.append(varnish)
                targets += [
                    ("varnish", name, varnish_port, None, path, expected) for name, path, expected in PAGES
                ]
            results = measure_in_rounds(targets, args)
        finally:
            for server in servers:
                stop(server)
    info["load_average_after"] = os.getloadavg()[0]
    report = {"machine": info, "workers": "1 gunicorn sync worker", "results": results}
    print_report(info, results)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(report, indent=2) + "\n")


def print_report(info, results):
    print(f"Machine: {info['cpu']}, {info['nproc']} CPUs, Python {info['python']}, {info['system']}")
    print(f"Code: {info['revision']}")
    print(
        f"Calibration: sum(range(10**6)) takes {info['calibration_ms']:.1f} ms of CPU; "
        f"load average {info['load_average']:.1f} before, {info['load_average_after']:.1f} after"
    )
    print(
        "Server: 1 gunicorn sync worker, SQLite, DEBUG off; client: one request at a time, a new connection each"
    )
    print()
    top = next(r for r in results if r["mode"] == "ceiling")
    ceiling, ceiling_cpu = top["requests_per_second"], top["cpu_ms_per_request"]
    uncached = {r["page"]: r["requests_per_second"] for r in results if r["mode"] == "uncached"}
    # Requests per second swing with whatever else the machine runs; the CPU
    # the worker spent per request is the steadier comparison with the ceiling.
    print(
        "| Page | Mode | Requests | Requests/s | p50 ms | p99 ms | Server CPU ms/request | Size "
        "| × uncached (req/s) | of ceiling (req/s) | of ceiling (CPU) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        cpu_ms = r["cpu_ms_per_request"]
        cpu = f"{cpu_ms:.2f}" if cpu_ms is not None else "(Varnish)"
        base = uncached.get(r["page"])
        times = f"{r['requests_per_second'] / base:.1f}" if base and r["mode"] != "uncached" else ""
        of_cpu = f"{100 * ceiling_cpu / cpu_ms:.0f}%" if cpu_ms else ""
        print(
            f"| {r['page']} (`{r['path']}`) | {r['mode']} | {r['requests']} | {r['requests_per_second']:.0f} | "
            f"{r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {cpu} | {r['bytes'] / 1024:.0f} KiB | {times} | "
            f"{100 * r['requests_per_second'] / ceiling:.0f}% | {of_cpu} |"
        )


# Profiling in-process -------------------------------------------------------


def run_profile(args):
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        # The rendering itself is what the profile is for.
        env = {**site_environment(Path(tmp), args.port), "CACHE_PAGES": "0"}
        prepare(env)
        os.environ.clear()
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
        sys.path.insert(0, str(ROOT))
        # Imported only now: settings read the environment set above.
        from newsroom.wsgi import application

        def get(path):
            environ = {
                "REQUEST_METHOD": "GET",
                "PATH_INFO": path,
                "QUERY_STRING": "",
                "SERVER_NAME": HOST,
                "SERVER_PORT": str(args.port),
                "HTTP_HOST": HOST,
                "SERVER_PROTOCOL": "HTTP/1.1",
                "wsgi.url_scheme": "http",
                "wsgi.input": _Empty(),
                "wsgi.errors": sys.stderr,
            }
            statuses = []
            body = b"".join(application(environ, lambda status, headers, exc=None: statuses.append(status)))
            if not statuses[0].startswith("200"):
                sys.exit(f"{path} answered {statuses[0]}")
            return body

        for _ in range(args.warmup):
            get(INTERVIEW_PATH)
        cpu = time.process_time()
        for _ in range(args.profile_runs):
            get(INTERVIEW_PATH)
        cpu_ms = 1000 * (time.process_time() - cpu) / args.profile_runs

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.profile_runs):
            get(INTERVIEW_PATH)
        profiler.disable()

    print(f"Calibration: sum(range(10**6)) takes {calibration_ms():.1f} ms of CPU")
    print(f"{INTERVIEW_PATH}: {cpu_ms:.2f} ms of CPU per request in-process, without the profiler")
    print(
        f"({args.profile_runs} requests through the WSGI application, middleware included, no HTTP server)\n"
    )
    print_areas(pstats.Stats(profiler))
    print(f"Newsroom's own functions, top {args.top} by cumulative time:")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"/articles/", args.top)
    for order in ("cumulative", "tottime"):
        print(f"Top {args.top} by {order} time:")
        pstats.Stats(profiler).strip_dirs().sort_stats(order).print_stats(args.top)


AREAS = [
    ("/django/db/", "Django ORM: building SQL, running it, making model instances"),
    ("/django/template/", "Django templates"),
    ("/django/templatetags/", "Django templates"),
    ("/django/utils/", "Django utilities: escaping, dates, translation, lazy strings"),
    ("/django/", "Django request handling, middleware, URLs"),
    ("/taggit/", "django-taggit"),
    ("/articles/", "Newsroom code (articles/)"),
    ("/site-packages/", "other packages (csp, whitenoise...)"),
    ("~", "C built-ins (getattr, isinstance, str methods, sqlite3...), called from all of the above"),
]


def print_areas(stats):
    """Own time (tottime) grouped by where the code lives: a rough map of where the time goes."""
    totals = {}
    for (filename, _, _), (_, _, own, _, _) in stats.stats.items():
        area = next((label for marker, label in AREAS if marker in filename), "Python standard library")
        totals[area] = totals.get(area, 0) + own
    everything = sum(totals.values())
    print("Where the time goes (own time by area; the profiler inflates call-heavy code):")
    for area, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"  {100 * seconds / everything:5.1f}%  {area}")
    print()


class _Empty:
    def read(self, *args):
        return b""

    def readline(self, *args):
        return b""


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, default=0, help="Port of the site (default: a free one).")
    parser.add_argument("--requests", type=int, default=500, help="Requests per page (default 500).")
    parser.add_argument("--seconds", type=float, default=30, help="At most this long per page (default 30).")
    parser.add_argument("--warmup", type=int, default=20, help="Unmeasured requests first (default 20).")
    parser.add_argument(
        "--profile", action="store_true", help="Profile the interview page in-process instead."
    )
    parser.add_argument("--profile-runs", type=int, default=200, help="Requests to profile (default 200).")
    parser.add_argument("--top", type=int, default=25, help="Functions to list in the profile (default 25).")
    args = parser.parse_args()
    if args.port:
        with socket.socket() as probe:
            if probe.connect_ex((HOST, args.port)) == 0:
                sys.exit(f"Port {args.port} is already in use; choose another with --port.")
    else:
        args.port = free_port()
    if args.profile:
        run_profile(args)
    else:
        run_http(args)


if __name__ == "__main__":
    main()
