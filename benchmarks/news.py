"""Benchmark: the news list and an article page under gunicorn, against a bare route.

.venv/bin/python benchmarks/news.py [--seconds 10] [--clients 4] [--workers 2]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import bare_once, gunicorn, measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as tmp,
        gunicorn(tmp, port=args.port, workers=args.workers, prepare=[["seed-demo"]]) as base,
    ):
        listing = urllib.request.urlopen(f"{base}/tin-tuc/").read().decode()
        slug = re.search(r'href="/tin-tuc/([a-z0-9-]+)"', listing).group(1)

        def news_list(base: str, number: int) -> None:
            with urllib.request.urlopen(f"{base}/tin-tuc/") as response:
                response.read()

        def article(base: str, number: int) -> None:
            with urllib.request.urlopen(f"{base}/tin-tuc/{slug}") as response:
                response.read()

        bare = measure(bare_once, base, args.seconds, args.clients)
        listed = measure(news_list, base, args.seconds, args.clients)
        shown = measure(article, base, args.seconds, args.clients)
    print(
        f"bare route: {bare:.0f} req/s; news list: {listed:.0f} req/s (ratio "
        f"{listed / bare:.2f}); article: {shown:.0f} req/s (ratio {shown / bare:.2f}) "
        f"(gunicorn -w {args.workers}, {args.clients} clients, {args.seconds:.0f} s each)"
    )


if __name__ == "__main__":
    main()
