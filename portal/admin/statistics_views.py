"""Statistics for officials: a period's figures, each linked to the cases behind it, and the
.xlsx of the figures. Officials see their own division; those who see all cases choose."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields import SelectChoice

from portal.admin import bp
from portal.admin.statistics_forms import StatisticsForm
from portal.domain import periods
from portal.domain.permissions import Permission
from portal.domain.workflow import OPEN_STATUSES
from portal.extensions import db
from portal.lib import charts, exports
from portal.models import Division
from portal.services import statistics as statistics_service
from portal.services.statistics import ANSWERED_STATUSES, OUTCOMES, Statistics
from portal.web.downloads import office_file
from portal.web.filters import percent
from portal.web.forms import FIELD_CHOICES
from portal.web.i18n import current_language
from portal.web.labels import channel_label, kind_labels, status_labels
from portal.web.rules import current_rules
from portal.web.security import has_permission, require, today_local


def outcome_labels() -> dict[str, str]:
    return {
        "accepted": _("Accepted for handling"),
        "refused": _("Not accepted"),
        "guided": _("Guided elsewhere"),
        "forwarded": _("Forwarded"),
        "filed": _("Filed"),
        "withdrawn": _("Withdrawn"),
        "unclassified": _("Not yet classified"),
    }


def duty_label(state: str) -> str:
    return {"met": _("Met"), "missed": _("Missed"), "pending": _("Not over yet")}.get(state, state)


def session_kind_labels() -> dict[str, str]:
    return {
        "periodic": _("Periodic reception"),
        "unscheduled": _("Unscheduled reception"),
        "dialogue": _("Dialogue"),
    }


def field_label(code: str) -> str:
    if not code:
        return _("No field given")
    return str(dict(FIELD_CHOICES).get(code, code))


def rule_label(rule_id: str) -> str:
    rule = current_rules().get(rule_id)
    if rule is None:
        return rule_id
    return rule.title_vi if current_language() == "vi" else rule.title_en


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


class Selection:
    """The period and division the request asks for, after the permission check."""

    def __init__(self, form: StatisticsForm, period: periods.Period, division_id: int | None):
        self.form = form
        self.period = period
        self.division_id = division_id

    def label(self) -> str:
        start, end = self.period.start, self.period.end
        return _("%(start)s to %(end)s", start=f"{start:%d/%m/%Y}", end=f"{end:%d/%m/%Y}")


def _selection() -> Selection:
    form = StatisticsForm(request.args)
    today = today_local()
    divisions = db.session.scalars(select(Division).order_by(Division.name)).all()
    see_all = has_permission(Permission.VIEW_ALL_CASES)
    own = current_user.division_id
    if see_all:
        form.phong.choices = [SelectChoice("", _("All divisions"))] + [
            SelectChoice(str(d.id), d.name) for d in divisions
        ]
    else:
        form.phong.choices = [SelectChoice(str(d.id), d.name) for d in divisions if d.id == own]
    if not request.args:
        form.nam.data = today.year
        form.thang.data = str(today.month)
        form.quy.data = str(periods.quarter_of(today))
    valid = form.validate()
    kind = form.ky.data if valid and form.ky.data else "month"
    try:
        period = periods.build(
            kind,
            year_number=form.nam.data or today.year,
            number=int(
                (form.quy.data if kind == "quarter" else form.thang.data)
                or (periods.quarter_of(today) if kind == "quarter" else today.month)
            ),
            start=form.tu.day,
            end=form.den.day,
        )
    except (periods.PeriodError, ValueError):
        period = periods.month(today.year, today.month)
    division_id: int | None
    if see_all:
        chosen = form.phong.data
        division_id = int(chosen) if chosen and chosen.isdigit() else None
        if division_id is not None and division_id not in {d.id for d in divisions}:
            division_id = None
    else:
        if own is None:
            abort(403)
        division_id = own
    form.phong.data = str(division_id) if division_id else ""
    return Selection(form, period, division_id)


def _compute(selection: Selection) -> Statistics:
    return statistics_service.compute(
        db.session,
        start=selection.period.start,
        end=selection.period.end,
        division_id=selection.division_id,
        today=today_local(),
    )


def cases_url(stats: Statistics, **filters: Any) -> str:
    """The queue showing exactly the cases a figure counts."""
    args: dict[str, Any] = {}
    if stats.division_id:
        args["division"] = stats.division_id
    for name, value in filters.items():
        if isinstance(value, date):
            args[name] = value.isoformat()
        elif isinstance(value, set | frozenset | tuple | list):
            args[name] = sorted(value)
        elif value is not None:
            args[name] = value
    return url_for("admin.cases", **args)


def _received(stats: Statistics) -> dict[str, date]:
    return {"received_from": stats.start, "received_to": stats.end}


def _met(stats: Statistics) -> dict[str, date]:
    return {"met_from": stats.start, "met_to": stats.end}


def figure_rows(stats: Statistics) -> list[tuple[str, str, object]]:
    """Every figure as (section, figure, value): the .xlsx export's rows."""
    kinds = kind_labels()
    cases, outcome, deadlines = _("Cases"), _("Outcomes"), _("Deadlines")
    rows: list[tuple[str, str, object]] = [
        (cases, _("Received"), stats.received),
        (cases, _("Carried over from before the period"), stats.carried_over),
        (cases, _("Within our competence"), stats.within_competence),
        (cases, _("Outside our competence"), stats.outside_competence),
        (cases, _("Not yet classified"), stats.unclassified),
        (cases, _("Resolved (answer approved) in the period"), stats.resolved),
        (cases, _("Open now"), stats.open_now),
        (cases, _("Overdue now"), stats.overdue_now),
        (cases, _("Average days to resolve"), rounded(stats.days_to_resolve_average)),
        (cases, _("Median days to resolve"), stats.days_to_resolve_median),
    ]
    rows += [(_("Received by kind"), kinds.get(k, k), n) for k, n in stats.received_by_kind.items()]
    rows += [
        (_("Received by channel"), channel_label(k), n)
        for k, n in stats.received_by_channel.items()
    ]
    rows += [
        (_("Received by field"), field_label(k), n) for k, n in stats.received_by_field.items()
    ]
    labels = outcome_labels()
    rows += [(outcome, labels[k], n) for k, n in stats.outcomes.items()]
    for rule in stats.deadlines_by_rule:
        name = rule_label(rule.rule_id)
        rows.append((deadlines, _("%(rule)s: met on time", rule=name), rule.on_time))
        rows.append((deadlines, _("%(rule)s: met late", rule=name), rule.late))
    rows += [
        (deadlines, _("Met on time"), stats.met_on_time),
        (deadlines, _("Met late"), stats.met_late),
        (deadlines, _("On-time rate"), percent(stats.on_time_rate)),
    ]
    satisfaction = _("Satisfaction")
    rows += [(satisfaction, _("Rated %(n)d", n=k), n) for k, n in stats.ratings.items()]
    rows += [
        (satisfaction, _("Average rating"), rounded(stats.rating_average)),
        (satisfaction, _("Answered cases that could be rated"), stats.answered),
        (satisfaction, _("Response rate"), percent(stats.response_rate)),
    ]
    sessions = _("Reception and dialogue sessions")
    kind_names = session_kind_labels()
    rows += [(sessions, _("Held"), stats.sessions_held)]
    rows += [(sessions, kind_names[k], n) for k, n in stats.sessions_by_kind.items()]
    rows += [
        (sessions, _("Cancelled"), stats.sessions_cancelled),
        (sessions, _("Months the head's reception duty was met"), stats.duty_met),
        (sessions, _("Months the head's reception duty was missed"), stats.duty_missed),
        (sessions, _("Registrations confirmed"), stats.registrations["confirmed"]),
        (sessions, _("On the waiting list"), stats.registrations["waiting"]),
        (sessions, _("Registrations cancelled"), stats.registrations["cancelled"]),
        (sessions, _("Attended"), stats.attendance["attended"]),
        (sessions, _("Did not come"), stats.attendance["no_show"]),
        (sessions, _("Came without registering"), stats.attendance["walk_in"]),
    ]
    follow = _("Follow-ups")
    rows += [
        (follow, _("Due in the period"), stats.follow_ups_due),
        (follow, _("Done on time"), stats.follow_ups_on_time),
        (follow, _("Done late"), stats.follow_ups_late),
        (follow, _("Not done"), stats.follow_ups_not_done),
    ]
    news = _("Articles published")
    rows.append((news, _("All categories"), stats.articles_published))
    rows += [(news, category_name(c), c.articles) for c in stats.articles_by_category]
    return rows


