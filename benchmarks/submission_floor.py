"""Benchmark: the floor under a full web submission. The same three requests as
`submissions.py` (the same wrk script), served by a minimal Flask app that calls the real
intake (`services.submissions.submit`, on the real schema, durable SQLite) and does nothing
else: no WTForms, no Flask-WTF CSRF (the token is compared with the session's), no rate
limits, no page cache, no templates, no security headers, no login manager.

What it prints is what a submission costs before any of the app's web layer: if the floor's
server CPU per submission is more than ten bare requests of the real app, the goal of issue
18 (full submissions at 0.1 × the bare route) cannot be met with this intake under Flask.

    .venv/bin/python benchmarks/submission_floor.py [--seconds 10] [--workers 2]
        [--without-write-triggers] [--database-url postgresql+psycopg://…/EMPTY_DB
        --redis-url redis://127.0.0.1:6379/13]

With --database-url the floor app writes to PostgreSQL (give an empty database: the app's
bare route is measured on it first, then it is migrated again for the floor), and the app's
bare route is measured with Redis as in production.

The pages are padded to the real pages' sizes (form 10,703 bytes, receipt 4,223 bytes, as
measured on 2026-12-06), so wrk and the sockets carry what they carry for the real app.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sys
import tempfile
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, Response, abort, redirect, request, session
from markupsafe import escape
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))

FORM_BYTES = 10_703
RECEIPT_BYTES = 4_223
# What a new case sets off besides its own row and indexes: the two search indexes (FTS5)
# and the statistics' tallies (--without-write-triggers drops them, to measure their cost).
WRITE_TRIGGERS = (
    "cases_fts_insert",
    "open_cases_fts_insert",
    "open_case_tallies_insert",
    "case_tallies_insert",
    "case_tallies_deadline_insert",
)


def create_floor_app() -> Flask:
    """The minimal app (gunicorn "benchmarks.submission_floor:create_floor_app()")."""
    import portal.web.database  # noqa: F401  (the SQLite pragmas, BEGIN IMMEDIATE for a POST)
    from portal.domain.deadlines import RULES
    from portal.services import stored_calendar, submissions

    app = Flask(__name__)
    app.secret_key = "floor-benchmark-" + "x" * 32
    engine = create_engine(os.environ["DATABASE_URL"])
    if os.environ.get("FLOOR_WITHOUT_WRITE_TRIGGERS"):  # what the search indexes and tallies cost
        with engine.begin() as connection:
            for name in WRITE_TRIGGERS:
                connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    settings = submissions.Settings(pepper=b"p" * 32, custodian_public_key=None)
    rules = dict(RULES)

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    @app.get("/gui-don/phan-anh")
    def form() -> Response:
        token = session.setdefault("csrf", secrets.token_hex(20))
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{value}">'
            for name, value in (
                ("csrf_token", token),
                ("form_started", str(time.time())),
                ("idempotency_key", secrets.token_urlsafe(24)),
                ("upload_token", secrets.token_urlsafe(24)),
            )
        )
        page = f"<!doctype html><form method=post>{hidden}</form>"
        return Response(page + " " * (FORM_BYTES - len(page)), content_type="text/html")

    @app.post("/gui-don/phan-anh")
    def send() -> Response:
        data = request.form
        if not secrets.compare_digest(data.get("csrf_token", ""), session.get("csrf", "")):
            abort(400)
        submission = submissions.Submission(
            kind="reflection",
            subject=data["subject"],
            content=data["content"],
            location=data.get("location"),
            field=data.get("field"),
            name=data.get("name"),
            phone=data.get("phone"),
            address=data.get("address"),
            commune=data.get("commune"),
            province=data.get("province"),
            idempotency_key=data["idempotency_key"],
            upload_token=data.get("upload_token"),
            consent_version="floor",
        )
        with Session(engine) as db:
            stored = stored_calendar.last_stored_calendar(db)
            if stored is None:
                stored = stored_calendar.load_stored_calendar(db)
                db.rollback()
            receipt = submissions.submit(
                db,
                submission,
                now=datetime.now(UTC),
                settings=settings,
                rules=rules,
                calendar=stored.calendar,
                calendar_fingerprint=stored.fingerprint,
            )
        session["receipt"] = {"number": receipt.case_number, "code": receipt.access_code}
        return redirect("/gui-don/da-gui", 303)  # type: ignore[return-value]

    @app.get("/gui-don/da-gui")
    def receipt() -> Response:
        shown = session.get("receipt") or {}
        page = (
            f"<!doctype html><p>{escape(shown.get('number', ''))}</p>"
            f'<p class="access-code">{escape(shown.get("code", ""))}</p>'
        )
        return Response(page + " " * (RECEIPT_BYTES - len(page)), content_type="text/html")

    return app


def main() -> None:
    from common import REFLECTION, gunicorn, redis_env, wrk_parser
    from submissions import COUNTS, RATE, SCRIPT, TOTAL, run_wrk

    parser = wrk_parser(__doc__, port=8766, seconds=10)
    parser.add_argument(
        "--without-write-triggers",
        action="store_true",
        help="drop the search indexes' and tallies' insert triggers (to measure their cost)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    if args.database_url and args.without_write_triggers:
        raise SystemExit("--without-write-triggers is for SQLite (the triggers' names)")
    typed = urllib.parse.urlencode(REFLECTION)

    seconds = f"-d{round(args.seconds)}s"
    bare = ["-t2", f"-c{args.connections}", seconds]

    def serve(target: str, extra_env: dict[str, str]):  # type: ignore[no-untyped-def]
        return gunicorn(
            tmp,
            port=args.port,
            workers=args.workers,
            prepare=[["calendar", "sync"]],
            database_url=args.database_url,
            target=target,
            extra_env=extra_env,
        )

    with tempfile.TemporaryDirectory() as tmp, serve("wsgi:app", redis_env(args.redis_url)) as base:
        app_bare_out, app_bare_cpu = run_wrk([*bare, f"{base}/healthz"], args.port)
    floor_env = {"FLOOR_WITHOUT_WRITE_TRIGGERS": "1"} if args.without_write_triggers else {}
    with (
        tempfile.TemporaryDirectory() as tmp,
        serve("benchmarks.submission_floor:create_floor_app()", floor_env) as base,
    ):
        bare_out, bare_cpu = run_wrk([*bare, f"{base}/healthz"], args.port)
        connections = f"-c{args.connections}"
        full_out, full_cpu = run_wrk(
            [f"-t{args.connections}", connections, seconds, "-s", str(SCRIPT), base, "--", typed],
            args.port,
        )
    completed, failed = (int(n) for n in _found(COUNTS, full_out).groups())
    if failed:
        raise SystemExit(f"{failed} submissions failed:\n{full_out}")
    app_bare = float(_found(RATE, app_bare_out).group(1))
    app_bare_ms = app_bare_cpu * 1000 / int(_found(TOTAL, app_bare_out).group(1))
    floor_ms = full_cpu * 1000 / max(completed, 1)
    print(
        f"the app's bare route: {app_bare:.0f} req/s ({app_bare_ms:.2f} ms server CPU each)\n"
        f"the floor app's bare route: {float(_found(RATE, bare_out).group(1)):.0f} req/s "
        f"({bare_cpu * 1000 / int(_found(TOTAL, bare_out).group(1)):.2f} ms)\n"
        f"floor submissions (minimal Flask app, the real intake, "
        f"{'PostgreSQL' if args.database_url else 'durable SQLite'}"
        f"{', without the insert triggers' if args.without_write_triggers else ''}, gunicorn -w "
        f"{args.workers}): {completed / args.seconds:.1f}/s ({floor_ms:.2f} ms server CPU "
        f"each); against the app's bare route: **{completed / args.seconds / app_bare:.3f}** "
        f"by rate, {app_bare_ms / floor_ms:.3f} by CPU"
    )


def _found(pattern: re.Pattern[str], text: str) -> re.Match[str]:
    match = pattern.search(text)
    if match is None:
        raise SystemExit(f"wrk's output lacks {pattern.pattern!r}:\n{text}")
    return match


if __name__ == "__main__":
    main()
