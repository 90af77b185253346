"""Benchmark: full web submissions per second under gunicorn, against the bare route, with wrk.

Each submission is what a citizen's browser does (benchmarks/submission.lua): GET the form,
POST it with the CSRF token, the hidden fields and the session cookie, GET the receipt it
redirects to. The bare route (/healthz) is measured in the same run on the same server, so
the ratio does not depend on the machine; the server's CPU time per request or submission is
printed too (it does not depend on what else the machine runs).

    .venv/bin/python benchmarks/submissions.py [--seconds 10] [--workers 2] [--connections 8]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/EMPTY_DB]
        [--redis-url redis://127.0.0.1:6379/14] [--per-request]

Without --database-url it serves a fresh SQLite file (durable commits: WAL, synchronous=FULL);
with it, the production setup: PostgreSQL (give an empty database) and, with --redis-url,
Redis for the rate limits and the page cache. With --per-request it also prints the CPU
time each kind of request took inside the workers (benchmarks/request_cpu.py).
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import NO_LIMITS, REFLECTION, gunicorn, redis_env, server_cpu_seconds, wrk_parser

SCRIPT = Path(__file__).resolve().parent / "submission.lua"
REQUEST_CPU = Path(__file__).resolve().parent / "request_cpu.py"
RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
TOTAL = re.compile(r"(\d+) requests in")
COUNTS = re.compile(r"submissions completed: (\d+) failed: (\d+)")


def durable_commits_per_second(path: str, *, seconds: float = 3, threads: int = 4) -> float:
    """The limit the disk sets, in the same run: threads committing 500-byte rows to SQLite
    as the app does (WAL, synchronous=FULL, BEGIN IMMEDIATE), commits a second."""
    setup = sqlite3.connect(path)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT)")
    setup.commit()
    setup.close()
    counts = [0] * threads
    deadline = time.monotonic() + seconds

    def commit_rows(index: int) -> None:
        connection = sqlite3.connect(path, isolation_level=None, timeout=10)
        connection.execute("PRAGMA synchronous=FULL")
        while time.monotonic() < deadline:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO t (body) VALUES (?)", ("x" * 500,))
            connection.execute("COMMIT")
            counts[index] += 1
        connection.close()

    workers = [threading.Thread(target=commit_rows, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(counts) / seconds


def run_wrk(arguments: list[str], port: int) -> tuple[str, float]:
    """wrk's output and the server's CPU seconds it cost."""
    before = server_cpu_seconds(port)
    out = subprocess.run(["wrk", *arguments], capture_output=True, text=True, check=True).stdout
    return out, server_cpu_seconds(port) - before


def main() -> None:
    parser = wrk_parser(__doc__, port=8765, seconds=10)
    parser.add_argument("--per-request", action="store_true", help="CPU time by kind of request")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    typed = urllib.parse.urlencode({key: value for key, value in REFLECTION.items()})
    reports = tempfile.mkdtemp()  # the workers write theirs as they exit
    with (
        tempfile.TemporaryDirectory() as tmp,
        gunicorn(
            tmp,
            port=args.port,
            workers=args.workers,
            prepare=[["calendar", "sync"]],
            database_url=args.database_url,
            extra_env={**NO_LIMITS, **redis_env(args.redis_url), "REQUEST_CPU_DIR": reports},
            config=REQUEST_CPU if args.per_request else None,
        ) as base,
    ):
        bare_out, bare_cpu = run_wrk(
            ["-t2", f"-c{args.connections}", f"-d{round(args.seconds)}s", f"{base}/healthz"],
            args.port,
        )
        full_out, full_cpu = run_wrk(
            [
                f"-t{args.connections}",
                f"-c{args.connections}",
                f"-d{round(args.seconds)}s",
                "-s",
                str(SCRIPT),
                base,
                "--",
                typed,
            ],
            args.port,
        )
        disk = durable_commits_per_second(f"{tmp}/commits.db")
    per_request = _per_request(reports)
    bare = float(RATE.search(bare_out).group(1))
    bare_requests = int(TOTAL.search(bare_out).group(1))
    completed, failed = (int(n) for n in COUNTS.search(full_out).groups())
    if failed:
        raise SystemExit(f"{failed} submissions failed:\n{full_out}")
    full = completed / args.seconds
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"bare route: {bare:.0f} req/s ({bare_cpu * 1000 / bare_requests:.2f} ms server CPU "
        f"each); full submissions: {full:.1f}/s ({full_cpu * 1000 / max(completed, 1):.2f} ms "
        f"server CPU each); ratio **{full / bare:.3f}** (gunicorn -w {args.workers}, wrk "
        f"{args.connections} connections, {args.seconds:.0f} s each, {backend}"
        f"{' and Redis' if args.redis_url else ''}); the disk, same run: {disk:.0f} durable "
        f"SQLite commits a second from 4 threads"
    )
    for name, milliseconds in per_request.items():
        print(f"  {name}: {milliseconds:.2f} ms CPU in the worker")


def _per_request(folder: str) -> dict[str, float]:
    """The workers' CPU time per request, by kind (empty without --per-request)."""
    seconds: dict[str, float] = {}
    count: dict[str, int] = {}
    for report in Path(folder).glob("*.json"):
        totals = json.loads(report.read_text(encoding="utf-8"))
        for name, value in totals["seconds"].items():
            seconds[name] = seconds.get(name, 0) + value
            count[name] = count.get(name, 0) + totals["count"][name]
    shutil.rmtree(folder)
    return {name: seconds[name] * 1000 / count[name] for name in sorted(seconds)}


if __name__ == "__main__":
    main()
