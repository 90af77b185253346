"""E-mail: queued in the outbox with the change that causes it, delivered over SMTP.

Mail to citizens never carries case content: only that there is news, and how to look it up.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import OutboxMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    use_tls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings:
        return cls(
            host=config["MAIL_SERVER"],
            port=int(config["MAIL_PORT"]),
            sender=config["MAIL_SENDER"],
            use_tls=bool(config.get("MAIL_USE_TLS")),
            username=config.get("MAIL_USERNAME"),
            password=config.get("MAIL_PASSWORD"),
        )


def queue(session: Session, *, recipient: str, subject: str, body: str, now: datetime) -> None:
    """Add a message to the outbox; the caller commits it with the change that caused it."""
    session.add(OutboxMessage(recipient=recipient, subject=subject, body=body, created_at=now))


def send(settings: SmtpSettings, *, recipient: str, subject: str, body: str) -> None:
    """Send one message now. Raises OSError or smtplib.SMTPException on failure."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
        if settings.use_tls:
            smtp.starttls()
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        smtp.send_message(message)


def deliver_outbox(
    session: Session, settings: SmtpSettings, *, now: datetime, limit: int = 100
) -> tuple[int, int]:
    """Send pending messages; return (sent, failed). A failure is retried on the next run."""
    pending = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == "pending")
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    sent = failed = 0
    for message in pending:
        try:
            send(settings, recipient=message.recipient, subject=message.subject, body=message.body)
        except (OSError, smtplib.SMTPException) as error:
            message.attempts += 1
            message.last_error = type(error).__name__
            if message.attempts >= MAX_ATTEMPTS:
                message.status = "failed"
            failed += 1
            log.warning("outbox message %s not sent: %s", message.id, type(error).__name__)
        else:
            message.status = "sent"
            message.sent_at = now
            message.attempts += 1
            sent += 1
        session.commit()
    return sent, failed
