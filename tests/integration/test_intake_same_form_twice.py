"""The same form registered twice at once: the second request finds the first one's case
even when its own look-up came too early (PostgreSQL: before the numbering lock; a request
that committed stored files in between). It is shown that case, never an error page, and
no second case is numbered."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import current_app
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Case
from portal.services import deadlines as deadline_service
from portal.services import submissions
from portal.web.rules import current_rules


def _submit(key: str, *, known_new: bool) -> submissions.Receipt:
    return submissions.submit(
        db.session,
        submissions.Submission(
            kind="reflection",
            subject="Cột điện viễn thông đổ chắn đường",
            content="Sau cơn bão, cột điện đổ chắn ngang đường.",
            idempotency_key=key,
            consent_version="test",
            name="Nguyễn Văn Bình",
            phone="+84912345678",
        ),
        now=datetime.now(UTC),
        settings=submissions.Settings(
            pepper=current_app.config["ACCESS_CODE_PEPPER"].encode(),
            custodian_public_key=None,
        ),
        rules=current_rules(),
        calendar=deadline_service.load_calendar(db.session),
        known_new=known_new,
    )


def test_a_clash_on_the_form_key_is_the_first_case_shown_again(app_ctx) -> None:  # type: ignore[no-untyped-def]
    first = _submit("same-form-key", known_new=False)
    # as if this request had looked the key up before the first one committed
    with pytest.raises(submissions.DuplicateSubmission) as raised:
        _submit("same-form-key", known_new=True)
    assert raised.value.case.id == first.case_id
    db.session.rollback()
    assert db.session.scalar(select(func.count(Case.id))) == 1


def test_the_view_can_tell_whether_its_look_up_still_holds(app_ctx) -> None:  # type: ignore[no-untyped-def]
    """What the form's view compares before trusting its look-up (`known_new`): the same
    transaction object while nothing committed, another one after a commit."""
    from portal.web.database import current_transaction

    submissions.find_duplicate(db.session, "some-key")
    looked_up_in = current_transaction(db.session)
    assert looked_up_in is not None
    db.session.scalar(select(func.count(Case.id)))
    assert current_transaction(db.session) is looked_up_in
    db.session.commit()  # as storing or removing a draft file does
    submissions.find_duplicate(db.session, "some-key")
    assert current_transaction(db.session) is not looked_up_in
