"""After the session and around it: walk-ins, turning what a citizen raised into a case, the
follow-ups on the dashboard and their reminders, and the e-mails to citizens through SMTP."""

from __future__ import annotations

import re
import secrets
import threading
from datetime import UTC, date, datetime, time, timedelta
from email.header import decode_header, make_header

import pytest
from flask import Flask
from sqlalchemy import select

from portal.domain import dialogues as rules
from portal.extensions import db
from portal.models import (
    AuditLog,
    Case,
    Dialogue,
    FollowUp,
    OutboxMessage,
    ReceptionVisit,
    Registration,
)
from portal.services import deadlines as deadline_service
from portal.services import dialogues as service
from portal.services import reminders, submissions
from portal.web.rules import current_rules
from tests.factories import access_code_pepper, make_dialogue, make_division, make_user

TODAY_VN = datetime.now(rules.VIETNAM).date()


def _yesterday_session(**changes: object) -> Dialogue:
    """A session held yesterday (Vietnam time), 07:30–11:00."""
    starts, ends = rules.session_times(
        TODAY_VN - timedelta(days=1),
        time(7, 30),
        time(11),
    )
    values: dict = {"starts_at": starts, "ends_at": ends, "status": "held"}
    values.update(changes)
    return make_dialogue(**values)


def _attended(dialogue: Dialogue, **changes: object) -> Registration:
    values: dict = {
        "dialogue_id": dialogue.id,
        "code_hash": secrets.token_hex(32),
        "name": "Trần Văn Bình",
        "phone": "+84912345678",
        "email": "binh@example.vn",
        "matter": "Sóng di động yếu ở ấp 3\nĐã phản ánh nhiều lần",
        "matter_kind": "reflection",
        "question": "Bao giờ có trạm phát sóng mới?",
        "consent_at": datetime.now(UTC),
        "status": "confirmed",
        "position": 1,
        "attendance": "attended",
    }
    values.update(changes)
    registration = Registration(**values)
    db.session.add(registration)
    db.session.commit()
    return registration


def _bodies(smtp_server) -> dict[str, list[tuple[str, str]]]:  # type: ignore[no-untyped-def]
    result: dict[str, list[tuple[str, str]]] = {}
    for message in smtp_server.messages:
        subject = str(make_header(decode_header(message["Subject"])))
        body = message.get_payload(decode=True).decode()
        result.setdefault(message["To"], []).append((subject, body))
    return result


def _deliver(app: Flask) -> str:
    return app.test_cli_runner().invoke(args=["deliver-outbox"]).output


# --- walk-ins ---------------------------------------------------------------------------------


def _walk_in_form(**changes: str) -> dict[str, str]:
    return {
        "name": "Lê Thị Hoa",
        "phone": "",
        "matter_kind": "complaint",
        "matter": "Khiếu nại việc thu hồi giấy phép",
        "consent": "y",
        **changes,
    }


def test_clerk_adds_a_walk_in_on_the_day(client, login_as) -> None:
    login_as("clerk")
    now = datetime.now(UTC).replace(microsecond=0)
    dialogue = make_dialogue(
        starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(hours=2)
    )
    detail = f"/quan-tri/lich-tiep/{dialogue.id}"
    response = client.post_form(f"{detail}/nguoi-den-truc-tiep", _walk_in_form(), token_from=detail)
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    walk_in = db.session.scalar(select(Registration))
    assert walk_in.walk_in and walk_in.attendance == "attended" and walk_in.status == "confirmed"
    assert walk_in.phone is None and walk_in.matter_kind == "complaint"
    assert walk_in.consent_at is not None
    assert "Lê Thị Hoa" in client.get(detail).get_data(as_text=True)


def test_walk_in_needs_consent_and_the_day_of_the_session(client, login_as) -> None:
    login_as("clerk")
    dialogue = make_dialogue()  # a week ahead
    detail = f"/quan-tri/lich-tiep/{dialogue.id}"
    response = client.post_form(
        f"{detail}/nguoi-den-truc-tiep", _walk_in_form(consent=""), token_from=detail
    )
    assert response.status_code == 200
    response = client.post_form(f"{detail}/nguoi-den-truc-tiep", _walk_in_form(), token_from=detail)
    assert response.status_code == 200
    assert db.session.query(Registration).count() == 0


