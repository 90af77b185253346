"""What every API view answers with for a bad request, and how it reads a JSON body."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.api.forms import ApiForm, JsonShapeError
from portal.lib.jsondepth import nesting_exceeds
from portal.web.errors import render_error

MAX_JSON_DEPTH = 1
"""Every body the API takes is one flat JSON object of scalars (api/forms.py)."""


def invalid(form: ApiForm | None = None, detail: str | None = None) -> ResponseReturnValue:
    """400 with the problems of each field, in the JSON error shape of every API error."""
    return render_error(
        400,
        detail or _("Some values are not valid."),
        fields=form.problems() if form is not None else None,
    )


def json_body() -> Any:
    """The request's JSON, or None when it is missing or not JSON.

    A body nested deeper than the schema allows raises JsonShapeError (the views answer 400)
    before the parser, which recurses once per level, reads it.
    """
    if not request.is_json:
        return None
    if nesting_exceeds(request.get_data(cache=True), MAX_JSON_DEPTH):
        raise JsonShapeError("nested too deeply")
    return request.get_json(silent=True)
