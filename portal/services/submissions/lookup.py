"""What a citizen does with a case afterwards: finding it by its access code, asking for a new
code, rating the answer."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.domain import tracking
from portal.models import Case, CaseEvent
from portal.services.audit import record
from portal.services.submissions.codes import keyed_hash
from portal.services.submissions.common import SubmissionError

FINAL_STATUSES = frozenset({"resolved", "closed"})


def find_by_code(session: Session, text: str, pepper: bytes) -> Case | None:
    compact = tracking.normalise_access_code(text or "")
    if compact is None:
        return None
    return session.scalar(
        select(Case).where(Case.access_code_hash == tracking.hash_access_code(compact, pepper))
    )


def reissue_code(
    session: Session,
    *,
    case_number: str,
    email: str,
    pepper: bytes,
    now: datetime,
    rng: secrets.SystemRandom | None = None,
) -> tuple[Case, str] | None:
    """A new access code for a case whose e-mail matches; the old code stops working.

    Returns None when nothing matches; the caller answers the same way in both cases.
    """
    parsed = tracking.parse_case_number(case_number)
    if parsed is None:
        return None
    case = session.scalar(select(Case).where(Case.year == parsed[0], Case.sequence == parsed[1]))
    wanted = keyed_hash(pepper, "email", email.strip().lower())
    if case is None or not case.contact_email_hash:
        return None
    if not hmac.compare_digest(case.contact_email_hash, wanted):
        return None
    code = tracking.generate_access_code(rng or secrets.SystemRandom())
    case.access_code_hash = tracking.hash_access_code(
        tracking.normalise_access_code(code) or "", pepper
    )
    record(
        session,
        actor_id=None,
        action="case.code_reissued",
        now=now,
        target_type="case",
        target_id=case.id,
    )
    return case, code


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