# --- turning what a citizen raised into a case -------------------------------------------------


def test_registration_becomes_an_in_person_case_in_the_register_once(client, login_as) -> None:
    login_as("clerk")
    dialogue = _yesterday_session()
    registration = _attended(dialogue)
    url = f"/quan-tri/lich-tiep/{dialogue.id}/dang-ky/{registration.id}/tao-don"
    form = client.get(url).get_data(as_text=True)
    assert "Sóng di động yếu ở ấp 3" in form  # pre-filled from the registration
    assert 'selected value="periodic"' in form  # the head's periodic reception
    response = client.post_form(
        url,
        {
            "kind": "petition",
            "subject": "Kiến nghị lắp trạm phát sóng ấp 3",
            "content": "Công dân kiến nghị lắp trạm phát sóng.",
            "address": "",
            "citizen_id_number": "",
            "reception_kind": "periodic",
            "note": "Tại buổi tiếp định kỳ",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    case = db.session.scalar(select(Case))
    assert case.channel == "in_person" and case.kind == "petition"
    assert case.received_on == TODAY_VN - timedelta(days=1)
    assert case.submitter_name == "Trần Văn Bình"
    visit = db.session.scalar(select(ReceptionVisit))
    assert visit.case_id == case.id and visit.reception_kind == "periodic"
    assert visit.visited_on == case.received_on
    assert db.session.get(Registration, registration.id).case_id == case.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert case.number in page
    register = client.get(f"/quan-tri/so-tiep-cong-dan?thang={case.received_on:%Y-%m}")
    assert "Trần Văn Bình" in register.get_data(as_text=True)
    again = client.post_form(
        url,
        {"kind": "petition", "subject": "x", "content": "y"},
        token_from=f"/quan-tri/lich-tiep/{dialogue.id}",
    )
    assert again.status_code == 303
    assert db.session.query(Case).count() == 1
    assert db.session.query(ReceptionVisit).count() == 1


def _draft(**changes: object) -> service.CaseDraft:
    values: dict = {
        "kind": "petition",
        "subject": "Kiến nghị",
        "content": "Nội dung",
        "reception_kind": "periodic",
    }
    values.update(changes)
    return service.CaseDraft(**values)


def _raise(app: Flask, registration: Registration, draft: service.CaseDraft | None = None):  # type: ignore[no-untyped-def]
    return service.raise_case(
        db.session,
        registration,
        draft or _draft(),
        now=datetime.now(UTC),
        settings=submissions.Settings(
            pepper=access_code_pepper(),
            custodian_public_key=app.config.get("CUSTODIAN_PUBLIC_KEY"),
        ),
        rules_table=current_rules(),
        calendar=deadline_service.load_calendar(db.session),
        officer_id=make_user(roles=("clerk",)).id,
    )


def test_raise_case_refuses_twice_and_who_did_not_attend(app, app_ctx) -> None:
    with app.test_request_context():
        dialogue = _yesterday_session()
        made = _raise(app, _attended(dialogue))
        assert made.access_code
        registration = db.session.scalar(select(Registration))
        with pytest.raises(service.DialogueError) as refused:
            _raise(app, registration)
        assert refused.value.code == "already_case"
        absent = _attended(dialogue, name="Người vắng", attendance="no_show", position=2)
        with pytest.raises(service.DialogueError) as not_there:
            _raise(app, absent)
        assert not_there.value.code == "not_attended"
        ahead = _attended(make_dialogue(), name="Người đăng ký trước")
        with pytest.raises(service.DialogueError) as early:
            _raise(app, ahead)
        assert early.value.code == "not_yet"
    assert db.session.query(Case).count() == 1


def test_raise_case_finishes_what_an_interrupted_attempt_left(app, app_ctx) -> None:
    """A case already made with the registration's key (the request stopped before linking
    it) is linked and put in the register, never made twice."""
    with app.test_request_context():
        registration = _attended(_yesterday_session())
        submissions.submit(
            db.session,
            submissions.Submission(
                kind="petition",
                subject="Kiến nghị",
                content="Nội dung",
                idempotency_key=service.idempotency_key(registration),
                consent_version="in_person",
                channel="in_person",
            ),
            now=datetime.now(UTC),
            settings=submissions.Settings(pepper=access_code_pepper(), custodian_public_key=None),
            rules=current_rules(),
            calendar=deadline_service.load_calendar(db.session),
        )
        made = _raise(app, registration)
        assert made.access_code is None
    case = db.session.scalar(select(Case))
    assert db.session.query(Case).count() == 1
    assert db.session.get(Registration, registration.id).case_id == case.id == made.case_id
    assert db.session.scalar(select(ReceptionVisit.case_id)) == case.id


def test_two_officials_at_once_make_one_case(app: Flask, app_ctx) -> None:
    """Two requests for the same registration at the same moment: one case, one line in
    the register, whatever the order in which their transactions meet."""
    registration_id = _attended(_yesterday_session()).id
    officer_id = make_user(roles=("clerk",)).id
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def attempt() -> None:
        with app.test_request_context("/", method="POST"):
            try:
                barrier.wait()
                registration = db.session.get(Registration, registration_id)
                outcomes.append(
                    service.raise_case(
                        db.session,
                        registration,
                        _draft(),
                        now=datetime.now(UTC),
                        settings=submissions.Settings(
                            pepper=access_code_pepper(), custodian_public_key=None
                        ),
                        rules_table=current_rules(),
                        calendar=deadline_service.load_calendar(db.session),
                        officer_id=officer_id,
                    )
                )
            except Exception as error:  # collected and checked below
                outcomes.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()
    assert len(outcomes) == 2
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            assert isinstance(outcome, service.DialogueError), repr(outcome)
            assert outcome.code == "already_case"
    assert any(isinstance(o, service.CaseFromRegistration) for o in outcomes)
    case_id = db.session.scalar(select(Case.id))
    assert db.session.query(Case).count() == 1
    assert list(db.session.scalars(select(ReceptionVisit.case_id))) == [case_id]
    assert db.session.get(Registration, registration_id).case_id == case_id


def test_denunciation_from_a_session_keeps_the_identity_sealed(app, app_ctx, custodian) -> None:
    with app.test_request_context():
        registration = _attended(_yesterday_session(), matter_kind="denunciation")
        made = _raise(app, registration, _draft(kind="denunciation", subject="Tố cáo"))
    case = db.session.get(Case, made.case_id)
    assert case.confidential and case.identity_ciphertext
    assert case.submitter_name is None and case.submitter_phone is None
    assert case.pseudonym
    # The registration keeps no clear copy of what the case holds sealed.
    kept = db.session.get(Registration, registration.id)
    assert kept.case_id == case.id and kept.name == case.pseudonym
    assert kept.phone is None and kept.email is None and kept.question is None
    assert "Sóng di động" not in kept.matter


def test_denunciation_without_custodian_key_makes_nothing(client, login_as) -> None:
    login_as("clerk")
    dialogue = _yesterday_session()
    registration = _attended(dialogue, matter_kind="denunciation")
    url = f"/quan-tri/lich-tiep/{dialogue.id}/dang-ky/{registration.id}/tao-don"
    response = client.post_form(
        url,
        {
            "kind": "denunciation",
            "subject": "Tố cáo",
            "content": "Nội dung",
            "reception_kind": "periodic",
        },
    )
    assert response.status_code == 200
    assert db.session.query(Case).count() == 0
    assert db.session.get(Registration, registration.id).case_id is None


def test_leader_without_register_permission_cannot_make_cases(client, login_as) -> None:
    login_as("leader")
    dialogue = _yesterday_session()
    registration = _attended(dialogue)
    url = f"/quan-tri/lich-tiep/{dialogue.id}/dang-ky/{registration.id}/tao-don"
    assert client.get(url).status_code == 403
    assert "tao-don" not in client.get(f"/quan-tri/lich-tiep/{dialogue.id}").get_data(as_text=True)


# --- e-mails to citizens ---------------------------------------------------------------------


def _register_by_web(client, dialogue_id: int, **changes: str) -> str:  # type: ignore[no-untyped-def]
    data = {
        "name": "Trần Văn Bình",
        "phone": "",
        "email": "binh@example.vn",
        "matter_kind": "petition",
        "matter": "Kiến nghị riêng tư về sóng di động",
        "question": "",
        "consent": "y",
        **changes,
    }
    response = client.post_form(f"/lich-tiep-cong-dan/{dialogue_id}", data)
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    code = re.search(r'class="access-code"[^>]*>([^<]+)<', page)
    assert code
    return code.group(1)


def test_confirmation_waiting_and_promotion_emails(app, client, smtp_server) -> None:
    dialogue = make_dialogue(capacity=1)
    first = _register_by_web(client, dialogue.id)
    second = _register_by_web(client, dialogue.id, name="Lê Thị Hoa", email="hoa@example.vn")
    _register_by_web(client, dialogue.id, name="Không thư", email="", phone="0903 123 456")
    assert "Sent 2" in _deliver(app)
    mail = _bodies(smtp_server)
    assert set(mail) == {"binh@example.vn", "hoa@example.vn"}
    ((_, confirmed),) = mail["binh@example.vn"]
    assert first in confirmed and "/lich-tiep-cong-dan/huy-dang-ky" in confirmed
    assert dialogue.online_link in confirmed and dialogue.title in confirmed
    assert "Kiến nghị riêng tư" not in confirmed  # never the matter itself
    ((_, waiting),) = mail["hoa@example.vn"]
    assert second in waiting and dialogue.online_link not in waiting
    assert re.search(r"\b1\b", waiting)  # first on the waiting list

    smtp_server.messages.clear()
    response = client.post_form("/lich-tiep-cong-dan/huy-dang-ky", {"code": first})
    assert response.status_code == 200
    assert "Sent 1" in _deliver(app)
    ((_, promoted),) = _bodies(smtp_server)["hoa@example.vn"]
    assert dialogue.online_link in promoted


def _edit_form(dialogue: Dialogue, **changes: str) -> dict[str, str]:
    local = dialogue.starts_at.astimezone(rules.VIETNAM)
    end = dialogue.ends_at.astimezone(rules.VIETNAM)
    return {
        "kind": dialogue.kind,
        "title": dialogue.title,
        "topic": "",
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": end.strftime("%Y-%m-%dT%H:%M"),
        "mode": dialogue.mode,
        "place": dialogue.place or "",
        "online_link": dialogue.online_link or "",
        "host_name": dialogue.host_name,
        "host_is_head": "y",
        "capacity": str(dialogue.capacity),
        "registration_opens_at": "",
        "registration_closes_at": "",
        "status": dialogue.status,
        "public_note": dialogue.public_note or "",
        **changes,
    }


def test_everyone_registered_is_told_when_a_session_moves_or_is_cancelled(
    app, client, login_as, smtp_server
) -> None:
    start = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=7)
    dialogue = make_dialogue(capacity=1, starts_at=start, ends_at=start + timedelta(hours=3))
    _register_by_web(client, dialogue.id)
    _register_by_web(client, dialogue.id, name="Lê Thị Hoa", email="hoa@example.vn")
    cancelled = _register_by_web(client, dialogue.id, name="Đã hủy", email="huy@example.vn")
    client.post_form("/lich-tiep-cong-dan/huy-dang-ky", {"code": cancelled})
    _deliver(app)
    smtp_server.messages.clear()
    login_as("clerk")
    url = f"/quan-tri/lich-tiep/{dialogue.id}/sua"
    same = client.post_form(url, _edit_form(dialogue))
    assert same.status_code == 303
    assert db.session.query(OutboxMessage).filter_by(status="pending").count() == 0

    later = dialogue.starts_at + timedelta(days=1)
    moved = _edit_form(
        dialogue,
        starts_at=later.astimezone(rules.VIETNAM).strftime("%Y-%m-%dT%H:%M"),
        ends_at=(later + timedelta(hours=3)).astimezone(rules.VIETNAM).strftime("%Y-%m-%dT%H:%M"),
        status="moved",
        public_note="Lùi một ngày vì lịch họp",
    )
    assert client.post_form(url, moved).status_code == 303
    assert "Sent 2" in _deliver(app)
    mail = _bodies(smtp_server)
    assert set(mail) == {"binh@example.vn", "hoa@example.vn"}
    ((_, body),) = mail["binh@example.vn"]
    assert "Lùi một ngày vì lịch họp" in body
    assert later.astimezone(rules.VIETNAM).strftime("%d/%m/%Y") in body

    smtp_server.messages.clear()
    dialogue = db.session.get(Dialogue, dialogue.id)
    assert client.post_form(url, _edit_form(dialogue, status="cancelled")).status_code == 303
    assert "Sent 2" in _deliver(app)
    subjects = [subject for items in _bodies(smtp_server).values() for subject, _ in items]
    assert len(subjects) == 2 and all(dialogue.title in s for s in subjects)
    assert all(
        dialogue.online_link not in b for items in _bodies(smtp_server).values() for _, b in items
    )


def test_day_before_reminder_goes_once_to_seated_people(app, app_ctx) -> None:
    tomorrow = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=20)
    soon = make_dialogue(starts_at=tomorrow, ends_at=tomorrow + timedelta(hours=2))
    later = make_dialogue(
        starts_at=tomorrow + timedelta(days=3), ends_at=tomorrow + timedelta(days=3, hours=2)
    )
    off = make_dialogue(
        starts_at=tomorrow, ends_at=tomorrow + timedelta(hours=2), status="cancelled"
    )
    seated = _attended(soon, attendance=None, email="ngoi@example.vn")
    _attended(soon, attendance=None, email="cho@example.vn", status="waiting", position=2)
    _attended(soon, attendance=None, email=None, position=3, phone="+84903123456")
    _attended(later, attendance=None, email="sau@example.vn")
    _attended(off, attendance=None, email="huy@example.vn")
    seen: list[tuple[int, str]] = []

    def render(dialogue: Dialogue, registration: Registration) -> tuple[str, str]:
        seen.append((dialogue.id, registration.email or ""))
        return "Nhắc lịch", dialogue.title

    # 20 hours ahead is always before the end of tomorrow in Vietnam, 3 days later never.
    today = datetime.now(rules.VIETNAM).date()
    count = service.queue_day_before_reminders(
        db.session, today=today, now=datetime.now(UTC), render=render
    )
    assert count == 1 and seen == [(soon.id, "ngoi@example.vn")]
    assert db.session.get(Registration, seated.id).reminder_sent_at is not None
    again = service.queue_day_before_reminders(
        db.session, today=today, now=datetime.now(UTC), render=render
    )
    assert again == 0 and len(seen) == 1


