"""Benchmark: the queue's first page and the dashboard at 1,000 and 1,000,000 cases.

Server time only (the service calls the views make), median of repeated runs, on SQLite and,
with --database-url, on PostgreSQL; prints EXPLAIN for the queue query.

    .venv/bin/python benchmarks/queue_scale.py [--sizes 1000 1000000] [--database-url URL]
        [--keep DIR] [--reuse] [--searches [--repeat N]] [--explain]

--database-url may hold "{size}" to give each size its own database; --keep leaves the
SQLite files in DIR; --reuse times a database that already holds the cases (after bringing
its schema up to date, as a deployment would) instead of seeding it again. --searches times
only the two searches of a common phrase ("cot dien"): the working queue's, and the one
among closed cases (a list of every case ever received, status "closed"); --explain prints
the plan of every statement those two searches run (EXPLAIN QUERY PLAN on SQLite, EXPLAIN
ANALYZE on PostgreSQL).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import empty_database, timed
from sqlalchemy import text

from portal import create_app
from portal.domain.permissions import EVERY_CASE, CaseScope
from portal.extensions import db
from portal.services import deadlines as deadline_service
from portal.services import queue
from portal.services.scale import seed_scale

TODAY = date(2026, 11, 27)
HANDLER = "bench@example.gov.vn"


OPTIONS: dict[str, int] = {"searches": False, "explain": False, "repeat": 31}


def run(url: str, size: int, *, reuse: bool = False) -> dict[str, float]:
    app = create_app({"PORTAL_ENV": "test", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        # the schema as migrations make it (the full-text index is not in the models)
        from flask_migrate import upgrade
        from sqlalchemy import inspect

        if reuse and inspect(db.engine).has_table("cases"):
            upgrade()
            figures = {"reused_cases": float(db.session.scalar(text("SELECT count(*) FROM cases")))}
            db.session.commit()
            return _measure(figures, size)
        empty_database()
        calendar = deadline_service.load_calendar(db.session)
        division_ids, handler_id = _divisions_and_handler()
        began = time.perf_counter()
        seed_scale(
            db.session,
            cases=size,
            rules=app.extensions["deadline_rules"],
            calendar=calendar,
            division_ids=division_ids,
            handler_id=handler_id,
        )
        seeded = time.perf_counter() - began
        db.session.commit()
        return _measure({"seed_s": seeded}, size)


def _divisions_and_handler() -> tuple[list[int], int]:
    """The eight divisions the cases are spread over and the handler (of the first) who has
    one case in fifty, made once per database."""
    from sqlalchemy import select

    from portal.models import Division, User

    divisions = db.session.scalars(select(Division.id).order_by(Division.id)).all()
    if not divisions:
        made = [Division(code=f"BENCH{n}", name=f"Phòng {n}") for n in range(8)]
        db.session.add_all(made)
        db.session.add(User(email=HANDLER, name="Chuyên viên", password_hash="-"))  # noqa: S106  (no login)
        db.session.commit()
        divisions = [division.id for division in made]
    handler = db.session.scalar(select(User.id).where(User.email == HANDLER))
    assert handler is not None
    return list(divisions), handler


def _place_in_divisions() -> CaseScope:
    """The scope of the first division's handler. A database seeded before the cases were
    placed as they were made (no division yet) has them placed here, by one UPDATE of every
    case, which runs the tallies' triggers for each row: slow at a million."""
    from sqlalchemy import select

    from portal.models import Case

    if db.session.scalar(select(Case.id).where(Case.division_id.is_not(None)).limit(1)) is None:
        divisions, handler = _divisions_and_handler()
        db.session.execute(
            text("UPDATE cases SET division_id = :first + id % 8"), {"first": divisions[0]}
        )
        db.session.execute(
            text("UPDATE cases SET assignee_id = :user WHERE id % 50 = 1"), {"user": handler}
        )
        db.session.commit()
    divisions, handler = _divisions_and_handler()
    return CaseScope(division_id=divisions[0], assignee_id=handler)


