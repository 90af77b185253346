"""API tokens: issued by an administrator, shown once, stored as a keyed hash, revocable.

Every authenticated call is written to the audit log by the caller (`record_call`), so the
department can answer "which system read which case, when".
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import ApiToken
from portal.services import audit

SCOPES: Final = ("read_cases", "create_cases")
TOKEN_PREFIX: Final = "dvcq_"  # noqa: S105  (a marker, not a secret)


class TokenError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown to the administrator once, never stored


def token_hash(pepper: bytes, secret: str) -> str:
    return hmac.new(pepper, f"api-token:{secret}".encode(), hashlib.sha256).hexdigest()


def issue(
    session: Session,
    *,
    name: str,
    scope: str,
    division_id: int | None,
    actor_id: int | None,
    now: datetime,
    pepper: bytes,
    expires_at: datetime | None = None,
) -> IssuedToken:
    """Create a token. A read token must name its division; a create token may not."""
    if scope not in SCOPES:
        raise TokenError("unknown_scope")
    if scope == "read_cases" and division_id is None:
        raise TokenError("division_required")
    if scope == "create_cases":
        division_id = None
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name.strip(),
        token_hash=token_hash(pepper, secret),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        scope=scope,
        division_id=division_id,
        created_by_id=actor_id,
        created_at=now,
        expires_at=expires_at,
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="api_token.issue",
        now=now,
        target_type="api_token",
        target_id=token.id,
        scope=scope,
        division_id=division_id,
    )
    return IssuedToken(token=token, secret=secret)


def revoke(session: Session, token: ApiToken, *, actor_id: int | None, now: datetime) -> None:
    if token.revoked_at is None:
        token.revoked_at = now
        audit.record(
            session,
            actor_id=actor_id,
            action="api_token.revoke",
            now=now,
            target_type="api_token",
            target_id=token.id,
        )


def authenticate(session: Session, secret: str, *, pepper: bytes, now: datetime) -> ApiToken | None:
    """The live token for this secret, or None (unknown, revoked or expired alike)."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    digest = token_hash(pepper, secret)
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    token.last_used_at = now
    return token


def record_call(
    session: Session,
    token: ApiToken,
    *,
    now: datetime,
    method: str,
    path: str,
    status: int,
    target_type: str | None = None,
    target_id: object = None,
) -> None:
    """One audit entry per token-authenticated call."""
    audit.record(
        session,
        actor_id=None,
        action="api.call",
        now=now,
        target_type=target_type,
        target_id=target_id,
        token_id=token.id,
        token_name=token.name,
        method=method,
        path=path,
        status=status,
    )
