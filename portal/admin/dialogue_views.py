"""Reception and dialogue sessions as officials manage them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields import SelectChoice

from portal.admin import bp
from portal.admin.dialogue_forms import (
    ActionForm,
    CaseFromRegistrationForm,
    ConclusionsForm,
    DialogueForm,
    FollowUpForm,
    WalkInForm,
)
from portal.domain.permissions import Permission
from portal.extensions import db
from portal.models import Dialogue, Division, FollowUp, Registration
from portal.services import deadlines as deadline_service
from portal.services import dialogues as service
from portal.services import submissions
from portal.web import dialogue_emails
from portal.web import submissions as web_submissions
from portal.web import uploads as web_uploads
from portal.web.rules import current_rules
from portal.web.security import has_permission, may_update_follow_up, now_utc, require, today_local


def _get(dialogue_id: int) -> Dialogue:
    return db.session.get(Dialogue, dialogue_id) or abort(404)


@bp.get("/lich-tiep/")
@require(Permission.MANAGE_DIALOGUES)
def dialogues() -> ResponseReturnValue:
    now = now_utc()
    return render_template(
        "admin/dialogues/list.html",
        upcoming=service.upcoming(db.session, now=now),
        past=service.past(db.session, now=now),
    )


def _data(form: DialogueForm) -> service.DialogueData:
    return service.DialogueData(
        kind=form.kind.data,
        title=form.title.data,
        topic=form.topic.data or None,
        starts_at=form.starts_at.checked_moment,
        ends_at=form.ends_at.checked_moment,
        mode=form.mode.data,
        place=form.place.data or None,
        online_link=form.online_link.data or None,
        host_name=form.host_name.data,
        host_is_head=form.host_is_head.data,
        capacity=form.capacity.data or 0,
        registration_opens_at=form.registration_opens_at.moment,
        registration_closes_at=form.registration_closes_at.moment,
        status=form.status.data,
        public_note=form.public_note.data or None,
    )


def _edit(dialogue: Dialogue | None) -> ResponseReturnValue:
    form = DialogueForm(obj=dialogue)
    if request.method == "GET" and dialogue is None:
        form.host_is_head.data = True
    if request.method == "POST" and form.validate():
        try:
            saved = service.save_dialogue(
                db.session,
                _data(form),
                now=now_utc(),
                actor_id=current_user.id,
                dialogue=dialogue,
                change_email=dialogue_emails.change,
                promotion_email=dialogue_emails.promotion,
            )
        except service.DialogueError:
            db.session.rollback()
            flash(_("The session could not be saved: check the times."), "error")
        else:
            flash(_("The session is saved."), "success")
            return redirect(url_for("admin.dialogue_detail", dialogue_id=saved.id), 303)
    return render_template("admin/dialogues/edit.html", form=form, dialogue=dialogue)


@bp.route("/lich-tiep/moi", methods=["GET", "POST"])
@require(Permission.MANAGE_DIALOGUES)
def dialogue_new() -> ResponseReturnValue:
    return _edit(None)


@bp.route("/lich-tiep/<int:dialogue_id>/sua", methods=["GET", "POST"])
@require(Permission.MANAGE_DIALOGUES)
def dialogue_edit(dialogue_id: int) -> ResponseReturnValue:
    return _edit(_get(dialogue_id))


def _division_choices() -> list[SelectChoice]:
    divisions = db.session.scalars(select(Division).order_by(Division.name))
    return [SelectChoice(0, _("None"))] + [SelectChoice(d.id, d.name) for d in divisions]


def _detail(
    dialogue: Dialogue,
    conclusions: ConclusionsForm | None = None,
    follow_up: FollowUpForm | None = None,
    walk_in: WalkInForm | None = None,
) -> ResponseReturnValue:
    follow_up = follow_up or FollowUpForm(formdata=None)
    follow_up.division_id.choices = _division_choices()
    divisions = service.division_names(db.session)
    return render_template(
        "admin/dialogues/detail.html",
        dialogue=dialogue,
        registrations=service.registrations(db.session, dialogue.id),
        seats_left=service.seats_left(db.session, dialogue),
        conclusions_form=conclusions or ConclusionsForm(formdata=None, obj=dialogue),
        follow_up_form=follow_up,
        action_form=ActionForm(),
        walk_in_form=walk_in or WalkInForm(formdata=None),
        page_has_errors=any(form and form.errors for form in (conclusions, follow_up, walk_in)),
        divisions=divisions,
        can_register_cases=has_permission(Permission.REGISTER_CASES),
    )


@bp.get("/lich-tiep/<int:dialogue_id>")
@require(Permission.MANAGE_DIALOGUES)
def dialogue_detail(dialogue_id: int) -> ResponseReturnValue:
    return _detail(_get(dialogue_id))


@bp.post("/lich-tiep/<int:dialogue_id>/diem-danh/<int:registration_id>")
@require(Permission.MANAGE_DIALOGUES)
def dialogue_check_in(dialogue_id: int, registration_id: int) -> ResponseReturnValue:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.dialogue_id != dialogue_id:
        abort(404)
    if ActionForm().validate():
        try:
            service.check_in(
                db.session,
                registration,
                request.form.get("attendance", ""),
                now=now_utc(),
                actor_id=current_user.id,
            )
        except service.DialogueError:
            db.session.rollback()
            flash(_("Attendance can be recorded only for an active registration."), "error")
    return redirect(url_for("admin.dialogue_detail", dialogue_id=dialogue_id), 303)


@bp.post("/lich-tiep/<int:dialogue_id>/nguoi-den-truc-tiep")
@require(Permission.MANAGE_DIALOGUES)
def dialogue_walk_in(dialogue_id: int) -> ResponseReturnValue:
    dialogue = _get(dialogue_id)
    form = WalkInForm()
    if not form.validate():
        return _detail(dialogue, walk_in=form)
    try:
        service.add_walk_in(
            db.session,
            dialogue,
            service.WalkInData(
                name=form.name.data,
                phone=form.phone.data or None,
                matter=form.matter.data,
                matter_kind=form.matter_kind.data,
            ),
            today=today_local(),
            now=now_utc(),
            pepper=web_uploads.pepper(),
            actor_id=current_user.id,
        )
    except service.DialogueError as error:
        db.session.rollback()
        form.name.errors = [
            _("Walk-ins are added from the day of the session, and not to a cancelled one.")
            if error.code in ("not_yet", "cancelled")
            else _("The walk-in could not be added.")
        ]
        return _detail(dialogue, walk_in=form)
    flash(_("%(name)s is added as a walk-in who attended.", name=form.name.data), "success")
    return redirect(url_for("admin.dialogue_detail", dialogue_id=dialogue.id), 303)


def _registration(dialogue_id: int, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.dialogue_id != dialogue_id:
        abort(404)
    return registration


CASE_REFUSALS = {
    "already_case": _l("A case was already made from this registration."),
    "cancelled": _l("This registration is cancelled."),
    "not_attended": _l("Record that the citizen attended before making a case."),
    "not_yet": _l("The session has not taken place yet."),
}


@bp.route(
    "/lich-tiep/<int:dialogue_id>/dang-ky/<int:registration_id>/tao-don", methods=["GET", "POST"]
)
@require(Permission.REGISTER_CASES)
def dialogue_case(dialogue_id: int, registration_id: int) -> ResponseReturnValue:
    """Turn what a citizen raised into a case received in person, in one step."""
    registration = _registration(dialogue_id, registration_id)
    back = url_for("admin.dialogue_detail", dialogue_id=dialogue_id)
    if registration.case_id is not None:
        flash(str(CASE_REFUSALS["already_case"]), "error")
        return redirect(back, 303)
    form = CaseFromRegistrationForm()
    if request.method == "GET":
        draft = service.draft_for(registration)
        form.kind.data = draft.kind
        form.subject.data = draft.subject
        form.content.data = draft.content
        form.reception_kind.data = draft.reception_kind
    if request.method == "POST" and form.validate():
        try:
            made = service.raise_case(
                db.session,
                registration,
                service.CaseDraft(
                    kind=form.kind.data,
                    subject=form.subject.data,
                    content=form.content.data,
                    reception_kind=form.reception_kind.data,
                    address=form.address.data or None,
                    citizen_id_number=form.citizen_id_number.data or None,
                    signed_letter=form.signed.data,
                    note=form.note.data or None,
                ),
                now=now_utc(),
                settings=web_submissions.settings(online=False),
                rules_table=current_rules(),
                calendar=deadline_service.load_calendar(db.session),
                officer_id=current_user.id,
            )
        except submissions.TemporarilyUnavailable:
            db.session.rollback()
            form.kind.errors = [
                _("No custodian key is configured: a confidential identity cannot be stored.")
            ]
        except service.DialogueError as error:
            db.session.rollback()
            flash(str(CASE_REFUSALS.get(error.code, _("The case could not be made."))), "error")
            return redirect(back, 303)
        else:
            if made.access_code:
                flash(
                    _(
                        "Case %(number)s registered. Give the citizen this access code: %(code)s",
                        number=made.case_number,
                        code=made.access_code,
                    ),
                    "success",
                )
            else:
                flash(_("Case %(number)s is linked.", number=made.case_number), "success")
            return redirect(back, 303)
    return render_template(
        "admin/dialogues/case.html", form=form, registration=registration, back=back
    )


@bp.post("/lich-tiep/<int:dialogue_id>/ket-luan")
@require(Permission.MANAGE_DIALOGUES)
def dialogue_conclusions(dialogue_id: int) -> ResponseReturnValue:
    dialogue = _get(dialogue_id)
    form = ConclusionsForm()
    if not form.validate():
        return _detail(dialogue, conclusions=form)
    action = request.form.get("action", "save")
    try:
        if action == "unpublish":
            service.unpublish_conclusions(
                db.session, dialogue, now=now_utc(), actor_id=current_user.id
            )
        else:
            service.save_conclusions(
                db.session,
                dialogue,
                minutes=form.minutes.data or None,
                conclusions=form.conclusions.data or None,
                publish=action == "publish",
                now=now_utc(),
                actor_id=current_user.id,
            )
    except service.DialogueError:
        db.session.rollback()
        form.conclusions.errors = [_("Write the conclusions before publishing them.")]
        return _detail(dialogue, conclusions=form)
    flash(_("The conclusions are published.") if action == "publish" else _("Saved."), "success")
    return redirect(url_for("admin.dialogue_detail", dialogue_id=dialogue.id), 303)


@bp.post("/lich-tiep/<int:dialogue_id>/viec-can-lam")
@require(Permission.MANAGE_DIALOGUES)
def dialogue_follow_up(dialogue_id: int) -> ResponseReturnValue:
    dialogue = _get(dialogue_id)
    form = FollowUpForm()
    form.division_id.choices = _division_choices()
    if not form.validate() or form.due_on.day is None:
        return _detail(dialogue, follow_up=form)
    service.add_follow_up(
        db.session,
        dialogue,
        conclusion=form.conclusion.data,
        division_id=form.division_id.data or None,
        due_on=form.due_on.day,
        now=now_utc(),
        actor_id=current_user.id,
    )
    flash(_("The follow-up is added."), "success")
    return redirect(url_for("admin.dialogue_detail", dialogue_id=dialogue.id), 303)


@bp.post("/lich-tiep/viec-can-lam/<int:follow_up_id>")
@require(Permission.VIEW_DASHBOARD)  # and the check below: organisers or the division's
def dialogue_follow_up_status(follow_up_id: int) -> ResponseReturnValue:
    follow_up = db.session.get(FollowUp, follow_up_id) or abort(404)
    if not may_update_follow_up(follow_up):
        abort(403)
    if ActionForm().validate():
        try:
            service.set_follow_up_status(
                db.session,
                follow_up,
                request.form.get("status", ""),
                today=today_local(),
                now=now_utc(),
                actor_id=current_user.id,
            )
        except service.DialogueError:
            db.session.rollback()
            flash(_("The follow-up was not changed: choose one of the buttons."), "error")
    if request.form.get("back") == "home" or not has_permission(Permission.MANAGE_DIALOGUES):
        return redirect(url_for("admin.home"), 303)
    return redirect(url_for("admin.dialogue_detail", dialogue_id=follow_up.dialogue_id), 303)
