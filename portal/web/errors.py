"""One renderer for error pages: plain language, never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, Response, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from portal.extensions import db
from portal.web.security import set_security_headers

log = logging.getLogger(__name__)

HANDLED = (400, 401, 403, 404, 405, 413, 429, 500, 503)

# The database cannot be reached or is locked: the request may succeed a little later.
DATABASE_DOWN = (OperationalError, InterfaceError, PoolTimeout)
RETRY_AFTER_SECONDS = 120


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be understood"),
        401: _("Please sign in"),
        403: _("You do not have permission to see this page"),
        404: _("Page not found"),
        405: _("This action is not allowed here"),
        413: _("What you sent is too large"),
        429: _("Too many attempts"),
        500: _("Something went wrong on our side"),
        503: _("The service is interrupted"),
    }


def _explanations() -> dict[int, str]:
    return {
        400: _("Please go back, check what you entered and try again."),
        401: _("Sign in to continue."),
        403: _("If you think you should have access, ask the administrator of the department."),
        404: _("The address may be mistyped, or the page has been moved. Try the home page."),
        405: _("Please use the buttons and links on the page."),
        413: _("Files must be smaller. Please reduce their size or send fewer files at once."),
        429: _("Please wait a few minutes, then try again."),
        500: _(
            "Your information has not been lost if you received a confirmation. "
            "Please try again in a few minutes."
        ),
        503: _(
            "The system is briefly interrupted. Nothing you sent on this page has been "
            "stored; please try again in a few minutes."
        ),
    }


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.blueprint == "api"


def render_error(
    code: int, message: str | None = None, *, fields: dict[str, list[str]] | None = None
) -> tuple[Response | str, int]:
    """The error page, or under /api/ the JSON error body: {"error": {code, title, detail}},
    with `fields` (the problems of each field) when a request did not validate."""
    titles = _titles()
    title = titles.get(code, titles[500])
    explanation = message or _explanations().get(code, "")
    if _wants_json():
        error: dict[str, object] = {"code": code, "title": title, "detail": explanation}
        if fields:
            error["fields"] = fields
        return jsonify(error=error), code
    try:
        page = render_template("errors/error.html", code=code, title=title, explanation=explanation)
    except Exception:  # the page itself failed (a locked database...): a page that cannot
        log.exception("error page %s failed; minimal page sent", code)
        g.safe_mode = True
        return minimal_page(code, title, explanation), code
    return page, code


def minimal_page(code: int, title: str, explanation: str) -> Response:
    """An error page built without templates, extensions or the database, with the security
    headers: what a citizen sees when even the error page could not be made."""
    body = (
        f'<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><main><h1>{escape(title)}</h1>"
        f"<p>{escape(explanation)}</p><p>{code}</p></main></body></html>"
    )
    return set_security_headers(Response(body, status=code, mimetype="text/html"))


def database_down(error: BaseException) -> bool:
    return isinstance(error, DATABASE_DOWN)


def after_database_error() -> None:
    """Forget the failed transaction (that may fail too) and keep the templates of this
    request away from the database."""
    try:
        db.session.rollback()
    except Exception:  # the database itself may be what failed
        log.exception("rollback failed")
    g.safe_mode = True


def unavailable(response: Response) -> Response:
    """Mark a page as "come back soon": 503 with Retry-After."""
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def handle_http_error(error: HTTPException) -> Response:
    if isinstance(error, RateLimitExceeded) and isinstance(error.response, Response):
        return error.response  # the form again, from the limit's on_breach
    code = error.code or 500
    if code not in HANDLED:
        code = 400 if code < 500 else 500
    response = make_response(*render_error(code))
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_csrf_error(error: CSRFError) -> tuple[Response | str, int]:
    return render_error(
        400, _("The form has expired. Please go back, reload the page and send it again.")
    )


def handle_unexpected(error: Exception) -> Response:
    """Never raises: whatever failed, the citizen gets a page with the security headers."""
    original = getattr(error, "original_exception", None) or error
    try:
        log.exception("Unhandled error on %s %s", request.method, request.path)
        # Templates must not touch the database from here on (it may be down).
        after_database_error()
        if database_down(original):
            return unavailable(make_response(*render_error(503)))
        return make_response(*render_error(500))
    except Exception:
        log.exception("error handler failed")
        return minimal_page(500, "Lỗi hệ thống / Server error", "Vui lòng thử lại sau ít phút.")


def init_errors(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)
