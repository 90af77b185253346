"""Registering paper and in-person submissions, and the citizen-reception register."""

from __future__ import annotations

import secrets
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from portal.admin import bp
from portal.admin.register_forms import RegisterCaseForm
from portal.domain.permissions import Permission
from portal.extensions import db
from portal.services import deadlines as deadline_service
from portal.services import reception, submissions
from portal.web import submissions as web_submissions
from portal.web import uploads as web_uploads
from portal.web.downloads import office_file
from portal.web.input_bounds import takes_files
from portal.web.rules import current_rules
from portal.web.security import now_utc, require, today_local


@bp.route("/don/moi", methods=["GET", "POST"])
@takes_files
@require(Permission.REGISTER_CASES)
def register_case() -> ResponseReturnValue:
    form = RegisterCaseForm()
    if request.method == "GET":
        form.received_on.process_data(today_local())
        form.idempotency_key.data = secrets.token_urlsafe(24)
        form.upload_token.data = secrets.token_urlsafe(24)
    else:
        for name in ("idempotency_key", "upload_token"):
            if not getattr(form, name).data:
                getattr(form, name).data = secrets.token_urlsafe(24)
    if request.method == "POST":
        valid = form.validate()
        confidential = form.kind.data == "denunciation" or form.confidential.data
        form.attachments.errors = web_uploads.handle_uploads(
            form.attachments.name, form.upload_token.data, confidential=confidential
        )
        if valid and not form.attachments.errors:
            if form.received_on.day and form.received_on.day > today_local():
                form.received_on.errors.append(_("The date received cannot be in the future."))
            else:
                return _register(form)
    drafts = submissions.draft_attachments(
        db.session, upload_token=form.upload_token.data or "", pepper=web_uploads.pepper()
    )
    return render_template("admin/register_case.html", form=form, drafts=drafts)


def _register(form: RegisterCaseForm) -> ResponseReturnValue:
    existing = submissions.find_duplicate(db.session, form.idempotency_key.data)
    if existing is not None:
        return redirect(url_for("admin.case_detail", case_id=existing.id), 303)
    data = submissions.Submission(
        kind=form.kind.data,
        subject=form.subject.data,
        content=form.content.data,
        idempotency_key=form.idempotency_key.data,
        consent_version="paper",
        field=form.field.data,
        respondent=form.respondent.data or None,
        requested_outcome=form.requested_outcome.data or None,
        contested_decision=form.contested_decision.data or None,
        evidence=form.evidence.data or None,
        complaint_round=int(form.complaint_round.data or 1),
        name=form.name.data or None,
        address=form.address.data or None,
        commune=form.commune.data or None,
        province=form.province.data or None,
        phone=form.phone.data or None,
        email=form.email.data or None,
        citizen_id_number=form.citizen_id_number.data or None,
        people_count=form.people_count.data or 1,
        representative=form.representative.data or None,
        confidential=form.confidential.data,
        upload_token=form.upload_token.data,
        channel=form.channel.data,
        received_on=form.received_on.day,
        source_body=form.source_body.data or None,
        signed_letter=form.signed.data,
    )
    try:
        receipt = submissions.submit(
            db.session,
            data,
            now=now_utc(),
            settings=web_submissions.settings(online=False),
            rules=current_rules(),
            calendar=deadline_service.load_calendar(db.session),
            actor_id=current_user.id,
        )
    except submissions.TemporarilyUnavailable:
        form.confidential.errors.append(
            _("No custodian key is configured: a confidential identity cannot be stored.")
        )
        return render_template("admin/register_case.html", form=form, drafts=[])
    if form.channel.data == "in_person":
        reception.record_visit(
            db.session,
            case_id=receipt.case_id,
            visited_on=form.received_on.checked_day,
            reception_kind=form.reception_kind.data,
            officer_id=current_user.id,
            previously_resolved_by=form.previously_resolved_by.data or None,
            note=form.visit_note.data or None,
            now=now_utc(),
        )
    flash(
        _(
            "Case %(number)s registered. Give the citizen this access code: %(code)s",
            number=receipt.case_number,
            code=receipt.access_code,
        ),
        "success",
    )
    return redirect(url_for("admin.case_detail", case_id=receipt.case_id), 303)


def _month_arg() -> date:
    try:
        year, month = (int(part) for part in request.args.get("thang", "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today_local().replace(day=1)


@bp.get("/so-tiep-cong-dan")
@require(Permission.REGISTER_CASES)
def reception_register() -> ResponseReturnValue:
    month = _month_arg()
    rows = reception.register_rows(db.session, month=month)
    return render_template("admin/reception_register.html", month=month, rows=rows)


@bp.get("/so-tiep-cong-dan.xlsx")
@require(Permission.REGISTER_CASES)
def reception_register_xlsx() -> ResponseReturnValue:
    from portal.lib import exports

    month = _month_arg()
    rows = reception.iter_register_rows(db.session, month=month)
    file, _count = exports.reception_register_file(
        f"Tháng {month.month}/{month.year}", (row.cells() for row in rows)
    )
    return office_file(file, f"so-tiep-cong-dan-{month:%Y-%m}.xlsx")
