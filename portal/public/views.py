from __future__ import annotations

from datetime import timedelta

from flask import Response, current_app, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response as BaseResponse

from portal.extensions import db, limiter
from portal.public import bp
from portal.public.forms import LanguageForm
from portal.services import health as health_service
from portal.web import page_cache
from portal.web.errors import after_database_error
from portal.web.i18n import LANGUAGE_COOKIE
from portal.web.navigation import safe_next
from portal.web.security import now_utc


@bp.get("/")
@page_cache.cached()
def home() -> str:
    return render_template("public/home.html")


@bp.post("/ngon-ngu")
def set_language() -> ResponseReturnValue:
    form = LanguageForm()
    target = safe_next(request.form.get("next"), url_for("public.home"))
    response = redirect(target)
    if form.validate_on_submit():
        remember_language(response, form.language.data)
    return response


# On a page with a form the language buttons submit that form (base.html, `language_form`):
# the page comes back in the other language with everything typed kept.
SWITCH_FIELD = "switch_language"


def language_switch() -> str | None:
    """The language asked for by a form's language button, if that is why it was posted."""
    choice = request.form.get(SWITCH_FIELD)
    return choice if choice in current_app.config["LANGUAGES"] else None


def remember_language(response: BaseResponse, language: str) -> BaseResponse:
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response


@bp.get("/healthz")
def health() -> Response:
    """Liveness, for load balancers: the app answers (it does not touch the database)."""
    return Response("ok", mimetype="text/plain")


@bp.get("/healthz/ready")
def health_ready() -> Response:
    """Readiness, for monitoring: the database answers, the rate-limit store (Redis) answers,
    no e-mail has waited in the outbox too long, and every periodic job has run lately. 200
    "ready", or 503 with one line per check that failed. No login; never cached."""
    g.no_store = True
    problems: list[str] = []
    try:
        health_service.database_answers(db.session)
        age = health_service.oldest_pending_mail_age(db.session, now=now_utc())
        job_problems = health_service.job_problems(db.session, now=now_utc())
        db.session.rollback()
    except Exception as error:  # whatever the database says, it is not ready
        after_database_error()
        problems.append(f"database: unavailable ({type(error).__name__})")
    else:
        limit = timedelta(minutes=current_app.config["HEALTH_OUTBOX_MAX_AGE_MINUTES"])
        if age is not None and age > limit:
            problems.append(f"outbox: oldest e-mail waiting {int(age.total_seconds() // 60)} min")
        problems.extend(job_problems)
    redis = current_app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://"))
    if redis and not limiter.storage.check():
        problems.append("redis: unavailable")
    if problems:
        return Response("\n".join(problems) + "\n", status=503, mimetype="text/plain")
    return Response("ready", mimetype="text/plain")
