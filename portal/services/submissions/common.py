"""What a citizen's submission is, the settings its registration needs, the receipt it gives,
and the errors it can meet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.models import Case
from portal.services import ServiceError

# The case's identity columns, each with the field of the submission it is filled from.
IDENTITY_FIELDS = {
    "submitter_name": "name",
    "submitter_address": "address",
    "submitter_commune": "commune",
    "submitter_province": "province",
    "submitter_phone": "phone",
    "submitter_email": "email",
    "submitter_id_number": "citizen_id_number",
    "representative": "representative",
}


class SubmissionError(ServiceError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


class TemporarilyUnavailable(SubmissionError):
    """Confidential identities cannot be protected now (no valid custodian key)."""

    def __init__(self) -> None:
        super().__init__("custodian_key_missing")


class CalendarChanged(SubmissionError):
    """The stored calendar changed since the one the deadlines were counted on was loaded:
    nothing was stored; load it again and submit again."""

    def __init__(self) -> None:
        super().__init__("calendar_changed")


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
