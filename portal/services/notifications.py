"""E-mail: queued in the outbox with the change that causes it, delivered over SMTP by a
worker outside the requests (`flask deliver-outbox --watch`).

Mail to citizens never carries case content: only that there is news, and how to look it up.

Delivery claims each message before sending it: one UPDATE that marks the due, unclaimed
messages with a fresh claim token (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, a
BEGIN IMMEDIATE transaction on SQLite, whose single writer does the rest), so two workers,
on one host or two, never send one message twice. A claim older than CLAIM_TIMEOUT belongs
to a worker that died and may be taken again. A failed attempt waits (exponential backoff);
after MAX_ATTEMPTS the message is marked failed, and the administrator's page counts it.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import Engine, Row, and_, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from portal.lib import crypto
from portal.models import OutboxMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
CLAIM_TIMEOUT = timedelta(minutes=5)
# Small batches: a claimed batch must be sent well within CLAIM_TIMEOUT even when every
# message waits for the SMTP timeout.
BATCH = 10
RECEIPT = "receipt"
NEW_CODE = "new_code"


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
            timeout=float(config.get("MAIL_TIMEOUT", 10.0)),
        )


def queue(
    session: Session,
    *,
    recipient: str,
    subject: str,
    body: str,
    now: datetime,
    case_id: int | None = None,
    purpose: str | None = None,
    seal_with: bytes | None = None,
) -> None:
    """Add a message to the outbox; the caller commits it with the change that caused it.

    With `seal_with` (a server secret the delivery worker also holds) the address is stored
    only encrypted, and erased once the message has gone.
    """
    sealed = crypto.seal_with_secret(seal_with, recipient) if seal_with is not None else None
    session.add(
        OutboxMessage(
            recipient="" if sealed is not None else recipient,
            sealed_recipient=sealed,
            subject=subject,
            body=body,
            created_at=now,
            case_id=case_id,
            purpose=purpose,
        )
    )


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


def retry_delay(attempts: int) -> timedelta:
    """How long a message waits after its `attempts`-th failure: 30 s, 1 min, 2 min, … 1 h."""
    delay: timedelta = FIRST_RETRY * 2 ** max(attempts - 1, 0)
    return min(delay, LONGEST_RETRY)


def deliver_outbox(
    session: Session,
    settings: SmtpSettings,
    *,
    now: datetime,
    limit: int = 100,
    secret: bytes | None = None,
) -> tuple[int, int]:
    """Claim and send the due messages, BATCH at a time; return (sent, failed attempts)."""
    session.commit()  # what the caller wrote is in the outbox before a worker looks
    engine = session.get_bind()
    if not isinstance(engine, Engine):
        raise TypeError("the outbox is delivered from a session bound to an engine")
    sent = failed = 0
    while sent + failed < limit:
        claimed = _claim(engine, now=now, limit=min(BATCH, limit - sent - failed))
        if not claimed:
            break
        for row in claimed:
            if _deliver_one(engine, settings, row, now=now, secret=secret):
                sent += 1
            else:
                failed += 1
    session.expire_all()
    return sent, failed


def watch(
    session: Session,
    settings: SmtpSettings,
    *,
    clock: Callable[[], datetime],
    stop: threading.Event,
    poll: float = 2.0,
    secret: bytes | None = None,
) -> None:
    """Deliver until `stop` is set, looking for new mail every `poll` seconds."""
    while not stop.is_set():
        try:
            sent, failed = deliver_outbox(session, settings, now=clock(), secret=secret)
        except SQLAlchemyError as error:  # the database restarts: try again, do not die
            session.rollback()
            log.warning("outbox delivery paused: %s", type(error).__name__)
            sent = failed = 0
        if sent + failed == 0:
            stop.wait(poll)


def _claim(engine: Engine, *, now: datetime, limit: int) -> Sequence[Row[Any]]:
    token = secrets.token_hex(16)
    due = and_(
        OutboxMessage.status == "pending",
        or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        or_(OutboxMessage.claimed_at.is_(None), OutboxMessage.claimed_at < now - CLAIM_TIMEOUT),
    )
    candidates = select(OutboxMessage.id).where(due).order_by(OutboxMessage.id).limit(limit)
    if engine.dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates), due)
        .values(claim_token=token, claimed_at=now)
        .returning(
            OutboxMessage.id,
            OutboxMessage.claim_token,
            OutboxMessage.recipient,
            OutboxMessage.sealed_recipient,
            OutboxMessage.subject,
            OutboxMessage.body,
            OutboxMessage.attempts,
        )
    )
    with engine.connect() as connection:
        connection.execution_options(sqlite_begin_immediate=True)
        with connection.begin():
            rows = connection.execute(statement).all()
    return sorted(rows, key=lambda row: row.id)


def _deliver_one(
    engine: Engine, settings: SmtpSettings, row: Row[Any], *, now: datetime, secret: bytes | None
) -> bool:
    attempts = row.attempts + 1
    try:
        recipient = row.recipient
        if row.sealed_recipient is not None:
            if secret is None:
                raise crypto.DecryptionError("no secret to open the sealed address")
            recipient = crypto.open_with_secret(secret, row.sealed_recipient)
        send(settings, recipient=recipient, subject=row.subject, body=row.body)
    except (OSError, smtplib.SMTPException, crypto.DecryptionError) as error:
        log.warning("outbox message %s not sent: %s", row.id, type(error).__name__)
        values: dict[str, Any] = {
            "attempts": attempts,
            "last_error": type(error).__name__,
            "next_attempt_at": now + retry_delay(attempts),
        }
        if attempts >= MAX_ATTEMPTS:
            values["status"] = "failed"
            values["sealed_recipient"] = None
        _finish(engine, row, values)
        return False
    _finish(
        engine,
        row,
        {
            "status": "sent",
            "sent_at": now,
            "attempts": attempts,
            "last_error": None,
            "sealed_recipient": None,
        },
    )
    return True


def _finish(engine: Engine, row: Row[Any], values: dict[str, Any]) -> None:
    """Record the outcome and release the claim, if it is still ours."""
    with engine.connect() as connection:
        connection.execution_options(sqlite_begin_immediate=True)
        with connection.begin():
            connection.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id, OutboxMessage.claim_token == row.claim_token)
                .values(claim_token=None, claimed_at=None, **values)
            )


def receipt_status(session: Session, case_id: int) -> str | None:
    """'queued', 'sent' or 'failed' for a case's receipt e-mail; None when none was asked."""
    status = session.scalar(
        select(OutboxMessage.status)
        .where(OutboxMessage.case_id == case_id, OutboxMessage.purpose == RECEIPT)
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    )
    return {"pending": "queued"}.get(status, status) if status else None


def failures(session: Session, *, limit: int = 10) -> tuple[int, Sequence[OutboxMessage]]:
    """How many messages gave up, and the latest few, for the administrator's page."""
    count = session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == "failed")
    )
    latest = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == "failed")
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    ).all()
    return count or 0, latest
