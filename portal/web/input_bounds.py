"""Bounds on what a request may carry before any view reads it, so that crafted input gets a
4xx, never a 500:

* ``<int:...>`` URL arguments are at most 2**31 - 1 (a larger number is a 404): the ids are
  INTEGER columns, and PostgreSQL refuses a larger parameter cast to INTEGER ("integer out of
  range"), SQLite's driver one beyond 2**63 - 1 (OverflowError);
* JSON bodies, whoever parses them, may nest at most ``MAX_JSON_DEPTH`` levels: deeper ones
  are refused with 400 before the parser, which recurses once per level, sees them;
* only the API takes JSON bodies: the HTML forms (which Flask-WTF would otherwise feed from
  any JSON value, and fail on a list) answer 400 to them;
* a form that takes files (a view marked :func:`takes_files`: the submission form and its
  embedded twin, the officials' registration and answer forms), sent as multipart, may carry
  every file the upload settings allow, ``UPLOAD_MAX_FILES`` × ``UPLOAD_MAX_BYTES`` and a
  megabyte for the rest, even beyond ``MAX_CONTENT_LENGTH`` (25 MiB): all of a form's files
  come in one request, and a form that is read can be shown again with what was typed and
  each refused file named, where the 413 page loses the text. Its parts are capped at
  ``FILE_FORM_PARTS``, so the parts Werkzeug keeps in memory (each under 500 KB) come to no
  more than the 25 MiB they could before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter, Map

from portal.lib.jsondepth import nesting_exceeds

MAX_URL_INT = 2**31 - 1
MAX_JSON_DEPTH = 32
JSON_BLUEPRINTS = frozenset({"api"})
FORM_TEXT_ALLOWANCE = 1024 * 1024
FILE_FORM_PARTS = 50  # the largest form has 22 fields and 5 files
View = TypeVar("View", bound=Callable[..., Any])


class BoundedIntegerConverter(IntegerConverter):
    """Werkzeug's ``int`` converter with an upper bound by default."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, MAX_URL_INT if max is None else max, signed)


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing texts nested deeper than MAX_JSON_DEPTH (a ValueError, which
    ``request.get_json`` turns into 400, or None when silent)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        if nesting_exceeds(s, MAX_JSON_DEPTH):
            raise ValueError("JSON nested too deeply")
        return super().loads(s, **kwargs)


def init_input_bounds(app: Flask) -> None:
    """Call before any blueprint is registered (the converter applies to rules added later)."""
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.json = BoundedJSONProvider(app)
    app.before_request(_refuse_json_outside_the_api)
    app.before_request(_room_for_a_form_s_files)  # before any hook reads the form (CSRF)


def _refuse_json_outside_the_api() -> None:
    if request.url_rule is None:  # no route matched: its 404 or 405 comes next
        return
    if request.is_json and request.blueprint not in JSON_BLUEPRINTS:
        abort(400)


def takes_files(view: View) -> View:
    """Mark a view whose form takes files (put it outermost, under the route)."""
    view.takes_files = True  # type: ignore[attr-defined]
    return view


def form_with_files_limit() -> int | None:
    """The most a form that takes files may carry (None: no limit is set). Never less than
    MAX_CONTENT_LENGTH; an operator who lowers that keeps it for every other request."""
    config = current_app.config
    if config.get("MAX_CONTENT_LENGTH") is None:
        return None
    files = config["UPLOAD_MAX_FILES"] * config["UPLOAD_MAX_BYTES"] + FORM_TEXT_ALLOWANCE
    return max(files, config["MAX_CONTENT_LENGTH"])


def _room_for_a_form_s_files() -> None:
    if request.method != "POST" or request.mimetype != "multipart/form-data":
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "takes_files", False):
        request.max_content_length = form_with_files_limit()
        request.max_form_parts = min(FILE_FORM_PARTS, current_app.config["MAX_FORM_PARTS"])
