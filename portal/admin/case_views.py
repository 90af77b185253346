"""Cases as officials see them: the register and each case's file."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, render_template, request, send_file
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal import uploads
from portal.admin import bp
from portal.admin.case_forms import RevealIdentityForm
from portal.domain.explain import describe_steps
from portal.domain.permissions import Permission
from portal.extensions import db
from portal.i18n import current_language
from portal.models import Attachment, Case
from portal.rules import current_rules
from portal.security import has_permission, now_utc, require
from portal.services import confidentiality
from portal.services import deadlines as deadline_service
from portal.services.audit import record

PAGE_SIZE = 50


@bp.get("/don/")
@require(Permission.VIEW_ALL_CASES)
def cases() -> ResponseReturnValue:
    page = max(request.args.get("trang", 1, type=int), 1)
    rows = db.paginate(
        select(Case).order_by(Case.received_on.desc(), Case.id.desc()),
        page=page,
        per_page=PAGE_SIZE,
        error_out=False,
    )
    return render_template("admin/cases.html", rows=rows)


@bp.get("/don/<int:case_id>")
@require(Permission.VIEW_ALL_CASES)
def case_detail(case_id: int) -> ResponseReturnValue:
    return _render_case(db.get_or_404(Case, case_id), RevealIdentityForm(), None)


@bp.post("/don/<int:case_id>/danh-tinh")
@require(Permission.REVEAL_IDENTITY)
def reveal_identity(case_id: int) -> ResponseReturnValue:
    case = db.get_or_404(Case, case_id)
    form = RevealIdentityForm()
    identity = None
    if form.validate_on_submit():
        try:
            identity = confidentiality.reveal_identity(
                db.session,
                case=case,
                passphrase=form.passphrase.data,
                reason=form.reason.data,
                sealed_private_key=current_app.config.get("CUSTODIAN_SEALED_PRIVATE_KEY"),
                actor_id=current_user.id,
                now=now_utc(),
            )
        except confidentiality.RevealRefused as refused:
            message = {
                "wrong_passphrase": _("The passphrase does not open this identity."),
                "no_key": _("No custodian key is configured on this server."),
                "nothing_sealed": _("This case has no sealed identity."),
            }.get(refused.code, _("The identity cannot be revealed."))
            form.passphrase.errors.append(message)
    return _render_case(case, form, identity)


def _render_case(
    case: Case, form: RevealIdentityForm, identity: dict[str, str | None] | None
) -> ResponseReturnValue:
    lang = current_language()
    rules = current_rules()
    calendar = deadline_service.load_calendar(db.session)
    deadlines = [
        (
            row,
            rules.get(row.rule_id),
            describe_steps(deadline_service.compute(row, rules, calendar), lang)
            if row.rule_id in rules
            else [],
        )
        for row in case.deadlines
    ]
    return render_template(
        "admin/case.html",
        case=case,
        form=form,
        identity=identity,
        deadlines=deadlines,
        can_reveal=has_permission(Permission.REVEAL_IDENTITY),
    )


@bp.get("/tep/<int:attachment_id>")
@require(Permission.VIEW_ATTACHMENTS)
def attachment(attachment_id: int) -> ResponseReturnValue:
    row = db.get_or_404(Attachment, attachment_id)
    if row.case_id is None:
        abort(404)
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder = folder if folder.is_absolute() else Path(current_app.instance_path) / folder
    try:
        path = uploads.stored_path(folder, row.stored_name)
    except ValueError:
        abort(404)
    if not path.exists():
        abort(404)
    record(
        db.session,
        actor_id=current_user.id,
        action="attachment.download",
        now=now_utc(),
        target_type="attachment",
        target_id=row.id,
    )
    db.session.commit()
    name = uploads.safe_download_name(row.original_name, row.extension, f"tep-{row.id}")
    return send_file(path, mimetype=row.content_type, as_attachment=True, download_name=name)
