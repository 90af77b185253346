""" "My work" on each role's dashboard, the queue's assignee and deadline badges, and the daily
digest e-mail (delivered to a real local SMTP server)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header

from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, OutboxMessage, User
from portal.services import notifications
from portal.web.security import today_local
from tests.admin_helpers import sign_in
from tests.factories import make_case, make_division, make_user


def _logout(client) -> None:  # type: ignore[no-untyped-def]
    client.post_form("/quan-tri/dang-xuat", {}, token_from="/quan-tri/")


def _my_work(client) -> str:  # type: ignore[no-untyped-def]
    page = client.get("/quan-tri/").get_data(as_text=True)
    start = page.index('id="my-work-heading"')
    return page[start : page.index("</section>", start)]


def _act(client, case_id: int, slug: str, action: str, data: dict):  # type: ignore[no-untyped-def]
    token = client.csrf_token(f"/quan-tri/don/{case_id}")
    payload = {f"{action}-{key}": value for key, value in data.items()}
    payload[f"{action}-csrf_token"] = token
    return client.post(f"/quan-tri/don/{case_id}/thao-tac/{slug}", data=payload)


def test_each_role_finds_what_waits_for_it(client) -> None:
    petition = make_case(kind="petition", subject="Đề nghị sửa đường")
    complaint = make_case(kind="complaint", subject="Khiếu nại xử phạt")
    division = make_division()
    handler = make_user(roles=("handler",), name="Lê Minh Tâm", division=division)
    other = make_user(roles=("handler",), name="Trần Văn Hải", division=division)
    clerk, leader = make_user(roles=("clerk",)), make_user(roles=("leader",))

    sign_in(client, clerk)
    work = _my_work(client)
    # the clerk: the complaint's signed letter, and the petition to classify
    assert petition.number in work and complaint.number in work
    assert "Chờ ghi nhận đơn có chữ ký: <strong>1</strong>" in work
    assert "Chờ lãnh đạo thụ lý: <strong>1</strong>" in work
    _logout(client)

    sign_in(client, leader)
    work = _my_work(client)
    assert petition.number in work and complaint.number not in work
    assert "Việc của tôi (1)" in work
    assert _act(client, petition.id, "thu-ly", "accept", {}).status_code == 303
    assert "Chờ giao xử lý" in _my_work(client)
    assigned = _act(client, petition.id, "giao-xu-ly", "assign", {"assignee": str(handler.id)})
    assert assigned.status_code == 303
    assert petition.number not in _my_work(client)
    _logout(client)

    # the assignee sees it at once; another handler of the same division does not
    sign_in(client, other)
    assert "Không có hồ sơ nào đang chờ anh/chị." in _my_work(client)
    _logout(client)
    sign_in(client, handler)
    work = _my_work(client)
    assert petition.number in work and "Đang chờ chuyên viên dự thảo trả lời" in work
    assert f'href="/quan-tri/don/{petition.id}"' in work
    drafted = _act(client, petition.id, "du-thao", "draft_answer", {"answer": "Sở đã xem xét."})
    assert drafted.status_code == 303
    assert petition.number not in _my_work(client)
    _logout(client)

    sign_in(client, leader)
    work = _my_work(client)
    assert petition.number in work and "Chờ lãnh đạo duyệt dự thảo" in work


def test_my_work_is_ordered_by_nearest_deadline_and_badged(client) -> None:
    late = make_case(kind="petition", now=datetime.now(UTC) - timedelta(days=60))
    fresh = make_case(kind="petition")
    sign_in(client, make_user(roles=("leader",)))
    work = _my_work(client)
    assert work.index(late.number) < work.index(fresh.number)
    db.session.expire_all()
    due = db.session.get(Case, late.id).next_due_on
    assert f"Quá hạn {(today_local() - due).days} ngày" in work


def test_the_queue_shows_the_assignee_and_text_badges(client) -> None:
    late = make_case(kind="petition", now=datetime.now(UTC) - timedelta(days=60))
    handler = make_user(roles=("handler",), name="Lê Minh Tâm")
    db.session.get(Case, late.id).assignee_id = handler.id
    db.session.commit()
    make_case(kind="petition")
    sign_in(client, make_user(roles=("leader",)))
    page = client.get("/quan-tri/don/").get_data(as_text=True)
    assert '<th scope="col">Người xử lý</th>' in page
    row = page[page.index(late.number) :]
    row = row[: row.index("</tr>")]
    assert "Lê Minh Tâm" in row and re.search(r"Quá hạn \d+ ngày", row)
    assert "<td>Chưa phân công</td>" in page  # the fresh one


def test_one_digest_a_day_through_the_outbox(app, client, smtp_server) -> None:
    case = make_case(kind="petition", subject="Đề nghị sửa đường")
    leader = make_user(roles=("leader",), email="lanhdao@example.gov.vn")
    make_user(roles=("editor",), email="bientap@example.gov.vn")  # nothing waits for editors
    handler = make_user(roles=("handler",), email="chuyenvien@example.gov.vn")

    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-digests"])
    assert result.exit_code == 0, result.output
    assert "Queued 1 digest" in result.output
    assert runner.invoke(args=["send-digests"]).output.startswith("Queued 0 digest")
    sent, failed = notifications.deliver_outbox(
        db.session, notifications.SmtpSettings.from_config(app.config), now=datetime.now(UTC)
    )
    assert (sent, failed) == (1, 0)
    (message,) = smtp_server.messages
    assert message["To"] == "lanhdao@example.gov.vn"
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "Việc của tôi: 1 hồ sơ đang chờ anh/chị"
    body = message.get_payload(decode=True).decode()
    assert case.number in body and "Chờ lãnh đạo thụ lý" in body and "Đề nghị sửa đường" in body
    assert case.content not in body and (case.submitter_phone or "") not in body
    assert db.session.scalar(select(User.last_digest_on).where(User.id == leader.id)) == (
        today_local()
    )

    # a case assigned to the handler: their digest comes tomorrow, once
    db.session.get(Case, case.id).status = "in_progress"
    db.session.get(Case, case.id).assignee_id = handler.id
    db.session.commit()
    assert runner.invoke(args=["send-digests"]).output.startswith("Queued 1 digest")
    queued = db.session.scalars(select(OutboxMessage.recipient)).all()
    assert queued.count("chuyenvien@example.gov.vn") == 1
