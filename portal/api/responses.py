"""What every API view answers with for a bad request, and how it reads a JSON body."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.api.forms import ApiForm
from portal.web.errors import render_error


def invalid(form: ApiForm | None = None, detail: str | None = None) -> ResponseReturnValue:
    """400 with the problems of each field, in the JSON error shape of every API error."""
    return render_error(
        400,
        detail or _("Some values are not valid."),
        fields=form.problems() if form is not None else None,
    )


def json_body() -> Any:
    """The request's JSON, or None when it is missing or not JSON."""
    return request.get_json(silent=True) if request.is_json else None
