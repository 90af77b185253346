"""The lists of cases an official sees hold only the cases the rule lets them open: the
queue, its text search, its counts (read from the open-case tallies), the lists behind a
statistics figure, the .xlsx export, the similar cases on a case page and the dashboard.
And the SQL condition (services/case_access.py) admits exactly what the domain rule
(domain/permissions.py) admits, for cases and for the tallies."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.domain.permissions import EVERY_CASE, NO_CASES, case_scope, division_scope
from portal.extensions import db
from portal.models import Case, OpenCaseTally
from portal.services import case_access, queue
from portal.services import deadlines as deadline_service
from portal.web.security import today_local
from tests.admin_helpers import sign_in
from tests.factories import make_case, make_division, make_user

SUBJECTS = {
    "a_open": "Cột điện nghiêng ấp 1",
    "a_mine": "Cột điện đổ ấp 2",
    "b_theirs": "Cột điện chắn lối ấp 3",
    "b_mine": "Cột điện hở dây ấp 4",
    "loose": "Cột điện chưa phân công ấp 5",
}


@pytest.fixture
def cases(app_ctx):  # type: ignore[no-untyped-def]
    """Division A's handler `me`; B's handler `them`; five open cases, two overdue."""
    a = make_division(name="Phòng Công nghệ thông tin")
    b = make_division(name="Thanh tra Sở")
    me = make_user(roles=("handler",), division=a, name="Chuyên viên A")
    them = make_user(roles=("handler",), division=b, name="Chuyên viên B")
    placed = {
        "a_open": (a.id, None),
        "a_mine": (a.id, me.id),
        "b_theirs": (b.id, them.id),
        "b_mine": (b.id, me.id),  # a case of B assigned to A's handler personally
        "loose": (None, None),
    }
    rows = {}
    for key, (division_id, assignee_id) in placed.items():
        case = make_case(kind="reflection", subject=SUBJECTS[key])
        case.division_id, case.assignee_id = division_id, assignee_id
        rows[key] = case
    overdue = today_local() - timedelta(days=10)
    rows["a_open"].next_due_on = overdue
    rows["b_theirs"].next_due_on = overdue
    db.session.commit()
    return {"a": a, "b": b, "me": me, "them": them, **rows}


def _listed(page: str) -> set[str]:
    return {key for key, subject in SUBJECTS.items() if subject in page}


MINE = {"a_open", "a_mine", "b_mine"}


def test_queue_search_and_counts_of_a_handler_hold_only_their_cases(client, cases) -> None:
    sign_in(client, cases["me"])
    for url in ("/quan-tri/don/", "/quan-tri/don/?q=cot+dien", "/quan-tri/don/?due=open"):
        page = client.get(url).get_data(as_text=True)
        assert _listed(page) == MINE, url
        assert "3 đơn; 1 quá hạn" in page, url
    page = client.get("/quan-tri/don/?due=overdue").get_data(as_text=True)
    assert _listed(page) == {"a_open"}
    assert "1 đơn; 1 quá hạn" in page
    # asking for B's cases gives only those of B assigned to me
    page = client.get(f"/quan-tri/don/?division={cases['b'].id}").get_data(as_text=True)
    assert _listed(page) == {"b_mine"}
    # a statistics figure's list (narrowed by status) and a search that counts row by row
    page = client.get("/quan-tri/don/?statuses=received").get_data(as_text=True)
    assert _listed(page) == MINE
    page = client.get("/quan-tri/don/?q=cot+dien&kind=reflection").get_data(as_text=True)
    assert _listed(page) == MINE and "3 đơn;" in page


def test_the_export_of_a_handler_holds_only_their_cases(client, cases) -> None:
    sign_in(client, cases["me"])
    for url in ("/quan-tri/don.xlsx", "/quan-tri/don.xlsx?q=cot+dien&statuses=received"):
        response = client.get(url)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.data)).active
        cells = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
        assert _listed(cells) == MINE, url


def test_those_who_see_every_case_list_every_case(client, cases) -> None:
    sign_in(client, make_user(roles=("clerk",)))
    page = client.get("/quan-tri/don/").get_data(as_text=True)
    assert _listed(page) == set(SUBJECTS)
    assert "5 đơn; 2 quá hạn" in page


def test_the_dashboard_of_a_handler_counts_only_their_cases(client, cases) -> None:
    today = today_local()
    calendar = deadline_service.load_calendar(db.session)

    def board(user):  # type: ignore[no-untyped-def]
        return queue.dashboard(
            db.session,
            scope=case_scope(user.roles, user.id, user.division_id),
            today=today,
            calendar=calendar,
            soon_working_days=3,
            week_start=today - timedelta(days=today.weekday()),
        )

    mine = board(cases["me"])
    assert mine.overdue_by_division == [(cases["a"].name, 1)]
    assert mine.overdue_by_official == [("—", 1)]
    assert mine.arrived_this_week == 3
    assert mine.unassigned == 1
    theirs = board(cases["them"])
    assert theirs.overdue_by_division == [(cases["b"].name, 1)]
    assert theirs.overdue_by_official == [(cases["them"].name, 1)]
    assert theirs.unassigned == 0
    sign_in(client, cases["me"])
    page = client.get("/quan-tri/").get_data(as_text=True)
    assert f"{cases['a'].name}: 1" in page
    assert cases["b"].name not in page and cases["them"].name not in page


def test_similar_cases_on_a_case_page_are_only_visible_ones(client, cases) -> None:
    sign_in(client, cases["me"])
    page = client.get(f"/quan-tri/don/{cases['a_mine'].id}").get_data(as_text=True)
    shown = _listed(page)
    assert shown == MINE, shown  # the case itself and the two others the handler sees


def _scopes(cases):  # type: ignore[no-untyped-def]
    me, them = cases["me"], cases["them"]
    return {
        "every": EVERY_CASE,
        "none": NO_CASES,
        "me": case_scope(me.roles, me.id, me.division_id),
        "them": case_scope(them.roles, them.id, them.division_id),
        "me without a division": case_scope(me.roles, me.id, None),
        "token of A": division_scope(cases["a"].id),
        "token of no division": division_scope(None),
        "leader": case_scope({"leader"}, me.id, cases["b"].id),
        "editor": case_scope({"editor"}, me.id, cases["a"].id),
    }


def test_the_sql_condition_admits_what_the_domain_rule_admits(cases) -> None:
    all_cases = db.session.scalars(select(Case)).all()
    for name, scope in _scopes(cases).items():
        by_sql = set(db.session.scalars(select(Case.id).where(case_access.visible_cases(scope))))
        by_rule = {c.id for c in all_cases if scope.admits(c.assignee_id, c.division_id)}
        assert by_sql == by_rule, name
        open_by_rule = sum(
            1
            for c in all_cases
            if c.next_due_on is not None and scope.admits(c.assignee_id, c.division_id)
        )
        tallied = db.session.scalar(
            select(func.coalesce(func.sum(OpenCaseTally.cases), 0)).where(
                case_access.visible_tallies(scope)
            )
        )
        assert tallied == open_by_rule, name
        for case in all_cases:
            found = case_access.visible_case(db.session, scope, case.id)
            assert (found is not None) == (case.id in by_rule), (name, case.id)
