from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.public import bp
from portal.public.forms import LanguageForm
from portal.web.i18n import LANGUAGE_COOKIE
from portal.web.navigation import safe_next


@bp.get("/")
def home() -> str:
    return render_template("public/home.html")


@bp.post("/ngon-ngu")
def set_language() -> ResponseReturnValue:
    form = LanguageForm()
    target = safe_next(request.form.get("next"), url_for("public.home"))
    response = redirect(target)
    if form.validate_on_submit():
        response.set_cookie(
            LANGUAGE_COOKIE,
            form.language.data,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    return response


@bp.get("/healthz")
def health() -> Response:
    """For load balancers and monitoring: the app answers (it does not touch the database)."""
    return Response("ok", mimetype="text/plain")
