"""The officials' area. Default-deny: every view needs a login and declares a permission."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.extensions import login_manager

bp = Blueprint("admin", __name__)

# Views a user who must change the one-time password may still reach.
_FIRST_LOGIN_ENDPOINTS = {"admin.change_password", "admin.logout"}
_SECURITY_ENDPOINTS = {"admin.security", "admin.logout", "admin.change_password"}


@bp.before_request
def default_deny() -> ResponseReturnValue | None:
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, "public_admin_view", False):
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.must_change_password and request.endpoint not in _FIRST_LOGIN_ENDPOINTS:
        return redirect(url_for("admin.change_password"))
    required = set(current_app.config["TOTP_REQUIRED_ROLES"])
    if (
        not current_user.totp_secret
        and current_user.roles & required
        and request.endpoint not in _SECURITY_ENDPOINTS
    ):
        return redirect(url_for("admin.security"))
    return None


from portal.admin import (  # noqa: E402, F401
    api_token_views,
    calendar_views,
    case_document_views,
    case_views,
    data_request_views,
    dialogue_schedule_views,
    dialogue_views,
    embed_views,
    news_views,
    queue_views,
    register_views,
    report_document_views,
    report_views,
    statistics_views,
    views,
)
