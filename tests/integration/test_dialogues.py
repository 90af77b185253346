"""Reception and dialogue sessions: schedule, registration, waiting list, .ics, admin pages."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime

import icalendar
import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import Dialogue, Registration
from portal.services import dialogues as service
from tests.factories import access_code_pepper, make_dialogue, registration_form


def _register(client, dialogue_id: int, **changes: str):  # type: ignore[no-untyped-def]
    url = f"/lich-tiep-cong-dan/{dialogue_id}"
    response = client.post_form(url, registration_form(**changes))
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    code = re.search(r'class="access-code"[^>]*>([^<]+)<', page)
    assert code
    return code.group(1), page


def test_schedule_and_session_page(client) -> None:
    dialogue = make_dialogue()
    make_dialogue(
        title="Đối thoại về chuyển đổi số",
        kind="dialogue",
        starts_at=datetime(2025, 3, 1, 1, tzinfo=UTC),
        ends_at=datetime(2025, 3, 1, 3, tzinfo=UTC),
        status="held",
        conclusions="Sở sẽ mở lớp hướng dẫn dịch vụ công.",
        conclusions_published=True,
    )
    page = client.get("/lich-tiep-cong-dan/").get_data(as_text=True)
    assert "Tiếp công dân định kỳ tháng 7" in page and "Đối thoại về chuyển đổi số" in page
    detail = client.get(f"/lich-tiep-cong-dan/{dialogue.id}").get_data(as_text=True)
    assert "Hội trường Sở" in detail and "Mang theo căn cước công dân" in detail
    assert "meet.example.vn" not in detail  # the link is for registered people only
    past = db.session.scalar(select(Dialogue).where(Dialogue.kind == "dialogue"))
    past_page = client.get(f"/lich-tiep-cong-dan/{past.id}").get_data(as_text=True)
    assert "Sở sẽ mở lớp hướng dẫn dịch vụ công." in past_page


def test_register_shows_code_once_and_stores_only_its_hash(client, app) -> None:
    dialogue = make_dialogue()
    code, page = _register(client, dialogue.id)
    assert "meet.example.vn/phong-tiep-dan" in page
    registration = db.session.scalar(select(Registration))
    assert registration.status == "confirmed" and registration.phone == "+84912345678"
    assert code not in registration.code_hash
    assert service.find_registration(db.session, code, access_code_pepper()).id == registration.id
    again = client.get("/lich-tiep-cong-dan/da-dang-ky").get_data(as_text=True)
    assert code not in again


def test_register_needs_a_contact_and_consent(client) -> None:
    dialogue = make_dialogue()
    url = f"/lich-tiep-cong-dan/{dialogue.id}"
    response = client.post_form(url, registration_form(phone="", consent=""))
    assert response.status_code == 200
    assert db.session.query(Registration).count() == 0


def test_full_session_waiting_list_and_promotion_on_cancel(client, app) -> None:
    dialogue = make_dialogue(capacity=1)
    first, _ = _register(client, dialogue.id)
    _second, page = _register(client, dialogue.id, name="Lê Thị Hoa", phone="0903 123 456")
    assert "meet.example.vn" not in page  # waiting: no link yet
    statuses = dict(db.session.execute(select(Registration.name, Registration.status)).all())
    assert statuses == {"Trần Văn Bình": "confirmed", "Lê Thị Hoa": "waiting"}
    response = client.post_form("/lich-tiep-cong-dan/huy-dang-ky", {"code": first.lower()})
    assert response.status_code == 200
    statuses = dict(db.session.execute(select(Registration.name, Registration.status)).all())
    assert statuses == {"Trần Văn Bình": "cancelled", "Lê Thị Hoa": "confirmed"}
    again = client.post_form("/lich-tiep-cong-dan/huy-dang-ky", {"code": first})
    assert "No active registration" in again.get_data(as_text=True) or again.status_code == 200


def test_registration_refused_when_closed(client) -> None:
    dialogue = make_dialogue(status="cancelled")
    page = client.get(f"/lich-tiep-cong-dan/{dialogue.id}").get_data(as_text=True)
    assert 'name="consent"' not in page


def test_last_seat_under_two_threads_goes_to_one(app: Flask, app_ctx) -> None:
    """On SQLite the write lock taken at BEGIN IMMEDIATE, on PostgreSQL SELECT … FOR UPDATE
    on the session's row, make the two registrations take turns."""
    dialogue_id = make_dialogue(capacity=1).id
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def attempt(number: int) -> None:
        with app.test_request_context("/", method="POST"):
            try:
                barrier.wait()
                service.register(
                    db.session,
                    dialogue_id,
                    service.RegistrationData(
                        name=f"Người {number}", matter="Hỏi về cấp phép", phone="+84912345678"
                    ),
                    now=datetime.now(UTC),
                    pepper=access_code_pepper(),
                )
            except Exception as error:  # collected and reported below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.rollback()  # end the test's own read snapshot
    statuses = sorted(db.session.scalars(select(Registration.status)))
    assert statuses == ["confirmed", "waiting"]


