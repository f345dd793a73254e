"""Newsroom against a Wagtail 8 site holding the same interviews, measured side by side in one run.

    .venv/bin/python bench/against_wagtail.py        # make bench-wagtail

Wagtail is not a dependency of Newsroom. The first run makes a virtualenv of
its own outside the repository, ${XDG_CACHE_HOME:-~/.cache}/newsroom-bench/
wagtail-venv, and pip installs Wagtail there with the Django, gunicorn and
Pillow versions of Newsroom's requirements.txt, so both sides run the same
framework; later runs reuse it.

In a temporary folder the script builds:

- a Newsroom site as bench/serve_and_measure.py does (``load_demo``), plus
  ``make_scale_content`` interviews up to 200 published ones;
- the Wagtail site of bench/wagtail_site/, filled by its ``import_newsroom``
  command from Newsroom's own ``export_interviews`` archive: the same
  interviews, blocks, people, tags and photo files.

Three gunicorn servers, one sync worker each, run at once: Newsroom with
CACHE_PAGES=0 (uncached), Newsroom with its page cache (cached), and Wagtail
(which has no page cache). Each round measures every page on every server,
one server after the other, in an order that turns each round so that a burst
of load elsewhere on the machine does not always land on the same side; the
rounds are then added up. Printed as a markdown table with the ratios and the
two targets of issue 10; written to bench/results/against-wagtail.json.
"""

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from serve_and_measure import (
    HOST,
    ROOT,
    check,
    fetch,
    free_port,
    machine,
    sample,
    site_environment,
    start_gunicorn,
    stop,
    summary,
)

WAGTAIL_VERSION = "8.0.1"
WAGTAIL_SITE = ROOT / "bench" / "wagtail_site"
INTERVIEWS = 200
INTERVIEW = "/interviews/teodora-valen-sea-wall-promise/"
# (page, Newsroom's path, Wagtail's path, text both pages must contain)
PAGES = [
    ("interview (15 questions)", INTERVIEW, INTERVIEW, "Teodora Valen"),
    ("RSS feed, latest 20", "/feeds/rss/", "/feeds/rss/", "Scale Person"),
    ("home", "/", "/", "Teodora Valen"),
]
SITES = ["Newsroom uncached", "Newsroom cached", "Wagtail"]


def venv_folder():
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "newsroom-bench" / "wagtail-venv"


def pinned(name):
    """The version of ``name`` in Newsroom's requirements.txt, so that Wagtail runs on the same one."""
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.match(rf"{name}==([\w.]+)", line.strip(), re.IGNORECASE)
        if match:
            return f"{name}=={match[1]}"
    return name


def wagtail_python(version):
    """The virtualenv's python, with Wagtail ``version`` installed (made or updated on first use)."""
    folder = venv_folder()
    python = folder / "bin" / "python"
    probe = "import gunicorn, wagtail; print(wagtail.__version__)"
    if python.exists():
        found = subprocess.run([python, "-c", probe], capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.strip() == version:
            return python
    if not python.exists():
        made = subprocess.run([sys.executable, "-m", "venv", str(folder)], capture_output=True, text=True)
        if made.returncode != 0:
            sys.exit(f"Could not create a virtualenv in {folder}: {last_line(made.stderr)}")
    print(f"Installing Wagtail {version} into {folder} (once)...", file=sys.stderr)
    packages = [f"wagtail=={version}", pinned("Django"), pinned("gunicorn"), pinned("Pillow")]
    installed = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *packages],
        capture_output=True,
        text=True,
    )
    if installed.returncode != 0:
        sys.exit(f"pip could not install Wagtail {version} into {folder}: {last_line(installed.stderr)}")
    return python


