"""Errors under /open311/v2: every failure, ours or Flask's, answers in GeoReport's error
format (JSON or XML, as the resource asked), and a path that names no resource is a 404 (or
a 405 with Allow when the resource exists for other methods)."""

from __future__ import annotations

import logging

from flask import current_app, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from portal.extensions import db
from portal.open311 import bp
from portal.open311.render import FORMATS, respond_error

log = logging.getLogger(__name__)


class Open311Error(Exception):
    """Answered as a GeoReport error list with this HTTP status."""

    def __init__(self, status: int, *descriptions: str, code: int | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.errors: list[tuple[int | str, str]] = [
            (code or status, description) for description in descriptions
        ]


ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@bp.route("/<path:unknown>", methods=ALL_METHODS)
def unknown_resource(unknown: str) -> ResponseReturnValue:
    """Nothing here; or a resource that exists for other methods (405, with Allow)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in ("GET", "POST"):
        try:
            endpoint, _args = adapter.match(method=method)
        except HTTPException:
            continue
        if endpoint != "open311.unknown_resource":
            allowed.append(method)
    if allowed:
        raise MethodNotAllowed(valid_methods=allowed)
    raise Open311Error(404, _("There is no such resource."))


def _format() -> str:
    fmt = (request.view_args or {}).get("fmt")
    if fmt in FORMATS:
        return fmt
    return "json" if request.path.endswith(".json") else "xml"


@bp.errorhandler(Open311Error)
def handle_open311_error(error: Open311Error) -> ResponseReturnValue:
    return respond_error(_format(), error.status, error.errors)


@bp.errorhandler(HTTPException)
def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    status = error.code or 400
    descriptions = {
        404: _("There is no such resource."),
        405: _("This method is not allowed on this resource."),
        413: _("The request is too large."),
        429: _("Too many requests. Please wait, then try again."),
    }
    headers = {}
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    if status not in descriptions:
        status = 400
    description = descriptions.get(status, _("The request could not be understood."))
    return respond_error(_format(), status, [(status, description)], headers)


@bp.errorhandler(Exception)
def handle_unexpected(error: Exception) -> ResponseReturnValue:
    """The specification's "general service error": HTTP 400, code 500 in the body."""
    log.exception("Open311: unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    return respond_error(
        _format(), 400, [(500, _("General service error. Please try again later."))]
    )
