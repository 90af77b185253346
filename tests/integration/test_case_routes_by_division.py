"""Walk the URL map: every route that takes a case, an attachment or a notice answers 404 to
an official who may not see that case, exactly as it answers for an id that does not exist,
and answers (not 404) to those who may: the division's officials, the official it is
assigned to, and the roles that see every case (docs/security.md D2).

The rule itself: portal/domain/permissions.py (case_scope); the check: web/case_access.py.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from flask import Flask, url_for
from sqlalchemy import func, select

from portal.domain.permissions import MATRIX, Role
from portal.extensions import db
from portal.models import Attachment, Case, CaseEvent
from portal.services import notices
from portal.web import uploads as web_uploads
from tests.admin_helpers import sign_in, sign_out
from tests.api_helpers import bearer, make_token
from tests.factories import make_case, make_division, make_user

# What a route's arguments or view module say about it being a case's route.
CASE_ARGUMENTS = {"case_id", "attachment_id", "notice_id", "event_id"}
CASE_MODULES = {"portal.admin.case_views", "portal.admin.case_document_views"}
UNKNOWN_ID = 2_000_000_000

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _case_rules(app: Flask, blueprint: str) -> Iterator:  # type: ignore[type-arg]
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(f"{blueprint}."):
            continue
        module = getattr(app.view_functions[rule.endpoint], "__module__", "")
        if CASE_ARGUMENTS & set(rule.arguments) or module in CASE_MODULES:
            yield rule


def _methods(rule) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(m for m in rule.methods if m in ("GET", "POST"))


def _attached(case: Case) -> Attachment:
    """A real stored file, as an official's upload leaves it."""
    name = f"{secrets.token_hex(16)}.pdf"
    web_uploads.file_store().put("uploads", name, PDF)
    row = Attachment(
        case_id=case.id,
        stored_name=name,
        original_name="bien-ban.pdf",
        extension="pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by="official",
    )
    db.session.add(row)
    db.session.commit()
    return row


def _url(app: Flask, rule, case: Case | None, attachment: Attachment | None) -> str:  # type: ignore[no-untyped-def]
    values: dict[str, object] = {}
    for name in rule.arguments:
        if name == "case_id":
            values[name] = case.id if case else UNKNOWN_ID
        elif name == "attachment_id":
            values[name] = attachment.id if attachment else UNKNOWN_ID
        elif name == "kind":
            kinds = notices.available(case) if case else ["acceptance"]
            assert kinds, "the case offers no notice to try"
            values[name] = kinds[0]
        else:
            raise AssertionError(f"{rule.endpoint}: no sample value for {name}")
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def _try(client, app: Flask, rule, method: str, case, attachment) -> int:  # type: ignore[no-untyped-def]
    data = {"csrf_token": client.csrf_token("/quan-tri/")} if method == "POST" else None
    response = client.open(_url(app, rule, case, attachment), method=method, data=data)
    return response.status_code


def _needed(app: Flask, rule):  # type: ignore[no-untyped-def]
    return getattr(app.view_functions[rule.endpoint], "required_permission", None)


@pytest.fixture
def world(app_ctx: Flask):  # type: ignore[no-untyped-def]
    ours = make_division(name="Phòng Công nghệ thông tin")
    theirs = make_division(name="Thanh tra Sở")
    elsewhere = make_division(name="Văn phòng Sở")
    assignee = make_user(roles=("handler",), division=ours, name="Người được giao")
    return {
        "ours": ours,
        "theirs": theirs,
        "elsewhere": elsewhere,
        "assignee": assignee,
        "colleague": make_user(roles=("handler",), division=ours, name="Cùng phòng"),
        "outsider": make_user(roles=("handler",), division=theirs, name="Phòng khác"),
        "nobody": make_user(roles=("handler",), division=None, name="Chưa có phòng"),
        "leader": make_user(roles=("leader",), division=elsewhere, name="Giám đốc"),
        "clerk": make_user(roles=("clerk",), division=elsewhere, name="Văn thư"),
    }


def _handled_case(division_id: int | None, assignee_id: int | None) -> tuple[Case, Attachment]:
    """A fresh complaint being handled (so it has a notice, of acceptance, to open), with a
    file."""
    case = make_case(kind="complaint")
    case.status = "in_progress"
    case.division_id = division_id
    case.assignee_id = assignee_id
    db.session.commit()
    return case, _attached(case)


def _ours(world) -> tuple[Case, Attachment]:  # type: ignore[no-untyped-def]
    """A case of our division, assigned to our handler."""
    return _handled_case(world["ours"].id, world["assignee"].id)


def test_the_walk_finds_the_case_routes(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in _case_rules(app, "admin")}
    assert {"admin.case_detail", "admin.attachment", "admin.notice", "admin.notice_docx"} <= (
        endpoints
    )
    assert "admin.case_note" in endpoints and "admin.reveal_identity" in endpoints
    assert len(endpoints) >= 25
    assert {rule.endpoint for rule in _case_rules(app, "api")} == {"api.read_case"}


