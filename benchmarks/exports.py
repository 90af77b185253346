"""Benchmark: the .xlsx exports of 10,000 and 100,000 rows, time and memory.

End to end in-process: a Flask test client, signed in, GETs the export and reads the
response a chunk at a time. No HTTP server: the socket adds nothing that depends on the
rows. Two exports: "cases", the case list /quan-tri/don.xlsx?received_from=2000-01-01 as a
leader (every case, newest first: the cases are read, written to the workbook, the audit
entry committed), and "register", the Sổ tiếp công dân of November 2026 as a clerk (one
walk-in visit per case is added to the database for it, once).

Each measurement runs in a fresh process (the seeding does not count in its peak memory):
the median time of --rounds exports, the growth of the peak RSS (VmHWM, reset just before
the first export) over the process's size then, and, in one more export, the tracemalloc peak (the
Python heap). With --baseline REV the code of that git revision (e.g. 2e2ac98, openpyxl and
the 20,000-row cut, lifted for the measurement) is timed the same way, from an extracted
copy, for comparison.

    .venv/bin/python benchmarks/exports.py [--sizes 10000 100000] [--rounds 3]
        [--keep DIR] [--reuse] [--database-url URL] [--baseline REV]
        [--exports cases register]

--keep leaves the SQLite files in DIR (default: a temporary folder); --reuse exports from
databases seeded before. --database-url (may hold "{size}") uses PostgreSQL databases the
caller made with createdb.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = {
    "cases": ("/quan-tri/don.xlsx?received_from=2000-01-01", "export-bench@example.gov.vn"),
    "register": ("/quan-tri/so-tiep-cong-dan.xlsx?thang=2026-11", "register-bench@example.gov.vn"),
}
WARM_UP = {
    "cases": "/quan-tri/don.xlsx?received_from=2000-01-01&q=khongcodonnao",
    "register": "/quan-tri/so-tiep-cong-dan.xlsx?thang=2001-01",
}


def seed(url: str, size: int, reuse: bool) -> None:
    """`size` cases (services/scale.py) and a leader to export them, once per database."""
    from flask_migrate import upgrade
    from sqlalchemy import func, inspect, select

    from portal import create_app
    from portal.extensions import db
    from portal.models import Case
    from portal.services import deadlines as deadline_service
    from portal.services.scale import seed_scale
    from tests.factories import make_user

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from common import empty_database

    app = create_app({"PORTAL_ENV": "test", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if reuse and inspect(db.engine).has_table("cases"):
            upgrade()
            if db.session.scalar(select(func.count()).select_from(Case)) == size:
                db.engine.dispose()
                return
        empty_database()
        calendar = deadline_service.load_calendar(db.session)
        began = time.perf_counter()
        seed_scale(
            db.session, cases=size, rules=app.extensions["deadline_rules"], calendar=calendar
        )
        make_user(roles=("leader",), email=EXPORTS["cases"][1])
        db.session.commit()
        print(f"  seeded {size} cases in {time.perf_counter() - began:.0f} s", flush=True)
        db.engine.dispose()


def add_visits(url: str) -> None:
    """One walk-in visit in November 2026 per case, and a clerk to export them (once)."""
    from datetime import UTC, date, datetime

    from sqlalchemy import func, insert, literal, select

    from portal import create_app
    from portal.extensions import db
    from portal.models import Case, ReceptionVisit
    from tests.factories import make_user

    app = create_app({"PORTAL_ENV": "test", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if db.session.scalar(select(func.count()).select_from(ReceptionVisit)):
            db.engine.dispose()
            return
        clerk = make_user(roles=("clerk",), email=EXPORTS["register"][1])
        visits = ReceptionVisit.__table__
        db.session.execute(
            insert(visits).from_select(
                ["case_id", "visited_on", "reception_kind", "officer_id", "created_at"],
                select(
                    Case.id,
                    literal(date(2026, 11, 16), visits.c.visited_on.type),
                    literal("regular"),
                    literal(clerk.id),
                    literal(datetime(2026, 11, 16, 2, tzinfo=UTC), visits.c.created_at.type),
                ),
            )
        )
        db.session.commit()
        db.engine.dispose()


def measure(url: str, what: str, rounds: int, lift_limit: bool) -> dict[str, float]:
    """Run in a fresh process: sign in, export `rounds` times, then (for this branch's code,
    not the slow baseline) once more under tracemalloc."""
    from portal import create_app
    from tests.factories import PASSWORD

    if lift_limit:  # the old code: its 20,000-row cut would stop the export short
        from portal.admin import queue_views

        queue_views.EXPORT_LIMIT = 10**9  # type: ignore[attr-defined]

    app = create_app({"PORTAL_ENV": "test", "SQLALCHEMY_DATABASE_URI": url})
    client = app.test_client()
    page = client.get("/quan-tri/dang-nhap").get_data(as_text=True)
    token = page.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    path, email = EXPORTS[what]
    client.post(
        "/quan-tri/dang-nhap", data={"csrf_token": token, "email": email, "password": PASSWORD}
    )

    def export() -> tuple[float, int]:
        started = time.perf_counter()
        response = client.get(path, buffered=False)
        assert response.status_code == 200, response.status_code
        size = sum(len(chunk) for chunk in response.response)
        response.close()
        return time.perf_counter() - started, size

    # warmed up: templates, translations, connections, the writer's imports
    client.get("/quan-tri/")
    assert client.get(WARM_UP[what]).status_code == 200
    before = _rss_mib()
    _reset_peak()
    times, size = [], 0
    for _ in range(rounds):
        seconds, size = export()
        times.append(seconds)
    peak = _max_rss_mib()
    heap = float("nan")
    if not lift_limit:
        tracemalloc.start()
        export()
        heap = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    import portal

    return {
        "code": portal.__file__,  # type: ignore[dict-item]
        "seconds": statistics.median(times),
        "rss_before": before,
        "rss_added": peak - before,
        "heap_peak": heap,
        "file_mb": size / 1e6,
    }


def _status_mib(field: str) -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(field + ":"))
    return int(line.split()[1]) / 1024


def _rss_mib() -> float:
    return _status_mib("VmRSS")


def _reset_peak() -> None:
    """Start the peak RSS (VmHWM) again from the current size (Linux: clear_refs 5), so the
    start-up's own peak does not count; without it, ru_maxrss is the fallback."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass


