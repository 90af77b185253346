"""The yearly mass-mobilisation report: rounds, divisions' reports, permissions, deadlines,
reminders by e-mail, compiling and the documents."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

from docx import Document
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select
from werkzeug.test import TestResponse

from portal.cli.reports import render_reminder, send_report_reminders
from portal.domain import yearly_report as rules
from portal.domain.calendar import WorkingCalendar
from portal.extensions import db
from portal.models import AuditLog, Division, DivisionReport, OutboxMessage, ReportingRound
from portal.services import yearly_reports as service
from portal.services.notifications import SmtpSettings, deliver_outbox
from portal.web.security import today_local
from tests.factories import PASSWORD, make_case, make_division, make_user

NOW = datetime(2026, 10, 1, 3, 0, tzinfo=UTC)
TEXT = {section_id: f"Kết quả {section_id} của phòng." for section_id in rules.SECTION_IDS}
OPEN_URL = "/quan-tri/bao-cao-nam/mo-dot"


def sign_in(app: Flask, user) -> object:  # type: ignore[no-untyped-def]
    """A separate browser-like client signed in as `user`."""
    client = app.test_client()
    response = client.post_form(  # type: ignore[attr-defined]
        "/quan-tri/dang-nhap", {"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def english(client) -> None:  # type: ignore[no-untyped-def]
    """Read the pages in English, the language of the msgids."""
    assert client.post("/ngon-ngu", data={"language": "en", "next": "/"}).status_code == 302


def open_round(year: int = 2026, **dates: date) -> ReportingRound:
    defaults = service.RoundDates.defaults(year)
    chosen = service.RoundDates(
        dates.get("division_due_on", defaults.division_due_on),
        dates.get("office_due_on", defaults.office_due_on),
        dates.get("period_start", defaults.period_start),
        dates.get("period_end", defaults.period_end),
    )
    return service.open_round(db.session, year=year, dates=chosen, actor_id=None, now=NOW)


def post_dates(
    client: Any,
    url: str,
    division_due_on: str,
    office_due_on: str,
    *,
    year: str | None = None,
    period_end: str = "30/09/2026",
    token_from: str | None = None,
) -> TestResponse:
    """Send the dates of a 2026 round (figures from 01/01): the form that opens it (with
    `year`) or the one that changes them."""
    form = {
        "division_due_on": division_due_on,
        "office_due_on": office_due_on,
        "period_start": "01/01/2026",
        "period_end": period_end,
    }
    if year is not None:
        form["year"] = year
    return client.post_form(url, form, token_from=token_from)


def _report(round_: ReportingRound, division) -> DivisionReport:  # type: ignore[no-untyped-def]
    report = service.report_of(db.session, round_.id, division.id)
    assert report is not None
    return report


def submit_text(
    round_: ReportingRound, division: Division, *, now: datetime = NOW, today: date | None = None
) -> None:
    """Submit the division's report with TEXT, by no one in particular."""
    service.submit(
        db.session,
        _report(round_, division),
        TEXT,
        actor_id=None,
        now=now,
        today=today or now.date(),
    )


def test_the_office_opens_a_round_with_a_report_per_staffed_division(app, client, login_as):
    inspection = make_division(name="Thanh tra Sở")
    office = make_division(name="Văn phòng Sở")
    make_division(name="Phòng không có người")
    retired = make_division(name="Phòng đã nghỉ")
    make_user(roles=("handler",), division=inspection)
    make_user(roles=("handler",), division=retired, active=False)
    login_as("leader", division=office)

    page = client.get(OPEN_URL).get_data(as_text=True)
    assert f'value="{today_local().year}-10-22"' in page
    assert f'value="{today_local().year}-10-25"' in page
    response = post_dates(client, OPEN_URL, "23/10/2026", "26/10/2026", year="2026")
    assert response.status_code == 303
    round_ = db.session.scalar(select(ReportingRound))
    assert (round_.year, round_.division_due_on, round_.office_due_on) == (
        2026,
        date(2026, 10, 23),
        date(2026, 10, 26),
    )
    divisions = {r.division.name for r in round_.reports}
    assert divisions == {"Thanh tra Sở", "Văn phòng Sở"}
    assert {r.status for r in round_.reports} == {"draft"}
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "report_round.open"))
    assert audit.detail["divisions"] == 2

    again = post_dates(client, OPEN_URL, "22/10/2026", "25/10/2026", year="2026")
    assert again.status_code == 200
    assert "Đã có đợt báo cáo của năm này." in again.get_data(as_text=True)


