"""`flask seed-demo` (what `make run` runs) gives a fresh machine the whole loop: reception days
and a dialogue to register for, with the calendar feed; cases in every division, some answered
(public statistics, Open311) and rated, some overdue; run twice, it adds nothing twice."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from icalendar import Calendar
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Case, CaseEvent, Deadline, Dialogue, Division, Registration
from portal.services import demo, demo_sessions
from portal.web.security import now_utc, today_local


def _seed(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def seeded(app_ctx: Flask) -> Flask:
    _seed(app_ctx)
    return app_ctx


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Case, CaseEvent, Deadline, Dialogue, Registration)
    )


def test_a_second_run_adds_nothing(seeded: Flask) -> None:
    before = _counts()
    output = _seed(seeded)
    assert _counts() == before
    assert "reception days" not in output  # nothing was added, nothing is announced
    assert before[0] == len(demo.DEMO_CASES)


def test_the_directors_reception_days_follow_the_rule(seeded: Flask) -> None:
    from portal.domain import dialogues as rules
    from portal.services import deadlines as deadline_service

    periodic = db.session.scalars(
        select(Dialogue).where(Dialogue.kind == "periodic").order_by(Dialogue.starts_at)
    ).all()
    calendar = deadline_service.load_calendar(db.session)
    expected = rules.periodic_dates(
        rules.local_day(now_utc()) + rules.timedelta(days=1),
        demo_sessions.RECEPTION_RULE,
        calendar,
    )
    assert len(expected) == 3
    assert [rules.local_day(d.starts_at) for d in periodic] == expected
    for session in periodic:
        assert session.host_is_head and session.starts_at > now_utc()
        assert calendar.is_working_day(rules.local_day(session.starts_at))


def test_the_public_schedule_shows_the_upcoming_sessions(seeded: Flask, client) -> None:
    page = client.get("/lich-tiep-cong-dan/").get_data(as_text=True)
    assert "Chưa có buổi nào được lên lịch" not in page
    assert demo_sessions.RECEPTION.title in page
    assert demo_sessions.DIALOGUE_TITLE in page
    feed = client.get("/lich-tiep-cong-dan/lich.ics")
    assert feed.mimetype == "text/calendar"
    events = Calendar.from_ical(feed.data).walk("VEVENT")
    summaries = [str(event["summary"]) for event in events]
    assert summaries.count(demo_sessions.RECEPTION.title) == 3
    assert summaries.count(demo_sessions.DIALOGUE_TITLE) == 1


def test_registering_for_the_dialogue_links_to_its_calendar_file(seeded: Flask, client) -> None:
    dialogue = db.session.scalars(
        select(Dialogue).where(Dialogue.title == demo_sessions.DIALOGUE_TITLE)
    ).one()
    url = f"/lich-tiep-cong-dan/{dialogue.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Đăng ký tham dự</button>" in page  # the citizen's words, not the officials' "Vào sổ"
    assert "Vào sổ" not in page
    answers = []
    for number in range(2):  # the last seat, then the waiting list
        response = client.post_form(
            url,
            {
                "name": f"Người thử {number}",
                "phone": "0912345678",
                "matter_kind": "question",
                "matter": "Khi nào ấp tôi có cáp quang?",
                "consent": "y",
            },
            follow_redirects=True,
        )
        assert response.status_code == 200
        answers.append(response.get_data(as_text=True))
    ics_link = f'href="/lich-tiep-cong-dan/{dialogue.id}.ics"'
    assert ics_link in answers[0] and "Your seat is confirmed" not in answers[0]
    assert "Chỗ của bạn đã được xác nhận" in answers[0]
    assert "danh sách chờ" in answers[1] and ics_link in answers[1]
    single = Calendar.from_ical(client.get(f"{url}.ics").data).walk("VEVENT")
    assert [str(event["summary"]) for event in single] == [demo_sessions.DIALOGUE_TITLE]


def test_every_division_has_cases_with_a_handler(seeded: Flask) -> None:
    cases = db.session.scalars(select(Case)).all()
    divisions = {d.id: d.code for d in db.session.scalars(select(Division))}
    assigned = [case for case in cases if case.division_id is not None]
    assert {divisions[case.division_id] for case in assigned} == set(divisions.values())
    assert all(case.assignee_id is not None for case in assigned)
    today = today_local()
    overdue = [c for c in cases if c.next_due_on and c.next_due_on < today]
    assert any(c.division_id is None for c in overdue)  # never classified
    assert any(c.division_id is not None for c in overdue)  # accepted, decision late
    answered = [c for c in cases if c.status == "resolved"]
    assert len(answered) >= 3 and all(c.public_answer and c.answered_on for c in answered)
    assert any(c.answered_on == today for c in answered)  # this year's statistics have one
    assert any(c.satisfaction_rating for c in answered)
    events = db.session.scalars(select(CaseEvent.action).where(CaseEvent.case_id == answered[0].id))
    assert {"submitted", "accept", "assign", "draft_answer", "approve_answer"} <= set(events)


def test_public_statistics_and_open311_show_the_answered_cases(seeded: Flask, client) -> None:
    page = client.get("/thong-ke").get_data(as_text=True)
    figures = re.findall(r'<span class="figure-value">([^<]+)</span>', page)
    resolved = int(figures[1])
    assert resolved >= 1
    requests = client.get("/open311/v2/requests.json").get_json()
    answered = db.session.scalars(
        select(Case).where(Case.status == "resolved", Case.kind != "complaint")
    ).all()
    assert len(answered) >= 3
    assert sorted(item["description"] for item in requests) == sorted(c.subject for c in answered)
    assert all(item["status_notes"] for item in requests)  # the published answers


def test_the_dashboard_names_unassigned_cases(seeded: Flask, client, login_as) -> None:
    login_as("leader")
    page = client.get("/quan-tri/").get_data(as_text=True)
    card = page.split("Quá hạn theo đơn vị", 1)[1].split("</li></ul></li>", 1)[0]
    assert "Chưa phân công" in card
    assert "—" not in card
    assert "Thanh tra Sở" in card
