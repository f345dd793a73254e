"""Slow-client check (issue 8, finding 16): can idle or slow connections stall gunicorn?

    .venv/bin/python bench/slow_clients.py

Serves a throwaway demo site (SQLite, DEBUG off) with gunicorn twice: with
the shipped configuration (deploy/gunicorn.conf.py: gthread, 2 workers x 4
threads) and, for comparison, with 2 sync workers as gunicorn runs by
default. For each, it opens N connections that
- stay idle (connect, send nothing), or
- trickle a request's headers one byte every half second (slowloris),
and meanwhile times a reader's request for the home page (timeout 20 s).

gthread parks idle connections in its event loop, so they cost nothing; a
slowloris client holds a thread while its headers trickle in, so as many of
them as there are threads stall the site until gunicorn's own limits cut
them. That is why production keeps Varnish, nginx or a CDN in front, which
read whole requests before passing them on (README, "Running in production").

This is a measurement, not a test: numbers depend on the machine.
"""

import http.client
import json
import socket
import tempfile
import threading
import time

from services import HOST, free_port, prepare_site, site_environment, start_gunicorn, stop

COUNTS = (2, 8, 32)
READER_TIMEOUT = 20


def reader_seconds(port):
    started = time.monotonic()
    try:
        connection = http.client.HTTPConnection(HOST, port, timeout=READER_TIMEOUT)
        connection.request("GET", "/", headers={"Host": HOST})
        status = connection.getresponse().status
        connection.close()
    except OSError as error:
        return f"no answer ({type(error).__name__})"
    return f"{status} in {time.monotonic() - started:.2f} s"


def idle_connections(port, count):
    return [socket.create_connection((HOST, port)) for _ in range(count)]


def slowloris(port, count, stop_event):
    sockets = idle_connections(port, count)
    request = f"GET / HTTP/1.1\r\nHost: {HOST}\r\nX-Slow: {'a' * 200}\r\n\r\n".encode()

    def trickle(sock):
        for byte in request:
            if stop_event.is_set():
                break
            try:
                sock.send(bytes([byte]))
            except OSError:
                break
            time.sleep(0.5)

    threads = [threading.Thread(target=trickle, args=(sock,), daemon=True) for sock in sockets]
    for thread in threads:
        thread.start()
    return sockets


def measure(env, label, *options):
    port = free_port()
    server = start_gunicorn({**env, "SITE_URL": f"http://{HOST}:{port}"}, port, *options)
    rows = {"baseline": reader_seconds(port)}
    try:
        for count in COUNTS:
            sockets = idle_connections(port, count)
            time.sleep(1)
            rows[f"{count} idle connections"] = reader_seconds(port)
            for sock in sockets:
                sock.close()
            time.sleep(1)
        for count in COUNTS:
            stop_event = threading.Event()
            sockets = slowloris(port, count, stop_event)
            time.sleep(2)
            rows[f"{count} slowloris connections"] = reader_seconds(port)
            stop_event.set()
            for sock in sockets:
                sock.close()
            time.sleep(1)
    finally:
        stop(server)
    return label, rows


def main():
    with tempfile.TemporaryDirectory(prefix="newsroom-slow-") as folder:
        env = site_environment(folder, 8000, DATABASE_URL=f"sqlite:///{folder}/site.sqlite3")
        prepare_site(env)
        report = dict(
            [
                measure(env, "shipped: gthread, 2 workers x 4 threads", "--workers=2"),
                measure(env, "gunicorn default: 2 sync workers", "--workers=2", "--worker-class=sync"),
            ]
        )
        print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
