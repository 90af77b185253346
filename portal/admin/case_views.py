"""Cases as officials see them: the register and each case's file."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields import SelectChoice

from portal.admin import bp
from portal.admin.case_forms import CaseActionForm, QueueForm, RevealIdentityForm
from portal.admin.statistics_forms import CaseListFilters
from portal.domain import workflow
from portal.domain.deadlines import deadline_state
from portal.domain.explain import describe_steps
from portal.domain.permissions import Permission, permissions_for
from portal.extensions import db
from portal.lib import documents, uploads
from portal.models import Attachment, Case, Division, User
from portal.services import confidentiality, notices
from portal.services import deadlines as deadline_service
from portal.services import queue as queue_service
from portal.services import workflow as workflow_service
from portal.services.audit import record
from portal.web import uploads as web_uploads
from portal.web.downloads import office_file
from portal.web.i18n import current_language
from portal.web.labels import (
    ANSWER_OUTCOMES,
    action_label,
    answer_template,
    channel_label,
    ground_label,
    kind_labels,
    refusal_message,
    status_labels,
)
from portal.web.rules import current_rules
from portal.web.security import has_permission, now_utc, require, today_local

PAGE_SIZE = 50


@bp.get("/don/")
@require(Permission.VIEW_CASES)
def cases() -> ResponseReturnValue:
    form, extra, filters = _queue_filters()
    after = request.args.get("sau") or None
    result = queue_service.search(
        db.session,
        filters,
        today=today_local(),
        calendar=deadline_service.load_calendar(db.session),
        soon_working_days=current_app.config["DUE_SOON_WORKING_DAYS"],
        after=after,
        per_page=PAGE_SIZE,
    )
    return render_template(
        "admin/cases.html",
        form=form,
        result=result,
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


# openpyxl writes about 15 µs a cell: 20,000 rows of 12 columns take a few seconds, well
# inside a worker's timeout, where 100,000 took over a minute (docs/performance.md).
EXPORT_LIMIT = 20_000


@bp.get("/don.xlsx")
@require(Permission.VIEW_CASES)
def cases_xlsx() -> ResponseReturnValue:
    """The list as filtered, every page of it (up to EXPORT_LIMIT rows). A confidential case
    shows its pseudonym only: the export never carries a denouncer's identity."""
    from portal.lib import exports

    _form, _extra, filters = _queue_filters()
    rows = queue_service.all_matching(
        db.session,
        filters,
        today=today_local(),
        calendar=deadline_service.load_calendar(db.session),
        soon_working_days=current_app.config["DUE_SOON_WORKING_DAYS"],
        limit=EXPORT_LIMIT,
    )
    kinds, statuses = kind_labels(), status_labels()
    divisions = {d.id: d.name for d in db.session.scalars(select(Division))}
    body = exports.workbook_bytes(
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
                channel_label(case.channel),
                case.field or "",
                case.subject,
                case.pseudonym if case.confidential else (case.submitter_name or ""),
                divisions.get(case.division_id or 0, ""),
                statuses.get(case.status, case.status),
                case.next_due_on,
                case.answered_on,
                case.satisfaction_rating,
            ]
            for case in rows
        ),
        subtitle=(
            _(
                "The first %(n)d cases; the list has more: narrow it to export the rest.",
                n=len(rows),
            )
            if len(rows) >= EXPORT_LIMIT
            else _("%(n)d cases", n=len(rows))
        ),
    )
    record(
        db.session,
        actor_id=current_user.id,
        action="cases.export",
        now=now_utc(),
        target_type="case",
        target_id=None,
        rows=len(rows),
    )
    db.session.commit()
    return office_file(body, f"don-{today_local():%Y%m%d}.xlsx")


@bp.get("/don/<int:case_id>")
@require(Permission.VIEW_CASES)
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
    case: Case,
    form: RevealIdentityForm,
    identity: dict[str, str | None] | None,
    action_forms: dict[str, CaseActionForm] | None = None,
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
    actions = workflow.allowed_actions(workflow_service.facts(case), current_user.roles)
    forms = action_forms or {}
    for action in actions:
        if action.name not in forms:
            forms[action.name] = _action_form(action, case)
    return render_template(
        "admin/case.html",
        case=case,
        form=form,
        identity=identity,
        deadlines=deadlines,
        actions=actions,
        action_forms=forms,
        notice_kinds=notices.available(case),
        similar=queue_service.similar_cases(db.session, case),
        outcomes=ANSWER_OUTCOMES[case.kind],
        can_reveal=has_permission(Permission.REVEAL_IDENTITY),
        page_has_errors=any(f.errors for f in forms.values()),
        states={
            row.id: deadline_state(
                row.due_on,
                today_local(),
                calendar,
                met_on=row.met_on,
                soon_working_days=current_app.config["DUE_SOON_WORKING_DAYS"],
            )
            for row in case.deadlines
        },
    )


