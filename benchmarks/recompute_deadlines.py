"""Benchmark: recompute 100,000 open deadlines after a calendar change.

Run on demand (not part of the test suite):
    .venv/bin/python benchmarks/recompute_deadlines.py [--count 100000] [--database-url URL]

Without --database-url it uses a throw-away SQLite file. The figure goes in
docs/performance.md.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal import create_app
from portal.extensions import db
from portal.models import Deadline
from portal.services import deadlines as deadline_service
from portal.web.security import now_utc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        app = create_app({"PORTAL_ENV": "test", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.drop_all()
            db.create_all()
            rules = app.extensions["deadline_rules"]
            day_rules = [r for r in rules.values() if r.unit != "hours"]
            rng = random.Random(2026)
            rows = []
            for _ in range(args.count):
                rule = rng.choice(day_rules)
                start = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
                rows.append(
                    {
                        "rule_id": rule.id,
                        "legal_basis": rule.legal_basis,
                        "started_on": start,
                        "due_on": start,  # deliberately stale: every row must be rewritten once
                        "created_at": now_utc(),
                    }
                )
            db.session.execute(Deadline.__table__.insert(), rows)
            db.session.commit()
            deadline_service.sync_builtin_corrections(db.session, now=now_utc())
            first = deadline_service.recompute_open_deadlines(db.session, rules=rules)

            began = time.perf_counter()
            report = deadline_service.add_override(
                db.session,
                day=date(2026, 6, 3),
                kind="day_off",
                note="Benchmark day off",
                source="benchmark",
                actor_id=None,  # type: ignore[arg-type]
                now=now_utc(),
                rules=rules,
            )
            elapsed = time.perf_counter() - began
            backend = db.engine.dialect.name
            print(
                f"backend={backend} open_deadlines={report.checked} "
                f"initial_moves={len(first.moves)} moved_by_change={len(report.moves)} "
                f"seconds={elapsed:.2f}"
            )


if __name__ == "__main__":
    main()
