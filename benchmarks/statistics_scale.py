"""Benchmark: the statistics of a year of 1,000,000 cases, on SQLite and PostgreSQL.

Seeds one year (2026) of `--cases` cases with full histories in aggregate form (answers,
ratings, met and stopped deadlines, the events that end a case, divisions, fields) plus a
tenth as many in 2025 to be carried over, then times, server side, the median of repeated
runs of: the year's figures for all divisions and for one division, a month's figures, the
public headlines, and the admin statistics page itself (rendered by the app for a leader).

    .venv/bin/python benchmarks/statistics_scale.py [--cases 1000000] [--database-url URL]
        [--keep DIR] [--reuse]

--keep leaves the SQLite file in DIR (statistics-N.db); --reuse times a database that already
holds the cases (after bringing its schema to the head migration, which backfills what a new
migration adds) instead of seeding it again. On PostgreSQL the rows go in with COPY.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from functools import partial

import common
from sqlalchemy import func, insert, select, text

from portal import create_app
from portal.extensions import db
from portal.models import Case, CaseEvent, Deadline, Division
from portal.services import statistics

# The yearly figures take seconds at a million cases: five runs are enough for a median.
timed = partial(common.timed, repeat=5)

TODAY = date(2026, 11, 27)
STATUSES = (
    "received",
    "accepted",
    "in_progress",
    "resolved",
    "closed",
    "closed",
    "resolved",
    "guided",
    "forwarded",
    "filed",
    "not_accepted",
    "withdrawn",
)
ENDED = {"guided", "forwarded", "filed", "not_accepted", "withdrawn"}
FIELDS = ("telecom", "press", "post", "it", None)
RULES = {
    "complaint": "complaint.resolve",
    "denunciation": "denunciation.resolve",
    "petition": "letter.process",
    "reflection": "letter.process",
}


def seed(cases: int, *, batch: int = 20_000) -> None:
    rng = random.Random(2026)  # nosec B311
    divisions = []
    for number in range(5):
        division = Division(code=f"B{number}", name=f"Phòng {number}")
        db.session.add(division)
        divisions.append(division)
    db.session.commit()
    division_ids = [d.id for d in divisions]
    now = datetime.now(UTC)
    plan = [(2026, cases), (2025, cases // 10)]
    case_id = (db.session.scalar(select(func.max(Case.id))) or 0) + 1
    for year, count in plan:
        first = date(year, 1, 1)
        span = (TODAY - first).days if year == TODAY.year else 365
        made = 0
        while made < count:
            size = min(batch, count - made)
            case_rows, deadline_rows, event_rows = [], [], []
            for offset in range(size):
                received = first + timedelta(days=rng.randrange(span))
                age = (TODAY - received).days
                status = rng.choice(STATUSES if age < 90 else STATUSES[3:])
                kind = rng.choice(tuple(RULES))
                answered = None
                met = None
                if status in ("resolved", "closed"):
                    answered = min(received + timedelta(days=rng.randrange(1, 60)), TODAY)
                    met = answered
                elif status in ENDED:
                    met = min(received + timedelta(days=rng.randrange(1, 15)), TODAY)
                due = received + timedelta(days=rng.choice((14, 30, 42)))
                open_ = status in ("received", "accepted", "in_progress")
                case_rows.append(
                    {
                        "id": case_id,
                        "year": year,
                        "sequence": made + offset + 1,
                        "kind": kind,
                        "channel": rng.choice(("web", "post", "in_person", "forwarded")),
                        "received_on": received,
                        "submitted_at": now,
                        "subject": "Phản ánh",
                        "content": "Nội dung",
                        "status": status,
                        "field": rng.choice(FIELDS),
                        "division_id": rng.choice(division_ids),
                        "answered_on": answered,
                        "satisfaction_rating": (
                            rng.randint(1, 5) if not open_ and rng.random() < 0.3 else None
                        ),
                        "outcome_ground": "outside_competence"
                        if status == "not_accepted" and rng.random() < 0.5
                        else None,
                        "confidential": kind == "denunciation",
                        "search_text": "",
                        "next_due_on": due if open_ else None,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                deadline_rows.append(
                    {
                        "case_id": case_id,
                        "rule_id": RULES[kind],
                        "legal_basis": "-",
                        "started_on": received,
                        "due_on": due,
                        "met_on": met,
                        "stopped_reason": status if status in ENDED else None,
                        "created_at": now,
                    }
                )
                if status in ENDED:
                    event_rows.append(
                        {
                            "case_id": case_id,
                            "at": datetime.combine(met, datetime.min.time(), tzinfo=UTC),
                            "action": "x",
                            "from_status": "received",
                            "to_status": status,
                            "visible_to_citizen": False,
                        }
                    )
                case_id += 1
            _insert(Case, case_rows)
            _insert(Deadline, deadline_rows)
            if event_rows:
                _insert(CaseEvent, event_rows)
            db.session.commit()
            made += size


def _insert(model: type, rows: list[dict[str, object]]) -> None:
    """The rows in one statement; on PostgreSQL through COPY (the same rows, several times
    faster than a multi-row INSERT)."""
    if db.engine.dialect.name != "postgresql":
        db.session.execute(insert(model), rows)
        return
    from psycopg import sql

    table = model.__table__  # type: ignore[attr-defined]
    # the models' scalar defaults, which an INSERT through SQLAlchemy would fill in
    defaults = {
        column.key: column.default.arg
        for column in table.c
        if column.default is not None and column.default.is_scalar and column.key not in rows[0]
    }
    rows = [row | defaults for row in rows]
    columns = list(rows[0])
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name),
        sql.SQL(", ").join(sql.Identifier(table.c[name].name) for name in columns),
    )
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[name] for name in columns])


def run(url: str, cases: int, *, with_page: bool = True, reuse: bool = False) -> dict[str, object]:
    app = create_app({"PORTAL_ENV": "test", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        from flask_migrate import upgrade
        from sqlalchemy import inspect

        if reuse and inspect(db.engine).has_table("cases"):
            upgrade()
            reused = db.session.scalar(text("SELECT count(*) FROM cases"))
            db.session.commit()
            return _measure(app, {"reused_cases": reused}, with_page)
        common.empty_database()
        began = time.perf_counter()
        seed(cases)
        seeded = time.perf_counter() - began
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        return _measure(app, {"seed_s": seeded}, with_page)


def _measure(app, result: dict[str, object], with_page: bool) -> dict[str, object]:  # type: ignore[no-untyped-def]
    with app.app_context():
        division_id = db.session.scalar(select(func.min(Division.id)))

        def figures(start: date, end: date, division: int | None) -> Callable[[], object]:
            return lambda: statistics.compute(
                db.session, start=start, end=end, division_id=division, today=TODAY
            )

        result |= {
            "year_ms": timed(figures(date(2026, 1, 1), date(2026, 12, 31), None)),
            "year_division_ms": timed(figures(date(2026, 1, 1), date(2026, 12, 31), division_id)),
            "month_ms": timed(figures(date(2026, 3, 1), date(2026, 3, 31), None)),
            "public_ms": timed(
                lambda: statistics.public_headlines(db.session, year=2026, today=TODAY)
            ),
        }
        if with_page:
            result["page_ms"] = timed(_page(app))
        db.session.remove()
        db.engine.dispose()
    return result


def _page(app) -> Callable[[], object]:  # type: ignore[no-untyped-def]
    """The admin statistics page for the year, as a leader sees it (all divisions)."""
    from portal.models import User, UserRole
    from portal.services.accounts import hash_password

    password = "a benchmark password, long enough"  # noqa: S105  (a throwaway database)
    user = db.session.scalar(select(User).where(User.email == "bench@example.gov.vn"))
    if user is not None:  # a reused database
        return _signed_in(app, user.email, password)
    user = User(
        email="bench@example.gov.vn",
        name="Bench",
        password_hash=hash_password(password),
        password_changed_at=datetime.now(UTC),
        must_change_password=False,
    )
    user.role_rows = [UserRole(role="leader")]
    db.session.add(user)
    db.session.commit()
    return _signed_in(app, user.email, password)


def _signed_in(app, email: str, password: str) -> Callable[[], object]:  # type: ignore[no-untyped-def]
    import re

    client = app.test_client()
    login = client.get("/quan-tri/dang-nhap").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login)
    assert token, "no CSRF token on the sign-in page"
    signed_in = client.post(
        "/quan-tri/dang-nhap",
        data={"csrf_token": token.group(1), "email": email, "password": password},
    )
    assert signed_in.status_code == 302, signed_in.status_code
    path = "/quan-tri/thong-ke?ky=year&nam=2026"

    def get() -> object:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        return response

    return get


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--database-url")
    parser.add_argument("--no-page", action="store_true", help="time the service calls only")
    parser.add_argument("--keep", help="a folder for the SQLite file, kept after the run")
    parser.add_argument("--reuse", action="store_true", help="time the kept database again")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or tmp
        url = args.database_url or f"sqlite:///{folder}/statistics-{args.cases}.db"
        result = run(url, args.cases, with_page=not args.no_page, reuse=args.reuse)
        load = os.getloadavg()[0]
        print(
            f"{url.split(':')[0]} cases={args.cases} load={load:.1f} "
            + " ".join(
                f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()
            )
        )


if __name__ == "__main__":
    main()
