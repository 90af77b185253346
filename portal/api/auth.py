"""Bearer-token authentication for the API, and the audit entry every token call leaves.

Cookies are never read here: a token call is authenticated by its `Authorization` header
alone, which is why the blueprint is exempt from CSRF.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, abort, g, request

from portal.domain.permissions import NO_CASES, CaseScope, division_scope
from portal.extensions import db
from portal.models import ApiToken
from portal.services import api_tokens
from portal.web.security import now_utc
from portal.web.uploads import pepper

F = TypeVar("F", bound=Callable[..., Any])


def bearer_secret() -> str:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def current_token() -> ApiToken:
    return g.api_token


def token_case_scope() -> CaseScope:
    """The cases the calling token may read: a read token's division, by the same rule
    (`portal.domain.permissions`) and the same SQL (`portal.services.case_access`) as an
    official's; any other token, none."""
    token = current_token()
    if token.scope != "read_cases":
        return NO_CASES
    return division_scope(token.division_id)


def token_required(scope: str) -> Callable[[F], F]:
    """401 without a live token, 403 when the token's scope is not `scope`."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            token = api_tokens.authenticate(
                db.session, bearer_secret(), pepper=pepper(), now=now_utc()
            )
            if token is None:
                abort(401)
            g.api_token = token
            g.no_store = True
            if token.scope != scope:
                abort(403)
            return view(*args, **kwargs)

        wrapped.token_scope = scope  # type: ignore[attr-defined]  # a mark the API tests read
        return wrapped  # type: ignore[return-value]  # wraps() keeps the view's signature

    return decorate


def set_target(target_type: str, target_id: object) -> None:
    """Name the record a token call touched, for its audit entry."""
    g.api_target = (target_type, target_id)


def audit_token_call(response: Response) -> Response:
    """After every request: a token call, whatever its outcome, leaves one audit entry."""
    token = g.pop("api_token", None)
    if token is None:
        return response
    target_type, target_id = g.pop("api_target", (None, None))
    api_tokens.record_call(
        db.session,
        token,
        now=now_utc(),
        method=request.method,
        path=request.path,
        status=response.status_code,
        target_type=target_type,
        target_id=target_id,
    )
    db.session.commit()
    return response


def add_authenticate_header(response: Response) -> Response:
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response