def test_send_reminders_reaches_citizens_and_officials_by_smtp(app, app_ctx, smtp_server) -> None:
    start = rules.local_to_utc(TODAY_VN + timedelta(days=1), time(8))
    dialogue = make_dialogue(starts_at=start, ends_at=start + timedelta(hours=3))
    _attended(dialogue, attendance=None, email="ngoi@example.vn")
    division = make_division(name="Phòng Bưu chính")
    make_user(roles=("handler",), email="buuchinh@example.gov.vn", division=division)
    make_user(roles=("clerk",), email="vanthu@example.gov.vn")
    db.session.add(
        FollowUp(
            dialogue_id=dialogue.id,
            conclusion="Kiểm tra sóng ấp 3",
            division_id=division.id,
            due_on=TODAY_VN - timedelta(days=1),
        )
    )
    db.session.commit()
    runner = app.test_cli_runner()
    output = runner.invoke(args=["send-reminders"]).output
    assert "1 e-mails to officials" in output and "1 reminders to citizens" in output, output
    again = runner.invoke(args=["send-reminders"]).output
    assert "0 e-mails to officials" in again and "0 reminders to citizens" in again, again
    assert "Sent 2" in _deliver(app)
    mail = _bodies(smtp_server)
    assert set(mail) == {"ngoi@example.vn", "buuchinh@example.gov.vn"}
    ((_, citizen),) = mail["ngoi@example.vn"]
    assert dialogue.title in citizen and dialogue.place in citizen
    assert dialogue.online_link in citizen
    assert "http://localhost" not in citizen  # no public address configured: no links
    ((_, official),) = mail["buuchinh@example.gov.vn"]
    assert "Kiểm tra sóng ấp 3" in official
    assert db.session.scalar(select(FollowUp.last_reminded_on)) == TODAY_VN


