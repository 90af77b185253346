"""The public, read-only API: articles, sessions, statistics headlines, a case's status.

No token is needed here and no cookie is read. Token-authenticated endpoints for other
systems are in case_views.py.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.api import bp, serializers
from portal.api.auth import add_authenticate_header, audit_token_call
from portal.api.forms import (
    MAX_ID,
    JsonShapeError,
    PageForm,
    StatusLookupForm,
    YearForm,
)
from portal.api.openapi import document
from portal.api.responses import invalid, json_body
from portal.extensions import csrf, db, limiter
from portal.models import Article, Dialogue
from portal.services import dialogues, news, submissions
from portal.services import statistics as statistics_service
from portal.web.errors import render_error
from portal.web.rules import current_rules
from portal.web.security import now_utc, today_local
from portal.web.uploads import pepper

# Token calls are authenticated by their Authorization header alone; no cookie is read.
csrf.exempt(bp)
bp.after_request(add_authenticate_header)
bp.after_request(audit_token_call)

SLUG_MAX = 200


@bp.get("/")
def index() -> ResponseReturnValue:
    """What this API is, so a client can check it reached the right service."""
    return jsonify(
        name="portal",
        version="v1",
        agency=current_app.config["AGENCY_NAME"],
        openapi=url_for("api.openapi", _external=True),
    )


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(document(server_url=url_for("api.index").rstrip("/")))


@bp.get("/articles")
def articles() -> ResponseReturnValue:
    form = PageForm(formdata=request.args)
    if not form.validate():
        return invalid(form)
    page, per_page = form.page.data or 1, form.per_page.data or 10
    rows = db.paginate(
        news.public_articles(now_utc()), page=page, per_page=per_page, error_out=False
    )
    return jsonify(
        items=[serializers.article(row, url=_article_url(row), full=False) for row in rows.items],
        page=page,
        per_page=per_page,
        total=rows.total,
        next=url_for("api.articles", page=page + 1, per_page=per_page) if rows.has_next else None,
    )


def _article_url(row: Article) -> str:
    return url_for("public.article", slug=row.slug, _external=True)


@bp.get("/articles/<slug>")
def article(slug: str) -> ResponseReturnValue:
    row = None
    # Slugs are short ASCII; anything else is not looked up (PostgreSQL refuses NUL).
    if len(slug) <= SLUG_MAX and slug.isascii() and "\x00" not in slug:
        row = db.session.scalar(news.public_articles(now_utc()).where(Article.slug == slug))
    if row is None:
        return render_error(404)
    return jsonify(serializers.article(row, url=_article_url(row), full=True))


def _session(row: Dialogue) -> dict[str, Any]:
    return serializers.session(
        row,
        url=url_for("public.dialogue", dialogue_id=row.id, _external=True),
        seats_left=dialogues.seats_left(db.session, row) if row.status == "scheduled" else None,
    )


@bp.get("/sessions")
def sessions() -> ResponseReturnValue:
    now = now_utc()
    return jsonify(
        upcoming=[_session(row) for row in dialogues.upcoming(db.session, now=now)],
        past=[_session(row) for row in dialogues.past(db.session, now=now)],
    )


@bp.get("/sessions/<int:session_id>")
def session(session_id: int) -> ResponseReturnValue:
    row = db.session.get(Dialogue, session_id) if session_id <= MAX_ID else None
    if row is None:
        return render_error(404)
    return jsonify(_session(row))


@bp.get("/statistics")
def statistics() -> ResponseReturnValue:
    """The public statistics headlines of a year (this year by default): counts only."""
    form = YearForm(formdata=request.args)
    if not form.validate():
        return invalid(form)
    today = today_local()
    rows = statistics_service.public_headlines(
        db.session, year=form.year.data or today.year, today=today
    )
    return jsonify(
        year=form.year.data or today.year,
        months=[row.as_dict() for row in rows[:-1]],
        total=rows[-1].as_dict(),
    )


@bp.post("/cases/status")
@limiter.limit(lambda: current_app.config["LOOKUP_RATE_LIMIT"])
def case_status() -> ResponseReturnValue:
    """A case's public status for the holder of its access code. A wrong code and an unknown
    case get the same 404, behind the same rate limit as the lookup page."""
    try:
        form = StatusLookupForm.from_json(json_body())
    except JsonShapeError:
        return invalid(detail=_("Send a JSON object with the access code."))
    if not form.validate():
        return invalid(form)
    case = submissions.find_by_code(db.session, form.access_code.data, pepper())
    if case is None:
        return render_error(404, _("No case matches this code. Check the code on the receipt."))
    return jsonify(serializers.case_status(case, rules=current_rules()))
