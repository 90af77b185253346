"""Shared by the HTTP benchmarks: a gunicorn server on a fresh SQLite database (or a given
one), a bounded load loop from client threads, and the bare route to compare with."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


# What a citizen types into the reflection form (the benchmarks add a subject and content).
CITIZEN = {
    "field": "telecom",
    "location": "Đường 30/4",
    "name": "Nguyễn Văn Bình",
    "address": "Số 12, ấp Bình Trung",
    "commune": "Xã Hòa Thành",
    "province": "Tỉnh Tây Ninh",
    "people_count": "1",
    "consent": "y",
}
REFLECTION = {
    "subject": "Cột điện viễn thông đổ chắn đường",
    "content": "Sau cơn bão, cột điện viễn thông đổ chắn ngang đường.",
    **CITIZEN,
}
# The settings that let one address send forms as fast as the benchmark can (PORTAL_ values
# are read as JSON). The limits themselves are not what the benchmarks measure.
LIFTED = '"100000/minute"'
NO_LIMITS = {
    "PORTAL_SUBMISSION_MIN_SECONDS": "0",
    "PORTAL_SUBMISSION_RATE_LIMIT": LIFTED,
    "PORTAL_SUBMISSION_ATTEMPT_RATE_LIMIT": LIFTED,
    "PORTAL_CONTACT_RATE_LIMIT": LIFTED,
    "PORTAL_UPLOAD_ADDRESS_LIMIT": LIFTED,
    "PORTAL_LOGIN_RATE_LIMIT": LIFTED,
}


def wrk_parser(description: str | None, *, port: int, seconds: float) -> argparse.ArgumentParser:
    """The options every wrk benchmark takes: the server (workers, port, PostgreSQL, Redis),
    how long, and how many connections."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--seconds", type=float, default=seconds)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--database-url", help="an empty PostgreSQL database")
    parser.add_argument("--redis-url", help="Redis for the rate limits and the page cache")
    return parser


def redis_env(redis_url: str | None) -> dict[str, str]:
    """The settings that put the rate limits and the page cache in Redis (production's)."""
    if not redis_url:
        return {}
    return {
        "RATELIMIT_STORAGE_URI": redis_url,
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": redis_url,
    }


def bare_once(base: str, number: int) -> None:
    with urllib.request.urlopen(f"{base}/healthz") as response:
        response.read()


def measure(action: Callable[[str, int], None], base: str, seconds: float, clients: int) -> float:
    """Completed actions per second, from `clients` threads for `seconds` (then it stops)."""
    counts = [0] * clients
    errors: list[Exception] = []
    deadline = time.monotonic() + seconds

    def run(index: int) -> None:
        number = index * 1_000_000
        while time.monotonic() < deadline:
            try:
                action(base, number)
            except Exception as error:  # counted and reported, the loop goes on
                errors.append(error)
            counts[index] += 1
            number += 1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{len(errors)} errors, first: {errors[0]!r}")
    return sum(counts) / seconds


def server_env(
    tmp: str, *, database_url: str | None = None, extra_env: dict[str, str] | None = None
) -> dict[str, str]:
    """The environment the app runs with: a fresh SQLite file under `tmp`, or `database_url`
    (an empty database the caller created), plus `extra_env`."""
    return {
        **os.environ,
        "PORTAL_ENV": "development",
        "DATABASE_URL": database_url or f"sqlite:///{tmp}/bench.db",
        "FLASK_APP": "wsgi.py",
        "PORTAL_MAIL_SEND_IMMEDIATELY": "false",
        "PORTAL_UPLOAD_FOLDER": f'"{tmp}/uploads"',
        **(extra_env or {}),
    }


def flask(env: dict[str, str], *command: str) -> None:
    """Run a `flask` command of the app (e.g. "db", "upgrade") and wait for it."""
    subprocess.run([BIN / "flask", *command], env=env, cwd=ROOT, check=True, capture_output=True)


def start_gunicorn(
    env: dict[str, str],
    *,
    port: int,
    workers: int,
    log: IO[bytes] | None = None,
    preload: bool = False,
    config: Path | None = None,
    target: str = "wsgi:app",
) -> subprocess.Popen[bytes]:
    """Start gunicorn (not waiting for it to answer: see wait_until_up); its own messages go
    to `log` when given; with `preload` the master loads the app and each worker is a fork of
    it (a worker that dies is replaced at once, without loading the app again)."""
    return subprocess.Popen(
        [
            BIN / "gunicorn",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            *(["--preload"] if preload else []),
            *(["-c", str(config)] if config else []),
            target,
        ],
        env=env,
        cwd=ROOT,
        stderr=log,
    )


def wait_until_up(base: str, *, seconds: float = 10) -> None:
    """Return once /healthz answers (or after `seconds`, quietly, as before)."""
    for _ in range(int(seconds * 10)):
        try:
            bare_once(base, 0)
            return
        except OSError:
            time.sleep(0.1)


@contextmanager
def gunicorn(
    tmp: str,
    *,
    port: int,
    workers: int,
    extra_env: dict[str, str] | None = None,
    prepare: list[list[str]] = (),
    database_url: str | None = None,
    config: Path | None = None,
    target: str = "wsgi:app",
) -> Iterator[str]:  # type: ignore[assignment]
    """Serve the app with gunicorn on a fresh SQLite database (or on `database_url`, an empty
    database the caller created); yield its base URL."""
    env = server_env(tmp, database_url=database_url, extra_env=extra_env)
    flask(env, "db", "upgrade")
    for command in prepare:
        flask(env, *command)
    server = start_gunicorn(env, port=port, workers=workers, config=config, target=target)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        measure(bare_once, base, 2, 2)  # warm up
        yield base
    finally:
        server.terminate()
        server.wait()


def server_cpu_seconds(port: int) -> float:
    """CPU time (user + system) used so far by the gunicorn processes serving `port`."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if f"127.0.0.1:{port}".encode() not in stat.read_bytes():
                continue
            fields = (stat.parent / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def empty_database() -> None:
    """Drop every table (and SQLite's contentless FTS5 table), then migrate to the head; in
    the app's context."""
    from flask_migrate import upgrade
    from sqlalchemy import MetaData, text

    from portal.extensions import db

    with db.engine.begin() as connection:
        if db.engine.dialect.name == "sqlite":
            connection.execute(text("DROP TABLE IF EXISTS cases_fts"))
        existing = MetaData()
        existing.reflect(bind=connection)
        existing.drop_all(bind=connection)
    upgrade()


def timed(action: Callable[[], object], repeat: int = 31) -> float:
    """The median of `repeat` runs of `action`, in milliseconds, after one warm-up run."""
    action()
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000