def category_name(category: statistics_service.CategoryCount) -> str:
    if current_language() == "en" and category.name_en:
        return category.name_en
    return category.name


def _charts(stats: Statistics) -> dict[str, Any]:
    kinds = kind_labels()
    labels = outcome_labels()
    return {
        "kind": charts.bar_chart(
            "chart-kind",
            _("Cases received by kind"),
            _("Number of cases received in the period, by kind."),
            [(kinds.get(k, k), n) for k, n in stats.received_by_kind.items()],
        ),
        "outcome": charts.bar_chart(
            "chart-outcome",
            _("Outcomes of the cases received"),
            _("Cases received in the period, by their outcome today."),
            [(labels[k], n) for k, n in stats.outcomes.items()],
        ),
        "rule": charts.bar_chart(
            "chart-rule",
            _("On-time rate by deadline rule"),
            _("Share of the deadlines met in the period that were met on time, in percent."),
            [
                (rule_label(r.rule_id), round((r.on_time_rate or 0) * 100, 1))
                for r in stats.deadlines_by_rule
            ],
            value_suffix="%",
        ),
        "rating": charts.bar_chart(
            "chart-rating",
            _("Satisfaction ratings"),
            _("Number of ratings given, from 1 (very dissatisfied) to 5 (very satisfied)."),
            [(_("%(n)d stars", n=k), n) for k, n in stats.ratings.items()],
        ),
        "articles": charts.bar_chart(
            "chart-articles",
            _("Articles published by category"),
            _("Number of articles published in the period, by category."),
            [(category_name(c), c.articles) for c in stats.articles_by_category],
        ),
    }


