"""The signed-in official's cases: every admin view that takes a case or an attachment id
fetches it here, so a case the official may not see answers 404 like one that does not
exist (no existence oracle). The rule: `portal.domain.permissions.case_scope`."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from portal.domain.permissions import NO_CASES, CaseScope, case_scope
from portal.extensions import db
from portal.models import Attachment, Case
from portal.services import case_access


def current_scope() -> CaseScope:
    """The cases the signed-in official sees (none when nobody is signed in)."""
    if not current_user.is_authenticated:
        return NO_CASES
    return case_scope(current_user.roles, current_user.id, current_user.division_id)


def case_or_404(case_id: int) -> Case:
    case = case_access.visible_case(db.session, current_scope(), case_id)
    if case is None:
        abort(404)
    return case


def attachment_or_404(attachment_id: int) -> Attachment:
    row = case_access.visible_attachment(db.session, current_scope(), attachment_id)
    if row is None:
        abort(404)
    return row