# --- follow-ups for officials ----------------------------------------------------------------


def _follow_up(dialogue: Dialogue, conclusion: str, due_on: date, **changes: object) -> FollowUp:
    follow_up = FollowUp(dialogue_id=dialogue.id, conclusion=conclusion, due_on=due_on, **changes)
    db.session.add(follow_up)
    db.session.commit()
    return follow_up


def test_follow_up_reminders_go_to_the_division_once_a_day(app, app_ctx) -> None:
    dialogue = _yesterday_session()
    ours = make_division(name="Phòng Bưu chính")
    empty = make_division(name="Phòng không người")
    official = make_user(roles=("handler",), division=ours)
    organiser = make_user(roles=("clerk",))
    make_user(roles=("handler",), division=ours, active=False)
    calendar = deadline_service.load_calendar(db.session)
    today = date(2026, 11, 23)  # a Monday
    _follow_up(dialogue, "Quá hạn", date(2026, 11, 20), division_id=ours.id)
    _follow_up(dialogue, "Sắp đến hạn", date(2026, 11, 25), division_id=ours.id)
    _follow_up(dialogue, "Còn xa", date(2026, 12, 30), division_id=ours.id)
    _follow_up(dialogue, "Đã xong", date(2026, 11, 20), division_id=ours.id, status="done")
    _follow_up(dialogue, "Không phòng", date(2026, 11, 24))
    _follow_up(dialogue, "Phòng trống", date(2026, 11, 24), division_id=empty.id)
    collected = reminders.collect_follow_ups(
        db.session, today=today, calendar=calendar, soon_working_days=3
    )
    assert set(collected) == {official.id, organiser.id}
    assert [i.conclusion for i in collected[official.id]] == ["Quá hạn", "Sắp đến hạn"]
    assert collected[official.id][0].overdue and not collected[official.id][1].overdue
    assert sorted(i.conclusion for i in collected[organiser.id]) == ["Không phòng", "Phòng trống"]
    queued = reminders.send_follow_up_reminders(
        db.session,
        today=today,
        now=datetime.now(UTC),
        calendar=calendar,
        soon_working_days=3,
        render=lambda user, items: ("s", "\n".join(i.conclusion for i in items)),
    )
    assert queued == 2
    assert (
        reminders.collect_follow_ups(
            db.session, today=today, calendar=calendar, soon_working_days=3
        )
        == {}
    )
    tomorrow = reminders.collect_follow_ups(
        db.session, today=today + timedelta(days=1), calendar=calendar, soon_working_days=3
    )
    assert set(tomorrow) == {official.id, organiser.id}


