"""Statistics: every figure of a known history (tests/statistics_helpers.py) checked exactly,
the list behind each figure, the public page and the .xlsx exports."""

from __future__ import annotations

import html
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from portal.domain.permissions import EVERY_CASE
from portal.extensions import db
from portal.services import statistics
from tests import statistics_helpers as history

FEBRUARY = dict(start=history.FEBRUARY[0], end=history.FEBRUARY[1], today=history.TODAY)
QUARTER = dict(start=history.QUARTER[0], end=history.QUARTER[1], today=history.TODAY)
LINK_RE = re.compile(r'<a href="(/quan-tri/don/\?[^"]+)">(\d+)</a>')
TOTAL_RE = re.compile(r'<p role="status">(\d+) ')


def figures_of(start: date, end: date) -> statistics.Statistics:
    """Every division's figures for start..end, as on the history's today."""
    return statistics.compute(
        db.session, start=start, end=end, division_id=None, today=history.TODAY
    )


@pytest.fixture
def data(app_ctx):  # type: ignore[no-untyped-def]
    return history.build()


def test_february_all_divisions(data) -> None:  # type: ignore[no-untyped-def]
    s = statistics.compute(db.session, division_id=None, **FEBRUARY)
    assert s.received == 7  # E F G H I K L
    assert s.received_by_kind == {"complaint": 1, "denunciation": 0, "petition": 2, "reflection": 4}
    assert s.received_by_channel == {"in_person": 1, "post": 1, "web": 5}
    assert s.received_by_field == {"": 4, "press": 1, "telecom": 2}
    # A is open, B was answered on 05/02, D was guided on 03/02; C ended in January
    assert s.carried_over == 3
    assert s.outcomes == {
        "accepted": 4,
        "refused": 1,
        "guided": 0,
        "forwarded": 1,
        "filed": 0,
        "withdrawn": 0,
        "unclassified": 1,
    }
    assert (s.within_competence, s.outside_competence, s.unclassified) == (5, 1, 1)
    # K and L accepted in February; H forwarded; G's and H's stopped clocks do not count;
    # the department's answer time (15 working days from acceptance): K and L answered in
    # time, B (accepted 06/01, due 26/01) answered late on 05/02
    assert [(r.rule_id, r.on_time, r.late) for r in s.deadlines_by_rule] == [
        ("letter.process", 2, 0),
        ("petition.answer", 2, 1),
        ("petition.forward", 1, 0),
    ]
    assert s.on_time_rate == pytest.approx(5 / 6)
    # A E F I; I is past its deadline, and so are A, E and F: accepted on 22/01, 05/03 and
    # 06/03, none answered within the department's 15 working days by 15/04
    assert (s.open_now, s.overdue_now) == (4, 4)
    assert s.resolved == 3  # B (31 days), K (10), L (11)
    assert s.days_to_resolve_average == pytest.approx(52 / 3)
    assert s.days_to_resolve_median == 11
    assert s.ratings == {1: 0, 2: 1, 3: 0, 4: 0, 5: 0}
    assert (s.answered, s.rated, s.response_rate, s.rating_average) == (2, 1, 0.5, 2.0)
    assert s.sessions_held == 1
    assert s.sessions_by_kind == {"periodic": 1, "unscheduled": 0, "dialogue": 0}
    assert s.sessions_cancelled == 1
    assert [(m.month, m.state) for m in s.head_duty] == [(2, "met")]
    assert s.registrations == {"confirmed": 3, "waiting": 1, "cancelled": 1}
    assert s.attendance == {"attended": 2, "no_show": 1, "walk_in": 1}
    assert (s.follow_ups_due, s.follow_ups_on_time, s.follow_ups_late) == (3, 1, 1)
    assert s.follow_ups_not_done == 1
    # bai-1 (both categories), bai-2 (first), bai-5 (second, 23:30 on 28/02 in Vietnam)
    assert s.articles_published == 3
    first, second = data.categories
    assert {c.slug: c.articles for c in s.articles_by_category} == {first.slug: 2, second.slug: 2}


def test_on_time_rates_across_tet(data) -> None:  # type: ignore[no-untyped-def]
    e, f = data.cases["E"], data.cases["F"]
    # Received on 12/02/2026: ten working days end on 26/02 without Tết, on 05/03 with it.
    assert history.letter_due(e) == date(2026, 3, 5)
    s = statistics.compute(db.session, division_id=None, **QUARTER)
    assert [(r.rule_id, r.on_time, r.late) for r in s.deadlines_by_rule] == [
        ("letter.process", 6, 1),  # A B E J K L on time; F a working day late
        ("petition.answer", 3, 1),  # J K L answered in time; B late
        ("petition.forward", 1, 0),
    ]
    assert s.on_time_rate == pytest.approx(10 / 12)
    march = figures_of(date(2026, 3, 1), date(2026, 3, 31))
    assert [(r.rule_id, r.on_time, r.late) for r in march.deadlines_by_rule] == [
        ("letter.process", 2, 1),  # E (on its due date), J; F late
        ("petition.answer", 1, 0),  # J
    ]
    assert f.status == "accepted"