def test_the_office_deadline_cannot_come_before_the_divisions(client, login_as):
    login_as("leader")
    response = post_dates(client, OPEN_URL, "25/10/2026", "22/10/2026", year="2026")
    assert response.status_code == 200
    assert "không được trước hạn báo cáo của các đơn vị" in response.get_data(as_text=True)
    assert db.session.scalar(select(ReportingRound)) is None


def test_a_division_reads_and_writes_only_its_own_report(app, client, login_as):
    mine, theirs = make_division(name="Thanh tra Sở"), make_division(name="Phòng Báo chí")
    other = make_user(roles=("editor",), division=theirs)
    login_as("handler", division=mine)
    round_ = open_round()
    own, foreign = _report(round_, mine), _report(round_, theirs)

    assert client.get(f"/quan-tri/bao-cao-nam/bao-cao/{own.id}").status_code == 200
    assert client.get(f"/quan-tri/bao-cao-nam/bao-cao/{foreign.id}").status_code == 404
    token = client.csrf_token(f"/quan-tri/bao-cao-nam/bao-cao/{own.id}")
    response = client.post(
        f"/quan-tri/bao-cao-nam/bao-cao/{foreign.id}",
        data={"csrf_token": token, "directives": "Ghi đè", "action": "save"},
    )
    assert response.status_code == 404
    db.session.refresh(foreign)
    assert foreign.sections == {}
    # the Office's pages are not for a division
    assert client.get(f"/quan-tri/bao-cao-nam/{round_.id}").status_code == 403
    # the other division's own official can write theirs
    other_client = sign_in(app, other)
    saved = other_client.post_form(  # type: ignore[attr-defined]
        f"/quan-tri/bao-cao-nam/bao-cao/{foreign.id}", {"directives": "Của phòng", "action": "save"}
    )
    assert saved.status_code == 303
    db.session.refresh(foreign)
    assert foreign.sections["directives"] == "Của phòng"


def test_the_office_reads_every_report_but_writes_none_but_its_own(client, login_as):
    division, office = make_division(name="Thanh tra Sở"), make_division(name="Văn phòng Sở")
    make_user(roles=("handler",), division=division)
    round_ = open_round()
    report = _report(round_, division)
    login_as("leader", division=office)
    page = client.get(f"/quan-tri/bao-cao-nam/bao-cao/{report.id}")
    assert page.status_code == 200
    assert "<textarea" not in page.get_data(as_text=True)
    response = client.post_form(
        f"/quan-tri/bao-cao-nam/bao-cao/{report.id}", {"directives": "Sửa hộ", "action": "save"}
    )
    assert response.status_code == 403