def test_dashboard_lists_follow_ups_of_the_division_and_all_for_leaders(client, login_as) -> None:
    dialogue = _yesterday_session(title="Đối thoại về bưu chính")
    ours = make_division(name="Phòng Bưu chính")
    theirs = make_division(name="Thanh tra Sở")
    _follow_up(dialogue, "Việc của phòng mình", TODAY_VN - timedelta(days=2), division_id=ours.id)
    _follow_up(dialogue, "Việc của phòng khác", TODAY_VN, division_id=theirs.id)
    _follow_up(dialogue, "Việc còn xa", TODAY_VN + timedelta(days=60), division_id=ours.id)
    _follow_up(
        dialogue, "Việc đã xong", TODAY_VN, division_id=ours.id, status="done", done_on=TODAY_VN
    )
    login_as("handler", division=ours)
    page = client.get("/quan-tri/").get_data(as_text=True)
    assert "Việc của phòng mình" in page
    assert "Việc của phòng khác" not in page and "Việc còn xa" not in page
    assert "Việc đã xong" not in page
    assert f"/lich-tiep-cong-dan/{dialogue.id}" in page  # the public page: no admin access
    client.post_form("/quan-tri/dang-xuat", {}, token_from="/quan-tri/")
    login_as("leader")
    page = client.get("/quan-tri/").get_data(as_text=True)
    assert "Việc của phòng mình" in page and "Việc của phòng khác" in page
    assert f"/quan-tri/lich-tiep/{dialogue.id}" in page


