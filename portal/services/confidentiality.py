"""Revealing a confidential identity: the permission, a reason, the custodian's passphrase."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from portal.lib import crypto
from portal.models import Case
from portal.services import ServiceError
from portal.services.audit import record


class RevealRefused(ServiceError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def reveal_identity(
    session: Session,
    *,
    case: Case,
    passphrase: str,
    reason: str,
    sealed_private_key: str | None,
    actor_id: int,
    now: datetime,
) -> dict[str, str | None]:
    """Open the sealed identity of a case. Every attempt, good or bad, is audit-logged."""
    if not case.identity_ciphertext:
        raise RevealRefused("nothing_sealed")
    if len(reason.strip()) < 10:
        raise RevealRefused("reason_too_short")
    if not sealed_private_key:
        raise RevealRefused("no_key")
    try:
        identity = crypto.unseal(sealed_private_key, passphrase, case.identity_ciphertext)
    except crypto.CryptoError as error:
        record(
            session,
            actor_id=actor_id,
            action="identity.reveal_failed",
            now=now,
            target_type="case",
            target_id=case.id,
            reason=reason,
        )
        session.commit()
        raise RevealRefused("wrong_passphrase") from error
    record(
        session,
        actor_id=actor_id,
        action="identity.reveal",
        now=now,
        target_type="case",
        target_id=case.id,
        reason=reason,
    )
    session.commit()
    return identity


def original_file_name(
    *,
    ciphertext: bytes | None,
    plain: str | None,
    passphrase: str | None,
    sealed_private_key: str | None,
) -> str | None:
    if plain or not ciphertext or not passphrase or not sealed_private_key:
        return plain
    try:
        return crypto.unseal_text(sealed_private_key, passphrase, ciphertext)
    except crypto.CryptoError:
        return None