def last_line(text):
    """pip's own reason, which it prints last (its warnings come first)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR")]
    return (errors or lines or ["no message"])[-1]


def run(command, env, cwd):
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"`{' '.join(map(str, command[1:]))}` failed:\n{result.stderr.strip()}")
    return result.stdout


def prepare_newsroom(env, archive):
    """The demo content, interviews up to INTERVIEWS published, and the export Wagtail imports."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    run([*manage, "migrate", "--noinput", "-v0"], env, ROOT)
    run([*manage, "load_demo"], env, ROOT)
    count = "from articles.models import Article; print(Article.objects.published().count())"
    # shell -v0: without it Django 5.2 first prints the models it imported.
    published = int(run([*manage, "shell", "-v0", "-c", count], env, ROOT))
    run([*manage, "make_scale_content", "--count", str(INTERVIEWS - published)], env, ROOT)
    run([*manage, "collectstatic", "--noinput", "-v0"], env, ROOT)
    # Published includes the demo's scheduled interview, which the Wagtail import leaves out as Newsroom hides it.
    run([*manage, "export_interviews", str(archive), "--status", "published"], env, ROOT)


def wagtail_environment(workdir, port):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "VIRTUAL_ENV", "PYTHONPATH"}
    }
    env.update(
        {
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": HOST,
            "SITE_URL": f"http://{HOST}:{port}",
            "WAGTAIL_BENCH_DATA": str(workdir / "wagtail"),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


def prepare_wagtail(python, env, archive):
    manage = [str(python), "manage.py"]
    Path(env["WAGTAIL_BENCH_DATA"]).mkdir(exist_ok=True)
    run([*manage, "migrate", "--noinput", "-v0"], env, WAGTAIL_SITE)
    run([*manage, "collectstatic", "--noinput", "-v0"], env, WAGTAIL_SITE)
    return run([*manage, "import_newsroom", str(archive), "--site-url", env["SITE_URL"]], env, WAGTAIL_SITE)


def measure_rounds(servers, args):
    """Every page on every server, ``args.rounds`` times, each round starting one server further on."""
    totals = {}
    for page, newsroom_path, wagtail_path, expected in PAGES:
        for site, (port, _) in servers.items():
            path = wagtail_path if site == "Wagtail" else newsroom_path
            body = check(port, path, expected)
            # Warm-up: caches filled, renditions made, Python's own caches warm.
            for _ in range(args.warmup):
                fetch(port, path)
            totals[page, site] = {"path": path, "body": body, "latencies": [], "elapsed": 0.0, "cpu": 0.0}
    order = list(servers)
    for number in range(args.rounds):
        turn = order[number % len(order) :] + order[: number % len(order)]
        for page, *_ in PAGES:
            for site in turn:
                port, worker = servers[site]
                total = totals[page, site]
                latencies, elapsed, cpu = sample(port, worker, total["path"], args.requests, args.seconds)
                total["latencies"] += latencies
                total["elapsed"] += elapsed
                total["cpu"] += cpu
        print(f"round {number + 1} of {args.rounds} done", file=sys.stderr)
    return [
        {"page": page, "site": site, **summary(t["path"], t["body"], t["latencies"], t["elapsed"], t["cpu"])}
        for (page, site), t in totals.items()
    ]


def compare(results):
    """Newsroom against Wagtail for each page, with the targets of issue 10 where it sets one."""
    by = {(r["page"], r["site"]): r for r in results}
    for r in results:
        wagtail = by[r["page"], "Wagtail"]
        if r["site"] == "Wagtail":
            continue
        r["times_wagtail_rps"] = r["requests_per_second"] / wagtail["requests_per_second"]
        # /proc counts CPU in clock ticks (10 ms): a short run of cached pages may read zero.
        if r["cpu_ms_per_request"]:
            r["wagtail_cpu_over_newsroom_cpu"] = wagtail["cpu_ms_per_request"] / r["cpu_ms_per_request"]
    targets = [
        ("uncached interview page ≥ 3× Wagtail's requests/s", PAGES[0][0], "Newsroom uncached", 3.0),
        (
            "cached feed of 20 full interviews faster than Wagtail's excerpts",
            PAGES[1][0],
            "Newsroom cached",
            1.0,
        ),
    ]
    for label, page, site, at_least in targets:
        row = by[page, site]
        row["target"] = label
        # "Faster" is strictly more requests per second; "at least 3×" includes 3.
        row["met"] = row["times_wagtail_rps"] >= at_least if at_least > 1 else row["times_wagtail_rps"] > 1
    return results


def print_report(info, results, imported, wagtail_versions):
    print(f"Machine: {info['cpu']}, {info['nproc']} CPUs, Python {info['python']}, {info['system']}")
    print(f"Code: {info['revision']}; {wagtail_versions}")
    print(
        f"Calibration: sum(range(10**6)) takes {info['calibration_ms']:.1f} ms of CPU; "
        f"load average {info['load_average']:.1f} before, {info['load_average_after']:.1f} after"
    )
    print(
        "Servers: 1 gunicorn sync worker each, SQLite, DEBUG off; client: one request at a time, "
        "a new connection each"
    )
    print(f"Content: {INTERVIEWS} published interviews on each side ({imported.strip()})")
    print()
    print(
        "| Page | Site | Requests | Requests/s | p50 ms | p99 ms | Server CPU ms/request | Size "
        "| Newsroom/Wagtail req/s | Wagtail/Newsroom CPU | Target | Result |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for r in results:
        times = f"{r['times_wagtail_rps']:.2f}×" if "times_wagtail_rps" in r else ""
        cpu_times = (
            f"{r['wagtail_cpu_over_newsroom_cpu']:.2f}×" if "wagtail_cpu_over_newsroom_cpu" in r else ""
        )
        result = ("pass" if r["met"] else "miss") if "met" in r else ""
        print(
            f"| {r['page']} (`{r['path']}`) | {r['site']} | {r['requests']} | {r['requests_per_second']:.0f} "
            f"| {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['cpu_ms_per_request']:.2f} "
            f"| {r['bytes'] / 1024:.1f} KiB | {times} | {cpu_times} | {r.get('target', '')} | {result} |"
        )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rounds", type=int, default=5, help="Rounds of every page on every site (default 5)."
    )
    parser.add_argument("--requests", type=int, default=100, help="Requests per page and site a round (100).")
    parser.add_argument("--seconds", type=float, default=20, help="At most this long per page a round (20).")
    parser.add_argument("--warmup", type=int, default=20, help="Unmeasured requests per page first (20).")
    parser.add_argument(
        "--wagtail-version", default=WAGTAIL_VERSION, help=f"Wagtail to install (default {WAGTAIL_VERSION})."
    )
    args = parser.parse_args()
    python = wagtail_python(args.wagtail_version)
    versions = subprocess.run(
        [
            python,
            "-c",
            "import django, wagtail; print(f'Wagtail {wagtail.__version__}, Django {django.__version__}')",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()

    ports = {site: free_port() for site in SITES}
    with tempfile.TemporaryDirectory(prefix="newsroom-wagtail-bench-") as tmp:
        workdir = Path(tmp)
        archive = workdir / "newsroom-export.zip"
        # Newsroom's one log line per request goes: the Wagtail site writes none, and a terminal
        # printing thousands of lines would measure the terminal.
        newsroom_env = {
            **site_environment(workdir, ports["Newsroom uncached"]),
            "REQUEST_LOG_LEVEL": "WARNING",
        }
        prepare_newsroom(newsroom_env, archive)
        wagtail_env = wagtail_environment(workdir, ports["Wagtail"])
        imported = prepare_wagtail(python, wagtail_env, archive)
        info = machine()
        started = []
        try:
            servers = {}
            for site, env, options in [
                ("Newsroom uncached", {**newsroom_env, "CACHE_PAGES": "0"}, {}),
                ("Newsroom cached", {**newsroom_env, "CACHE_PAGES": "1"}, {}),
                (
                    "Wagtail",
                    wagtail_env,
                    {"app": "magazine.wsgi:application", "python": python, "cwd": WAGTAIL_SITE},
                ),
            ]:
                server, worker = start_gunicorn(env, ports[site], **options)
                started.append(server)
                servers[site] = (ports[site], worker)
            results = compare(measure_rounds(servers, args))
        finally:
            for server in started:
                stop(server)
    info["load_average_after"] = os.getloadavg()[0]
    print_report(info, results, imported, versions)
    report = {
        "machine": info,
        "versions": versions,
        "workers": "1 gunicorn sync worker per site",
        "rounds": args.rounds,
        "results": results,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "against-wagtail.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