def test_division_handlers_mark_their_follow_ups_done_from_the_dashboard(client, login_as) -> None:
    dialogue = _yesterday_session()
    ours = make_division(name="Phòng Bưu chính")
    theirs = make_division(name="Thanh tra Sở")
    mine = _follow_up(dialogue, "Việc của phòng mình", TODAY_VN, division_id=ours.id)
    other = _follow_up(dialogue, "Việc của phòng khác", TODAY_VN, division_id=theirs.id)
    mine_id, other_id = mine.id, other.id
    login_as("handler", division=ours)
    page = client.get("/quan-tri/").get_data(as_text=True)
    assert f"/quan-tri/lich-tiep/viec-can-lam/{mine_id}" in page
    refused = client.post_form(
        f"/quan-tri/lich-tiep/viec-can-lam/{other_id}",
        {"status": "done", "back": "home"},
        token_from="/quan-tri/",
    )
    assert refused.status_code == 403
    done = client.post_form(
        f"/quan-tri/lich-tiep/viec-can-lam/{mine_id}",
        {"status": "done", "back": "home"},
        token_from="/quan-tri/",
    )
    assert done.status_code == 303 and done.headers["Location"].endswith("/quan-tri/")
    db.session.expire_all()
    assert db.session.get(FollowUp, mine_id).status == "done"
    assert db.session.get(FollowUp, other_id).status != "done"
    assert db.session.scalar(
        select(AuditLog).where(
            AuditLog.action == "dialogue.follow_up_status", AuditLog.target_id == str(mine_id)
        )
    )
    assert "Việc của phòng mình" not in client.get("/quan-tri/").get_data(as_text=True)


