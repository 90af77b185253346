"""The yearly mass-mobilisation report: divisions write theirs, the Office runs the round."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from portal.admin import bp
from portal.admin.report_forms import (
    DatesForm,
    DivisionReportForm,
    OfficeReportForm,
    OpenRoundForm,
    ReopenForm,
    ReturnForm,
)
from portal.domain import yearly_report as rules
from portal.domain.permissions import Permission
from portal.extensions import db
from portal.models import DivisionReport, ReportingRound
from portal.services import yearly_reports as service
from portal.web.filters import one_decimal, percent
from portal.web.security import has_permission, now_utc, require, today_local


def figure_text(figure_id: str, value: float | int | None) -> str:
    """A figure in the reader's language: "85,7%", "4,2", "1.234"; a dash when there is none."""
    if value is None:
        return "—"
    figure = rules.FIGURE_BY_ID[figure_id]
    if figure.format == "percent":
        return percent(value)
    if figure.format in ("rating", "days"):
        return one_decimal(value)
    return format_decimal(value)


def _labels() -> dict[str, str]:
    return {
        "draft": _("Draft"),
        "submitted": _("Submitted"),
        "returned": _("Returned for changes"),
        "open": _("Open"),
        "compiled": _("Compiled"),
    }


def _render(template: str, **context: object) -> str:
    return render_template(
        template,
        rules=rules,
        labels=_labels(),
        figure_text=figure_text,
        **context,
    )


def round_or_404(round_id: int) -> ReportingRound:
    return db.session.get(ReportingRound, round_id) or abort(404)


@bp.get("/bao-cao-nam/")
@require(Permission.WRITE_DIVISION_REPORT)
def reporting_rounds() -> ResponseReturnValue:
    rounds = service.rounds(db.session)
    own = {}
    if current_user.division_id is not None:
        for round_ in rounds:
            report = service.report_of(db.session, round_.id, current_user.division_id)
            if report is not None:
                own[round_.id] = report
    return _render(
        "admin/reports/list.html",
        rounds=rounds,
        own=own,
        is_office=has_permission(Permission.MANAGE_REPORTING),
        today=today_local(),
    )


@bp.route("/bao-cao-nam/mo-dot", methods=["GET", "POST"])
@require(Permission.MANAGE_REPORTING)
def reporting_round_new() -> ResponseReturnValue:
    form = OpenRoundForm()
    if request.method == "GET":
        year = today_local().year
        defaults = service.RoundDates.defaults(year)
        form.year.data = year
        for name in ("division_due_on", "office_due_on", "period_start", "period_end"):
            form[name].process_data(getattr(defaults, name))
    if request.method == "POST" and form.validate():
        dates = service.RoundDates(
            form.division_due_on.checked_day,
            form.office_due_on.checked_day,
            form.period_start.checked_day,
            form.period_end.checked_day,
        )
        try:
            opened = service.open_round(
                db.session,
                year=form.year.data,
                dates=dates,
                actor_id=current_user.id,
                now=now_utc(),
            )
        except service.ReportError as error:
            db.session.rollback()
            if error.code != "exists":
                raise
            form.year.errors = [_("A round for this year is already open.")]
        else:
            flash(_("The round is open: every division can now write its report."), "success")
            return redirect(url_for("admin.reporting_round", round_id=opened.id), 303)
    return _render("admin/reports/new_round.html", form=form)


def _office_page(
    round_: ReportingRound,
    *,
    office_form: OfficeReportForm | None = None,
    dates_form: DatesForm | None = None,
    return_form: ReturnForm | None = None,
    return_for: int | None = None,
    reopen_form: ReopenForm | None = None,
) -> str:
    today = today_local()
    rows = service.overview(db.session, round_, today=today)
    return_forms = {
        row.report.id: ReturnForm(formdata=None, prefix=_return_prefix(row.report.id))
        for row in rows
        if row.report.status == "submitted"
    }
    if return_form is not None and return_for is not None:
        return_forms[return_for] = return_form
    dates_form = dates_form or DatesForm(formdata=None, obj=round_)
    reopen_form = reopen_form or ReopenForm(formdata=None)
    if office_form is None:
        office_form = OfficeReportForm(
            formdata=None,
            data={
                **service.draft_office_sections(db.session, round_),
                "document_number": round_.document_number or "",
            },
        )
    return _render(
        "admin/reports/round.html",
        round=round_,
        rows=rows,
        figures=service.office_figures(db.session, round_, today=today),
        office_form=office_form,
        dates_form=dates_form,
        return_forms=return_forms,
        reopen_form=reopen_form,
        page_has_errors=bool(
            office_form.errors
            or dates_form.errors
            or reopen_form.errors
            or (return_form and return_form.errors)
        ),
        today=today,
    )


@bp.get("/bao-cao-nam/<int:round_id>")
@require(Permission.MANAGE_REPORTING)
def reporting_round(round_id: int) -> ResponseReturnValue:
    return _office_page(round_or_404(round_id))


@bp.post("/bao-cao-nam/<int:round_id>/mo-lai")
@require(Permission.MANAGE_REPORTING)
def reporting_round_reopen(round_id: int) -> ResponseReturnValue:
    round_ = round_or_404(round_id)
    form = ReopenForm()
    if not form.validate():
        return _office_page(round_, reopen_form=form)
    try:
        service.reopen_round(
            db.session, round_, form.reason.data, actor_id=current_user.id, now=now_utc()
        )
    except service.ReportError:
        db.session.rollback()
        flash(_("The round is open already."), "error")
        return redirect(url_for("admin.reporting_round", round_id=round_.id), 303)
    flash(_("The round is open again: correct the report and compile it again."), "success")
    return redirect(url_for("admin.reporting_round", round_id=round_.id), 303)


