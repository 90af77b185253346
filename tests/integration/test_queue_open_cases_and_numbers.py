"""No open case vanishes from the queue, and a case number in its search finds the case."""

from __future__ import annotations

from datetime import UTC, datetime

from portal.domain.permissions import EVERY_CASE
from portal.extensions import db
from portal.models import Case
from portal.services import deadlines as deadline_service
from portal.services import queue
from portal.services import workflow as workflow_service
from portal.web.rules import current_rules
from portal.web.security import today_local
from tests.admin_helpers import sign_in
from tests.factories import make_case, make_division, make_user


def _act(case: Case, name: str, actor, **values: object) -> None:  # type: ignore[no-untyped-def]
    workflow_service.perform(
        db.session,
        case=case,
        action_name=name,
        actor=actor,
        data=workflow_service.ActionInput(**values),  # type: ignore[arg-type]
        today=today_local(),
        now=datetime.now(UTC),
        rules=current_rules(),
        calendar=deadline_service.load_calendar(db.session),
    )


def _listed(client, query: str = "") -> str:  # type: ignore[no-untyped-def]
    response = client.get(f"/quan-tri/don/{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_accepted_petition_stays_in_the_queue_in_my_cases_and_in_the_search(client) -> None:
    leader = make_user(roles=("leader", "clerk"))
    handler = make_user(roles=("handler",))
    petition = make_case(kind="petition", subject="Đèn đường hỏng ở ấp Bình Lợi")
    _act(petition, "accept", leader)
    _act(petition, "assign", leader, assignee_id=handler.id)
    answer = next(d for d in petition.deadlines if d.rule_id == "petition.answer")
    # 15 working days, the department's default, from the acceptance
    calendar = deadline_service.load_calendar(db.session)
    assert answer.due_on == calendar.add_working_days(today_local(), 15)
    assert petition.next_due_on == answer.due_on

    sign_in(client, handler)
    assert petition.number in _listed(client)
    assert petition.number in _listed(client, "?mine=y")
    assert petition.number in _listed(client, "?q=den+duong")


def test_open_cases_without_a_clock_come_last_and_page_on(app_ctx) -> None:
    leader = make_user(roles=("leader", "clerk"))
    clocked = [make_case(kind="reflection", subject=f"Có hạn {i}") for i in range(3)]
    reopened = []
    for i in range(3):
        case = make_case(kind="petition", subject=f"Mở lại {i}")
        _act(case, "withdraw", leader, note="Rút")
        _act(case, "reopen", leader, note="Rút nhầm")
        assert case.status == "in_progress" and case.next_due_on is None
        reopened.append(case)
    closed = make_case(kind="petition", subject="Đã rút")
    _act(closed, "withdraw", leader, note="Rút")
    calendar = deadline_service.load_calendar(db.session)

    def page(after: str | None = None, **filters: object) -> queue.Result:
        return queue.search(
            db.session,
            queue.Filters(**filters),  # type: ignore[arg-type]
            scope=EVERY_CASE,
            today=today_local(),
            calendar=calendar,
            soon_working_days=3,
            after=after,
            per_page=2,
        )

    seen: list[int] = []
    after = None
    while True:
        result = page(after)
        assert result.total == 6  # the withdrawn case is not open
        seen += [row.case.id for row in result.rows]
        after = result.next_after
        if after is None:
            break
    assert seen == [c.id for c in clocked] + [c.id for c in reopened]
    # the overdue and due-soon lists hold only cases with a clock
    assert page(due="overdue").total == 0
    everything = queue.all_matching(
        db.session,
        queue.Filters(),
        scope=EVERY_CASE,
        today=today_local(),
        calendar=calendar,
        soon_working_days=3,
        limit=100,
    )
    assert [c.id for c in everything] == seen


def _numbered(year: int, sequence: int, **fields: object) -> Case:
    case = make_case(kind="petition", subject=f"Đơn {year}/{sequence}")
    case.year, case.sequence = year, sequence
    for name, value in fields.items():
        setattr(case, name, value)
    db.session.commit()
    return case


def test_a_case_number_in_the_search_goes_to_the_case(client) -> None:
    this_year = _numbered(2026, 16, status="closed")  # found whatever its status
    sign_in(client, make_user(roles=("clerk",)))
    for typed in ("2026/0016", "2026-0016", "2026 / 16", "2026 0016"):
        response = client.get("/quan-tri/don/", query_string={"q": typed})
        assert response.status_code == 303, typed
        assert response.headers["Location"].endswith(f"/quan-tri/don/{this_year.id}")
    for typed in ("0016", "16", " 16 "):
        response = client.get("/quan-tri/don/", query_string={"q": typed})
        assert response.status_code == 303, typed

    last_year = _numbered(2025, 16)
    both = client.get("/quan-tri/don/", query_string={"q": "16"})
    assert both.status_code == 200
    page = both.get_data(as_text=True)
    assert "Đơn 2025/16" in page and "Đơn 2026/16" in page
    exact = client.get("/quan-tri/don/", query_string={"q": "2025/0016"})
    assert exact.headers["Location"].endswith(f"/quan-tri/don/{last_year.id}")
    nothing = _listed(client, "?q=2024%2F0016")  # no such case: an empty list, no error
    assert "Đơn 2025/16" not in nothing and "Đơn 2026/16" not in nothing


def test_the_number_search_finds_only_cases_the_official_may_see(client) -> None:
    mine, other = make_division(), make_division()
    visible = _numbered(2026, 16, division_id=mine.id)
    _numbered(2025, 16, division_id=other.id)
    sign_in(client, make_user(roles=("handler",), division=mine))
    # two cases carry the sequence 16, but only one is this official's: straight to it
    response = client.get("/quan-tri/don/", query_string={"q": "16"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/quan-tri/don/{visible.id}")
    hidden = client.get("/quan-tri/don/", query_string={"q": "2025/0016"})
    assert hidden.status_code == 200
    assert "Đơn 2025/16" not in hidden.get_data(as_text=True)  # its subject, on its row


def test_the_default_answer_time_is_a_setting(app) -> None:
    from pathlib import Path

    from portal.services.deadlines import rules_from_file

    rules = rules_from_file(Path("/nonexistent.toml"), petition_answer_days=20)
    assert rules["petition.answer"].length == 20
    assert rules["petition.answer"].confidence == "D"  # the department's own rule
    in_force = app.extensions["deadline_rules"]["petition.answer"].length
    assert in_force == app.config["PETITION_ANSWER_WORKING_DAYS"] == 15


def test_the_citizen_sees_the_date_an_answer_is_due(client) -> None:

    leader = make_user(roles=("leader",))
    petition = make_case(kind="petition")
    code = petition.test_access_code
    page = client.post_form("/tra-cuu/", {"access_code": code}).get_data(as_text=True)
    letter = petition.next_due_on
    assert "Hạn trả lời" in page and letter.strftime("%d/%m/%Y") in page
    _act(petition, "accept", leader)
    due = next(d.due_on for d in petition.deadlines if d.rule_id == "petition.answer")
    page = client.post_form("/tra-cuu/", {"access_code": code}).get_data(as_text=True)
    assert "Hạn trả lời" in page and due.strftime("%d/%m/%Y") in page
    _act(petition, "assign", leader, assignee_id=leader.id)
    _act(petition, "draft_answer", leader, answer="Trả lời.")
    _act(petition, "approve_answer", leader)
    page = client.post_form("/tra-cuu/", {"access_code": code}).get_data(as_text=True)
    assert "Hạn trả lời" not in page  # answered: nothing is owed any more