def test_quarter_and_periods_that_cut_through_a_case(data) -> None:  # type: ignore[no-untyped-def]
    s = statistics.compute(db.session, division_id=None, **QUARTER)
    assert s.received == 12
    assert s.carried_over == 0
    assert (s.within_competence, s.outside_competence, s.unclassified) == (8, 3, 1)
    assert s.resolved == 4  # B 31, K 10, L 11, J 2 days
    assert s.days_to_resolve_average == 13.5
    assert s.days_to_resolve_median == 10.5
    assert (s.answered, s.rated, s.rating_average) == (4, 3, pytest.approx(11 / 3))
    assert [(m.month, m.state) for m in s.head_duty] == [(1, "missed"), (2, "met"), (3, "missed")]
    assert s.registrations["confirmed"] == 4
    assert (s.follow_ups_due, s.follow_ups_on_time) == (4, 2)
    assert s.articles_published == 4
    # B's life: received in January, answered in February
    january = figures_of(date(2026, 1, 1), date(2026, 1, 31))
    assert january.received == 4 and january.resolved == 0
    march = figures_of(date(2026, 3, 1), date(2026, 3, 31))
    # A, E, F (accepted) and I (unclassified); G, H, K, L ended in February
    assert march.carried_over == 4
    assert march.received == 1 and march.resolved == 1
    # a custom span from 04/02 to 10/02: D was guided on 03/02, B answered on 05/02
    span = figures_of(date(2026, 2, 4), date(2026, 2, 10))
    assert span.carried_over == 2  # A and B
    assert span.received == 1  # K
    assert span.resolved == 1  # B


def test_one_division(data) -> None:  # type: ignore[no-untyped-def]
    s = statistics.compute(db.session, division_id=data.d1, **FEBRUARY)
    assert s.received == 5  # G and L are D2's
    assert s.carried_over == 3
    assert s.resolved == 2  # B, K
    assert [(r.rule_id, r.on_time, r.late) for r in s.deadlines_by_rule] == [
        ("letter.process", 1, 0),
        ("petition.answer", 1, 1),  # K in time, B late (L is D2's)
        ("petition.forward", 1, 0),
    ]
    assert (s.follow_ups_due, s.follow_ups_on_time, s.follow_ups_late) == (2, 1, 0)
    other = statistics.compute(db.session, division_id=data.d2, **FEBRUARY)
    assert other.received == 2 and other.carried_over == 0
    assert other.outcomes["refused"] == 1


def test_public_headlines(data) -> None:  # type: ignore[no-untyped-def]
    rows = statistics.public_headlines(db.session, year=2026, today=history.TODAY)
    assert [r.month for r in rows] == [1, 2, 3, 4, None]
    figures = [
        (r.received, r.resolved, r.met_on_time, r.met_late, r.overdue, r.rated, r.sessions_held)
        for r in rows
    ]
    assert figures == [
        (4, 0, 2, 0, 1, 1, 0),  # A overdue: accepted, not answered
        (7, 3, 5, 1, 3, 1, 1),  # + the answers of K and L in time, B's late; E F I overdue
        (1, 1, 3, 1, 0, 1, 1),  # + J's answer in time
        (0, 0, 0, 0, 0, 0, 0),
        (12, 4, 10, 2, 4, 3, 2),
    ]
    assert rows[1].rating_average == 2.0
    assert rows[-1].on_time_rate == pytest.approx(10 / 12)
    payload = rows[-1].as_dict()
    assert payload["received"] == 12 and payload["month"] is None


def test_every_figure_links_to_exactly_its_cases(client, login_as, data) -> None:  # type: ignore[no-untyped-def]
    login_as("leader")
    client.set_cookie("lang", "en")
    page = client.get("/quan-tri/thong-ke?ky=month&nam=2026&thang=2")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    links = LINK_RE.findall(body)
    assert len(links) >= 20
    for url, figure in links:
        listing = client.get(html.unescape(url))
        assert listing.status_code == 200, url
        total = TOTAL_RE.search(listing.get_data(as_text=True))
        assert total and total.group(1) == figure, (url, figure)


def test_an_official_sees_only_their_division(client, login_as, data) -> None:  # type: ignore[no-untyped-def]
    from portal.models import Division

    division = db.session.get(Division, data.d2)
    login_as("handler", division=division)
    client.set_cookie("lang", "en")
    body = client.get(f"/quan-tri/thong-ke?ky=month&nam=2026&thang=2&phong={data.d1}").get_data(
        as_text=True
    )
    # D2 received G and L in February whatever division was asked for
    pattern = rf'Received</th><td><a href="[^"]*division={data.d2}[^"]*">2</a>'
    assert re.search(pattern, body)
    assert "All divisions" not in body


