"""Citizens' submissions from the web: registering a case, looking it up, rating it."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.domain import tracking
from portal.domain.calendar import WorkingCalendar
from portal.domain.deadlines import Rule, due_date, receipt_date
from portal.domain.search import fold
from portal.domain.workflow import acceptance_rule
from portal.lib import crypto
from portal.models import Attachment, Case, CaseEvent, Deadline
from portal.services import ServiceError, notifications
from portal.services.audit import record

FINAL_STATUSES = frozenset({"resolved", "closed"})
IDENTITY_FIELDS = (
    "submitter_name",
    "submitter_address",
    "submitter_commune",
    "submitter_province",
    "submitter_phone",
    "submitter_email",
    "submitter_id_number",
    "representative",
)


class SubmissionError(ServiceError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class TemporarilyUnavailable(SubmissionError):
    """Confidential identities cannot be protected now (no valid custodian key)."""

    def __init__(self) -> None:
        super().__init__("custodian_key_missing")


class DuplicateSubmission(SubmissionError):
    """This form was already sent (double click, reload): the first case stands."""

    def __init__(self, case: Case) -> None:
        super().__init__("duplicate")
        self.case = case


@dataclass(frozen=True)
class Submission:
    kind: str
    subject: str
    content: str
    idempotency_key: str
    consent_version: str
    field: str | None = None
    respondent: str | None = None
    requested_outcome: str | None = None
    contested_decision: str | None = None
    decision_known_on: date | None = None
    evidence: str | None = None
    location: str | None = None
    complaint_round: int = 1
    first_case_number: str | None = None
    name: str | None = None
    address: str | None = None
    commune: str | None = None
    province: str | None = None
    phone: str | None = None
    email: str | None = None
    citizen_id_number: str | None = None
    people_count: int = 1
    representative: str | None = None
    confidential: bool = False
    upload_token: str | None = None
    # Submissions registered by a clerk: letters by post, walk-ins, forwarded letters, e-mail.
    channel: str = "web"
    received_on: date | None = None
    source_body: str | None = None
    signed_letter: bool = False


@dataclass(frozen=True)
class Settings:
    pepper: bytes
    custodian_public_key: str | None
    collect_denouncer_identity: bool = True
    receipt_convention: str = "submission_date"


@dataclass(frozen=True)
class Receipt:
    case_id: int
    case_number: str
    kind: str
    access_code: str
    email: str | None
    confidential: bool


def keyed_hash(pepper: bytes, purpose: str, value: str) -> str:
    return hmac.new(pepper, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def draft_token_hash(pepper: bytes, token: str) -> str:
    return keyed_hash(pepper, "draft", token)


def access_code_for(pepper: bytes, idempotency_key: str) -> str:
    """The access code of the case a form creates, derived from the form's idempotency key.

    Deriving it (rather than drawing it) lets a repeated POST of the same form, after a double
    click or a lost response, show the citizen the same code again: the code is not stored.
    """
    seed = hmac.new(pepper, f"code:{idempotency_key}".encode(), hashlib.sha256).digest()
    return tracking.generate_access_code(_DigestRandom(seed))  # type: ignore[arg-type]


class _DigestRandom:
    """A deterministic `choice` drawn from HMAC-SHA256 in counter mode (unbiased)."""

    def __init__(self, seed: bytes) -> None:
        self._seed = seed
        self._counter = 0

    def _byte(self) -> int:
        block = hmac.new(self._seed, self._counter.to_bytes(8, "big"), hashlib.sha256).digest()
        self._counter += 1
        return block[0]

    def choice(self, items: str) -> str:
        size = len(items)
        limit = 256 - 256 % size  # reject the tail so every symbol is equally likely
        while True:
            value = self._byte()
            if value < limit:
                return items[value % size]


def is_confidential(submission: Submission) -> bool:
    return submission.kind == "denunciation" or submission.confidential


def find_duplicate(session: Session, idempotency_key: str) -> Case | None:
    return session.scalar(select(Case).where(Case.idempotency_key == idempotency_key))


def submit(
    session: Session,
    submission: Submission,
    *,
    now: datetime,
    settings: Settings,
    rules: dict[str, Rule],
    calendar: WorkingCalendar,
    rng: secrets.SystemRandom | None = None,
    receipt_email: Callable[[Receipt], tuple[str, str]] | None = None,
    actor_id: int | None = None,
) -> Receipt:
    """Register a web submission as a case, with its first deadline; commit; return the receipt.

    For a confidential case the identity is sealed to the custodian key before anything is
    written, and nothing is stored when that key is missing.
    """
    existing = find_duplicate(session, submission.idempotency_key)
    if existing is not None:
        raise DuplicateSubmission(existing)
    confidential = is_confidential(submission)
    withhold = submission.kind == "denunciation" and not settings.collect_denouncer_identity
    if confidential and not withhold and not crypto.check_public_key(settings.custodian_public_key):
        raise TemporarilyUnavailable()

    received_on = submission.received_on or receipt_date(
        now,
        calendar,
        settings.receipt_convention,  # type: ignore[arg-type]
    )
    code = access_code_for(settings.pepper, submission.idempotency_key)
    case = Case(
        year=received_on.year,
        sequence=0,
        kind=submission.kind,
        channel=submission.channel,
        source_body=submission.source_body,
        received_on=received_on,
        submitted_at=now,
        subject=submission.subject,
        content=submission.content,
        field=submission.field,
        respondent=submission.respondent,
        requested_outcome=submission.requested_outcome,
        contested_decision=submission.contested_decision,
        decision_known_on=submission.decision_known_on,
        evidence=submission.evidence,
        location=submission.location,
        round=submission.complaint_round,
        people_count=submission.people_count,
        confidential=confidential,
        identity_withheld=withhold,
        consent_version=submission.consent_version,
        consent_at=now,
        status="received",
        access_code_hash=tracking.hash_access_code(
            tracking.normalise_access_code(code) or "", settings.pepper
        ),
        idempotency_key=submission.idempotency_key,
        created_at=now,
        updated_at=now,
    )
    identity = {
        "submitter_name": submission.name,
        "submitter_address": submission.address,
        "submitter_commune": submission.commune,
        "submitter_province": submission.province,
        "submitter_phone": submission.phone,
        "submitter_email": submission.email,
        "submitter_id_number": submission.citizen_id_number,
        "representative": submission.representative,
    }
    if submission.email and not withhold:
        case.contact_email_hash = keyed_hash(settings.pepper, "email", submission.email.lower())
    if confidential and not withhold:
        case.identity_ciphertext = crypto.seal(settings.custodian_public_key or "", identity)
        case.pseudonym = tracking.make_pseudonym(rng or secrets.SystemRandom())
    elif not confidential:
        for name, value in identity.items():
            setattr(case, name, value)
    if submission.first_case_number:
        parsed = tracking.parse_case_number(submission.first_case_number)
        if parsed:
            case.first_case_id = session.scalar(
                select(Case.id).where(Case.year == parsed[0], Case.sequence == parsed[1])
            )

    case.search_text = search_text(case)
    _insert_with_number(session, case)
    case.events.append(
        CaseEvent(
            at=now,
            actor_id=actor_id,
            action="submitted",
            to_status="received",
            visible_to_citizen=True,
        )
    )
    first_rules = ["letter.process"]
    if submission.signed_letter and case.kind in ("complaint", "denunciation"):
        # A signed letter on paper or in person: the formal clocks run from its receipt.
        case.signed_letter_on = received_on
        first_rules.append(acceptance_rule(case.kind, case.round) or "letter.process")
    for rule_id in first_rules:
        rule = rules[rule_id]
        computed = due_date(rule, received_on, calendar, explain=False)
        case.deadlines.append(
            Deadline(
                rule_id=rule.id,
                legal_basis=rule.legal_basis,
                started_on=received_on,
                due_on=computed.due,  # type: ignore[arg-type]
                created_at=now,
            )
        )
    case.refresh_next_due()
    if submission.upload_token:
        session.execute(
            update(Attachment)
            .where(
                Attachment.draft_token_hash
                == draft_token_hash(settings.pepper, submission.upload_token),
                Attachment.case_id.is_(None),
            )
            .values(case_id=case.id, draft_token_hash=None)
        )
    record(
        session,
        actor_id=actor_id,
        action="case.submit",
        now=now,
        target_type="case",
        target_id=case.id,
        kind=case.kind,
        channel=case.channel,
    )
    receipt = Receipt(
        case_id=case.id,
        case_number=case.number,
        kind=case.kind,
        access_code=code,
        email=None if withhold else submission.email,
        confidential=confidential,
    )
    # A confidential case's address must not sit in the outbox in clear: the caller sends
    # that receipt at once, and only once.
    if receipt_email and receipt.email and not confidential:
        subject, body = receipt_email(receipt)
        notifications.queue(session, recipient=receipt.email, subject=subject, body=body, now=now)
    session.commit()
    return receipt


def search_text(case: Case) -> str:
    """What the officials' search looks in: never a confidential case's identity."""
    parts = [case.subject, case.content, case.respondent, case.location]
    if not case.confidential:
        parts += [case.submitter_name, case.submitter_phone, case.submitter_email]
    return fold(" ".join(p for p in parts if p))


# The PostgreSQL advisory lock (with the year as second key) that hands out register numbers.
CASE_NUMBER_LOCK = 4_101


def _insert_with_number(session: Session, case: Case, attempts: int = 5) -> None:
    """Give the case the next register number of its year, with no gap and no repeat.

    SQLite serialises writers (BEGIN IMMEDIATE). On PostgreSQL a transaction-scoped advisory
    lock per year makes numbering take turns: the next submission reads the highest number
    only once the previous one has committed or rolled back (a register has no gaps). The
    unique constraint stays the last word: a clash sends the case round again.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(CASE_NUMBER_LOCK, case.year)))
    for attempt in range(attempts):
        savepoint = session.begin_nested()
        last = session.scalar(select(func.max(Case.sequence)).where(Case.year == case.year))
        case.sequence = (last or 0) + 1
        session.add(case)
        try:
            session.flush()
        except IntegrityError:
            savepoint.rollback()
            if attempt == attempts - 1:
                raise
            continue
        savepoint.commit()
        return


