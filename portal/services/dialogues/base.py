"""What every part of the dialogues service shares: its error, the e-mail to a citizen queued
with a change, and the audit line written with the commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from portal.models import Dialogue, FollowUp, Registration
from portal.services import ServiceError, notifications
from portal.services.audit import record

# What an audit line can be about, and the target type it names.
Target = Dialogue | Registration | FollowUp
_TARGET_TYPES: dict[type[Target], str] = {
    Dialogue: "dialogue",
    Registration: "registration",
    FollowUp: "follow_up",
}


class DialogueError(ServiceError):
    """A refusal; ``code`` names the rule (``closed``, ``not_found``…) for the views' message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def queue_email(
    session: Session, recipient: str, message: tuple[str, str], *, now: datetime
) -> None:
    """Queue a rendered (subject, body) e-mail; it is sent only if the change is committed."""
    subject, body = message
    notifications.queue(session, recipient=recipient, subject=subject, body=body, now=now)


def commit_audited(
    session: Session,
    action: str,
    target: Target,
    *,
    actor_id: int | None,
    now: datetime,
    **detail: object,
) -> None:
    """Record ``action`` on ``target`` in the audit trail and commit it with the change."""
    record(
        session,
        actor_id=actor_id,
        action=action,
        now=now,
        target_type=_TARGET_TYPES[type(target)],
        target_id=target.id,
        **detail,
    )
    session.commit()