@pytest.mark.parametrize("viewer", ["outsider", "nobody"])
def test_an_official_who_may_not_see_the_case_gets_404_everywhere(
    app: Flask, client, world, viewer: str
) -> None:
    """A handler of another division, and one with no division: every case route answers
    as for an unknown id: 404 where the role has the route's permission; where it has not,
    the same 403 for every id, visible or not (the permission is checked first)."""
    case, attachment = _ours(world)
    # A case of nobody's division yet: only roles that see every case open it.
    unplaced, unplaced_file = _handled_case(None, None)
    events_before = db.session.scalar(select(func.count()).select_from(CaseEvent))
    sign_in(client, world[viewer])
    granted = MATRIX[Role.HANDLER]
    tried = 0
    for rule in _case_rules(app, "admin"):
        for method in _methods(rule):
            expected = 404 if _needed(app, rule) in granted else 403
            unknown = _try(client, app, rule, method, None, None)
            assert unknown == expected, (rule.endpoint, method, unknown)
            for target, file in ((case, attachment), (unplaced, unplaced_file)):
                status = _try(client, app, rule, method, target, file)
                assert status == expected, (rule.endpoint, method, status, target.id)
            tried += 1
    assert tried >= 25
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(CaseEvent)) == events_before
    assert db.session.get(Case, case.id).assignee_id == world["assignee"].id


@pytest.mark.parametrize("viewer", ["assignee", "colleague", "leader", "clerk"])
def test_those_who_may_see_the_case_reach_every_route(
    app: Flask, client, world, viewer: str
) -> None:
    """The positive control: the same routes answer the assigned handler, a handler of the
    same division, the leader and the clerk (200 or a form's answer; 403 only where the
    role lacks the route's permission), each on a fresh case so that an action that
    succeeds does not change what the next route sees."""
    sign_in(client, world[viewer])
    granted = MATRIX[Role(next(iter(world[viewer].roles)))]
    for rule in _case_rules(app, "admin"):
        for method in _methods(rule):
            case, attachment = _ours(world)
            status = _try(client, app, rule, method, case, attachment)
            if _needed(app, rule) not in granted:
                assert status == 403, (rule.endpoint, method, status)
            elif method == "GET":
                assert status == 200, (rule.endpoint, method, status)
            else:
                assert status in (200, 303), (rule.endpoint, method, status)


def test_personal_assignment_reaches_across_divisions(app: Flask, client, world) -> None:
    """A case of another division assigned to a handler personally is theirs to open."""
    case, attachment = _ours(world)
    case.assignee_id = world["outsider"].id
    db.session.commit()
    sign_in(client, world["outsider"])
    assert client.get(f"/quan-tri/don/{case.id}").status_code == 200
    assert client.get(f"/quan-tri/tep/{attachment.id}").status_code == 200
    sign_out(client)
    sign_in(client, world["assignee"])  # same division: still theirs
    assert client.get(f"/quan-tri/don/{case.id}").status_code == 200


def test_the_reported_case_the_other_divisions_handler_cannot_open_download_or_note(
    client, world
) -> None:
    """The issue's reproduction: Thanh tra Sở's handler and a case the leader assigned to
    Phòng Công nghệ thông tin."""
    case, attachment = _ours(world)
    sign_in(client, world["outsider"])
    assert client.get(f"/quan-tri/don/{case.id}").status_code == 404
    assert client.get(f"/quan-tri/tep/{attachment.id}").status_code == 404
    token = client.csrf_token("/quan-tri/")
    response = client.post(
        f"/quan-tri/don/{case.id}/thao-tac/ghi-chu",
        data={"csrf_token": token, "note-note": "Ghi chú của phòng khác"},
    )
    assert response.status_code == 404
    notes = db.session.scalars(select(CaseEvent).where(CaseEvent.action == "note")).all()
    assert notes == []


def test_a_division_token_reads_only_its_divisions_cases(app: Flask, client, world) -> None:
    """The API applies the same rule to a token scoped to a division: another division's
    case and a case of no division answer as an unknown id."""
    case, _file = _ours(world)
    unplaced = make_case(kind="petition")
    ours = make_token("read_cases", world["ours"])
    theirs = make_token("read_cases", world["theirs"])
    for rule in _case_rules(app, "api"):
        for method in _methods(rule):
            unknown = client.open(_url(app, rule, None, None), method=method, headers=bearer(ours))
            assert unknown.status_code == 404
            for secret, target, expected in (
                (ours, case, 200),
                (theirs, case, 404),
                (ours, unplaced, 404),
            ):
                response = client.open(
                    _url(app, rule, target, None), method=method, headers=bearer(secret)
                )
                assert response.status_code == expected, (rule.endpoint, target.id)
                if expected == 404:
                    assert response.get_json() == unknown.get_json()
    listed = client.get("/api/v1/cases", headers=bearer(theirs)).get_json()["items"]
    assert listed == []
    listed = client.get("/api/v1/cases", headers=bearer(ours)).get_json()["items"]
    assert [item["id"] for item in listed] == [case.id]