def test_a_report_is_saved_then_submitted_with_its_figures(app, client, login_as):
    division = make_division(name="Thanh tra Sở")
    for day in (5, 6):
        case = make_case(kind="petition", now=datetime(2026, 3, day, 3, tzinfo=UTC))
        case.division_id = division.id
    make_case(kind="reflection", now=datetime(2026, 3, 7, 3, tzinfo=UTC))  # not the division's
    db.session.commit()
    user = login_as("handler", division=division)
    round_ = open_round()
    report = _report(round_, division)
    url = f"/quan-tri/bao-cao-nam/bao-cao/{report.id}"

    english(client)
    page = client.get(url).get_data(as_text=True)
    with_figures = [s for s in rules.SECTIONS if rules.section_figures(s, division=True)]
    assert page.count('class="figures"') == len(with_figures)
    assert '<th scope="row">Letters received</th><td data-figure="cases_received">2</td>' in page
    assert "Articles published" not in page  # counted for the whole department only

    incomplete = client.post_form(url, {"directives": "Đã quán triệt.", "action": "submit"})
    assert incomplete.status_code == 200
    assert 'aria-invalid="true"' in incomplete.get_data(as_text=True)
    db.session.refresh(report)
    assert report.status == "draft"

    assert client.post_form(url, {"directives": "Đã quán triệt.", "action": "save"}).status_code
    db.session.refresh(report)
    assert report.sections["directives"] == "Đã quán triệt."
    assert report.status == "draft"

    submitted = client.post_form(url, {**TEXT, "action": "submit"})
    assert submitted.status_code == 303
    db.session.refresh(report)
    assert report.status == "submitted"
    assert report.submitted_by_id == user.id
    assert report.figures["cases_received"] == 2
    assert set(report.figures) == set(rules.report_figures(division=True))
    assert "articles_published" not in report.figures

    again = client.post_form(url, {**TEXT, "directives": "Sửa sau khi nộp", "action": "save"})
    assert again.status_code == 303
    db.session.refresh(report)
    assert report.sections["directives"] == TEXT["directives"]
    actions = set(db.session.scalars(select(AuditLog.action)))
    assert {"division_report.save", "division_report.submit"} <= actions


def test_late_reports_against_the_division_deadline(app_ctx):
    on_time, late, missing = (make_division(name=n) for n in ("A", "B", "C"))
    for division in (on_time, late, missing):
        make_user(roles=("handler",), division=division)
    round_ = open_round(division_due_on=date(2026, 10, 22))
    # 22/10 23:30 in Vietnam is 16:30 UTC: still on the due date
    in_time = datetime(2026, 10, 22, 16, 30, tzinfo=UTC)
    too_late = datetime(2026, 10, 22, 17, 30, tzinfo=UTC)  # 00:30 on 23/10 in Vietnam
    submit_text(round_, on_time, now=in_time, today=date(2026, 10, 22))
    submit_text(round_, late, now=too_late, today=date(2026, 10, 23))
    before = {
        r.division_name: r.late
        for r in service.overview(db.session, round_, today=date(2026, 10, 22))
    }
    assert before == {"A": False, "B": True, "C": False}
    after = {
        r.division_name: r.late
        for r in service.overview(db.session, round_, today=date(2026, 10, 23))
    }
    assert after == {"A": False, "B": True, "C": True}


def test_the_office_sees_who_submitted_and_who_is_late(client, login_as):
    a, b = make_division(name="Phòng A"), make_division(name="Phòng B")
    make_user(roles=("handler",), division=b)
    login_as("leader", division=a)
    round_ = open_round(division_due_on=date(2020, 10, 22), year=2020)  # long past
    submit_text(round_, b, now=datetime(2020, 10, 20, 3, tzinfo=UTC), today=date(2020, 10, 20))
    english(client)
    page = client.get(f"/quan-tri/bao-cao-nam/{round_.id}").get_data(as_text=True)
    assert "1 of 2 divisions have submitted." in page
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert "Phòng A" in rows[0] and "<strong>Late</strong>" in rows[0]
    assert "Phòng B" in rows[1] and "On time" in rows[1]


