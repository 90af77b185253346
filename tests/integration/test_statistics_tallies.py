"""The statistics' tallies (migration 0022): kept by the database's triggers on SQLite and on
PostgreSQL through every change a case, its deadlines and its events go through, and rebuilt
the same by the migration's backfill."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from portal.domain import dialogues as dialogue_rules
from portal.extensions import db
from portal.models import Case, CaseEvent, CaseTally, Deadline
from portal.services.statistics import ANSWERED_STATUSES, ENDED_STATUSES
from portal.services.statistics.conditions import OUTSIDE_GROUND
from tests.factories import make_case, make_division

TODAY = date(2026, 11, 27)
Key = tuple[str, date, int, str]


def _tallies() -> dict[Key, int]:
    db.session.expire_all()
    rows = db.session.execute(
        select(
            CaseTally.dimension,
            CaseTally.day,
            CaseTally.division_id,
            CaseTally.value,
            CaseTally.cases,
        )
    )
    return {(dim, day, division, value): cases for dim, day, division, value, cases in rows}


def _counted() -> dict[Key, int]:
    """What the tallies must say, counted the slow way from the cases, deadlines and events."""
    db.session.expire_all()
    counts: Counter[Key] = Counter()
    ended_on: dict[int, date] = {}
    for event in db.session.scalars(select(CaseEvent)):
        if event.to_status in ENDED_STATUSES:
            day = dialogue_rules.local_day(event.at)
            ended_on[event.case_id] = max(day, ended_on.get(event.case_id, day))
    divisions = {}
    for case in db.session.scalars(select(Case)):
        division = case.division_id or 0
        divisions[case.id] = division
        received = case.received_on
        answered = "/answered" if case.status in ANSWERED_STATUSES else "/"
        counts["kind", received, division, case.kind] += 1
        counts["channel", received, division, case.channel] += 1
        counts["field", received, division, case.field or ""] += 1
        status = case.status
        if status == "not_accepted":
            status += "/" + (case.outcome_ground or "")
        counts["status", received, division, status] += 1
        if case.satisfaction_rating is not None:
            counts["rating", received, division, f"{case.satisfaction_rating}{answered}"] += 1
        if case.status in ("received", "accepted", "in_progress", "suspended"):
            due = case.next_due_on.isoformat() if case.next_due_on else ""
            counts["open", received, division, f"{case.status}/{due}"] += 1
        if case.answered_on is not None:
            counts["answered", case.answered_on, division, received.isoformat() + answered] += 1
        if case.status in ENDED_STATUSES and case.id in ended_on:
            counts["ended", ended_on[case.id], division, received.isoformat()] += 1
        assert case.ended_on == ended_on.get(case.id)
    for deadline in db.session.scalars(select(Deadline)):
        if deadline.case_id is None or deadline.met_on is None or deadline.stopped_reason:
            continue
        timing = ""
        if deadline.due_on is not None:
            timing = "on_time" if deadline.met_on <= deadline.due_on else "late"
        value = f"{deadline.rule_id}/{timing}"
        counts["met", deadline.met_on, divisions[deadline.case_id], value] += 1
    return dict(counts)


def _event(case: Case, to_status: str, at: datetime) -> None:
    db.session.add(
        CaseEvent(
            case_id=case.id, at=at, action="test", from_status=case.status, to_status=to_status
        )
    )
    case.status = to_status


def _deadline(case: Case, rule_id: str, due_on: date, met_on: date | None = None) -> Deadline:
    deadline = Deadline(
        case_id=case.id,
        rule_id=rule_id,
        legal_basis="-",
        started_on=case.received_on,
        due_on=due_on,
        met_on=met_on,
    )
    db.session.add(deadline)
    return deadline


def test_tallies_follow_every_change_to_cases_deadlines_and_events(app_ctx) -> None:
    first, second = make_division(), make_division(name="Văn phòng Sở")
    cases = [make_case(kind="reflection", subject=f"Cột điện số {n}") for n in range(5)]
    assert _tallies() == _counted()
    assert sum(n for key, n in _tallies().items() if key[0] == "kind") == 5
    late_evening = datetime(2026, 3, 9, 17, 30, tzinfo=UTC)  # 10/03 in Hồ Chí Minh City
    deadlines: list[Deadline] = []

    def add_deadline(case: Case, met_on: date | None) -> None:
        deadlines.append(_deadline(case, "letter.process", date(2026, 3, 20), met_on))

    steps = [
        lambda: setattr(cases[0], "division_id", first.id),
        lambda: setattr(cases[0], "status", "accepted"),
        lambda: setattr(cases[0], "next_due_on", date(2026, 3, 1)),
        lambda: setattr(cases[1], "field", "telecom"),
        lambda: setattr(cases[1], "channel", "post"),
        lambda: setattr(cases[1], "received_on", date(2025, 12, 30)),
        lambda: add_deadline(cases[0], None),
        lambda: setattr(deadlines[0], "met_on", date(2026, 3, 25)),  # late
        lambda: setattr(deadlines[0], "met_on", date(2026, 3, 18)),  # on time
        lambda: setattr(cases[0], "division_id", second.id),  # its deadline moves with it
        lambda: setattr(deadlines[0], "stopped_reason", "withdrawn"),  # no longer counted
        lambda: setattr(deadlines[0], "stopped_reason", None),
        # answered, then rated, then reopened
        lambda: setattr(cases[0], "status", "resolved"),
        lambda: setattr(cases[0], "answered_on", date(2026, 3, 18)),
        lambda: setattr(cases[0], "next_due_on", None),
        lambda: setattr(cases[0], "satisfaction_rating", 4),
        lambda: setattr(cases[0], "status", "in_progress"),
        lambda: setattr(cases[0], "status", "closed"),
        # refused outside our competence, then on another ground
        lambda: setattr(cases[2], "outcome_ground", OUTSIDE_GROUND),
        lambda: _event(cases[2], "not_accepted", late_evening),
        lambda: setattr(cases[2], "outcome_ground", "other"),
        # guided, reopened, guided again later: the latest end counts
        lambda: _event(cases[3], "guided", datetime(2026, 2, 1, 3, tzinfo=UTC)),
        lambda: _event(cases[3], "in_progress", datetime(2026, 2, 2, 3, tzinfo=UTC)),
        lambda: _event(cases[3], "guided", datetime(2026, 4, 1, 3, tzinfo=UTC)),
        lambda: setattr(cases[3], "division_id", first.id),
        lambda: add_deadline(cases[4], date(2026, 3, 10)),
        lambda: setattr(deadlines[1], "due_on", date(2026, 3, 5)),  # now met late
        lambda: setattr(cases[4], "division_id", first.id),
        lambda: setattr(cases[4], "subject", "Đổi tên"),  # no tally column: nothing moves
        lambda: db.session.delete(deadlines[1]),
        lambda: add_deadline(cases[4], date(2026, 3, 10)),
        # a case deleted with its deadline and events (cascade): each counted off once
        lambda: db.session.delete(cases[0]),
        lambda: db.session.delete(cases[3]),
    ]
    for number, step in enumerate(steps):
        step()
        db.session.commit()
        assert _tallies() == _counted(), number
    assert all(count > 0 for count in _tallies().values())  # emptied rows are removed
    assert sum(n for key, n in _tallies().items() if key[0] == "kind") == 3
    assert any(key[0] == "met" for key in _tallies())
    assert any(key[:2] == ("ended", date(2026, 3, 10)) for key in _tallies())

    # the migration's backfill counts the same as the triggers did
    before = _tallies()
    db.session.remove()
    downgrade(revision="0021")
    upgrade()
    assert _tallies() == before == _counted()


def test_figures_follow_a_case_through_its_life(app_ctx) -> None:
    """The page's figures move as the case does (the tallies, read by `compute`)."""
    from portal.services import statistics

    def figures() -> statistics.Statistics:
        db.session.expire_all()
        return statistics.compute(
            db.session, start=TODAY.replace(day=1), end=TODAY, division_id=None, today=TODAY
        )

    case = make_case(kind="reflection", subject="Đèn đường hỏng")
    case.received_on = TODAY - timedelta(days=3)
    case.next_due_on = TODAY - timedelta(days=1)
    db.session.commit()
    assert (figures().received, figures().open_now, figures().overdue_now) == (1, 1, 1)
    case.status, case.answered_on, case.next_due_on = "resolved", TODAY, None
    case.satisfaction_rating = 5
    db.session.commit()
    seen = figures()
    assert (seen.open_now, seen.resolved, seen.days_to_resolve_average) == (0, 1, 3.0)
    assert seen.ratings[5] == 1 and seen.answered == 1
