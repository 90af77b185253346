"""Tra cứu (look a case up): what the holder of an access code may see and do: the case's
status, its rating, its published answer files, the letter to print; and the reissue of a
lost code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_limiter import RequestLimit

from portal.domain.deadlines import due_date
from portal.extensions import db, limiter
from portal.models import Attachment
from portal.public import bp
from portal.public.submission_forms import LookupForm, RatingForm, ReissueForm
from portal.services import deadlines as deadline_service
from portal.services import notifications, submissions
from portal.web import downloads, page_cache
from portal.web import limits as web_limits
from portal.web import uploads as web_uploads
from portal.web.errors import DATABASE_DOWN, after_database_error, unavailable
from portal.web.rules import current_rules
from portal.web.security import now_utc
from portal.web.uploads import pepper as _pepper


@bp.get("/tra-cuu/")
@page_cache.cached()
def lookup() -> ResponseReturnValue:
    """The form. A look-up (POST, same address) is a view of its own so that only it pays for
    the rate limit's check."""
    return _form_or_case()


def _lookup_limit() -> str:
    return current_app.config["LOOKUP_RATE_LIMIT"]


def _lookup_form_again(problem: str) -> ResponseReturnValue:
    g.no_store = True  # the code typed never lands in the browser's cache
    return render_template("public/lookup.html", form=LookupForm(), problem=problem)


@bp.post("/tra-cuu/")
@limiter.limit(
    _lookup_limit,
    on_breach=web_limits.form_at_limit(
        _lookup_limit,
        _lookup_form_again,
        lambda wait: _(
            "You have looked up several times in a short time; please try again in about %(wait)s.",
            wait=wait,
        ),
    ),
)
def look_up() -> ResponseReturnValue:
    g.no_store = True  # the answer shows the code typed
    return _form_or_case()


def _form_or_case() -> ResponseReturnValue:
    form = LookupForm()
    try:
        return _lookup(form)
    except DATABASE_DOWN:
        after_database_error()
        return _lookup_unavailable(form)


def _lookup(form: LookupForm) -> ResponseReturnValue:
    case = None
    if form.validate_on_submit():
        case = submissions.find_by_code(db.session, form.access_code.data, _pepper(), now=now_utc())
        if case is None:
            form.access_code.errors.append(
                _("No case matches this code. Check the code on your receipt.")
            )
    if case is None:
        return render_template("public/lookup.html", form=form)
    return _render_status(case, form.access_code.data)


def _lookup_unavailable(form: LookupForm) -> ResponseReturnValue:
    """The database is down: the form comes back with the code kept, 503 with Retry-After."""
    problem = _(
        "The system is briefly interrupted and your case cannot be looked up now; "
        "please try again in a few minutes."
    )
    return unavailable(
        make_response(render_template("public/lookup.html", form=form, problem=problem))
    )


def _render_status(case: Any, code: str) -> ResponseReturnValue:
    rules = current_rules()
    calendar = deadline_service.load_calendar(db.session)
    second_window = None
    if case.kind == "complaint" and case.round == 1 and case.status in ("resolved", "closed"):
        resolved_on = next(
            (e.at.date() for e in reversed(case.events) if e.to_status == "resolved"), None
        )
        if resolved_on:
            rule = rules["complaint.second_window"]
            second_window = due_date(rule, resolved_on, calendar, remote=case.remote_area).due
    rating_form = RatingForm(access_code=code)
    return render_template(
        "public/status.html",
        case=case,
        events=[e for e in case.events if e.visible_to_citizen],
        deadlines=[(d, rules.get(d.rule_id)) for d in case.deadlines],
        attachments=[a for a in case.attachments if a.visible_to_citizen],
        rating_form=rating_form,
        code=code,
        second_window=second_window,
        answer_due=_answer_due(case),
        today=now_utc().date(),
        receipt_mail=notifications.receipt_status(db.session, case.id),
    )


def _answer_due(case: Any) -> Any:
    """The date by which the department owes an answer, for an open case with a running clock:
    its answer clock if one runs, else its nearest deadline (the next step is due then)."""
    from portal.domain.workflow import OPEN_STATUSES, answer_rule

    if case.status not in OPEN_STATUSES or case.next_due_on is None:
        return None
    rule_id = answer_rule(case.kind, case.round)
    running = [d.due_on for d in case.deadlines if d.met_on is None and d.rule_id == rule_id]
    return min(running) if running else case.next_due_on


