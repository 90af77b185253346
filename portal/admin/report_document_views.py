"""The yearly report's documents: the compiled Word report and its figures as Excel, each
download recorded in the audit log."""

from __future__ import annotations

from flask import abort, current_app
from flask.typing import ResponseReturnValue

from portal.admin import bp
from portal.admin.report_views import round_or_404
from portal.domain.permissions import Permission
from portal.extensions import db
from portal.lib import documents, report_documents
from portal.models import ReportingRound
from portal.services import yearly_reports as service
from portal.web.downloads import audited_download
from portal.web.security import require, today_local


def _facts(round_: ReportingRound) -> report_documents.ReportFacts:
    today = today_local()
    lines = [
        report_documents.DivisionLine(
            name=row.division_name,
            submitted_on=service.local_day(row.report.submitted_at)
            if row.report.status == "submitted"
            else None,
            late=row.late,
            figures=row.report.figures if row.report.status == "submitted" else {},
        )
        for row in service.overview(db.session, round_, today=today)
    ]
    recipients = (
        current_app.config.get("YEARLY_REPORT_RECIPIENTS") or report_documents.DEFAULT_RECIPIENTS
    )
    return report_documents.ReportFacts(
        year=round_.year,
        period_start=round_.period_start,
        period_end=round_.period_end,
        issued_on=service.local_day(round_.compiled_at) or today,
        sections=round_.sections,
        figures=service.office_figures(db.session, round_, today=today),
        divisions=lines,
        document_number=round_.document_number,
        recipients=recipients,
    )


def _download(round_: ReportingRound, body: bytes, extension: str) -> ResponseReturnValue:
    return audited_download(
        body,
        f"bao-cao-dan-van-{round_.year}.{extension}",
        action="report_round.download",
        target_type="reporting_round",
        target_id=round_.id,
        format=extension,
    )


@bp.get("/bao-cao-nam/<int:round_id>/bao-cao.docx")
@require(Permission.MANAGE_REPORTING)
def reporting_round_docx(round_id: int) -> ResponseReturnValue:
    round_ = round_or_404(round_id)
    if round_.status != "compiled":
        abort(404)
    body = report_documents.build_report(
        documents.Agency.from_config(current_app.config), _facts(round_)
    )
    return _download(round_, body, "docx")


@bp.get("/bao-cao-nam/<int:round_id>/so-lieu.xlsx")
@require(Permission.MANAGE_REPORTING)
def reporting_round_xlsx(round_id: int) -> ResponseReturnValue:
    round_ = round_or_404(round_id)
    body = report_documents.figures_workbook(_facts(round_))
    return _download(round_, body, "xlsx")
