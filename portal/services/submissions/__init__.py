"""Citizens' submissions from the web: registering a case, looking it up, rating it.

The package: `common` (the submission, its settings, receipt and errors), `codes` (the keyed
hashes and the derived access code), `intake` (registering a case, once per form), `lookup`
(finding a case by its code, a new code, the rating) and `drafts` (files uploaded before the
form is sent); every name is importable from the package as before.
"""

from portal.services.register_lock import CASE_NUMBER_LOCK
from portal.services.submissions.codes import access_code_for, draft_token_hash, keyed_hash
from portal.services.submissions.common import (
    IDENTITY_FIELDS,
    CalendarChanged,
    DuplicateSubmission,
    Receipt,
    Settings,
    Submission,
    SubmissionError,
    TemporarilyUnavailable,
)
from portal.services.submissions.drafts import (
    draft_attachments,
    remove_draft_attachment,
    store_draft_attachment,
)
from portal.services.submissions.intake import (
    find_duplicate,
    is_confidential,
    search_text,
    submit,
    submit_once,
)
from portal.services.submissions.lookup import FINAL_STATUSES, find_by_code, rate, reissue_code

__all__ = [
    "CASE_NUMBER_LOCK",
    "FINAL_STATUSES",
    "IDENTITY_FIELDS",
    "CalendarChanged",
    "DuplicateSubmission",
    "Receipt",
    "Settings",
    "Submission",
    "SubmissionError",
    "TemporarilyUnavailable",
    "access_code_for",
    "draft_attachments",
    "draft_token_hash",
    "find_by_code",
    "find_duplicate",
    "is_confidential",
    "keyed_hash",
    "rate",
    "reissue_code",
    "remove_draft_attachment",
    "search_text",
    "store_draft_attachment",
    "submit",
    "submit_once",
]
