"""A case's page as officials see it: its file, the revealing of a confidential identity and
the workflow actions (one POST view per action of portal.domain.workflow)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields import SelectChoice

from portal.admin import bp
from portal.admin.case_forms import CaseActionForm, RevealIdentityForm
from portal.domain import next_step, workflow
from portal.domain.deadlines import deadline_state
from portal.domain.explain import describe_steps
from portal.domain.permissions import Permission, permissions_for
from portal.extensions import db
from portal.models import Case, Division, User
from portal.services import confidentiality, notices
from portal.services import deadlines as deadline_service
from portal.services import queue as queue_service
from portal.services import workflow as workflow_service
from portal.web import uploads as web_uploads
from portal.web.case_access import case_or_404, current_scope
from portal.web.i18n import current_language
from portal.web.input_bounds import takes_files
from portal.web.labels import (
    ANSWER_OUTCOMES,
    action_label,
    answer_template,
    ground_label,
    refusal_message,
)
from portal.web.rules import current_rules
from portal.web.security import has_permission, now_utc, require, today_local


@bp.get("/don/<int:case_id>")
@require(Permission.VIEW_CASES)
def case_detail(case_id: int) -> ResponseReturnValue:
    return _render_case(case_or_404(case_id), RevealIdentityForm(), None)


@bp.post("/don/<int:case_id>/danh-tinh")
@require(Permission.REVEAL_IDENTITY)
def reveal_identity(case_id: int) -> ResponseReturnValue:
    case = case_or_404(case_id)
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
    facts = workflow_service.facts(case)
    actions = workflow.allowed_actions(facts, current_user.roles)
    forms = action_forms or {}
    for action in actions:
        if action.name not in forms:
            forms[action.name] = _action_form(action, case)
    step = next_step.next_step(facts)
    mine = step.actions_for(current_user.roles)
    # offered where accepting is the case's next step and this official's to take
    chain_ok = "accept" in mine and next_step.chain_allowed(
        "accept", "assign", facts, current_user.roles
    )
    if chain_ok:
        forms.setdefault(CHAIN, _action_form(workflow.ACTIONS["assign"], case, prefix=CHAIN))
    return render_template(
        "admin/case.html",
        case=case,
        form=form,
        identity=identity,
        deadlines=deadlines,
        actions=[a for a in actions if a.name not in mine],
        step=step,
        step_actions=[a for a in actions if a.name in mine],
        chain=CHAIN if chain_ok else None,
        action_forms=forms,
        notice_kinds=notices.available(case),
        similar=queue_service.similar_cases(db.session, case, scope=current_scope()),
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


def _action_form(action: workflow.Action, case: Case, prefix: str = "") -> CaseActionForm:
    form = CaseActionForm(prefix=prefix or action.name)
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
        case = case_or_404(case_id)
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
        refused = _perform(case, action.name, _input(form))
        if refused is not None:
            form.note.errors = [*form.note.errors, refused]
            return _render_case(
                case_or_404(case_id), RevealIdentityForm(), None, {action.name: form}
            )
        flash(_("Done: %(action)s.", action=action_label(action.name)), "success")
        return redirect(url_for("admin.case_detail", case_id=case.id), 303)

    view.__name__ = f"case_{action.name}"
    view.__qualname__ = view.__name__
    guarded = require(action.permission)(view)
    bp.add_url_rule(
        f"/don/<int:case_id>/thao-tac/{action.slug}",
        endpoint=view.__name__,
        view_func=takes_files(guarded) if "answer" in action.needs else guarded,
        methods=["POST"],
    )


def _input(form: CaseActionForm) -> workflow_service.ActionInput:
    return workflow_service.ActionInput(
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


for _action in workflow.ACTIONS.values():
    _make_action_view(_action)


def _perform(case: Case, action_name: str, data: workflow_service.ActionInput) -> str | None:
    """Take one workflow step as the signed-in official; the refusal, in words, or None."""
    try:
        workflow_service.perform(
            db.session,
            case=case,
            action_name=action_name,
            actor=current_user._get_current_object(),
            data=data,
            today=today_local(),
            now=now_utc(),
            rules=current_rules(),
            calendar=deadline_service.load_calendar(db.session),
        )
    except workflow_service.WorkflowError as error:
        db.session.rollback()
        return refusal_message(error.code, error.params)
    return None


# Accepting and assigning in a row, as the leader may (next_step.CHAINS): the two actions go
# through `perform` one after the other, each with its event and audit entry.
CHAIN = "accept_assign"


@bp.post("/don/<int:case_id>/thao-tac/thu-ly-va-giao")
@require(workflow.ACTIONS["accept"].permission)
def case_accept_assign(case_id: int) -> ResponseReturnValue:
    case = case_or_404(case_id)
    form = _action_form(workflow.ACTIONS["assign"], case, prefix=CHAIN)
    valid = form.validate_on_submit()
    if valid and not form.assignee.data:
        form.assignee.errors = [_("Choose the official who handles the case.")]
        valid = False
    if not valid:
        return _render_case(case, RevealIdentityForm(), None, {CHAIN: form})
    facts = workflow_service.facts(case)
    if not next_step.chain_allowed("accept", "assign", facts, current_user.roles):
        form.note.errors = [refusal_message("wrong_status", {})]
        return _render_case(case, RevealIdentityForm(), None, {CHAIN: form})
    data = _input(form)
    accept_data = workflow_service.ActionInput(note=data.note)
    for name, step_data in (("accept", accept_data), ("assign", data)):
        refused = _perform(case, name, step_data)
        if refused is not None:
            form.note.errors = [*form.note.errors, refused]
            return _render_case(case_or_404(case_id), RevealIdentityForm(), None, {CHAIN: form})
    flash(_("Done: %(action)s.", action=_("Accept and assign")), "success")
    return redirect(url_for("admin.case_detail", case_id=case.id), 303)