def _action_form(action: workflow.Action, case: Case) -> CaseActionForm:
    form = CaseActionForm(prefix=action.name)
    if "ground" in action.needs:
        grounds = (
            workflow.FILING_GROUNDS
            if action.name == "file"
            else workflow.REFUSAL_GROUNDS.get(case.kind, ())
        )
        form.ground.choices = [SelectChoice(g, ground_label(g)) for g in grounds]
    if "assignee" in action.needs:
        officials = db.session.scalars(
            select(User).where(User.active.is_(True)).order_by(User.name)
        ).all()
        form.assignee.choices = [
            SelectChoice(str(u.id), u.name)
            for u in officials
            if Permission.HANDLE_CASES in permissions_for(u.roles)
        ]
        form.division.choices = [SelectChoice("", _("Keep the division"))] + [
            SelectChoice(str(d.id), d.name)
            for d in db.session.scalars(select(Division).order_by(Division.name))
        ]
    if "complexity" in action.needs and not form.complexity.data:
        form.complexity.data = case.complexity
        form.remote_area.data = case.remote_area
    if "answer" in action.needs and not form.answer.data:
        outcome = request.args.get("mau")
        form.answer.data = (
            answer_template(case, outcome) if outcome else case.draft_answer
        ) or answer_template(case)
    return form


def _make_action_view(action: workflow.Action) -> None:
    def view(case_id: int) -> ResponseReturnValue:
        case = db.get_or_404(Case, case_id)
        form = _action_form(action, case)
        if not form.validate_on_submit():
            return _render_case(case, RevealIdentityForm(), None, {action.name: form})
        if "answer" in action.needs:
            file_errors = web_uploads.attach_to_case(
                form.answer_files.name, case.id, confidential=False
            )
            if file_errors:
                db.session.rollback()
                form.answer_files.errors = file_errors
                return _render_case(case, RevealIdentityForm(), None, {action.name: form})
        data = workflow_service.ActionInput(
            note=form.note.data or None,
            ground=form.ground.data or None,
            body=form.body.data or None,
            day=form.day.day,
            answer=form.answer.data or None,
            assignee_id=int(form.assignee.data) if form.assignee.data else None,
            division_id=int(form.division.data) if form.division.data else None,
            complexity=form.complexity.data or None,
            remote_area=form.remote_area.data,
            earlier=form.earlier.data or None,
        )
        try:
            workflow_service.perform(
                db.session,
                case=case,
                action_name=action.name,
                actor=current_user._get_current_object(),
                data=data,
                today=today_local(),
                now=now_utc(),
                rules=current_rules(),
                calendar=deadline_service.load_calendar(db.session),
            )
        except workflow_service.WorkflowError as error:
            db.session.rollback()
            case = db.get_or_404(Case, case_id)
            form.note.errors = [*form.note.errors, refusal_message(error.code, error.params)]
            return _render_case(case, RevealIdentityForm(), None, {action.name: form})
        flash(_("Done: %(action)s.", action=action_label(action.name)), "success")
        return redirect(url_for("admin.case_detail", case_id=case.id), 303)

    view.__name__ = f"case_{action.name}"
    view.__qualname__ = view.__name__
    bp.add_url_rule(
        f"/don/<int:case_id>/thao-tac/{action.slug}",
        endpoint=view.__name__,
        view_func=require(action.permission)(view),
        methods=["POST"],
    )


for _action in workflow.ACTIONS.values():
    _make_action_view(_action)


@bp.get("/tep/<int:attachment_id>")
@require(Permission.VIEW_ATTACHMENTS)
def attachment(attachment_id: int) -> ResponseReturnValue:
    row = db.get_or_404(Attachment, attachment_id)
    if row.case_id is None:
        abort(404)
    try:
        path = uploads.stored_path(web_uploads.upload_folder(), row.stored_name)
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


def _notice_args(case: Case, kind: str) -> dict[str, object]:
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
    case = db.get_or_404(Case, case_id)
    try:
        composed = documents.compose_notice(**_notice_args(case, kind))  # type: ignore[arg-type]
    except ValueError:
        abort(404)
    return render_template("admin/notice.html", case=case, notice=composed, kind=kind)


@bp.get("/don/<int:case_id>/van-ban/<kind>.docx")
@require(Permission.VIEW_CASES)
def notice_docx(case_id: int, kind: str) -> ResponseReturnValue:
    case = db.get_or_404(Case, case_id)
    try:
        body = documents.build_notice(**_notice_args(case, kind))  # type: ignore[arg-type]
    except ValueError:
        abort(404)
    record(
        db.session,
        actor_id=current_user.id,
        action="notice.generate",
        now=now_utc(),
        target_type="case",
        target_id=case.id,
        notice=kind,
    )
    db.session.commit()
    return office_file(body, f"{kind}-{case.year}-{case.sequence:04d}.docx")
