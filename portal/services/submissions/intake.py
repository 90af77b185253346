"""Registering a submission as a case: its register number, its first deadlines, its sealed
identity when confidential, the files sent with the form; once only per form."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from portal.domain import tracking
from portal.domain.calendar import WorkingCalendar
from portal.domain.deadlines import Rule, due_date, receipt_date
from portal.domain.search import fold
from portal.domain.workflow import acceptance_rule
from portal.lib import crypto
from portal.models import Attachment, Case, CaseEvent, Deadline
from portal.services import notifications
from portal.services.audit import record_row
from portal.services.register_lock import take_register_lock
from portal.services.stored_calendar import (
    Fingerprint,
    calendar_unchanged,
    fingerprint_parameters,
)
from portal.services.submissions.codes import access_code_for, draft_token_hash, keyed_hash
from portal.services.submissions.common import (
    IDENTITY_FIELDS,
    CalendarChanged,
    DuplicateSubmission,
    Receipt,
    Settings,
    Submission,
    TemporarilyUnavailable,
)


def is_confidential(submission: Submission) -> bool:
    return submission.kind == "denunciation" or submission.confidential


# Statements run on every submission, built once: building them is most of their cost.
_BY_IDEMPOTENCY_KEY = select(Case).where(Case.idempotency_key == bindparam("key"))
_LINK_DRAFTS = (  # the files uploaded with the form become the case's
    update(Attachment)
    .where(Attachment.draft_token_hash == bindparam("token_hash"), Attachment.case_id.is_(None))
    .values(case_id=bindparam("case_id"), draft_token_hash=None)
)
# A case's first rows go in as Core inserts with their values as parameters: SQLAlchemy
# compiles each once per set of columns. The ORM's unit of work, or `.values()` building and
# coercing a parameter per column on every call, cost more than the SQL itself.
_INSERT_EVENT = cast(Table, CaseEvent.__table__).insert()
_INSERT_DEADLINES = cast(Table, Deadline.__table__).insert()


def find_duplicate(session: Session, idempotency_key: str) -> Case | None:
    return session.scalar(_BY_IDEMPOTENCY_KEY, {"key": idempotency_key})


def submit(
    session: Session,
    submission: Submission,
    *,
    now: datetime,
    settings: Settings,
    rules: dict[str, Rule],
    calendar: WorkingCalendar,
    calendar_fingerprint: Fingerprint | None = None,
    rng: secrets.SystemRandom | None = None,
    receipt_email: Callable[[Receipt], tuple[str, str]] | None = None,
    actor_id: int | None = None,
) -> Receipt:
    """Register a web submission as a case, with its first deadline; commit; return the receipt.

    For a confidential case the identity is sealed to the custodian key before anything is
    written, and nothing is stored when that key is missing.

    Everything is worked out before the first statement, so that the lock that makes
    submissions take turns (SQLite's write lock, PostgreSQL's numbering lock) is held only for
    the statements and the commit. The form's key is not looked up first: the numbered
    insert adds no case when one has the key (the unique constraint stays the last word), and
    that case is raised as DuplicateSubmission.

    With `calendar_fingerprint` (that of the stored calendar `calendar` was built from, see
    services/stored_calendar.py) the same insert also checks that the stored calendar has not
    changed since; when it has, nothing is stored and CalendarChanged is raised. The caller
    can then count on the calendar it kept without reading it in a transaction first, and
    the check and the insert see the same overrides.
    """
    confidential = is_confidential(submission)
    withhold = submission.kind == "denunciation" and not settings.collect_denouncer_identity
    if confidential and not withhold and not crypto.check_public_key(settings.custodian_public_key):
        raise TemporarilyUnavailable()

    received_on = submission.received_on or receipt_date(
        now,
        calendar,
        settings.receipt_convention,  # type: ignore[arg-type]  # a str; checked by receipt_date
    )
    code = access_code_for(settings.pepper, submission.idempotency_key)
    values: dict[str, Any] = {
        "year": received_on.year,
        "kind": submission.kind,
        "channel": submission.channel,
        "source_body": submission.source_body,
        "received_on": received_on,
        "submitted_at": now,
        "subject": submission.subject,
        "content": submission.content,
        "field": submission.field,
        "respondent": submission.respondent,
        "requested_outcome": submission.requested_outcome,
        "contested_decision": submission.contested_decision,
        "decision_known_on": submission.decision_known_on,
        "evidence": submission.evidence,
        "location": submission.location,
        "round": submission.complaint_round,
        "people_count": submission.people_count,
        "confidential": confidential,
        "identity_withheld": withhold,
        "consent_version": submission.consent_version,
        "consent_at": now,
        "status": "received",
        "access_code_hash": tracking.hash_access_code(
            tracking.normalise_access_code(code) or "", settings.pepper
        ),
        "idempotency_key": submission.idempotency_key,
        "created_at": now,
        "updated_at": now,
    }
    identity = {column: getattr(submission, name) for column, name in IDENTITY_FIELDS.items()}
    if submission.email and not withhold:
        values["contact_email_hash"] = keyed_hash(
            settings.pepper, "email", submission.email.lower()
        )
    if confidential and not withhold:
        values["identity_ciphertext"] = crypto.seal(settings.custodian_public_key or "", identity)
        values["pseudonym"] = tracking.make_pseudonym(rng or secrets.SystemRandom())
    elif not confidential:
        values.update(identity)
    values["search_text"] = search_text(values)

    first_rules = ["letter.process"]
    if submission.signed_letter and submission.kind in ("complaint", "denunciation"):
        # A signed letter on paper or in person: the formal clocks run from its receipt.
        values["signed_letter_on"] = received_on
        first_rules.append(
            acceptance_rule(submission.kind, submission.complaint_round) or "letter.process"
        )
    deadlines: list[dict[str, Any]] = [
        {
            "rule_id": rule.id,
            "legal_basis": rule.legal_basis,
            "started_on": received_on,
            "due_on": due_date(rule, received_on, calendar, explain=False).due,
            "created_at": now,
        }
        for rule in (rules[rule_id] for rule_id in first_rules)
    ]
    values["next_due_on"] = min(deadline["due_on"] for deadline in deadlines)
    draft_hash = (
        draft_token_hash(settings.pepper, submission.upload_token)
        if submission.upload_token
        else None
    )
    audit_detail = {"kind": submission.kind, "channel": submission.channel}

    # From here on, only the statements.
    if submission.first_case_number:
        parsed = tracking.parse_case_number(submission.first_case_number)
        if parsed:
            values["first_case_id"] = session.scalar(
                select(Case.id).where(Case.year == parsed[0], Case.sequence == parsed[1])
            )
    case_id, sequence = _insert_with_number(session, values, calendar_fingerprint)
    connection = session.connection()
    connection.execute(
        _INSERT_EVENT,
        {
            "case_id": case_id,
            "at": now,
            "actor_id": actor_id,
            "action": "submitted",
            "to_status": "received",
            "visible_to_citizen": True,
        },
    )
    connection.execute(
        _INSERT_DEADLINES, [{**deadline, "case_id": case_id} for deadline in deadlines]
    )
    if draft_hash is not None:
        connection.execute(_LINK_DRAFTS, {"token_hash": draft_hash, "case_id": case_id})
    record_row(
        session,
        actor_id=actor_id,
        action="case.submit",
        now=now,
        target_type="case",
        target_id=case_id,
        **audit_detail,
    )
    receipt = Receipt(
        case_id=case_id,
        case_number=tracking.format_case_number(received_on.year, sequence),
        kind=submission.kind,
        access_code=code,
        email=None if withhold else submission.email,
        confidential=confidential,
    )
    # Queued with the case; a confidential case's address waits in the outbox only sealed,
    # and is erased once the receipt has gone.
    if receipt_email and receipt.email:
        subject, body = receipt_email(receipt)
        notifications.queue(
            session,
            recipient=receipt.email,
            subject=subject,
            body=body,
            now=now,
            case_id=case_id,
            purpose=notifications.RECEIPT,
            seal_with=settings.pepper if confidential else None,
        )
    session.commit()
    return receipt


def search_text(case: Mapping[str, Any]) -> str:
    """What the officials' search looks in (from a case's column values): never a
    confidential case's identity."""
    names = ["subject", "content", "respondent", "location"]
    if not case.get("confidential"):
        names += ["submitter_name", "submitter_phone", "submitter_email"]
    return fold(" ".join(text for name in names if (text := case.get(name))))


