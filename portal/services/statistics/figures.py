"""The figures of a period as plain frozen data: `Statistics` and its parts (deadlines per
rule, the head's monthly duty, articles per category), with the rates derived from them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from portal.domain.periods import mean, rate


@dataclass(frozen=True)
class RuleFigures:
    """Deadlines of one rule met in the period."""

    rule_id: str
    on_time: int
    late: int

    @property
    def met(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.met)


@dataclass(frozen=True)
class MonthDuty:
    """The head's monthly reception duty: "met", "missed" or "pending"."""

    year: int
    month: int
    state: str


@dataclass(frozen=True)
class CategoryCount:
    slug: str
    name: str
    name_en: str | None
    articles: int


@dataclass(frozen=True)
class Statistics:
    start: date
    end: date
    division_id: int | None
    today: date
    received: int
    received_by_kind: dict[str, int]
    received_by_channel: dict[str, int]
    received_by_field: dict[str, int]  # "" for cases without a field
    carried_over: int
    within_competence: int
    outside_competence: int
    unclassified: int
    outcomes: dict[str, int]  # the keys of OUTCOMES
    deadlines_by_rule: tuple[RuleFigures, ...]
    open_now: int
    overdue_now: int
    resolved: int
    days_to_resolve_average: float | None
    days_to_resolve_median: float | None
    ratings: dict[int, int]  # 1..5 -> how many
    answered: int  # received in the period and answered: the cases that could be rated
    sessions_held: int
    sessions_by_kind: dict[str, int]  # held sessions per kind
    sessions_cancelled: int
    head_duty: tuple[MonthDuty, ...]
    registrations: dict[str, int]  # confirmed, waiting, cancelled
    attendance: dict[str, int]  # attended, no_show, walk_in
    follow_ups_due: int
    follow_ups_on_time: int
    follow_ups_late: int
    follow_ups_not_done: int
    articles_published: int
    articles_by_category: tuple[CategoryCount, ...] = field(default=())

    @property
    def met_on_time(self) -> int:
        return sum(rule.on_time for rule in self.deadlines_by_rule)

    @property
    def met_late(self) -> int:
        return sum(rule.late for rule in self.deadlines_by_rule)

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.met_on_time, self.met_on_time + self.met_late)

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def rating_average(self) -> float | None:
        return mean(self.ratings)

    @property
    def response_rate(self) -> float | None:
        return rate(self.rated, self.answered)

    @property
    def duty_met(self) -> int:
        return sum(1 for month in self.head_duty if month.state == "met")

    @property
    def duty_missed(self) -> int:
        return sum(1 for month in self.head_duty if month.state == "missed")

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON: dates as ISO strings, the derived rates included."""
        data = asdict(self)
        for key in ("start", "end", "today"):
            data[key] = data[key].isoformat()
        data["ratings"] = {str(k): v for k, v in self.ratings.items()}
        data["deadlines_by_rule"] = [
            {**asdict(rule), "met": rule.met, "on_time_rate": rule.on_time_rate}
            for rule in self.deadlines_by_rule
        ]
        for name in (
            "met_on_time",
            "met_late",
            "on_time_rate",
            "rated",
            "rating_average",
            "response_rate",
            "duty_met",
            "duty_missed",
        ):
            data[name] = getattr(self, name)
        return data
