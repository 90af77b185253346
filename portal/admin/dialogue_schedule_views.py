"""The periodic reception schedule as officials keep it: generating the periodic sessions of a
plan, and the yearly check that every month had its qualifying session."""

from __future__ import annotations

from datetime import datetime, time

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.admin import bp
from portal.admin.dialogue_forms import GenerateForm
from portal.domain import dialogues as rules
from portal.domain.permissions import Permission
from portal.extensions import db
from portal.models import Dialogue
from portal.services import deadlines as deadline_service
from portal.services import dialogues as service
from portal.web.security import now_utc, require, today_local


def _time(text: str) -> time | None:
    try:
        return datetime.strptime(text, "%H:%M").time()
    except ValueError:
        return None


@bp.route("/lich-tiep/tao-dinh-ky", methods=["GET", "POST"])
@require(Permission.MANAGE_DIALOGUES)
def dialogue_generate() -> ResponseReturnValue:
    form = GenerateForm()
    if request.method == "GET":
        form.start.process_data(today_local())
        form.title.data = _("Periodic citizen reception by the Director")
    if request.method == "POST" and form.validate():
        starts, ends = _time(form.starts.data), _time(form.ends.data)
        if starts is None or ends is None or ends <= starts:
            form.ends.errors = [_("Enter times as HH:MM, the end after the start.")]
        else:
            created = service.generate_periodic(
                db.session,
                service.PeriodicPlan(
                    start=form.start.checked_day,
                    recurrence=rules.Recurrence(
                        day_of_month=form.day_of_month.data,
                        policy=form.policy.data,
                        weekday=int(form.weekday.data),
                    ),
                    starts=starts,
                    ends=ends,
                    title=form.title.data,
                    host_name=form.host_name.data,
                    place=form.place.data or None,
                    capacity=form.capacity.data or 0,
                ),
                calendar=deadline_service.load_calendar(db.session),
                now=now_utc(),
                actor_id=current_user.id,
            )
            flash(_("%(count)d sessions created.", count=len(created)), "success")
            return redirect(url_for("admin.dialogues"), 303)
    return render_template("admin/dialogues/generate.html", form=form)


@bp.get("/lich-tiep/tuan-thu")
@require(Permission.MANAGE_DIALOGUES)
def dialogue_compliance() -> ResponseReturnValue:
    try:
        year = int(request.args.get("nam", ""))
    except ValueError:
        year = today_local().year
    if not 2000 <= year <= 2100:
        year = today_local().year
    months = service.compliance(db.session, year, now=now_utc())
    titles = {
        d.id: d.title
        for d in db.session.scalars(
            select(Dialogue).where(
                Dialogue.id.in_([s.id for m in months for s in (*m.qualifying, *m.others)])
            )
        )
    }
    return render_template(
        "admin/dialogues/compliance.html", year=year, months=months, titles=titles
    )