_CASES = cast(Table, Case.__table__)
# What an INSERT would fill in by itself. The INSERT … SELECT below is built without the
# columns' defaults (SQLAlchemy would render them into the SELECT), so the plain ones are
# passed as values; the times the intake always gives itself.
_SCALAR_DEFAULTS = {
    column.name: column.default.arg
    for column in _CASES.c
    if isinstance(column.default, ScalarElementColumnDefault)
}


@lru_cache(maxsize=64)
def _numbered_insert(columns: tuple[str, ...], check_calendar: bool) -> Any:
    """INSERT INTO cases (columns…, sequence) SELECT :columns…, the year's highest number + 1
    WHERE no case has the form's key, RETURNING id, sequence: numbering and inserting in one
    statement, and a form sent twice answered with no row instead of an error that would
    abort a PostgreSQL transaction. One statement per set of columns a case fills, compiled
    once (SQLAlchemy caches a plain INSERT … SELECT; the dialects' ON CONFLICT forms it
    compiles anew on every call). With `check_calendar`, also only while the stored calendar
    has the fingerprint given as parameters."""
    parameters = {name: bindparam(name, type_=_CASES.c[name].type) for name in columns}
    # The highest number as a subquery of its own, which both databases answer from the
    # (year, sequence) index; beside other columns SQLite would scan the year's cases.
    last = (
        select(func.coalesce(func.max(_CASES.c.sequence), 0))
        .where(_CASES.c.year == parameters["year"])
        .scalar_subquery()
    )
    taken = select(_CASES.c.id).where(_CASES.c.idempotency_key == parameters["idempotency_key"])
    numbered = select(*parameters.values(), last + 1).where(~taken.exists())
    if check_calendar:
        numbered = numbered.where(calendar_unchanged())
    return (
        _CASES.insert()
        .from_select([*columns, "sequence"], numbered, include_defaults=False)
        .returning(_CASES.c.id, _CASES.c.sequence)
    )