def test_the_office_returns_a_report_with_a_reason_and_the_submitter_is_told(client, login_as):
    division = make_division(name="Thanh tra Sở")
    writer = make_user(roles=("handler",), division=division, email="viet@example.gov.vn")
    round_ = open_round()
    report = _report(round_, division)
    service.submit(db.session, report, TEXT, actor_id=writer.id, now=NOW, today=NOW.date())
    login_as("leader")
    url = f"/quan-tri/bao-cao-nam/bao-cao/{report.id}/tra-lai"
    field = f"return-{report.id}-reason"

    empty = client.post_form(url, {field: " "}, token_from=f"/quan-tri/bao-cao-nam/{round_.id}")
    assert empty.status_code == 200
    db.session.refresh(report)
    assert report.status == "submitted"

    response = client.post_form(
        url, {field: "Thiếu số liệu mục 6."}, token_from=f"/quan-tri/bao-cao-nam/{round_.id}"
    )
    assert response.status_code == 303
    db.session.refresh(report)
    assert (report.status, report.return_reason) == ("returned", "Thiếu số liệu mục 6.")
    message = db.session.scalar(select(OutboxMessage))
    assert message.recipient == "viet@example.gov.vn"
    assert "Thiếu số liệu mục 6." in message.body
    # a returned report can be changed and submitted again
    service.submit(db.session, report, TEXT, actor_id=writer.id, now=NOW, today=NOW.date())
    assert report.status == "submitted"
    assert report.return_reason is None


def test_the_office_compiles_and_downloads_the_report_and_the_figures(client, login_as):
    division = make_division(name="Thanh tra Sở")
    absent = make_division(name="Phòng Văn hóa")
    make_user(roles=("handler",), division=division)
    make_user(roles=("handler",), division=absent)
    case = make_case(kind="petition", now=datetime(2026, 4, 2, 3, tzinfo=UTC))
    case.division_id = division.id
    db.session.commit()
    round_ = open_round()
    submit_text(round_, division)
    login_as("leader")
    url = f"/quan-tri/bao-cao-nam/{round_.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Thanh tra Sở: Kết quả directives của phòng." in page  # drafted from the divisions

    assert client.get(f"{url}/bao-cao.docx").status_code == 404  # not compiled yet
    half = client.post_form(
        f"{url}/tong-hop", {"directives": "Chỉ một mục.", "action": "compile"}, token_from=url
    )
    assert half.status_code == 200
    db.session.refresh(round_)
    assert round_.status == "open"

    office_text = {k: f"Toàn Sở: {v}" for k, v in TEXT.items()}
    compiled = client.post_form(
        f"{url}/tong-hop",
        {**office_text, "document_number": "125", "action": "compile"},
        token_from=url,
    )
    assert compiled.status_code == 303
    db.session.refresh(round_)
    assert round_.status == "compiled"
    assert round_.figures["cases_received"] == 1
    assert round_.figures["articles_published"] == 0
    compiled_page = client.get(url).get_data(as_text=True)
    assert 'name="directives"' not in compiled_page  # the text can no longer be edited
    assert "Toàn Sở: Kết quả targets của phòng." in compiled_page

    docx = client.get(f"{url}/bao-cao.docx")
    assert docx.status_code == 200
    assert docx.mimetype.endswith("wordprocessingml.document")
    document = Document(io.BytesIO(docx.data))
    texts = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "Kết quả thực hiện công tác dân vận chính quyền năm 2026" in texts
    assert "Toàn Sở: Kết quả targets của phòng." in texts
    assert "Số đơn tiếp nhận" in cells
    assert "Chưa gửi" in cells  # the division that did not report
    symbol = client.application.config["AGENCY_SYMBOL"]
    assert any(f"Số: 125/BC-{symbol}" in c.splitlines() for c in cells)

    xlsx = client.get(f"{url}/so-lieu.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0][:3] == ["STT", "Chỉ tiêu", "Toàn Sở"]
    assert "Thanh tra Sở" in rows[0]
    received = next(r for r in rows if r[1] == "Số đơn tiếp nhận")
    assert received[2] == 1
    assert received[rows[0].index("Thanh tra Sở")] == 1
    downloads = db.session.scalars(
        select(AuditLog).where(AuditLog.action == "report_round.download")
    ).all()
    assert {d.detail["format"] for d in downloads} == {"docx", "xlsx"}
    # compiled: the divisions can no longer submit or be returned
    late = _report(round_, absent)
    try:
        service.submit(db.session, late, TEXT, actor_id=None, now=NOW, today=NOW.date())
    except service.ReportError as error:
        assert error.code == "compiled"
    else:
        raise AssertionError("submitted into a compiled round")


def test_the_office_reopens_a_compiled_report_with_a_reason(client, login_as):
    division = make_division(name="Thanh tra Sở")
    make_user(roles=("handler",), division=division)
    round_ = open_round()
    office_text = {k: f"Toàn Sở: {v}" for k, v in TEXT.items()}
    service.compile_round(
        db.session,
        round_,
        office_text,
        document_number="125",
        actor_id=None,
        now=NOW,
        today=NOW.date(),
    )
    login_as("leader")
    url = f"/quan-tri/bao-cao-nam/{round_.id}"
    assert client.get(f"{url}/bao-cao.docx").status_code == 200

    no_reason = client.post_form(f"{url}/mo-lai", {"reason": "  "}, token_from=url)
    assert no_reason.status_code == 200
    assert "Lỗi" in no_reason.get_data(as_text=True)  # named beside the field, page kept
    db.session.refresh(round_)
    assert round_.status == "compiled"

    reopened = client.post_form(
        f"{url}/mo-lai", {"reason": "Sai số liệu mục 2, Văn phòng sửa lại."}, token_from=url
    )
    assert reopened.status_code == 303
    db.session.refresh(round_)
    assert round_.status == "open" and round_.compiled_at is None
    assert client.get(f"{url}/bao-cao.docx").status_code == 404  # until compiled again
    page = client.get(url).get_data(as_text=True)
    assert "Toàn Sở: Kết quả targets của phòng." in page and 'name="directives"' in page
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "report_round.reopen"))
    assert audit.detail["reason"] == "Sai số liệu mục 2, Văn phòng sửa lại."

    again = client.post_form(
        f"{url}/tong-hop",
        {**office_text, "document_number": "126", "action": "compile"},
        token_from=url,
    )
    assert again.status_code == 303
    db.session.refresh(round_)
    assert round_.status == "compiled" and round_.document_number == "126"
    handler = sign_in(client.application, make_user(roles=("handler",), division=division))
    refused = handler.post_form(f"{url}/mo-lai", {"reason": "Muốn sửa"}, token_from="/quan-tri/")
    assert refused.status_code == 403  # only the Office reopens
    db.session.refresh(round_)
    assert round_.status == "compiled"