def test_dashboard_warns_of_coming_months_without_the_head(client, login_as) -> None:
    login_as("clerk")
    page = client.get("/quan-tri/").get_data(as_text=True)
    assert f"{TODAY_VN.month}/{TODAY_VN.year}" in page
    assert "/quan-tri/lich-tiep/tuan-thu" in page


def test_public_page_shows_each_follow_up_status(client) -> None:
    dialogue = _yesterday_session(
        conclusions="Giao Phòng Bưu chính kiểm tra.", conclusions_published=True
    )
    division = make_division(name="Phòng Bưu chính")
    _follow_up(
        dialogue, "Kiểm tra sóng ấp 3", TODAY_VN + timedelta(days=10), division_id=division.id
    )
    _follow_up(dialogue, "Trả lời công dân", TODAY_VN, status="done", done_on=TODAY_VN)
    page = client.get(f"/lich-tiep-cong-dan/{dialogue.id}").get_data(as_text=True)
    assert "Kiểm tra sóng ấp 3" in page and "Phòng Bưu chính" in page
    assert "Trả lời công dân" in page and TODAY_VN.strftime("%d/%m/%Y") in page
    hidden = _yesterday_session(title="Chưa công bố", conclusions="Nháp")
    _follow_up(hidden, "Việc nội bộ", TODAY_VN)
    assert "Việc nội bộ" not in client.get(f"/lich-tiep-cong-dan/{hidden.id}").get_data(
        as_text=True
    )


def test_day_before_reminder_links_to_the_public_address(app, app_ctx, config_override) -> None:
    config_override(PUBLIC_BASE_URL="https://tayninh.gov.vn/dan-van")
    start = rules.local_to_utc(TODAY_VN + timedelta(days=1), time(8))
    dialogue = make_dialogue(starts_at=start, ends_at=start + timedelta(hours=3))
    _attended(dialogue, attendance=None, email="ngoi@example.vn")
    output = app.test_cli_runner().invoke(args=["send-reminders"]).output
    assert "1 reminders to citizens" in output, output
    body = db.session.scalar(select(OutboxMessage.body))
    assert f"https://tayninh.gov.vn/dan-van/lich-tiep-cong-dan/{dialogue.id}" in body
    assert "https://tayninh.gov.vn/dan-van/lich-tiep-cong-dan/huy-dang-ky" in body
