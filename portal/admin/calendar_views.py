"""The deadline calculator and the working-day calendar."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import extract, select
from wtforms.fields import SelectChoice

from portal.admin import bp
from portal.admin.calendar_forms import DeadlineCalculatorForm, DeleteOverrideForm, OverrideForm
from portal.domain.deadlines import ERROR_LABELS, DeadlineError, alternative_due_date, due_date
from portal.domain.explain import describe_steps
from portal.domain.permissions import Permission
from portal.extensions import db
from portal.models import CalendarOverride
from portal.services import deadlines as deadline_service
from portal.web.i18n import current_language
from portal.web.rules import current_rules
from portal.web.security import now_utc, require, today_local


@bp.get("/tinh-thoi-han")
@require(Permission.USE_DEADLINE_CALCULATOR)
def deadline_calculator() -> ResponseReturnValue:
    lang = current_language()
    rules = current_rules()
    form = DeadlineCalculatorForm(request.args)
    form.rule.choices = [
        SelectChoice(rule.id, f"{rule.title_vi if lang == 'vi' else rule.title_en} ({rule.id})")
        for rule in rules.values()
    ]
    result = alternative = rule = None
    if request.args and form.validate():
        rule = rules[form.rule.data]
        options = {
            "complex": form.complex_case.data,
            "very_complex": form.very_complex.data,
            "remote": form.remote_area.data,
            "multi_place": form.multi_place.data,
            "extensions": form.extensions.data or 0,
            "paused_days": form.paused_days.data or 0,
        }
        calendar = deadline_service.load_calendar(db.session)
        start = form.start.checked_day
        try:
            if rule.unit == "hours":
                from datetime import datetime, time

                from portal.domain.deadlines import VIETNAM_TZ

                start = datetime.combine(start, time(0), tzinfo=VIETNAM_TZ)
            result = due_date(rule, start, calendar, **options)
            alternative = alternative_due_date(rule, start, calendar, **options)
        except DeadlineError as error:
            message = ERROR_LABELS[error.code][lang].format(**error.params)
            form.extensions.errors = [*form.extensions.errors, message]
    return render_template(
        "admin/deadline_calculator.html",
        form=form,
        rule=rule,
        result=result,
        alternative=alternative,
        explanation=describe_steps(result, lang) if result else [],
    )


def _year_arg() -> int:
    try:
        year = int(request.args.get("nam", ""))
    except ValueError:
        return today_local().year
    return year if 2000 <= year <= 2100 else today_local().year


@bp.route("/lich-lam-viec", methods=["GET", "POST"])
@require(Permission.MANAGE_CALENDAR)
def calendar() -> ResponseReturnValue:
    year = _year_arg()
    form = OverrideForm()
    if form.validate_on_submit():
        try:
            report = deadline_service.add_override(
                db.session,
                day=form.day.checked_day,
                kind=form.kind.data,
                note=form.note.data,
                source=form.source.data,
                actor_id=current_user.id,
                now=now_utc(),
                rules=current_rules(),
            )
        except deadline_service.CalendarError:
            form.day.errors.append(_("This day already has an entry. Remove it first."))
        else:
            _flash_report(report)
            return redirect(url_for("admin.calendar", nam=form.day.checked_day.year))
    calendar_ = deadline_service.load_calendar(db.session)
    overrides = db.session.scalars(
        select(CalendarOverride)
        .where(extract("year", CalendarOverride.day) == year)
        .order_by(CalendarOverride.day)
    ).all()
    return render_template(
        "admin/calendar.html",
        form=form,
        delete_form=DeleteOverrideForm(),
        year=year,
        days_off=calendar_.days_off(year),
        working_saturdays=calendar_.working_saturdays(year),
        overrides=overrides,
    )


@bp.post("/lich-lam-viec/<int:override_id>/xoa")
@require(Permission.MANAGE_CALENDAR)
def delete_override(override_id: int) -> ResponseReturnValue:
    form = DeleteOverrideForm()
    row = db.get_or_404(CalendarOverride, override_id)
    year = row.day.year
    if form.validate_on_submit():
        report = deadline_service.remove_override(
            db.session,
            override_id=override_id,
            actor_id=current_user.id,
            now=now_utc(),
            rules=current_rules(),
        )
        _flash_report(report)
    return redirect(url_for("admin.calendar", nam=year))


def _flash_report(report: deadline_service.RecomputeReport) -> None:
    flash(
        _(
            "Calendar saved. %(checked)d open deadlines recomputed, %(moved)d moved.",
            checked=report.checked,
            moved=len(report.moves),
        ),
        "success",
    )