def submit_once(
    session: Session,
    submission: Submission,
    *,
    now: datetime,
    settings: Settings,
    rules: dict[str, Rule],
    calendar: WorkingCalendar,
    receipt_email: Callable[[Receipt], tuple[str, str]] | None = None,
) -> tuple[Case, Receipt | None]:
    """Register the submission as a case, or find the case that the same idempotency key
    made before: for systems that send again when unsure (the JSON API, Open311).

    Returns the case and, when it was created now, its receipt (None for a repeat).
    """
    existing = find_duplicate(session, submission.idempotency_key)
    if existing is not None:
        return existing, None
    try:
        receipt = submit(
            session,
            submission,
            now=now,
            settings=settings,
            rules=rules,
            calendar=calendar,
            receipt_email=receipt_email,
        )
    except DuplicateSubmission as duplicate:
        return duplicate.case, None
    case = session.get(Case, receipt.case_id)
    assert case is not None  # noqa: S101  (submit has just committed it)
    return case, receipt


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


def store_draft_attachment(
    session: Session,
    *,
    stored_name: str,
    original_name: str | None,
    content_type: str,
    extension: str,
    size: int,
    sha256: str,
    upload_token: str,
    pepper: bytes,
    confidential: bool,
    custodian_public_key: str | None,
    now: datetime,
) -> Attachment:
    """Keep an uploaded file, tied to the form, until the form is sent or abandoned."""
    attachment = Attachment(
        stored_name=stored_name,
        content_type=content_type,
        extension=extension,
        size=size,
        sha256=sha256,
        uploaded_by="citizen",
        draft_token_hash=draft_token_hash(pepper, upload_token),
        created_at=now,
    )
    if confidential and original_name:
        attachment.original_name_ciphertext = crypto.seal_text(
            custodian_public_key or "", original_name
        )
    else:
        attachment.original_name = original_name
    session.add(attachment)
    session.commit()
    return attachment


def draft_attachments(session: Session, *, upload_token: str, pepper: bytes) -> list[Attachment]:
    if not upload_token:
        return []
    return list(
        session.scalars(
            select(Attachment)
            .where(Attachment.draft_token_hash == draft_token_hash(pepper, upload_token))
            .order_by(Attachment.id)
        )
    )


def remove_draft_attachment(
    session: Session,
    *,
    attachment_id: int,
    upload_token: str,
    pepper: bytes,
    delete_file: Callable[[str], None],
) -> None:
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.draft_token_hash != draft_token_hash(pepper, upload_token):
        return
    delete_file(attachment.stored_name)
    session.delete(attachment)
    session.commit()
