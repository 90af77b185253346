"""Letters by post and citizens received in person, the reception register, reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, Deadline, OutboxMessage, ReceptionVisit
from tests.factories import make_case, make_user


def _register(client, **changes):  # type: ignore[no-untyped-def]
    page = client.get("/quan-tri/don/moi").get_data(as_text=True)
    import re

    hidden = dict(
        re.findall(r'name="(csrf_token|idempotency_key|upload_token)"[^>]*value="([^"]*)"', page)
    )
    data = {
        **hidden,
        "channel": "in_person",
        "received_on": "02/11/2026",
        "kind": "complaint",
        "signed": "y",
        "complaint_round": "1",
        "subject": "Khiếu nại quyết định thu hồi giấy phép",
        "content": "Ông Bình trình bày việc bị thu hồi giấy phép in.",
        "respondent": "Giám đốc Sở",
        "field": "publishing",
        "name": "Trần Văn Bình",
        "address": "Số 5, khu phố 2",
        "commune": "Phường Tân Ninh",
        "province": "Tỉnh Tây Ninh",
        "phone": "0903 123 456",
        "citizen_id_number": "072080001234",
        "people_count": "1",
        "reception_kind": "periodic",
        "previously_resolved_by": "",
        "visit_note": "Công dân mang theo bản chụp quyết định",
        **changes,
    }
    return client.post("/quan-tri/don/moi", data=data)


def test_walk_in_complaint_is_registered_with_formal_clocks(client, login_as) -> None:
    login_as("clerk")
    response = _register(client)
    assert response.status_code == 303, response.get_data(as_text=True)[-3000:]
    case = db.session.scalar(select(Case))
    assert case.channel == "in_person" and case.received_on == date(2026, 11, 2)
    assert case.signed_letter_on == date(2026, 11, 2)
    rules = set(db.session.scalars(select(Deadline.rule_id).where(Deadline.case_id == case.id)))
    assert rules == {"letter.process", "complaint.accept"}
    visit = db.session.scalar(select(ReceptionVisit))
    assert visit.case_id == case.id and visit.reception_kind == "periodic"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "mã tra cứu" in page.lower()


def test_registration_errors_keep_input(client, login_as) -> None:
    login_as("clerk")
    response = _register(client, received_on="", phone="12")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Khiếu nại quyết định thu hồi giấy phép" in page
    assert "<title>Lỗi:" in page
    assert db.session.query(Case).count() == 0


def test_future_receipt_date_is_refused(client, login_as) -> None:
    login_as("clerk")
    response = _register(client, received_on="01/01/2099")
    assert response.status_code == 200
    assert db.session.query(Case).count() == 0


def test_reception_register_by_month_and_as_xlsx(client, login_as) -> None:
    import io

    from openpyxl import load_workbook

    login_as("clerk")
    _register(client)
    page = client.get("/quan-tri/so-tiep-cong-dan?thang=2026-11").get_data(as_text=True)
    assert "Trần Văn Bình" in page and "072080001234" in page
    assert "Nobody" not in page
    empty = client.get("/quan-tri/so-tiep-cong-dan?thang=2026-10").get_data(as_text=True)
    assert "Trần Văn Bình" not in empty
    response = client.get("/quan-tri/so-tiep-cong-dan.xlsx?thang=2026-11")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert any(isinstance(v, str) and "Trần Văn Bình" in v for v in values)
    assert "Ngày tiếp" in values
    case = db.session.scalar(select(Case))
    row = [cell.value for cell in sheet[4]]
    assert row[0] == 1 and row[10].startswith(f"{case.number}: ")
    assert f'href="/quan-tri/don/{case.id}"' in page


def test_reminders_reach_officials_by_smtp(app, client, smtp_server) -> None:
    handler = make_user(roles=("handler",), email="tam@example.gov.vn")
    make_user(roles=("clerk",), email="thu@example.gov.vn")
    overdue = make_case(
        kind="reflection", subject="Việc cũ", now=datetime(2026, 1, 5, 3, tzinfo=UTC)
    )
    assigned = make_case(
        kind="petition", subject="Việc được giao", now=datetime(2026, 1, 6, 3, tzinfo=UTC)
    )
    assigned.assignee_id = handler.id
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-reminders"])
    assert "Queued 2" in result.output, result.output
    recipients = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert recipients == {"tam@example.gov.vn", "thu@example.gov.vn"}
    sent = runner.invoke(args=["deliver-outbox"])
    assert "Sent 2" in sent.output
    bodies = {m["To"]: m.get_payload(decode=True).decode() for m in smtp_server.messages}
    assert assigned.number in bodies["tam@example.gov.vn"]
    assert overdue.number in bodies["thu@example.gov.vn"]
    assert "Việc cũ" not in bodies["thu@example.gov.vn"]  # no case content in mail


def test_outbox_retries_when_smtp_is_down(app, app_ctx) -> None:
    from portal.services.notifications import queue

    queue(db.session, recipient="a@example.vn", subject="s", body="b", now=datetime.now(UTC))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["deliver-outbox"])
    assert "failed 1" in result.output
    message = db.session.scalar(select(OutboxMessage))
    assert message.status == "pending" and message.attempts == 1