@bp.get("/thong-ke")
@require(Permission.VIEW_STATISTICS)
def statistics() -> ResponseReturnValue:
    selection = _selection()
    stats = _compute(selection)
    return render_template(
        "admin/statistics.html",
        form=selection.form,
        selection=selection,
        stats=stats,
        charts=_charts(stats),
        cases_url=cases_url,
        received=_received(stats),
        met=_met(stats),
        kinds=kind_labels(),
        statuses=status_labels(),
        outcome_names=outcome_labels(),
        outcomes=OUTCOMES,
        open_statuses=OPEN_STATUSES,
        answered_statuses=ANSWERED_STATUSES,
        channel_label=channel_label,
        field_label=field_label,
        rule_label=rule_label,
        duty_label=duty_label,
        session_kinds=session_kind_labels(),
        category_name=category_name,
        xlsx_args=request.args.to_dict(),
    )


@bp.get("/thong-ke.xlsx")
@require(Permission.VIEW_STATISTICS)
def statistics_xlsx() -> ResponseReturnValue:
    selection = _selection()
    stats = _compute(selection)
    division = db.session.get(Division, selection.division_id) if selection.division_id else None
    subtitle = selection.label() + " – " + (division.name if division else _("All divisions"))
    body = exports.workbook_bytes(
        _("Statistics"),
        [_("Section"), _("Figure"), _("Value")],
        figure_rows(stats),
        subtitle=subtitle,
        column_widths=[32, 60, 14],
    )
    return office_file(body, f"thong-ke-{stats.start:%Y%m%d}-{stats.end:%Y%m%d}.xlsx")
