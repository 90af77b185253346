"""A gunicorn configuration file for the benchmarks (`gunicorn -c benchmarks/request_cpu.py`):
each worker adds up the CPU time of the requests it serves, by method and path, and writes
the totals to REQUEST_CPU_DIR when it exits. `submissions.py --per-request` reads them, so
that the cost of each of a submission's three requests is known, not only their sum."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from typing import Any

_seconds: Counter[str] = Counter()
_count: Counter[str] = Counter()


def _name(req: Any) -> str:
    path = req.path if req.path.startswith("/gui-don/") or req.path == "/healthz" else "other"
    return f"{req.method} {path}"


def pre_request(worker: Any, req: Any) -> None:
    req.cpu_started = time.thread_time()


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    name = _name(req)
    _seconds[name] += time.thread_time() - req.cpu_started
    _count[name] += 1


def worker_exit(server: Any, worker: Any) -> None:
    folder = os.environ.get("REQUEST_CPU_DIR")
    if folder:
        with open(os.path.join(folder, f"{os.getpid()}.json"), "w", encoding="utf-8") as out:
            json.dump({"seconds": _seconds, "count": _count}, out)