def _reminder_setup():  # type: ignore[no-untyped-def]
    waiting = make_division(name="Phòng chưa nộp")
    done = make_division(name="Phòng đã nộp")
    make_user(roles=("handler",), division=waiting, email="mot@example.gov.vn")
    make_user(roles=("editor",), division=waiting, email="hai@example.gov.vn")
    make_user(roles=("handler",), division=waiting, email="nghi@example.gov.vn", active=False)
    make_user(roles=("admin",), division=waiting, email="quantri@example.gov.vn")
    make_user(roles=("handler",), division=done, email="xong@example.gov.vn")
    return waiting, done


def test_reminders_reach_the_divisions_that_have_not_submitted_by_smtp(app, app_ctx, smtp_server):
    waiting, done = _reminder_setup()
    round_ = open_round(division_due_on=date(2026, 10, 22))
    submit_text(round_, done)
    calendar = WorkingCalendar()

    def send(day: date) -> int:
        with app.test_request_context():
            return service.send_reminders(
                db.session, today=day, now=NOW, calendar=calendar, render=render_reminder
            )

    assert send(date(2026, 10, 14)) == 0  # six working days left
    assert send(date(2026, 10, 15)) == 2  # five working days left
    assert send(date(2026, 10, 15)) == 0  # once a day
    recipients = set(db.session.scalars(select(OutboxMessage.recipient)))
    assert recipients == {"mot@example.gov.vn", "hai@example.gov.vn"}
    sent, failed = deliver_outbox(db.session, SmtpSettings.from_config(app.config), now=NOW)
    assert (sent, failed) == (2, 0)
    assert {m["To"] for m in smtp_server.messages} == recipients
    body = smtp_server.messages[0].get_payload(decode=True).decode()
    assert "22/10/2026" in body
    assert "/quan-tri/bao-cao-nam/" in body

    assert send(date(2026, 10, 24)) == 0  # a Saturday
    assert send(date(2026, 10, 26)) == 2  # late
    late = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert "Phòng chưa nộp" in late.subject
    report = _report(round_, waiting)
    assert report.last_reminded_on == date(2026, 10, 26)
    kinds = [
        a.detail["kind"]
        for a in db.session.scalars(
            select(AuditLog)
            .where(AuditLog.action == "division_report.remind")
            .order_by(AuditLog.id)
        )
    ]
    assert kinds == ["soon", "late"]