@bp.post("/tra-cuu/danh-gia")
@limiter.limit(lambda: current_app.config["LOOKUP_RATE_LIMIT"])
def rate() -> ResponseReturnValue:
    form = RatingForm()
    case = submissions.find_by_code(
        db.session, form.access_code.data or "", _pepper(), now=now_utc()
    )
    if case is None:
        return render_template("public/lookup.html", form=LookupForm()), 200
    if form.validate():
        try:
            submissions.rate(
                db.session,
                case=case,
                rating=int(form.rating.data),
                comment=form.comment.data,
                now=now_utc(),
            )
        except submissions.SubmissionError:
            flash(_("This case cannot be rated now."), "error")
        else:
            flash(_("Thank you for your rating."), "success")
    return _render_status(case, form.access_code.data)


def _reissue_case_key() -> str:
    """One counter per case number, whoever asks, from wherever."""
    return "reissue-case:" + "".join((request.form.get("case_number") or "").split()).upper()


def _reissue_address_key() -> str:
    """One counter per e-mail address (keyed, so the store holds no address)."""
    address = (request.form.get("email") or "").strip().lower()
    return "reissue-email:" + submissions.keyed_hash(_pepper(), "limit", address)


def _new_code_email(case: Any, code: str) -> tuple[str, str]:
    subject = _("A new access code was requested for case %(number)s", number=case.number)
    return subject, render_template("emails/new_code.txt", number=case.number, code=code)


def _reissue_limited(spec: Callable[[], str]) -> Callable[[RequestLimit], Response | None]:
    """Too many requests for a new code (from this address, for this case or to this email,
    whoever asked): the form again with what was typed, 429."""
    return web_limits.form_at_limit(
        spec,
        lambda problem: render_template("public/reissue.html", form=ReissueForm(), problem=problem),
        lambda wait: _(
            "Too many new codes have been asked for this case or this email, or from this "
            "connection; please try again in about %(wait)s. What you typed is kept below.",
            wait=wait,
        ),
    )


def _reissue_limit() -> str:
    return current_app.config["REISSUE_RATE_LIMIT"]


def _reissue_target_limit() -> str:
    return current_app.config["REISSUE_TARGET_RATE_LIMIT"]


@bp.route("/tra-cuu/cap-lai-ma", methods=["GET", "POST"])
@limiter.limit(_reissue_limit, methods=["POST"], on_breach=_reissue_limited(_reissue_limit))
@limiter.limit(
    _reissue_target_limit,
    key_func=_reissue_case_key,
    methods=["POST"],
    on_breach=_reissue_limited(_reissue_target_limit),
)
@limiter.limit(
    _reissue_target_limit,
    key_func=_reissue_address_key,
    methods=["POST"],
    on_breach=_reissue_limited(_reissue_target_limit),
)
def reissue() -> ResponseReturnValue:
    form = ReissueForm()
    if form.validate_on_submit():
        submissions.reissue_code(
            db.session,
            case_number=form.case_number.data,
            email=form.email.data,
            pepper=_pepper(),
            now=now_utc(),
            message=_new_code_email,
        )
        flash(
            _(
                "If the case number and email match a case, a new access code is on its way "
                "to that email. Your old code keeps working until you use the new one."
            ),
            "success",
        )
        return redirect(url_for("public.reissue"), 303)
    return render_template("public/reissue.html", form=form)


@bp.post("/gui-don/in-don")
@limiter.limit(lambda: current_app.config["LOOKUP_RATE_LIMIT"])
def print_letter() -> ResponseReturnValue:
    """The official letter, pre-filled, to print and sign (complaints and denunciations)."""
    form = LookupForm()
    case = submissions.find_by_code(
        db.session, form.access_code.data or "", _pepper(), now=now_utc()
    )
    if case is None or case.kind not in ("complaint", "denunciation"):
        return render_template("public/lookup.html", form=LookupForm())
    return render_template("public/letter.html", case=case, today=now_utc())


@bp.post("/tra-cuu/tep")
@limiter.limit(lambda: current_app.config["LOOKUP_RATE_LIMIT"])
def answer_file() -> ResponseReturnValue:
    """A document published with the answer, for the holder of the access code."""
    form = LookupForm()
    case = submissions.find_by_code(
        db.session, form.access_code.data or "", _pepper(), now=now_utc()
    )
    file_id = request.form.get("file", "")
    attachment = db.session.get(Attachment, int(file_id)) if file_id.isdigit() else None
    if (
        case is None
        or attachment is None
        or attachment.case_id != case.id
        or not attachment.visible_to_citizen
    ):
        abort(404)
    opened = web_uploads.open_upload(attachment.stored_name)
    if opened is None:
        abort(404)
    return downloads.stored_file(
        opened,
        mimetype=attachment.content_type,
        download_name=f"{case.year}-{case.sequence:04d}-{attachment.id}.{attachment.extension}",
    )
