"""Lịch tiếp công dân: the Director's reception and dialogue schedule, and registration."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address

from portal.extensions import db, limiter
from portal.models import Dialogue, Registration
from portal.public import bp
from portal.public.dialogue_forms import CancelRegistrationForm, DialogueRegistrationForm
from portal.public.views import language_switch, remember_language
from portal.services import dialogues as service
from portal.web import dialogue_emails, page_cache
from portal.web import limits as web_limits
from portal.web.security import now_utc
from portal.web.uploads import pepper as _pepper

RECEIPT_KEY = "dialogue_receipt"
LIMIT_SCOPE = "registration"
ICS_MIMETYPE = "text/calendar"


def _domain() -> str:
    return request.host.split(":")[0] or "localhost"


def _ics_response(body: bytes, filename: str) -> ResponseReturnValue:
    return current_app.response_class(
        body,
        mimetype=ICS_MIMETYPE,
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


def _ics(dialogues: list[Dialogue]) -> bytes:
    return service.ics_bytes(
        dialogues,
        url_for_dialogue=lambda dialogue_id: url_for(
            "public.dialogue", dialogue_id=dialogue_id, _external=True
        ),
        domain=_domain(),
        name=_("Citizen reception schedule"),
    )


@bp.get("/lich-tiep-cong-dan/")
@page_cache.cached()
def schedule() -> ResponseReturnValue:
    now = now_utc()
    return render_template(
        "public/dialogues/schedule.html",
        upcoming=service.upcoming(db.session, now=now),
        past=service.past(db.session, now=now),
    )


@bp.get("/lich-tiep-cong-dan/lich.ics")
def schedule_ics() -> ResponseReturnValue:
    now = now_utc()
    dialogues = [
        *reversed(service.past(db.session, now=now)),
        *service.upcoming(db.session, now=now),
    ]
    return _ics_response(_ics(dialogues), "lich-tiep-cong-dan.ics")


@bp.get("/lich-tiep-cong-dan/<int:dialogue_id>.ics")
def dialogue_ics(dialogue_id: int) -> ResponseReturnValue:
    dialogue = db.session.get(Dialogue, dialogue_id) or abort(404)
    return _ics_response(_ics([dialogue]), f"lich-tiep-{dialogue.id}.ics")


def _open(dialogue: Dialogue) -> bool:
    from portal.domain.dialogues import registration_open

    return registration_open(
        now_utc(),
        status=dialogue.status,
        starts_at=dialogue.starts_at,
        opens_at=dialogue.registration_opens_at,
        closes_at=dialogue.registration_closes_at,
    )


@bp.route("/lich-tiep-cong-dan/<int:dialogue_id>", methods=["GET", "POST"])
@page_cache.cached()
def dialogue(dialogue_id: int) -> ResponseReturnValue:
    item = db.session.get(Dialogue, dialogue_id) or abort(404)
    form = DialogueRegistrationForm()
    if request.method == "GET":
        return _session_page(item, form)
    language = language_switch()
    if language is not None:  # the other language, with everything typed kept, no checks
        with force_locale(language):
            response = make_response(_session_page(item, form))
        return remember_language(response, language)
    wait = web_limits.count_attempt(_attempt_limits(), f"{LIMIT_SCOPE}-attempt")
    if wait is None:
        if not form.validate():
            return _session_page(item, form)
        wait = web_limits.wait_seconds(_accepted_limits(), LIMIT_SCOPE)
    if wait is not None:
        problem = _(
            "You have registered several times in a short time; please try again in about "
            "%(wait)s. What you typed is kept below.",
            wait=web_limits.describe_wait(wait),
        )
        return web_limits.too_many(_session_page(item, form, problem=problem), wait)
    try:
        receipt = service.register(
            db.session,
            item.id,
            service.RegistrationData(
                name=form.name.data,
                phone=form.phone.data or None,
                email=form.email.data or None,
                matter=form.matter.data,
                matter_kind=form.matter_kind.data,
                question=form.question.data or None,
            ),
            now=now_utc(),
            pepper=_pepper(),
            confirmation_email=dialogue_emails.confirmation,
        )
    except service.DialogueError:
        db.session.rollback()
        return _session_page(item, form, problem=_("Registration for this session is closed."))
    web_limits.count(_accepted_limits(), LIMIT_SCOPE)
    page_cache.forget(request.path)  # the seats left changed
    session[RECEIPT_KEY] = {
        "id": receipt.registration_id,
        "dialogue": receipt.dialogue_id,
        "code": receipt.code,
        "status": receipt.status,
        "waiting_place": receipt.waiting_place,
    }
    return redirect(url_for("public.dialogue_registered"), 303)


def _accepted_limits() -> web_limits.Limits:
    """Only registrations that were taken count: a citizen who mistypes is never refused."""
    return [(current_app.config["SUBMISSION_RATE_LIMIT"], f"address:{get_remote_address()}")]


def _attempt_limits() -> web_limits.Limits:
    """A flood guard on every POST, far above what mistakes reach."""
    address = f"address:{get_remote_address()}"
    return [(current_app.config["SUBMISSION_ATTEMPT_RATE_LIMIT"], address)]


def _session_page(
    item: Dialogue, form: DialogueRegistrationForm, *, problem: str | None = None
) -> str:
    registration_open = _open(item)
    return render_template(
        "public/dialogues/session.html",
        dialogue=item,
        form=form,
        seats_left=service.seats_left(db.session, item),
        registration_open=registration_open,
        closed_message=problem,
        language_form="registration-form" if registration_open else None,
        divisions=service.division_names(db.session),
    )


@bp.get("/lich-tiep-cong-dan/da-dang-ky")
def dialogue_registered() -> ResponseReturnValue:
    receipt = session.pop(RECEIPT_KEY, None)
    item = registration = None
    if receipt:
        item = db.session.get(Dialogue, receipt["dialogue"])
        registration = db.session.get(Registration, receipt["id"])
    return render_template(
        "public/dialogues/registered.html",
        receipt=receipt if item and registration else None,
        dialogue=item,
    )


@bp.route("/lich-tiep-cong-dan/huy-dang-ky", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOOKUP_RATE_LIMIT"], methods=["POST"])
def dialogue_cancel() -> ResponseReturnValue:
    form = CancelRegistrationForm()
    cancelled = None
    if request.method == "POST" and form.validate():
        try:
            registration = service.cancel(
                db.session,
                form.code.data,
                pepper=_pepper(),
                now=now_utc(),
                promotion_email=dialogue_emails.promotion,
            )
        except service.DialogueError as error:
            db.session.rollback()
            form.code.errors = [
                _("This session has already started: it is too late to cancel.")
                if error.code == "started"
                else _("No active registration has this code. Check the code and try again.")
            ]
        else:
            cancelled = registration.dialogue
            page = url_for("public.dialogue", dialogue_id=cancelled.id, _standalone=True)
            page_cache.forget(page.removeprefix(request.script_root))  # a seat is free
    return render_template("public/dialogues/cancel.html", form=form, cancelled=cancelled)
