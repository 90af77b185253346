"""`seed_scale` (the benchmarks' and `flask seed-scale`'s many cases) can place the cases in
divisions and give some to a handler as it makes them, so no UPDATE of every case (and its
tally triggers) is needed afterwards."""

from __future__ import annotations

from collections import Counter

from flask import current_app
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Case, OpenCaseTally
from portal.services import deadlines as deadline_service
from portal.services.scale import seed_scale
from tests.factories import make_division, make_user


def test_cases_are_spread_over_the_divisions_and_one_in_fifty_goes_to_the_handler(
    app_ctx,  # type: ignore[no-untyped-def]
) -> None:
    divisions = [make_division().id for _ in range(4)]
    handler = make_user().id
    made = seed_scale(
        db.session,
        cases=1000,
        rules=current_app.extensions["deadline_rules"],
        calendar=deadline_service.load_calendar(db.session),
        division_ids=divisions,
        handler_id=handler,
        batch=300,
    )
    assert made == 1000
    placed = Counter(db.session.scalars(select(Case.division_id)))
    assert set(placed) == set(divisions)
    assert all(count == 250 for count in placed.values())
    assigned = db.session.scalars(select(Case.id).where(Case.assignee_id == handler)).all()
    assert len(assigned) == 20 and all(case_id % 50 == 1 for case_id in assigned)
    # the open cases' tallies (kept by triggers) know each case's division
    open_by_division = dict(
        db.session.execute(
            select(Case.division_id, func.count())
            .where(Case.next_due_on.is_not(None))
            .group_by(Case.division_id)
        ).all()
    )
    tallied = dict(
        db.session.execute(
            select(OpenCaseTally.division_id, func.sum(OpenCaseTally.cases)).group_by(
                OpenCaseTally.division_id
            )
        ).all()
    )
    assert tallied == open_by_division
