"""The yearly mass-mobilisation report: its sections, deadlines, figures and checks.

The department's plan (section IV) asks every division to report on its mass-mobilisation work
to the Office by 22 October and the Office to report to the Board by 25 October, against the
targets of its section III. The sections below follow the plan's headings. Labels and hints are
English msgids, marked with `N_` so the catalog picks them up; the views translate them. The
Word document uses the fixed Vietnamese headings of `portal.lib.report_documents`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

from portal.domain.calendar import WorkingCalendar


def N_(text: str) -> str:
    """Mark a string for the catalog (gettext's N_ convention) without translating it."""
    return text


FigureFormat = Literal["count", "percent", "rating", "days"]


@dataclass(frozen=True)
class Figure:
    id: str
    label: str  # English msgid
    format: FigureFormat
    # Counted for the whole department only (sessions, articles): not in a division's report.
    department_only: bool = False


@dataclass(frozen=True)
class Section:
    id: str
    label: str  # English msgid
    hint: str  # English msgid
    figures: tuple[str, ...] = ()  # ids of FIGURES filled in automatically
    required: bool = True  # must be written before the report is submitted


FIGURES: Final[tuple[Figure, ...]] = (
    Figure("cases_received", N_("Letters received"), "count"),
    Figure("cases_resolved", N_("Letters resolved"), "count"),
    Figure("met_on_time", N_("Deadlines met on time"), "count"),
    Figure("met_late", N_("Deadlines met late"), "count"),
    Figure("on_time_rate", N_("On-time rate"), "percent"),
    Figure("overdue_open", N_("Open and overdue now"), "count"),
    Figure("average_days", N_("Average days to resolve"), "days"),
    Figure("sessions_held", N_("Reception and dialogue sessions held"), "count", True),
    Figure("head_duty_met", N_("Months the Director's reception duty was met"), "count", True),
    Figure(
        "head_duty_missed", N_("Months the Director's reception duty was missed"), "count", True
    ),
    Figure("follow_ups_on_time", N_("Follow-ups done on time"), "count"),
    Figure("satisfaction_average", N_("Average satisfaction rating (1 to 5)"), "rating"),
    Figure("satisfaction_responses", N_("Citizens who rated the answer"), "count"),
    Figure("articles_published", N_("Articles published"), "count", True),
)
FIGURE_BY_ID: Final[dict[str, Figure]] = {figure.id: figure for figure in FIGURES}

SECTIONS: Final[tuple[Section, ...]] = (
    Section(
        "directives",
        N_("Study and implementation of directives and the democracy regulations"),
        N_(
            "Which directives, resolutions and democracy regulations were studied, how many "
            "sessions, who attended, and how they were put into practice."
        ),
    ),
    Section(
        "administrative_reform",
        N_("Administrative reform"),
        N_(
            "Procedures simplified, one-stop handling, online services, and how citizens' "
            "letters were handled. The figures below come from the portal."
        ),
        figures=(
            "cases_received",
            "cases_resolved",
            "met_on_time",
            "met_late",
            "on_time_rate",
            "overdue_open",
            "average_days",
        ),
    ),
    Section(
        "grassroots_democracy",
        N_("Democracy at the grassroots"),
        N_(
            "Publicity inside the agency, reception of citizens, dialogues and what was done "
            "after them. The figures below come from the portal."
        ),
        figures=("sessions_held", "head_duty_met", "head_duty_missed", "follow_ups_on_time"),
    ),
    Section(
        "emulation",
        N_("Emulation movements (\u201cSkilful mass mobilisation\u201d)"),
        N_("Models registered and recognised, in which field, and their results."),
    ),
    Section(
        "coordination",
        N_("Coordination with the Fatherland Front and mass organisations"),
        N_("Joint programmes, supervision and social criticism, and their results."),
    ),
    Section(
        "targets",
        N_("Targets of section III and their results"),
        N_(
            "For each target of the plan, say whether it was met and why. The figures below "
            "come from the portal."
        ),
        figures=(
            "on_time_rate",
            "satisfaction_average",
            "satisfaction_responses",
            "articles_published",
        ),
    ),
    Section(
        "proposals",
        N_("Difficulties, proposals and tasks for next year"),
        N_("Optional."),
        required=False,
    ),
)
SECTION_BY_ID: Final[dict[str, Section]] = {section.id: section for section in SECTIONS}
SECTION_IDS: Final[tuple[str, ...]] = tuple(SECTION_BY_ID)

MAX_SECTION_LENGTH: Final = 20_000
MAX_REASON_LENGTH: Final = 2_000
DIVISION_DUE: Final = (10, 22)  # 22 October: divisions to the Office
OFFICE_DUE: Final = (10, 25)  # 25 October: the Office to the Board
PERIOD_END: Final = (9, 30)  # figures from 1 January to 30 September unless changed
REMIND_WORKING_DAYS_BEFORE: Final = (5, 1)

ROUND_STATUSES: Final = ("open", "compiled")
REPORT_STATUSES: Final = ("draft", "submitted", "returned")


def default_deadlines(year: int) -> tuple[date, date]:
    """(division deadline, Office deadline) of the plan for `year`."""
    return date(year, *DIVISION_DUE), date(year, *OFFICE_DUE)


def default_period(year: int) -> tuple[date, date]:
    """The period the figures cover by default."""
    return date(year, 1, 1), date(year, *PERIOD_END)


def section_figures(section: Section, *, division: bool) -> tuple[str, ...]:
    """The figures a section shows: in a division's report, not the department-only ones."""
    return tuple(f for f in section.figures if not (division and FIGURE_BY_ID[f].department_only))


def report_figures(*, division: bool) -> tuple[str, ...]:
    """Every figure a report carries, each once, in the order of FIGURES."""
    wanted = {f for s in SECTIONS for f in section_figures(s, division=division)}
    return tuple(figure.id for figure in FIGURES if figure.id in wanted)


def clean_sections(raw: Mapping[str, object]) -> dict[str, str]:
    """The known sections only, as stripped text (unknown keys are dropped)."""
    cleaned: dict[str, str] = {}
    for section_id in SECTION_IDS:
        value = raw.get(section_id)
        cleaned[section_id] = value.strip() if isinstance(value, str) else ""
    return cleaned


def problems(sections: Mapping[str, str], *, submitting: bool) -> dict[str, str]:
    """Section id -> "too_long" or "missing" ("missing" only when submitting)."""
    found: dict[str, str] = {}
    for section in SECTIONS:
        text = sections.get(section.id, "").strip()
        if len(text) > MAX_SECTION_LENGTH:
            found[section.id] = "too_long"
        elif submitting and section.required and not text:
            found[section.id] = "missing"
    return found


def is_late(*, status: str, due_on: date, today: date, submitted_on: date | None = None) -> bool:
    """Late against the division deadline, on the calendar date (Vietnam time).

    Submitted on or before the due date is on time; a report still not submitted (or returned
    for changes) after the due date is late, and so is one submitted after it.
    """
    if status == "submitted" and submitted_on is not None:
        return submitted_on > due_on
    return today > due_on


def working_days_left(today: date, due_on: date, calendar: WorkingCalendar) -> int:
    """Working days after `today` up to and including `due_on` (0 once it is past)."""
    count = 0
    day = today + timedelta(days=1)
    while day <= due_on:
        if calendar.is_working_day(day):
            count += 1
        day += timedelta(days=1)
    return count


ReminderKind = Literal["soon", "late"]


def reminder_due(
    *,
    today: date,
    due_on: date,
    calendar: WorkingCalendar,
    last_reminded_on: date | None,
) -> ReminderKind | None:
    """Whether a division that has not submitted gets a reminder today, and which.

    On working days only, at most once a day: when 5 or 1 working days are left before the
    deadline, and on every working day after it while the report is missing.
    """
    if last_reminded_on == today or not calendar.is_working_day(today):
        return None
    if today > due_on:
        return "late"
    if working_days_left(today, due_on, calendar) in REMIND_WORKING_DAYS_BEFORE:
        return "soon"
    return None