def test_ics_has_vietnam_times(client) -> None:
    dialogue = make_dialogue()
    response = client.get(f"/lich-tiep-cong-dan/{dialogue.id}.ics")
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    start = events[0]["DTSTART"]
    assert start.params["TZID"] == "Asia/Ho_Chi_Minh"
    assert start.dt == dialogue.starts_at
    assert b"meet.example.vn" not in response.data
    assert list(calendar.walk("VTIMEZONE"))
    make_dialogue(title="Phiên thứ hai")
    feed = icalendar.Calendar.from_ical(client.get("/lich-tiep-cong-dan/lich.ics").data)
    assert len(list(feed.walk("VEVENT"))) == 2


@pytest.mark.parametrize(
    "url",
    [
        "/quan-tri/lich-tiep/",
        "/quan-tri/lich-tiep/moi",
        "/quan-tri/lich-tiep/tao-dinh-ky",
        "/quan-tri/lich-tiep/tuan-thu",
    ],
)
def test_admin_pages_refuse_anonymous_users(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (302, 401)
    assert "dang-nhap" in response.headers.get("Location", "dang-nhap")


def test_admin_pages_refuse_handlers(client, login_as) -> None:
    login_as("handler")
    assert client.get("/quan-tri/lich-tiep/").status_code == 403


def test_clerk_creates_and_edits_a_session(client, login_as) -> None:
    login_as("clerk")
    response = client.post_form(
        "/quan-tri/lich-tiep/moi",
        {
            "kind": "dialogue",
            "title": "Đối thoại với doanh nghiệp viễn thông",
            "topic": "Hạ tầng cáp treo",
            "starts_at": "2030-03-05T08:00",
            "ends_at": "2030-03-05T11:00",
            "mode": "in_person",
            "place": "Phòng họp số 1",
            "online_link": "",
            "host_name": "Phó Giám đốc",
            "capacity": "20",
            "registration_opens_at": "",
            "registration_closes_at": "",
            "status": "scheduled",
            "public_note": "",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    dialogue = db.session.scalar(select(Dialogue))
    assert dialogue.starts_at == datetime(2030, 3, 5, 1, 0, tzinfo=UTC)
    assert dialogue.host_is_head is False
    assert client.get(f"/quan-tri/lich-tiep/{dialogue.id}").status_code == 200
    assert client.get(f"/quan-tri/lich-tiep/{dialogue.id}/sua").status_code == 200


def test_leader_generates_periodic_sessions_and_sees_compliance(client, login_as) -> None:
    login_as("leader")
    data = {
        "start": "2026-01-01",
        "day_of_month": "15",
        "policy": "next_working_day",
        "weekday": "0",
        "starts": "07:30",
        "ends": "11:00",
        "title": "Tiếp công dân định kỳ",
        "host_name": "Giám đốc Sở",
        "place": "Trụ sở Sở",
        "capacity": "30",
    }
    response = client.post_form("/quan-tri/lich-tiep/tao-dinh-ky", data)
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    starts = sorted(db.session.scalars(select(Dialogue.starts_at)))
    assert len(starts) == 12
    assert starts[1] == datetime(2026, 2, 23, 0, 30, tzinfo=UTC)
    client.post_form("/quan-tri/lich-tiep/tao-dinh-ky", data)
    assert db.session.query(Dialogue).count() == 12  # nothing added twice
    page = client.get("/quan-tri/lich-tiep/tuan-thu?nam=2026").get_data(as_text=True)
    assert "23/02/2026" in page


def test_check_in_conclusions_and_follow_ups(client, login_as, app) -> None:
    login_as("clerk")
    dialogue = make_dialogue()
    receipt = service.register(
        db.session,
        dialogue.id,
        service.RegistrationData(name="Phạm Văn An", matter="Hỏi", email="an@example.vn"),
        now=datetime.now(UTC),
        pepper=access_code_pepper(),
    )
    detail = f"/quan-tri/lich-tiep/{dialogue.id}"
    client.post_form(
        f"{detail}/diem-danh/{receipt.registration_id}",
        {"attendance": "attended"},
        token_from=detail,
    )
    assert db.session.get(Registration, receipt.registration_id).attendance == "attended"
    response = client.post_form(
        f"{detail}/ket-luan",
        {
            "minutes": "Biên bản",
            "conclusions": "Giao Phòng Bưu chính kiểm tra.",
            "action": "publish",
        },
        token_from=detail,
    )
    assert response.status_code == 303
    public = client.get(f"/lich-tiep-cong-dan/{dialogue.id}").get_data(as_text=True)
    assert "Giao Phòng Bưu chính kiểm tra." in public
    response = client.post_form(
        f"{detail}/viec-can-lam",
        {"conclusion": "Kiểm tra sóng ấp 3", "division_id": "0", "due_on": "30/09/2030"},
        token_from=detail,
    )
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    follow_up = db.session.get(Dialogue, dialogue.id).follow_ups[0]
    assert follow_up.status == "open"
    client.post_form(
        f"/quan-tri/lich-tiep/viec-can-lam/{follow_up.id}", {"status": "done"}, token_from=detail
    )
    db.session.refresh(follow_up)
    assert follow_up.status == "done" and follow_up.done_on is not None
    refused = client.post_form(
        f"/quan-tri/lich-tiep/viec-can-lam/{follow_up.id}", {"status": "bogus"}, token_from=detail
    )
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "Việc theo dõi thực hiện chưa được thay đổi" in page
    db.session.refresh(follow_up)
    assert follow_up.status == "done"


def test_compliance_reads_the_year_in_vietnam_time(app_ctx) -> None:
    """New Year's Eve evening in Vietnam is still December; 05:00 on 1 January is UTC's 31st."""
    eve = make_dialogue(
        starts_at=datetime(2026, 12, 31, 13, tzinfo=UTC),  # 20:00 on 31/12 in Vietnam
        ends_at=datetime(2026, 12, 31, 14, tzinfo=UTC),
        status="held",
        mode="in_person",
    )
    dawn = make_dialogue(
        starts_at=datetime(2026, 12, 31, 22, tzinfo=UTC),  # 05:00 on 01/01/2027 in Vietnam
        ends_at=datetime(2026, 12, 31, 23, tzinfo=UTC),
        status="held",
        mode="in_person",
    )
    make_dialogue(
        starts_at=datetime(2025, 6, 1, 2, tzinfo=UTC), ends_at=datetime(2025, 6, 1, 3, tzinfo=UTC)
    )
    now = datetime(2027, 2, 1, tzinfo=UTC)
    year_2026 = service.compliance(db.session, 2026, now=now)
    assert [s.id for s in year_2026[11].qualifying] == [eve.id]
    assert sum(len(m.qualifying) + len(m.others) for m in year_2026) == 1
    year_2027 = service.compliance(db.session, 2027, now=now)
    assert [s.id for s in year_2027[0].qualifying] == [dawn.id]