def test_the_reminder_command_queues_what_the_rules_say_for_today(app, app_ctx):
    _reminder_setup()
    today = today_local()
    round_ = open_round(
        year=today.year,
        division_due_on=today,
        office_due_on=today,
        period_start=date(today.year, 1, 1),
        period_end=today,
    )
    due = rules.reminder_due(
        today=today,
        due_on=round_.division_due_on,
        calendar=WorkingCalendar(),
        last_reminded_on=None,
    )
    expected = 2 if due else 0
    result = app.test_cli_runner().invoke(send_report_reminders)
    assert f"Queued {expected} report reminder" in result.output, result.output


def test_the_office_moves_the_division_deadline_and_lateness_follows(client, login_as):
    division = make_division(name="Thanh tra Sở")
    make_user(roles=("handler",), division=division)
    login_as("leader")
    round_ = open_round(division_due_on=date(2026, 10, 22))
    today = date(2026, 10, 23)
    assert [r.late for r in service.overview(db.session, round_, today=today)] == [True]
    url = f"/quan-tri/bao-cao-nam/{round_.id}"
    dates_url = f"{url}/thoi-han"
    reversed_dates = post_dates(client, dates_url, "30/10/2026", "25/10/2026", token_from=url)
    assert reversed_dates.status_code == 200
    assert 'aria-invalid="true"' in reversed_dates.get_data(as_text=True)
    moved = post_dates(
        client, dates_url, "30/10/2026", "02/11/2026", period_end="15/10/2026", token_from=url
    )
    assert moved.status_code == 303
    db.session.refresh(round_)
    assert (round_.division_due_on, round_.office_due_on, round_.period_end) == (
        date(2026, 10, 30),
        date(2026, 11, 2),
        date(2026, 10, 15),
    )
    assert [r.late for r in service.overview(db.session, round_, today=today)] == [False]
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "report_round.dates"))
    assert audit.detail["division_due_on"] == "2026-10-30"
    figures = client.get(f"{url}/so-lieu.xlsx")  # the figures so far, before compiling
    assert figures.status_code == 200
    sheet = load_workbook(io.BytesIO(figures.data)).active
    assert "15/10/2026" in sheet["A2"].value


def test_reminder_links_use_the_public_address(app, app_ctx, config_override, monkeypatch):
    import portal.cli.reports

    config_override(PUBLIC_BASE_URL="https://tayninh.gov.vn/dan-van")
    monkeypatch.setattr(portal.cli.reports, "today_local", lambda: date(2026, 10, 15))
    _reminder_setup()
    open_round(division_due_on=date(2026, 10, 22))  # five working days after 15/10
    result = app.test_cli_runner().invoke(send_report_reminders)
    assert "Queued 3 report reminder" in result.output, result.output
    bodies = [m.body for m in db.session.scalars(select(OutboxMessage))]
    assert len(bodies) == 3
    assert all("https://tayninh.gov.vn/dan-van/quan-tri/bao-cao-nam/" in b for b in bodies)
