"""What the API says about each record: plain dicts, only the fields meant for the reader.

Each function names its audience. Nothing here reads the request; the views pass in what the
function needs (rules, seats left, a URL builder).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from portal.domain.deadlines import Rule
from portal.models import Article, Case, Deadline, Dialogue


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def article(row: Article, *, url: str, full: bool) -> dict[str, Any]:
    """A published article for anyone. `full` adds the body (sanitised HTML, as stored)."""
    data: dict[str, Any] = {
        "slug": row.slug,
        "title": row.title,
        "summary": row.summary,
        "published_at": _moment(row.published_at),
        "updated_at": _moment(max(row.updated_at, row.published_at or row.updated_at)),
        "categories": [{"slug": c.slug, "name": c.name} for c in row.categories],
        "tags": [tag.strip() for tag in row.tags.split(",") if tag.strip()],
        "url": url,
    }
    if full:
        data["body_html"] = row.body_html
        data["source"] = row.source
    return data


def session(row: Dialogue, *, url: str, seats_left: int | None) -> dict[str, Any]:
    """A reception or dialogue session for anyone: never the online meeting link (sent to
    registered people only), the minutes or the registrations."""
    return {
        "id": row.id,
        "kind": row.kind,
        "title": row.title,
        "topic": row.topic,
        "starts_at": _moment(row.starts_at),
        "ends_at": _moment(row.ends_at),
        "mode": row.mode,
        "place": row.place,
        "host_name": row.host_name,
        "status": row.status,
        "capacity": row.capacity,
        "seats_left": seats_left,
        "registration_opens_at": _moment(row.registration_opens_at),
        "registration_closes_at": _moment(row.registration_closes_at),
        "public_note": row.public_note,
        "conclusions": row.conclusions if row.conclusions_published else None,
        "url": url,
    }


def _deadline(row: Deadline, rules: dict[str, Rule]) -> dict[str, Any]:
    rule = rules.get(row.rule_id)
    return {
        "rule": row.rule_id,
        "title_vi": rule.title_vi if rule else row.rule_id,
        "title_en": rule.title_en if rule else row.rule_id,
        "legal_basis": row.legal_basis,
        "due_on": _day(row.due_on),
        "met_on": _day(row.met_on),
    }


def case_status(case: Case, *, rules: dict[str, Rule]) -> dict[str, Any]:
    """What the holder of the access code sees on the status page, and no more."""
    return {
        "number": case.number,
        "kind": case.kind,
        "subject": case.subject,
        "received_on": _day(case.received_on),
        "status": case.status,
        "events": [
            {
                "at": _moment(event.at),
                "action": event.action,
                "note": event.note if event.action != "rated" else None,
            }
            for event in case.events
            if event.visible_to_citizen
        ],
        "deadlines": [_deadline(d, rules) for d in case.deadlines],
        "public_answer": case.public_answer,
        "answered_on": _day(case.answered_on),
    }


IDENTITY_FIELDS = {
    "name": "submitter_name",
    "address": "submitter_address",
    "commune": "submitter_commune",
    "province": "submitter_province",
    "phone": "submitter_phone",
    "email": "submitter_email",
    "organisation": "submitter_organisation",
    "representative": "representative",
}


def case_for_system(
    case: Case, *, rules: dict[str, Rule], url_for_case: Callable[[int], str]
) -> dict[str, Any]:
    """A case for another system holding a read token for its division.

    A confidential case (every denunciation, and any case whose citizen asked) shows only its
    pseudonym and the facts of its handling: no identity, and none of the text the citizen
    wrote, which can give the identity away as surely as a name. Internal notes, draft
    answers, citizen ID numbers and attachments are never shown.
    """
    data: dict[str, Any] = {
        "id": case.id,
        "number": case.number,
        "kind": case.kind,
        "channel": case.channel,
        "status": case.status,
        "received_on": _day(case.received_on),
        "next_due_on": _day(case.next_due_on),
        "division_id": case.division_id,
        "confidential": case.confidential,
        "subject": case.subject,
        "field": case.field,
        "deadlines": [_deadline(d, rules) for d in case.deadlines],
        "public_answer": case.public_answer,
        "answered_on": _day(case.answered_on),
        "updated_at": _moment(case.updated_at),
        "url": url_for_case(case.id),
    }
    if case.confidential:
        data["submitter"] = {"pseudonym": case.pseudonym}
        data.update(
            subject=None, content=None, location=None, requested_outcome=None, respondent=None
        )
        return data
    submitter: dict[str, Any] = {
        key: getattr(case, column) for key, column in IDENTITY_FIELDS.items()
    }
    submitter["people_count"] = case.people_count
    data["submitter"] = submitter
    data.update(
        content=case.content,
        location=case.location,
        requested_outcome=case.requested_outcome,
        respondent=case.respondent,
    )
    return data
