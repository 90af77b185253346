"""Requests about personal data: register, acknowledge, extend, complete."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portal.admin import bp
from portal.domain.permissions import Permission
from portal.extensions import db
from portal.models import DataRequest
from portal.services import data_requests
from portal.services import deadlines as deadline_service
from portal.web.forms import BaseForm, DayField
from portal.web.rules import current_rules
from portal.web.security import now_utc, require, today_local

TYPE_LABELS = {
    "access": _l("See my data"),
    "correction": _l("Correct my data"),
    "deletion": _l("Delete my data"),
    "restriction": _l("Restrict processing"),
    "objection": _l("Object to processing"),
    "withdraw_consent": _l("Withdraw consent"),
}
OUTCOME_LABELS = {
    "fulfilled": _l("Done as asked"),
    "partly_fulfilled": _l("Partly done"),
    "refused_legal_retention": _l("Refused: the law requires the record to be kept"),
    "refused_other": _l("Refused for another reason"),
}


class DataRequestForm(BaseForm):
    request_type = SelectField(
        _l("What the person asks"),
        choices=[SelectChoice(k, v) for k, v in TYPE_LABELS.items()],
        validators=[InputRequired()],
    )
    received_on = DayField(_l("Date received"), validators=[DataRequired(_l("Enter the date."))])
    requester_name = StringField(
        _l("Full name"), validators=[DataRequired(_l("Enter the name.")), Length(max=200)]
    )
    contact = StringField(
        _l("Phone or email for the answer"),
        validators=[DataRequired(_l("Enter a phone number or email.")), Length(max=254)],
    )
    case_number = StringField(
        _l("Case number concerned (if any)"), validators=[Optional(), Length(max=20)]
    )
    details = TextAreaField(
        _l("The request"), validators=[DataRequired(_l("Describe the request.")), Length(max=5000)]
    )


class CompleteForm(BaseForm):
    outcome = SelectField(
        _l("Outcome"), choices=[SelectChoice(k, v) for k, v in OUTCOME_LABELS.items()]
    )
    note = TextAreaField(_l("Explanation to the person"), validators=[Optional(), Length(max=5000)])


class SimpleForm(BaseForm):
    pass


def _message(code: str) -> str:
    return {
        "unknown_case": _("No case has this number."),
        "too_many_extensions": _("The time limit can be extended only once."),
        "reason_needed": _("A refusal needs its reason, for the person."),
        "already_acknowledged": _("The request was already acknowledged."),
        "closed": _("The request is already completed."),
    }.get(code, _("This action cannot be done now."))


@bp.route("/du-lieu-ca-nhan/", methods=["GET", "POST"])
@require(Permission.REGISTER_CASES)
def data_requests_list() -> ResponseReturnValue:
    form = DataRequestForm()
    if form.validate_on_submit():
        try:
            request_row = data_requests.register(
                db.session,
                data_requests.NewRequest(
                    request_type=form.request_type.data,
                    received_on=form.received_on.checked_day,
                    requester_name=form.requester_name.data,
                    contact=form.contact.data,
                    details=form.details.data,
                    case_number=form.case_number.data or None,
                ),
                actor_id=current_user.id,
                now=now_utc(),
                rules=current_rules(),
                calendar=deadline_service.load_calendar(db.session),
            )
        except data_requests.DataRequestError as error:
            form.case_number.errors.append(_message(error.code))
        else:
            return redirect(url_for("admin.data_request", request_id=request_row.id), 303)
    rows = db.session.scalars(
        select(DataRequest).order_by(DataRequest.received_on.desc(), DataRequest.id.desc())
    ).all()
    return render_template(
        "admin/data_requests.html",
        form=form,
        rows=rows,
        type_labels=TYPE_LABELS,
        outcome_labels=OUTCOME_LABELS,
    )


@bp.get("/du-lieu-ca-nhan/<int:request_id>")
@require(Permission.REGISTER_CASES)
def data_request(request_id: int) -> ResponseReturnValue:
    return _render(db.get_or_404(DataRequest, request_id), CompleteForm())


def _render(row: DataRequest, complete_form: CompleteForm) -> ResponseReturnValue:
    return render_template(
        "admin/data_request.html",
        row=row,
        complete_form=complete_form,
        simple_form=SimpleForm(),
        type_labels=TYPE_LABELS,
        outcome_labels=OUTCOME_LABELS,
        rules=current_rules(),
    )


@bp.post("/du-lieu-ca-nhan/<int:request_id>/xac-nhan")
@require(Permission.REGISTER_CASES)
def data_request_acknowledge(request_id: int) -> ResponseReturnValue:
    row = db.get_or_404(DataRequest, request_id)
    if SimpleForm().validate_on_submit():
        _try(
            lambda: data_requests.acknowledge(
                db.session, row, actor_id=current_user.id, today=today_local(), now=now_utc()
            )
        )
    return redirect(url_for("admin.data_request", request_id=row.id), 303)


@bp.post("/du-lieu-ca-nhan/<int:request_id>/gia-han")
@require(Permission.REGISTER_CASES)
def data_request_extend(request_id: int) -> ResponseReturnValue:
    row = db.get_or_404(DataRequest, request_id)
    if SimpleForm().validate_on_submit():
        _try(
            lambda: data_requests.extend(
                db.session,
                row,
                actor_id=current_user.id,
                now=now_utc(),
                rules=current_rules(),
                calendar=deadline_service.load_calendar(db.session),
            )
        )
    return redirect(url_for("admin.data_request", request_id=row.id), 303)


@bp.post("/du-lieu-ca-nhan/<int:request_id>/hoan-thanh")
@require(Permission.REGISTER_CASES)
def data_request_complete(request_id: int) -> ResponseReturnValue:
    row = db.get_or_404(DataRequest, request_id)
    form = CompleteForm()
    if form.validate_on_submit():
        try:
            data_requests.complete(
                db.session,
                row,
                outcome=form.outcome.data,
                note=form.note.data or None,
                actor_id=current_user.id,
                today=today_local(),
                now=now_utc(),
            )
        except data_requests.DataRequestError as error:
            db.session.rollback()
            form.note.errors.append(_message(error.code))
            return _render(db.get_or_404(DataRequest, request_id), form)
        flash(_("The request is completed."), "success")
    return redirect(url_for("admin.data_request", request_id=row.id), 303)


def _try(action: Callable[[], object]) -> None:
    try:
        action()
    except data_requests.DataRequestError as error:
        db.session.rollback()
        flash(_message(error.code), "error")
    else:
        flash(_("Saved."), "success")