def test_public_page(client, data) -> None:  # type: ignore[no-untyped-def]
    client.set_cookie("lang", "en")
    response = client.get("/thong-ke?nam=2026")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'role="img"' in body and "<desc" in body
    assert "Đơn A" not in body and "Nguyễn Văn Bình" not in body
    home = client.get("/").get_data(as_text=True)
    assert 'href="/thong-ke"' in home


def test_statistics_xlsx(client, login_as, data) -> None:  # type: ignore[no-untyped-def]
    login_as("leader")
    client.set_cookie("lang", "en")
    response = client.get("/quan-tri/thong-ke.xlsx?ky=month&nam=2026&thang=2")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = {(row[0], row[1]): row[2] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert values[("Cases", "Received")] == 7
    assert values[("Cases", "Carried over from before the period")] == 3
    assert values[("Deadlines", "On-time rate")] == "83.3%"  # 5 of 6: B's answer late
    assert values[("Follow-ups", "Done late")] == 1
    assert values[("Satisfaction", "Rated 2")] == 1


def test_case_list_xlsx_keeps_filters_and_hides_identities(
    client, login_as, data, custodian
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_case

    secret = make_case(
        kind="denunciation",
        subject='=HYPERLINK("http://x")',
        name="Người Tố Cáo",
        received_on=date(2026, 2, 18),
        now=history._moment(date(2026, 2, 18)),
    )
    login_as("leader")
    client.set_cookie("lang", "en")
    response = client.get("/quan-tri/don.xlsx?received_from=2026-02-01&received_to=2026-02-28")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    numbers = {row[0] for row in rows}
    expected = {data.cases[name].number for name in "EFGHIKL"} | {secret.number}
    assert numbers == expected
    dumped = " ".join(str(cell) for row in rows for cell in row if cell is not None)
    assert "Người Tố Cáo" not in dumped
    cell = next(c for c in sheet["F"] if c.value == secret.subject)
    assert cell.data_type == "s" and cell.quotePrefix


def test_a_case_list_export_is_never_cut_and_is_read_in_batches(
    client, login_as, data, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Read two cases at a time, the export still holds every case of the list, in the
    list's order (newest first), says how many in its subtitle and in the audit trail."""
    from sqlalchemy import select

    from portal.models import AuditLog
    from portal.services import queue_export

    monkeypatch.setattr(queue_export, "EXPORT_BATCH", 2)
    login_as("leader")
    client.set_cookie("lang", "en")
    response = client.get("/quan-tri/don.xlsx?received_from=2026-02-01&received_to=2026-02-28")
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) == len(response.data)
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    expected = sorted((data.cases[name] for name in "EFGHIKL"), key=lambda c: (c.received_on, c.id))
    assert [row[0] for row in rows] == [case.number for case in reversed(expected)]
    assert sheet["A2"].value == "7 cases"
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "cases.export")).one()
    assert entry.detail["rows"] == 7


def test_a_case_list_export_past_the_limit_is_cut_and_says_so(
    client, login_as, data, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from portal.admin import queue_views
    from portal.models import AuditLog
    from portal.services import queue_export

    monkeypatch.setattr(queue_views, "EXPORT_LIMIT", 3)
    monkeypatch.setattr(queue_export, "EXPORT_BATCH", 2)  # the cut falls inside the second batch
    login_as("leader")
    client.set_cookie("lang", "en")
    response = client.get("/quan-tri/don.xlsx?received_from=2026-02-01&received_to=2026-02-28")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert len(list(sheet.iter_rows(min_row=4, values_only=True))) == 3
    assert "narrow it to export the rest" in sheet["A2"].value
    entry = db.session.scalars(select(AuditLog).where(AuditLog.action == "cases.export")).one()
    assert entry.detail["rows"] == 3


def test_an_official_without_a_division_sees_no_figures(client, login_as, data) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/quan-tri/thong-ke").status_code == 302  # to the sign-in page
    login_as("handler")
    assert client.get("/quan-tri/thong-ke").status_code == 403
    assert client.get("/quan-tri/thong-ke.xlsx").status_code == 403


def test_refused_as_outside_our_competence(client, login_as, data) -> None:  # type: ignore[no-untyped-def]
    from portal.services import queue

    refused = data.cases["G"]
    refused.outcome_ground = "outside_competence"  # a denunciation's ground, set directly
    db.session.commit()
    s = statistics.compute(db.session, division_id=None, **FEBRUARY)
    assert (s.within_competence, s.outside_competence) == (4, 2)
    calendar = statistics_calendar()
    for competence, expected in (("within", 4), ("outside", 2)):
        listed = queue.search(
            db.session,
            queue.Filters(
                received_from=history.FEBRUARY[0],
                received_to=history.FEBRUARY[1],
                competence=competence,
            ),
            scope=EVERY_CASE,
            today=history.TODAY,
            calendar=calendar,
            soon_working_days=3,
        )
        assert listed.total == expected


def statistics_calendar():  # type: ignore[no-untyped-def]
    from portal.services import deadlines as deadline_service

    return deadline_service.load_calendar(db.session)
