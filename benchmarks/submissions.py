"""Benchmark: full web submissions per second under gunicorn, against a bare route.

Each submission is what a citizen's browser does: GET the form, POST it with the CSRF token
and the hidden fields, follow the redirect to the receipt. The bare route (/healthz) is
measured in the same run on the same server, so the ratio does not depend on the machine.

    .venv/bin/python benchmarks/submissions.py [--seconds 15] [--clients 4] [--workers 2]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/EMPTY_DB]
        [--redis-url redis://127.0.0.1:6379/14]

Without --database-url it serves a fresh SQLite file; with it, the production setup:
PostgreSQL (give an empty database) and, with --redis-url, Redis for the rate limits.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import NO_LIMITS, REFLECTION, bare_once, gunicorn, measure

FIELD_RE = re.compile(
    r'name="(csrf_token|form_started|idempotency_key|upload_token)"[^>]*value="([^"]*)"'
)
FORM = REFLECTION


def submit_once(base: str, number: int) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/gui-don/phan-anh").read().decode()
    data = dict(FIELD_RE.findall(page))
    data.update(FORM, phone=f"09{number % 100_000_000:08d}")
    body = urllib.parse.urlencode(data).encode()
    with opener.open(f"{base}/gui-don/phan-anh", data=body) as response:  # follows the 303
        receipt = response.read().decode()
    if "access-code" not in receipt:
        raise RuntimeError("no receipt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database-url")
    parser.add_argument("--redis-url")
    args = parser.parse_args()
    production_parts = {}
    if args.database_url:
        production_parts["DATABASE_URL"] = args.database_url
    if args.redis_url:
        production_parts["RATELIMIT_STORAGE_URI"] = args.redis_url
    with (
        tempfile.TemporaryDirectory() as tmp,
        gunicorn(
            tmp,
            port=args.port,
            workers=args.workers,
            extra_env={
                **NO_LIMITS,
                **production_parts,
            },
        ) as base,
    ):
        bare = measure(bare_once, base, args.seconds, args.clients)
        full = measure(submit_once, base, args.seconds, args.clients)
    print(
        f"bare route: {bare:.0f} req/s; full submissions: {full:.1f}/s; "
        f"ratio {full / bare:.3f} (gunicorn -w {args.workers}, {args.clients} clients, "
        f"{args.seconds:.0f} s each, {'PostgreSQL' if args.database_url else 'SQLite'}"
        f"{' and Redis' if args.redis_url else ''})"
    )


if __name__ == "__main__":
    main()
