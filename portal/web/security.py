"""Security headers, officials' session handling and the permission decorator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, abort, current_app, g, request, session
from flask_login import current_user

from portal.domain import permissions
from portal.domain.calendar import VIETNAM_TZ
from portal.domain.permissions import Permission, can
from portal.extensions import db, login_manager
from portal.services import accounts

F = TypeVar("F", bound=Callable[..., Any])

SESSION_TOKEN_KEY = "sid"  # noqa: S105  (a session key name, not a secret)

BASE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)


VIETNAM = VIETNAM_TZ


def now_utc() -> datetime:
    return datetime.now(UTC)


def today_local() -> date:
    """Today in Vietnam, whatever the server's time zone."""
    return datetime.now(VIETNAM).date()


def require(permission: Permission) -> Callable[[F], F]:
    """Declare the permission a view needs. The admin blueprint refuses views without one."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not can(current_user.roles, permission):
                abort(403)
            return view(*args, **kwargs)

        # A mark the route-protection test reads; functions take attributes, mypy does not know.
        wrapped.required_permission = permission  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]  # wraps() keeps the view's signature

    return decorate


def public_admin_view(view: F) -> F:
    """Mark one of the few admin views an anonymous user may reach (login)."""
    view.public_admin_view = True  # type: ignore[attr-defined]  # a mark the route test reads
    return view


def has_permission(permission: Permission) -> bool:
    return bool(current_user.is_authenticated and can(current_user.roles, permission))


def may_update_follow_up(follow_up: Any) -> bool:
    """Whether the signed-in official may mark this session follow-up done or open."""
    return bool(
        current_user.is_authenticated
        and permissions.may_update_follow_up(
            current_user.roles, current_user.division_id, follow_up.division_id
        )
    )


@login_manager.user_loader
def load_user(user_id: str) -> Any:
    token = session.get(SESSION_TOKEN_KEY)
    if not token or not user_id.isdigit():
        return None
    return accounts.resume_session(
        db.session,
        token=token,
        user_id=int(user_id),
        now=now_utc(),
        idle=current_app.config["SESSION_IDLE_TIMEOUT"],
        absolute=current_app.config["SESSION_ABSOLUTE_TIMEOUT"],
    )


def frame_ancestors() -> str:
    """Embeddable pages may be framed by the configured portal origins; nothing else may."""
    if getattr(g, "embeddable", False):
        origins = " ".join(current_app.config.get("EMBED_ALLOWED_ORIGINS") or [])
        return f"frame-ancestors 'self' {origins}".strip()
    return "frame-ancestors 'none'"


def set_security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = f"{BASE_CSP}; {frame_ancestors()}"
    if not getattr(g, "embeddable", False):
        response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.blueprint == "admin" or getattr(g, "no_store", False):
        response.headers["Cache-Control"] = "no-store"
    return response


def init_security(app: Flask) -> None:
    app.after_request(set_security_headers)
