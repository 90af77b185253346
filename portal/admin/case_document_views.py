"""A case's documents for officials: its attachments and the notices composed from it (on
screen and as Word files). Every file sent is recorded in the audit log."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, render_template
from flask.typing import ResponseReturnValue

from portal.admin import bp
from portal.domain.permissions import Permission
from portal.lib import documents, uploads
from portal.models import Case
from portal.services import notices
from portal.web import uploads as web_uploads
from portal.web.case_access import attachment_or_404, case_or_404
from portal.web.downloads import audited_download
from portal.web.labels import ground_label
from portal.web.security import require, today_local


@bp.get("/tep/<int:attachment_id>")
@require(Permission.VIEW_ATTACHMENTS)
def attachment(attachment_id: int) -> ResponseReturnValue:
    row = attachment_or_404(attachment_id)
    opened = web_uploads.open_upload(row.stored_name)
    if opened is None:
        abort(404)
    return audited_download(
        opened,
        uploads.safe_download_name(row.original_name, row.extension, f"tep-{row.id}"),
        mimetype=row.content_type,
        action="attachment.download",
        target_type="attachment",
        target_id=row.id,
    )


def _notice_args(case: Case, kind: str) -> dict[str, Any]:
    if kind not in notices.available(case):
        abort(404)
    ground = ground_label(case.outcome_ground) if case.outcome_ground else None
    return {
        "kind": kind,
        "agency": documents.Agency.from_config(current_app.config),
        "case": notices.facts(case),
        "issued_on": today_local(),
        **notices.options(case, kind, ground_text=ground, today=today_local()),
    }


@bp.get("/don/<int:case_id>/van-ban/<kind>")
@require(Permission.VIEW_CASES)
def notice(case_id: int, kind: str) -> ResponseReturnValue:
    case = case_or_404(case_id)
    try:
        composed = documents.compose_notice(**_notice_args(case, kind))
    except ValueError:
        abort(404)
    return render_template("admin/notice.html", case=case, notice=composed, kind=kind)


@bp.get("/don/<int:case_id>/van-ban/<kind>.docx")
@require(Permission.VIEW_CASES)
def notice_docx(case_id: int, kind: str) -> ResponseReturnValue:
    case = case_or_404(case_id)
    try:
        body = documents.build_notice(**_notice_args(case, kind))
    except ValueError:
        abort(404)
    return audited_download(
        body,
        f"{kind}-{case.year}-{case.sequence:04d}.docx",
        action="notice.generate",
        target_type="case",
        target_id=case.id,
        notice=kind,
    )
