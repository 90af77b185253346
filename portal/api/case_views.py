"""Endpoints for other systems holding an API token (for example the province's operations
centre): read the cases of one division, or send petitions and reflections.

Every call with a token, refused or not, leaves an audit entry (portal.api.auth).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Final

from flask import current_app, jsonify, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.api import bp, serializers
from portal.api.auth import current_token, set_target, token_case_scope, token_required
from portal.api.forms import IDEMPOTENCY_PATTERN, CaseQueryForm, JsonShapeError, NewCaseForm
from portal.api.responses import invalid, json_body
from portal.extensions import db
from portal.models import Case
from portal.services import case_access, submissions
from portal.services import deadlines as deadline_service
from portal.web import submissions as web_submissions
from portal.web.errors import render_error
from portal.web.rules import current_rules
from portal.web.security import now_utc
from portal.web.uploads import pepper

IDEMPOTENCY_HEADER: Final = "Idempotency-Key"


def _case_url(case_id: int) -> str:
    return url_for("api.read_case", case_id=case_id, _external=True)


@bp.get("/cases")
@token_required("read_cases")
def list_cases() -> ResponseReturnValue:
    """The cases of the token's division (`token_case_scope`), oldest first, `limit` at a
    time; `after` is the last id of the previous page (keyset paging: stable while cases keep
    arriving)."""
    form = CaseQueryForm(formdata=request.args)
    if not form.validate():
        return invalid(form)
    limit = form.limit.data or 50
    query = (
        select(Case)
        .where(case_access.visible_cases(token_case_scope()))
        .options(selectinload(Case.deadlines))
        .order_by(Case.id)
        .limit(limit + 1)
    )
    if form.status.data:
        query = query.where(Case.status == form.status.data)
    if form.kind.data:
        query = query.where(Case.kind == form.kind.data)
    if form.day("received_from"):
        query = query.where(Case.received_on >= form.day("received_from"))
    if form.day("received_to"):
        query = query.where(Case.received_on <= form.day("received_to"))
    if form.after.data is not None:
        query = query.where(Case.id > form.after.data)
    rows = list(db.session.scalars(query))
    more = len(rows) > limit
    rows = rows[:limit]
    rules = current_rules()
    return jsonify(
        items=[
            serializers.case_for_system(row, rules=rules, url_for_case=_case_url) for row in rows
        ],
        next_after=rows[-1].id if more else None,
    )


@bp.get("/cases/<int:case_id>")
@token_required("read_cases")
def read_case(case_id: int) -> ResponseReturnValue:
    """One case of the token's division; another division's answers 404, as an unknown id
    does, so a token cannot learn which ids exist."""
    set_target("case", case_id)
    case = case_access.visible_case(db.session, token_case_scope(), case_id)
    if case is None:
        return render_error(404)
    return jsonify(serializers.case_for_system(case, rules=current_rules(), url_for_case=_case_url))


def _idempotency_key() -> str | None:
    """The case's idempotency key: the caller's header bound to its token, or a fresh one.
    None when the header is not in the documented form."""
    sent = request.headers.get(IDEMPOTENCY_HEADER)
    if sent is None:
        return "api-" + secrets.token_hex(30)
    if not re.fullmatch(IDEMPOTENCY_PATTERN, sent):
        return None
    digest = hashlib.sha256(f"{current_token().id}:{sent}".encode()).hexdigest()
    return "api-" + digest[:60]


def _receipt(case: Case, idempotency_key: str, status: int) -> ResponseReturnValue:
    set_target("case", case.id)
    return jsonify(
        id=case.id,
        number=case.number,
        kind=case.kind,
        access_code=submissions.access_code_for(pepper(), idempotency_key),
        received_on=case.received_on.isoformat(),
        status=case.status,
    ), status


@bp.post("/cases")
@token_required("create_cases")
def create_case() -> ResponseReturnValue:
    """A petition or reflection sent on a citizen's behalf. The answer carries the case
    number and the access code: the calling system gives the code to the citizen (no e-mail
    is sent from here). The same Idempotency-Key sent again returns the first case."""
    key = _idempotency_key()
    if key is None:
        return invalid(detail=_("The Idempotency-Key header is not in the documented form."))
    try:
        form = NewCaseForm.from_json(json_body())
    except JsonShapeError:
        return invalid(detail=_("Send a JSON object with the documented fields."))
    if not form.validate():
        return invalid(form)
    config = current_app.config
    try:
        case, receipt = submissions.submit_once(
            db.session,
            submissions.Submission(
                kind=form.kind.data,
                subject=form.subject.data,
                content=form.content.data,
                field=form.field.data,
                location=form.location.data or None,
                requested_outcome=form.requested_outcome.data or None,
                name=form.name.data,
                address=form.address.data,
                commune=form.commune.data,
                province=form.province.data,
                phone=form.phone.data or None,
                email=form.email.data or None,
                citizen_id_number=form.citizen_id_number.data or None,
                people_count=form.people_count.data or 1,
                representative=form.representative.data or None,
                confidential=bool(form.confidential.data),
                consent_version=config["PRIVACY_NOTICE_VERSION"],
                idempotency_key=key,
                channel="api",
            ),
            now=now_utc(),
            settings=web_submissions.settings(),
            rules=current_rules(),
            calendar=deadline_service.load_calendar(db.session),
        )
    except submissions.TemporarilyUnavailable:
        db.session.rollback()
        return render_error(
            503, _("Confidential cases cannot be received now. Please try again later.")
        )
    return _receipt(case, key, 201 if receipt else 200)