def _measure(figures: dict[str, float], size: int) -> dict[str, float]:
    """Time the pages on the database of the current app context."""
    calendar = deadline_service.load_calendar(db.session)
    if db.engine.dialect.name == "postgresql":
        # what autovacuum does on a live server: statistics and the visibility map
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()

    handler = _place_in_divisions()

    def page(scope: CaseScope = EVERY_CASE, **filters):  # type: ignore[no-untyped-def]
        return lambda: queue.search(
            db.session,
            queue.Filters(**filters),
            scope=scope,
            today=TODAY,
            calendar=calendar,
            soon_working_days=3,
        )

    def board(scope: CaseScope):  # type: ignore[no-untyped-def]
        return lambda: queue.dashboard(
            db.session,
            scope=scope,
            today=TODAY,
            calendar=calendar,
            soon_working_days=3,
            week_start=TODAY - timedelta(days=TODAY.weekday()),
        )

    searches = {
        # a common phrase (one case in eight has it) among open cases, and among closed ones
        "search_ms": page(text="cot dien"),
        "search_closed_ms": page(text="cot dien", status="closed"),
        # lists a statistics figure links to, counted (not read from the tallies)
        "list_answered_ms": page(statuses=("resolved", "closed", "guided", "forwarded")),
        "list_received_2025_ms": page(
            received_from=date(2025, 1, 1), received_to=date(2025, 12, 31)
        ),
    }
    if OPTIONS["explain"]:
        for name in ("search_ms", "search_closed_ms"):
            _explain(name, searches[name])
    if OPTIONS["searches"]:
        figures |= {name: timed(call, OPTIONS["repeat"]) for name, call in searches.items()}
        db.session.remove()
        db.engine.dispose()
        return figures
    figures |= {
        "first_page_ms": timed(page()),
        "overdue_ms": timed(page(due="overdue")),
        # a common phrase (one case in eight has it) and a rare one (one case)
        "search_ms": timed(searches["search_ms"]),
        "search_rare_ms": timed(page(text=str(size // 2))),
        # the same phrase among every case ever received, not only the open ones
        "search_closed_ms": timed(searches["search_closed_ms"]),
        "dashboard_ms": timed(board(EVERY_CASE)),
        # the same pages for a handler: their division's cases (one in eight) and their own
        "handler_first_page_ms": timed(page(handler)),
        "handler_overdue_ms": timed(page(handler, due="overdue")),
        "handler_search_ms": timed(page(handler, text="cot dien")),
        "handler_dashboard_ms": timed(board(handler)),
    }
    explain = "EXPLAIN QUERY PLAN" if db.engine.dialect.name == "sqlite" else "EXPLAIN"
    plan = db.session.execute(
        text(
            f"{explain} SELECT * FROM cases WHERE next_due_on IS NOT NULL"  # noqa: S608
            " ORDER BY next_due_on, id LIMIT 50"
        )
    ).all()
    figures["plan"] = " | ".join(str(row[-1]) for row in plan)  # type: ignore[assignment]
    db.session.remove()
    db.engine.dispose()
    return figures


def _explain(name: str, call) -> None:  # type: ignore[no-untyped-def]
    """Print the plan of each statement `call` runs, with its bound parameters."""
    from sqlalchemy import event

    statements: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    sqlite = db.engine.dialect.name == "sqlite"
    prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
    connection = db.session.connection().connection.dbapi_connection
    for statement, parameters in statements:
        cursor = connection.cursor()  # type: ignore[union-attr]
        cursor.execute(prefix + statement, parameters)
        print(f"--- {name}: {' '.join(statement.split())[:300]}")
        for row in cursor.fetchall():
            print("   ", row[-1] if sqlite else row[0])
        cursor.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 1_000_000])
    parser.add_argument("--database-url")
    parser.add_argument("--keep", help="a folder for the SQLite files, kept after the run")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--searches", action="store_true", help="time the two searches only")
    parser.add_argument("--explain", action="store_true", help="print the searches' plans")
    parser.add_argument("--repeat", type=int, default=31, help="timings per search (--searches)")
    args = parser.parse_args()
    OPTIONS.update(searches=args.searches, explain=args.explain, repeat=args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or tmp
        for size in args.sizes:
            url = (args.database_url or f"sqlite:///{folder}/scale-{{size}}.db").format(size=size)
            figures = run(url, size, reuse=args.reuse)
            print(
                f"{url.split(':')[0]} cases={size} "
                + " ".join(
                    f"{k}={v:.1f}" if isinstance(v, float) else f"{k}=[{v}]"
                    for k, v in figures.items()
                )
            )


if __name__ == "__main__":
    main()
