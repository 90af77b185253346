"""What a citizen does with a case afterwards: finding it by its access code, asking for a new
code (sent by e-mail; the old code works until the new one is used), rating the answer."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import tracking
from portal.models import Case, CaseEvent
from portal.services import notifications
from portal.services.audit import record
from portal.services.submissions.codes import keyed_hash
from portal.services.submissions.common import SubmissionError

FINAL_STATUSES = frozenset({"resolved", "closed"})


def find_by_code(
    session: Session, text: str, pepper: bytes, *, now: datetime | None = None
) -> Case | None:
    """The case this access code opens: its code, or a new one asked for by e-mail.

    The first use of a new code makes it the case's code, and the old one stops working;
    until then both work, so whoever asks for a new code cannot lock the citizen out.
    """
    compact = tracking.normalise_access_code(text or "")
    if compact is None:
        return None
    digest = tracking.hash_access_code(compact, pepper)
    case = session.scalar(select(Case).where(Case.access_code_hash == digest))
    if case is not None:
        return case
    case = session.scalar(select(Case).where(Case.pending_access_code_hash == digest))
    if case is None:
        return None
    case.pending_access_code_hash = None
    session.flush()  # the unique index: the old hash leaves before the new one arrives
    case.access_code_hash = digest
    if now is not None:
        record(
            session,
            actor_id=None,
            action="case.code_replaced",
            now=now,
            target_type="case",
            target_id=case.id,
        )
    session.commit()
    return case


def reissue_code(
    session: Session,
    *,
    case_number: str,
    email: str,
    pepper: bytes,
    now: datetime,
    message: Callable[[Case, str], tuple[str, str]],
    rng: secrets.SystemRandom | None = None,
) -> Case | None:
    """Queue a new access code to the case's e-mail when the e-mail matches the case's.

    The old code keeps working until the new one is first used (find_by_code). `message`
    writes the e-mail's subject and body from the case and the new code. Returns None when
    nothing matches; the caller answers the same way in both cases.
    """
    parsed = tracking.parse_case_number(case_number)
    if parsed is None:
        return None
    case = session.scalar(select(Case).where(Case.year == parsed[0], Case.sequence == parsed[1]))
    address = email.strip()
    wanted = keyed_hash(pepper, "email", address.lower())
    if case is None or not case.contact_email_hash:
        return None
    if not hmac.compare_digest(case.contact_email_hash, wanted):
        return None
    code = tracking.generate_access_code(rng or secrets.SystemRandom())
    case.pending_access_code_hash = tracking.hash_access_code(
        tracking.normalise_access_code(code) or "", pepper
    )
    subject, body = message(case, code)
    notifications.queue(
        session,
        recipient=case.submitter_email or address,
        subject=subject,
        body=body,
        now=now,
        case_id=case.id,
        purpose=notifications.NEW_CODE,
        seal_with=pepper if case.confidential else None,
    )
    record(
        session,
        actor_id=None,
        action="case.code_reissued",
        now=now,
        target_type="case",
        target_id=case.id,
    )
    session.commit()
    return case


def rate(session: Session, *, case: Case, rating: int, comment: str | None, now: datetime) -> None:
    if case.status not in FINAL_STATUSES:
        raise SubmissionError("not_resolved")
    if case.satisfaction_rating is not None:
        raise SubmissionError("already_rated")
    if not 1 <= rating <= 5:
        raise SubmissionError("bad_rating")
    case.satisfaction_rating = rating
    case.satisfaction_comment = comment or None
    case.events.append(CaseEvent(at=now, action="rated", visible_to_citizen=True, note=str(rating)))
    session.commit()