@bp.post("/bao-cao-nam/<int:round_id>/thoi-han")
@require(Permission.MANAGE_REPORTING)
def reporting_round_dates(round_id: int) -> ResponseReturnValue:
    round_ = round_or_404(round_id)
    form = DatesForm()
    if not form.validate():
        return _office_page(round_, dates_form=form)
    try:
        service.change_dates(
            db.session,
            round_,
            service.RoundDates(
                form.division_due_on.checked_day,
                form.office_due_on.checked_day,
                form.period_start.checked_day,
                form.period_end.checked_day,
            ),
            actor_id=current_user.id,
            now=now_utc(),
        )
    except service.ReportError:
        db.session.rollback()
        form.period_start.errors = [
            _("These dates cannot be used: is the round compiled, or the period in another year?")
        ]
        return _office_page(round_, dates_form=form)
    flash(_("The dates are saved."), "success")
    return redirect(url_for("admin.reporting_round", round_id=round_.id), 303)


@bp.post("/bao-cao-nam/<int:round_id>/tong-hop")
@require(Permission.MANAGE_REPORTING)
def reporting_round_office(round_id: int) -> ResponseReturnValue:
    round_ = round_or_404(round_id)
    form = OfficeReportForm()
    action = request.form.get("action", "save")
    if not form.validate() or (action == "compile" and not form.check_complete()):
        return _office_page(round_, office_form=form)
    try:
        if action == "compile":
            service.compile_round(
                db.session,
                round_,
                form.sections(),
                document_number=form.document_number.data,
                actor_id=current_user.id,
                now=now_utc(),
                today=today_local(),
            )
        else:
            service.save_office_sections(
                db.session,
                round_,
                form.sections(),
                document_number=form.document_number.data,
                actor_id=current_user.id,
                now=now_utc(),
            )
    except service.ReportError as error:
        db.session.rollback()
        if error.code != "invalid":
            flash(_("The round is already compiled."), "error")
            return redirect(url_for("admin.reporting_round", round_id=round_.id), 303)
        form.show_problems(error.problems)
        return _office_page(round_, office_form=form)
    flash(
        _("The report is compiled: download it below.") if action == "compile" else _("Saved."),
        "success",
    )
    return redirect(url_for("admin.reporting_round", round_id=round_.id), 303)


def _return_prefix(report_id: int) -> str:
    return f"return-{report_id}-"


def _returned_message(user: object, report: DivisionReport) -> tuple[str, str]:
    """The e-mail to the official who submitted a returned report, in the department's
    language."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("Your division's yearly report was returned for changes")
        body = render_template("emails/report_returned.txt", user=user, report=report)
    return subject, body


@bp.post("/bao-cao-nam/bao-cao/<int:report_id>/tra-lai")
@require(Permission.MANAGE_REPORTING)
def division_report_return(report_id: int) -> ResponseReturnValue:
    report = db.session.get(DivisionReport, report_id) or abort(404)
    form = ReturnForm(prefix=_return_prefix(report.id))
    if not form.validate():
        return _office_page(report.round, return_form=form, return_for=report.id)
    try:
        service.return_report(
            db.session,
            report,
            form.reason.data or "",
            actor_id=current_user.id,
            now=now_utc(),
            notify=_returned_message,
        )
    except service.ReportError:
        db.session.rollback()
        flash(_("Only a submitted report of an open round can be returned."), "error")
    else:
        flash(_("The report is returned to the division."), "success")
    return redirect(url_for("admin.reporting_round", round_id=report.round_id), 303)


def _division_page(report: DivisionReport, form: DivisionReportForm | None = None) -> str:
    writable = service.may_write(current_user, report)
    if form is None:
        form = DivisionReportForm(formdata=None, data=rules.clean_sections(report.sections))
    return _render(
        "admin/reports/division_report.html",
        report=report,
        round=report.round,
        form=form,
        writable=writable and report.round.status == "open" and report.status != "submitted",
        figures=service.shown_figures(db.session, report, report.round, today=today_local()),
        late=rules.is_late(
            status=report.status,
            due_on=report.round.division_due_on,
            today=today_local(),
            submitted_on=service.local_day(report.submitted_at),
        ),
    )


@bp.route("/bao-cao-nam/bao-cao/<int:report_id>", methods=["GET", "POST"])
@require(Permission.WRITE_DIVISION_REPORT)
def division_report(report_id: int) -> ResponseReturnValue:
    report = db.session.get(DivisionReport, report_id)
    # Another division's report is not found rather than forbidden: its existence is no secret,
    # but a 404 gives nothing away either.
    if report is None or not service.may_read(current_user, report):
        abort(404)
    if request.method == "GET":
        return _division_page(report)
    if not service.may_write(current_user, report):
        abort(403)
    form = DivisionReportForm()
    action = request.form.get("action", "save")
    if not form.validate() or (action == "submit" and not form.check_complete()):
        return _division_page(report, form)
    try:
        if action == "submit":
            service.submit(
                db.session,
                report,
                form.sections(),
                actor_id=current_user.id,
                now=now_utc(),
                today=today_local(),
            )
        else:
            service.save_draft(
                db.session, report, form.sections(), actor_id=current_user.id, now=now_utc()
            )
    except service.ReportError as error:
        db.session.rollback()
        if error.code != "invalid":
            flash(_("This report can no longer be changed."), "error")
            return redirect(url_for("admin.division_report", report_id=report.id), 303)
        form.show_problems(error.problems)
        return _division_page(report, form)
    flash(
        _("The report is submitted to the Office.") if action == "submit" else _("Saved."),
        "success",
    )
    return redirect(url_for("admin.division_report", report_id=report.id), 303)
