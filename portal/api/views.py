from __future__ import annotations

from flask import current_app, jsonify
from flask.typing import ResponseReturnValue

from portal.api import bp
from portal.extensions import csrf

csrf.exempt(bp)  # the API takes no cookies for writes; token-authenticated calls come later


@bp.get("/")
def index() -> ResponseReturnValue:
    """What this API is, so a client can check it reached the right service."""
    return jsonify(
        name="portal",
        version="v1",
        agency=current_app.config["AGENCY_NAME"],
    )