def _insert_with_number(
    session: Session, values: dict[str, Any], calendar_fingerprint: Fingerprint | None
) -> tuple[int, int]:
    """Insert the case with the next register number of its year, with no gap and no repeat;
    return its id and sequence; raise DuplicateSubmission when a case has the form's key,
    CalendarChanged (after a rollback) when the stored calendar no longer has
    `calendar_fingerprint`.

    SQLite serialises writers (BEGIN IMMEDIATE). On PostgreSQL a transaction-scoped advisory
    lock makes numbering take turns: the insert, which reads the highest number of the year
    and looks for the form's key, runs only once the previous submission has committed or
    rolled back (a register has no gaps; a form sent twice at the same moment finds the first
    one's case). The unique constraints stay the last word.
    """
    take_register_lock(session)
    connection = session.connection()
    values = {**_SCALAR_DEFAULTS, **values}
    statement = _numbered_insert(tuple(sorted(values)), calendar_fingerprint is not None)
    parameters = values
    if calendar_fingerprint is not None:
        parameters = {**values, **fingerprint_parameters(calendar_fingerprint)}
    row = connection.execute(statement, parameters).first()
    if row is None:  # the same form sent twice (show the case the first one made), or else
        existing = find_duplicate(session, values["idempotency_key"])
        if existing is not None:
            raise DuplicateSubmission(existing)
        if calendar_fingerprint is None:  # nothing deletes cases: not reached
            raise RuntimeError("no case inserted, and none has the form's key")
        session.rollback()
        raise CalendarChanged()
    return int(row.id), int(row.sequence)


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
