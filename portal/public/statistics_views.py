"""The public statistics page: headline figures per month and for the year, with charts.

Only counts: nothing on the page identifies a citizen or an official. Kept in the page cache
(portal/web/page_cache.py) like the news pages.
"""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.extensions import db
from portal.lib import charts
from portal.public import bp
from portal.services import statistics as statistics_service
from portal.web import page_cache
from portal.web.security import today_local

FIRST_YEAR = 2020


def _year() -> int:
    today = today_local()
    year = request.args.get("nam", today.year, type=int)
    return year if FIRST_YEAR <= year <= today.year else today.year


@bp.get("/thong-ke")
@page_cache.cached(query=True)
def statistics() -> ResponseReturnValue:
    today = today_local()
    year = _year()
    rows = statistics_service.public_headlines(db.session, year=year, today=today)
    months, total = rows[:-1], rows[-1]

    def label(row: statistics_service.Headline) -> str:
        return f"{row.month:02d}/{row.year}"

    chart_received = charts.bar_chart(
        "chart-received",
        _("Submissions received per month, %(year)d", year=year),
        _("Number of complaints, denunciations, petitions and reflections received each month."),
        [(label(row), row.received) for row in months],
    )
    chart_on_time = charts.bar_chart(
        "chart-on-time",
        _("On-time rate per month, %(year)d", year=year),
        _(
            "Share of the legal time limits met each month that were met on time, in"
            " percent; months in which no time limit was met are left out."
        ),
        [
            (label(row), round(row.on_time_rate * 100, 1))
            for row in months
            if row.on_time_rate is not None
        ],
        value_suffix="%",
    )
    return render_template(
        "public/statistics.html",
        year=year,
        years=list(range(today.year, FIRST_YEAR - 1, -1)),
        months=months,
        total=total,
        chart_received=chart_received,
        chart_on_time=chart_on_time,
    )
