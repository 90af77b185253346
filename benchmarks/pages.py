"""Benchmark: every public page a citizen reaches first, against the bare route, with wrk.

The app is served as after `make run` (gunicorn, the demo data) and wrk (Debian package
`wrk`; 2 threads, 8 connections by default) asks for `/healthz` and then each page in turn, in
the same run, so each page's ratio to the bare route does not depend on the machine. Each page
is measured in --rounds rounds (bare route, page, bare route, page, ...) and the round with
the median ratio is printed.

    .venv/bin/python benchmarks/pages.py [--seconds 5] [--workers 2] [--threads 2]
        [--connections 8] [--database-url postgresql+psycopg://...] [--redis-url redis://...]
        [--only /gui-don/phan-anh ...]

Each page is asked for as a first-time visitor asks for it: no cookie, so a form page also
starts a session (a Set-Cookie with the CSRF token). Prints a Markdown table.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import gunicorn, redis_env, server_cpu_seconds, wrk_parser

BARE = "/healthz"
PAGES = [
    ("home", "/"),
    ('"Gửi đơn" chooser', "/gui-don/"),
    ("reflection form", "/gui-don/phan-anh"),
    ("petition form", "/gui-don/kien-nghi"),
    ("complaint form", "/gui-don/khieu-nai"),
    ("denunciation form", "/gui-don/to-cao"),
    ("reception schedule", "/lich-tiep-cong-dan/"),
    ("a session's page", "SESSION"),
    ('"Tra cứu" entry', "/tra-cuu/"),
    ("news list", "/tin-tuc/"),
    ("an article", "ARTICLE"),
    ('"Thống kê"', "/thong-ke"),
    ("privacy notice", "/quyen-rieng-tu"),
]
RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
TOTAL = re.compile(r"(\d+) requests in")
NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


def wrk(
    url: str, *, port: int, seconds: float, threads: int, connections: int
) -> tuple[float, float]:
    """Requests per second wrk reached, and the server's CPU time per request (ms: it does not
    depend on what else the machine runs). Any answer but 2xx/3xx stops the benchmark."""
    cpu_before = server_cpu_seconds(port)
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{round(seconds)}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if failed := NON_2XX.search(out):
        raise SystemExit(f"{url}: {failed.group(1)} answers were not 2xx/3xx")
    cpu = server_cpu_seconds(port) - cpu_before
    return float(RATE.search(out).group(1)), cpu * 1000 / int(TOTAL.search(out).group(1))


def compressed_size(url: str) -> int:
    """The page's HTML, gzip-compressed as a front proxy would send it (bytes)."""
    with urllib.request.urlopen(url) as response:
        return len(gzip.compress(response.read(), compresslevel=6))


def main() -> None:
    parser = wrk_parser(__doc__, port=8767, seconds=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3, help="bare, page, bare, page, ...")
    parser.add_argument("--only", nargs="*", help="only these paths")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    with (
        tempfile.TemporaryDirectory() as tmp,
        gunicorn(
            tmp,
            port=args.port,
            workers=args.workers,
            prepare=[["calendar", "sync"], ["seed-demo"]],
            database_url=args.database_url,
            extra_env=redis_env(args.redis_url),
        ) as base,
    ):
        schedule = urllib.request.urlopen(f"{base}/lich-tiep-cong-dan/").read().decode()
        session = re.search(r'href="(/lich-tiep-cong-dan/\d+)"', schedule).group(1)
        news = urllib.request.urlopen(f"{base}/tin-tuc/").read().decode()
        article = re.search(r'href="(/tin-tuc/[a-z0-9-]+)"', news).group(1)
        found = {"SESSION": session, "ARTICLE": article}
        pages = [(name, found.get(path, path)) for name, path in PAGES]
        if args.only:
            pages = [(name, path) for name, path in pages if path in args.only]
        options = {
            "port": args.port,
            "seconds": args.seconds,
            "threads": args.threads,
            "connections": args.connections,
        }
        print(
            "| page | path | bare req/s | page req/s | ratio | server CPU per request: "
            "bare / page | compressed HTML |\n|---|---|---|---|---|---|---|"
        )
        for name, path in pages:
            runs = [
                (wrk(base + BARE, **options), wrk(base + path, **options))
                for _ in range(args.rounds)
            ]
            # the round whose ratio is the median: the bare route and the page side by side
            (bare, bare_cpu), (page, page_cpu) = sorted(runs, key=lambda r: r[1][0] / r[0][0])[
                len(runs) // 2
            ]
            size = compressed_size(base + path)
            print(
                f"| {name} | `{path}` | {bare:.0f} | {page:.0f} | **{page / bare:.2f}** "
                f"| {bare_cpu:.2f} / {page_cpu:.2f} ms | {size / 1024:.1f} KB |",
                flush=True,
            )
    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"\n(gunicorn -w {args.workers}, wrk -t{args.threads} -c{args.connections} "
        f"-d{args.seconds:.0f}s, median of {args.rounds} rounds, {backend}"
        f"{' and Redis' if args.redis_url else ''})"
    )


if __name__ == "__main__":
    main()
