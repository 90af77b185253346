"""The case page opens with what the case waits for, and the step's actions for who may act."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditLog, Case, CaseEvent
from tests.admin_helpers import sign_in
from tests.factories import make_case, make_user


def _header(page: str) -> str:
    start = page.index('class="next-step"')
    return page[start : page.index("</section>", start)]


def _logout(client) -> None:  # type: ignore[no-untyped-def]
    client.post_form("/quan-tri/dang-xuat", {}, token_from="/quan-tri/")


def test_a_new_petition_tells_the_clerk_the_leader_accepts_it(client) -> None:
    case = make_case(kind="petition")
    sign_in(client, make_user(roles=("clerk",)))
    header = _header(client.get(f"/quan-tri/don/{case.id}").get_data(as_text=True))
    assert "Chờ lãnh đạo thụ lý" in header
    assert "Thụ lý và giao xử lý" not in header
    # the clerk may still classify: guide, forward or file
    assert "Hướng dẫn" in header
    _logout(client)

    sign_in(client, make_user(roles=("handler",)))
    # a handler does not see an unassigned case of no division at all
    assert client.get(f"/quan-tri/don/{case.id}").status_code == 404


def test_an_unsigned_complaint_waits_for_the_signed_letter(client) -> None:
    case = make_case(kind="complaint")
    sign_in(client, make_user(roles=("leader",)))
    header = _header(client.get(f"/quan-tri/don/{case.id}").get_data(as_text=True))
    assert "Chờ ghi nhận đơn có chữ ký" in header
    assert "Việc tiếp theo thuộc về: Cán bộ tiếp công dân" in header


def test_the_leader_accepts_and_assigns_in_one_form_each_step_audited(client) -> None:
    case = make_case(kind="petition")
    case_id = case.id
    handler = make_user(roles=("handler",), name="Lê Minh Tâm")
    sign_in(client, make_user(roles=("leader",)))
    header = _header(client.get(f"/quan-tri/don/{case_id}").get_data(as_text=True))
    assert "Thụ lý và giao xử lý" in header

    token = client.csrf_token(f"/quan-tri/don/{case_id}")
    missing = client.post(
        f"/quan-tri/don/{case_id}/thao-tac/thu-ly-va-giao",
        data={"accept_assign-csrf_token": token, "accept_assign-note": "Đủ điều kiện"},
    )
    assert missing.status_code == 200
    page = missing.get_data(as_text=True)
    assert "Chọn cán bộ xử lý hồ sơ." in page and "Đủ điều kiện" in page
    assert db.session.get(Case, case_id).status == "received"

    done = client.post(
        f"/quan-tri/don/{case_id}/thao-tac/thu-ly-va-giao",
        data={"accept_assign-csrf_token": token, "accept_assign-assignee": str(handler.id)},
    )
    assert done.status_code == 303
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    assert (case.status, case.assignee_id) == ("in_progress", handler.id)
    events = db.session.scalars(select(CaseEvent.action).where(CaseEvent.case_id == case_id))
    assert [e for e in events if e in ("accept", "assign")] == ["accept", "assign"]
    audited = db.session.scalars(
        select(AuditLog.action).where(
            AuditLog.target_type == "case", AuditLog.target_id == str(case_id)
        )
    ).all()
    assert "case.accept" in audited and "case.assign" in audited

    header = _header(client.get(f"/quan-tri/don/{case_id}").get_data(as_text=True))
    assert "Đang chờ chuyên viên dự thảo trả lời" in header
    assert "Việc tiếp theo thuộc về: Chuyên viên xử lý" in header
    _logout(client)

    sign_in(client, handler)
    header = _header(client.get(f"/quan-tri/don/{case_id}").get_data(as_text=True))
    assert "Soạn dự thảo trả lời" in header and '<details class="action" open>' in header


def test_a_clerk_cannot_use_the_combined_form(client) -> None:
    case = make_case(kind="petition")
    sign_in(client, make_user(roles=("clerk",)))
    token = client.csrf_token(f"/quan-tri/don/{case.id}")
    response = client.post(
        f"/quan-tri/don/{case.id}/thao-tac/thu-ly-va-giao",
        data={"accept_assign-csrf_token": token, "accept_assign-assignee": "1"},
    )
    assert response.status_code == 403
