"""Private PostgreSQL and Redis servers and a gunicorn site for the benchmarks, on free loopback ports.

Each benchmark gets servers of its own in a temporary folder, so restarting
them (the fault test) never touches the machine's shared services.
"""

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import time
from glob import glob
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=60, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            sys.exit(f"{process.args[0]} exited with status {process.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"Nothing answered on port {port} within {timeout} seconds.")


class PostgreSQL:
    """A throwaway PostgreSQL cluster (initdb) run as the postgres user when started as root."""

    def __init__(self, folder):
        binaries = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
        if not binaries:
            sys.exit("PostgreSQL's initdb was not found (Debian package postgresql).")
        self.bin = Path(binaries[-1]).parent
        self.folder = Path(folder) / "postgres"
        self.port = free_port()
        self.user = "postgres" if os.geteuid() == 0 else None
        self.folder.mkdir(parents=True)
        if self.user:
            # The postgres user must be able to reach its folder inside our temporary one.
            os.chmod(folder, 0o755)
            shutil.chown(self.folder, self.user)
        self._run("initdb", "-D", str(self.folder), "-A", "trust", "-U", "postgres", "--no-sync")

    def _run(self, program, *args):
        command = [str(self.bin / program), *args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"{program} failed: {result.stderr.strip() or result.stdout.strip()}")

    @property
    def url(self):
        return f"postgres://postgres@{HOST}:{self.port}/postgres"

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses={HOST} -c fsync=off"
        self._run(
            "pg_ctl", "-D", str(self.folder), "-o", options, "-w", "-l", str(self.folder / "log"), "start"
        )

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", str(self.folder), "-m", mode, "-w", "stop")

    def restart(self):
        """As an operator's `systemctl restart postgresql` does: every connection is cut."""
        self.stop()
        self.start()


class Redis:
    def __init__(self, folder):
        self.port = free_port()
        self.folder = Path(folder)
        self.process = None

    @property
    def url(self):
        return f"redis://{HOST}:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--bind", HOST, "--port", str(self.port), "--save", "", "--appendonly", "no"],
            cwd=self.folder,
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port, process=self.process)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def restart(self):
        self.stop()
        self.start()


def site_environment(folder, port, **extra):
    """Production settings for a throwaway site in ``folder`` (DEBUG off, plain-http trial shape)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "REDIS_", "MEDIA_", "STATIC_", "AWS_", "SENTRY_", "CACHE_"))
        and key not in {"DEBUG", "SITE_URL", "PYTEST_VERSION"}
    }
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
            "SITE_URL": f"http://{HOST}:{port}",
            "SECURE_SSL_REDIRECT": "0",
            "MEDIA_ROOT": str(Path(folder) / "media"),
            "STATIC_ROOT": str(Path(folder) / "static"),
            "LOG_LEVEL": "ERROR",
            "REQUEST_LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
            **extra,
        }
    )
    return env


def prepare_site(env):
    manage = [sys.executable, str(ROOT / "manage.py")]
    for step in (["migrate", "--noinput", "-v0"], ["load_demo"], ["collectstatic", "--noinput", "-v0"]):
        result = subprocess.run(manage + step, cwd=ROOT, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"`manage.py {' '.join(step)}` failed:\n{result.stderr.strip()}")


def start_gunicorn(env, port, *options):
    """gunicorn with the shipped configuration (deploy/gunicorn.conf.py), plus ``options``."""
    command = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", f"--bind={HOST}:{port}"]
    command += ["--log-level=warning", "--access-logfile=/dev/null", *options, "newsroom.wsgi"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    wait_for_port(port, process=server)
    return server


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def postgres_user_exists():
    try:
        pwd.getpwnam("postgres")
        return True
    except KeyError:
        return False
