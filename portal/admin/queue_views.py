"""The officials' working queue: the filtered list of cases and its Excel export."""

from __future__ import annotations

from collections.abc import Iterator

from flask import abort, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields import SelectChoice

from portal.admin import bp
from portal.admin.case_forms import QueueForm
from portal.admin.statistics_forms import CaseListFilters
from portal.domain.due_badge import due_badge
from portal.domain.permissions import Permission
from portal.extensions import db
from portal.models import Division
from portal.services import deadlines as deadline_service
from portal.services import queue as queue_service
from portal.web.case_access import current_scope
from portal.web.downloads import audited_download
from portal.web.labels import channel_label, kind_labels, status_labels
from portal.web.security import require, today_local

PAGE_SIZE = 50


@bp.get("/don/")
@require(Permission.VIEW_CASES)
def cases() -> ResponseReturnValue:
    form, extra, filters = _queue_filters()
    found = queue_service.matching_ids(db.session, filters, scope=current_scope())
    if found is not None and len(found) == 1:
        # A case number that only one case the official may see has: straight to it.
        return redirect(url_for("admin.case_detail", case_id=found[0]), 303)
    after = request.args.get("sau") or None
    today, soon = today_local(), current_app.config["DUE_SOON_WORKING_DAYS"]
    calendar = deadline_service.load_calendar(db.session)
    result = queue_service.search(
        db.session,
        filters,
        scope=current_scope(),
        today=today,
        calendar=calendar,
        soon_working_days=soon,
        after=after,
        per_page=PAGE_SIZE,
    )
    return render_template(
        "admin/cases.html",
        form=form,
        result=result,
        badges={
            row.case.id: due_badge(row.next_due, today, calendar, soon_working_days=soon)
            for row in result.rows
        },
        count_cap=queue_service.COUNT_CAP,
        after=after,
        narrowed=filters.narrowed or bool(filters.division_id),
        extra_args=_extra_args(extra),
    )


def _queue_filters() -> tuple[QueueForm, CaseListFilters, queue_service.Filters]:
    """The queue's own filters and those a statistics figure adds (kept as hidden fields)."""
    form = QueueForm(request.args)
    form.kind.choices = [SelectChoice("", _("All kinds"))] + [
        SelectChoice(k, label) for k, label in kind_labels().items()
    ]
    form.status.choices = [SelectChoice("", _("All statuses"))] + [
        SelectChoice(s, label) for s, label in status_labels().items()
    ]
    form.due.choices = [
        SelectChoice("", _("Any")),
        SelectChoice("overdue", _("Overdue")),
        SelectChoice("due_soon", _("Due soon")),
        SelectChoice("open", _("Open")),
    ]
    extra = CaseListFilters(request.args)
    if not extra.validate():
        abort(400)
    filters = queue_service.Filters(
        text=form.q.data or "",
        kind=form.kind.data or None,
        status=form.status.data or None,
        due=form.due.data or None,
        assignee_id=current_user.id if form.mine.data else None,
        division_id=extra.division.data or None,
        received_from=extra.received_from.day,
        received_to=extra.received_to.day,
        channel=extra.channel.data or None,
        field=extra.field.data or None,
        statuses=tuple(extra.statuses.data or ()),
        competence=extra.competence.data or None,
        open_on=extra.open_on.day,
        answered_from=extra.answered_from.day,
        answered_to=extra.answered_to.day,
        met_from=extra.met_from.day,
        met_to=extra.met_to.day,
        met=extra.met.data or None,
        rule_id=extra.rule.data or None,
        rating=extra.rating.data,
    )
    return form, extra, filters


def _extra_args(extra: CaseListFilters) -> list[tuple[str, str]]:
    """The statistics filters in force, as (name, value) pairs for hidden fields and links."""
    pairs = []
    for name in extra.data:
        for value in request.args.getlist(name):
            if value:
                pairs.append((name, value))
    return pairs


# The export streams (memory flat whatever the rows) at 3-9 s per 100,000 rows on the
# department's kind of server (docs/performance.md, 2026-12-06). This bound keeps the worst
# case near 30 s, half of gunicorn's 60-second worker timeout (deploy/portal-web.service):
# only a list of every case for years reaches it, and the file then says so.
EXPORT_LIMIT = 300_000


@bp.get("/don.xlsx")
@require(Permission.VIEW_CASES)
def cases_xlsx() -> ResponseReturnValue:
    """The list as filtered, every page of it (up to EXPORT_LIMIT rows): the cases are read a
    batch at a time and written to a temporary file, which is then sent (memory flat). A
    confidential case shows its pseudonym only: the export never carries a denouncer's
    identity."""
    from portal.lib import exports

    _form, _extra, filters = _queue_filters()
    limit = EXPORT_LIMIT
    cases = queue_service.all_matching(
        db.session,
        filters,
        scope=current_scope(),
        today=today_local(),
        calendar=deadline_service.load_calendar(db.session),
        soon_working_days=current_app.config["DUE_SOON_WORKING_DAYS"],
        limit=limit + 1,  # one more tells that the list goes on
    )
    cut = False

    def first_cases() -> Iterator[queue_service.ExportedCase]:
        nonlocal cut
        try:
            for number, case in enumerate(cases):
                if number == limit:
                    cut = True
                    return
                yield case
        finally:
            cases.close()  # the read ends here, before the audit entry is written

    kinds, statuses = kind_labels(), status_labels()
    divisions = {d.id: d.name for d in db.session.scalars(select(Division))}
    channels: dict[str, str] = {}  # each label translated once, not once a row

    def channel(code: str) -> str:
        if code not in channels:
            channels[code] = channel_label(code)
        return channels[code]

    file, count = exports.workbook_file(
        _("Cases"),
        [
            _("Number"),
            _("Received"),
            _("Kind"),
            _("Channel"),
            _("Field"),
            _("Subject"),
            _("From"),
            _("Division"),
            _("Status"),
            _("Next deadline"),
            _("Answered"),
            _("Rating"),
        ],
        (
            [
                case.number,
                case.received_on,
                kinds.get(case.kind, case.kind),
                channel(case.channel),
                case.field or "",
                case.subject,
                case.pseudonym if case.confidential else (case.submitter_name or ""),
                divisions.get(case.division_id or 0, ""),
                statuses.get(case.status, case.status),
                case.next_due_on,
                case.answered_on,
                case.satisfaction_rating,
            ]
            for case in first_cases()
        ),
        subtitle=lambda n: (
            _("The first %(n)d cases; the list has more: narrow it to export the rest.", n=n)
            if cut
            else _("%(n)d cases", n=n)
        ),
    )
    return audited_download(
        file,
        f"don-{today_local():%Y%m%d}.xlsx",
        action="cases.export",
        target_type="case",
        target_id=None,
        rows=count,
    )
