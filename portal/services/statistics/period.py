"""`compute`: every figure of the officials' statistics for a period: the cases' figures here,
summed from the tallies the database keeps (`tallies`, migration 0022), the other work's in
`activity`."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy.orm import Session

from portal.domain.periods import mean, median
from portal.domain.workflow import KINDS
from portal.services.statistics import tallies
from portal.services.statistics.activity import article_figures, follow_up_figures, session_figures
from portal.services.statistics.conditions import (
    ANSWERED_STATUSES,
    OUTCOMES,
    OUTSIDE_GROUND,
    RATINGS,
)
from portal.services.statistics.figures import RuleFigures, Statistics

# The dimensions of the cases received in the period.
RECEIVED = ("kind", "channel", "field", "status", "rating")


def compute(
    session: Session, *, start: date, end: date, division_id: int | None, today: date
) -> Statistics:
    """Every figure of the officials' statistics for the days start..end (see the package),
    read from the tallies the database keeps (`tallies`), never from the cases themselves."""
    by_kind: Counter[str] = Counter({kind: 0 for kind in KINDS})
    by_channel: Counter[str] = Counter()
    by_field: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    ratings: Counter[int] = Counter({rating: 0 for rating in RATINGS})
    outside = 0
    received_rows = tallies.by_value(
        session,
        *tallies.where(RECEIVED, division_id=division_id, start=start, end=end),
    )
    for dimension, value, count in received_rows:
        count = int(count)
        if dimension == "kind":
            by_kind[value] += count
        elif dimension == "channel":
            by_channel[value] += count
        elif dimension == "field":
            by_field[value] += count
        elif dimension == "rating":
            rating, _, mark = value.partition("/")
            if "/" + mark == tallies.ANSWERED_MARK and int(rating) in ratings:
                ratings[int(rating)] += count
        else:
            status, _, ground = value.partition("/")
            by_status[status] += count
            if status in ("guided", "forwarded") or (
                status == "not_accepted" and ground == OUTSIDE_GROUND
            ):
                outside += count
    by_kind = Counter({kind: n for kind, n in by_kind.items() if n or kind in KINDS})
    by_channel = Counter({name: n for name, n in by_channel.items() if n})
    by_field = Counter({name: n for name, n in by_field.items() if n})
    received = sum(by_status.values())
    answered = sum(by_status[status] for status in ANSWERED_STATUSES)
    outcomes = {name: sum(by_status[s] for s in statuses) for name, statuses in OUTCOMES.items()}
    unclassified = outcomes["unclassified"]

    # open when it began; answered since; ended otherwise since (see the package)
    carried_over = (
        tallies.total(
            session, *tallies.where(["open"], division_id=division_id, end=_before(start))
        )
        + tallies.total(
            session,
            *tallies.where(["answered"], division_id=division_id, start=start),
            *tallies.received_before(start, answered=True),
        )
        + tallies.total(
            session,
            *tallies.where(["ended"], division_id=division_id, start=start),
            *tallies.received_before(start),
        )
    )

    met: dict[str, list[int]] = {}
    for _dimension, value, count in tallies.by_value(
        session, *tallies.where(["met"], division_id=division_id, start=start, end=end)
    ):
        rule_id, _, timing = value.rpartition("/")
        counts = met.setdefault(rule_id, [0, 0])
        if timing == "on_time":
            counts[0] += int(count)
        elif timing == "late":
            counts[1] += int(count)
    by_rule = tuple(RuleFigures(rule_id, *met[rule_id]) for rule_id in sorted(met))

    open_now = overdue_now = 0
    today_iso = today.isoformat()
    for _dimension, value, count in tallies.by_value(
        session, *tallies.where(["open"], division_id=division_id, end=end)
    ):
        open_now += int(count)
        due = value.partition("/")[2]
        if due and due < today_iso:
            overdue_now += int(count)

    # days to resolve: the database turns each (answered_on, received_on) into days
    histogram: Counter[int] = Counter()
    for days, count in tallies.days_to_resolve(
        session, *tallies.where(["answered"], division_id=division_id, start=start, end=end)
    ):
        histogram[int(days)] += int(count)

    sessions = session_figures(session, start, end, today)
    follow_ups = follow_up_figures(session, start, end, division_id)
    articles_total, by_category = article_figures(session, start, end, today)
    return Statistics(
        start=start,
        end=end,
        division_id=division_id,
        today=today,
        received=received,
        received_by_kind=dict(by_kind),
        received_by_channel=dict(sorted(by_channel.items())),
        received_by_field=dict(sorted(by_field.items())),
        carried_over=carried_over,
        within_competence=received - outside - unclassified,
        outside_competence=outside,
        unclassified=unclassified,
        outcomes=outcomes,
        deadlines_by_rule=by_rule,
        open_now=open_now,
        overdue_now=overdue_now,
        resolved=sum(histogram.values()),
        days_to_resolve_average=mean(histogram),
        days_to_resolve_median=median(histogram),
        ratings=dict(sorted(ratings.items())),
        answered=answered,
        articles_published=articles_total,
        articles_by_category=by_category,
        **sessions,
        **follow_ups,
    )


def _before(day: date) -> date:
    return day - timedelta(days=1)