def _max_rss_mib() -> float:
    try:
        return _status_mib("VmHWM")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_measure(url: str, what: str, rounds: int, code: Path, lift_limit: bool) -> dict[str, float]:
    output = subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure",
            url,
            "--exports",
            what,
            "--rounds",
            str(rounds),
            *(["--lift-limit"] if lift_limit else []),
        ],
        env={**os.environ, "PYTHONPATH": f"{code}{os.pathsep}{ROOT}"},
        cwd=code,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def extract(revision: str, folder: Path) -> Path:
    """The package `portal` of `revision`, in folder/baseline-REV (made once)."""
    target = folder / f"baseline-{revision}"
    if not (target / "portal").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", revision, "portal", "tests", "migrations", "wsgi.py"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
        subprocess.run(
            [Path(sys.executable).parent / "pybabel", "compile", "-d", "portal/translations"],
            cwd=target,
            check=True,
            capture_output=True,
        )
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--exports", nargs="+", choices=list(EXPORTS), default=list(EXPORTS))
    parser.add_argument("--database-url")
    parser.add_argument("--keep", help="a folder for the SQLite files, kept after the run")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--baseline", help="a git revision to compare with")
    parser.add_argument("--baseline-rounds", type=int, default=1)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--lift-limit", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        sys.path.insert(0, os.getcwd())
        print(json.dumps(measure(args.measure, args.exports[0], args.rounds, args.lift_limit)))
        return
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        versions = [("this branch", ROOT, False, args.rounds)]
        if args.baseline:
            code = extract(args.baseline, folder)
            versions.append((args.baseline, code, True, args.baseline_rounds))
        print(f"database {(args.database_url or 'sqlite').split('@')[-1]}, {args.rounds} rounds")
        print("(the baseline: --baseline-rounds rounds, no tracemalloc run: it is slow enough)")
        print("export | code | rows | median time | RSS before | peak RSS added | heap peak | file")
        for size in args.sizes:
            url = (args.database_url or f"sqlite:///{folder}/exports-{{size}}.db").format(size=size)
            seed(url, size, args.reuse)
            if "register" in args.exports:
                add_visits(url)
            for what in args.exports:
                for name, code, lift, rounds in versions:
                    r = run_measure(url, what, rounds, code, lift)
                    print(
                        f"{what} | {name} | {size:,} | {r['seconds']:.1f} s"
                        f" | {r['rss_before']:.0f} MiB"
                        f" | {r['rss_added']:.0f} MiB | {r['heap_peak']:.1f} MiB"
                        f" | {r['file_mb']:.1f} MB",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
