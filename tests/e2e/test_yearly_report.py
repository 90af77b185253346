"""The yearly report in Chromium: the Office opens a round, a division's official writes and
submits the division's report with the figures the portal filled in, the Office compiles the
department's report and downloads it as .docx. axe checks every page."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from playwright.sync_api import Page, expect

from portal.domain import yearly_report as rules
from portal.extensions import db
from portal.web.security import today_local
from tests.e2e.helpers import sign_in
from tests.factories import make_case, make_division, make_user


def test_a_division_report_from_the_round_to_the_offices_docx(new_context, visit, follow) -> None:
    year = today_local().year
    office = make_division(code="VP", name="Văn phòng Sở")
    inspection = make_division(code="TTRA", name="Thanh tra Sở")
    office_email = make_user(roles=("leader",), division=office).email
    writer_email = make_user(roles=("handler",), division=inspection).email
    for day in (3, 4, 5):  # received in the default period (1 January to 30 September)
        case = make_case(kind="petition", now=datetime(year, 3, day, 3, tzinfo=UTC))
        case.division_id = inspection.id
    db.session.commit()
    db.session.rollback()

    # The Office opens the round with the plan's deadlines.
    leader: Page = new_context().new_page()
    sign_in(leader, visit, follow, office_email)
    visit("/quan-tri/bao-cao-nam/", on=leader)
    follow(leader.locator('a[href$="/bao-cao-nam/mo-dot"]'))
    expect(leader.locator('[name="division_due_on"]')).to_have_value(f"{year}-10-22")
    expect(leader.locator('[name="office_due_on"]')).to_have_value(f"{year}-10-25")
    follow(leader.locator("#form-submit"))
    expect(leader.locator("h1")).to_contain_text(str(year))

    # The division's official writes and submits the report; the figures are filled in.
    writer: Page = new_context().new_page()
    sign_in(writer, visit, follow, writer_email)
    visit("/quan-tri/bao-cao-nam/", on=writer)
    follow(writer.locator('main a[href*="/bao-cao-nam/bao-cao/"]'))
    expect(writer.locator('td[data-figure="cases_received"]')).to_have_text("3")
    expect(writer.locator('td[data-figure="articles_published"]')).to_have_count(0)
    for section in rules.SECTIONS:
        writer.locator(f'[name="{section.id}"]').fill(f"Thanh tra Sở đã làm: {section.id}.")
    follow(writer.locator('button[value="save"]'))
    expect(writer.locator('[name="directives"]')).to_have_value("Thanh tra Sở đã làm: directives.")
    follow(writer.locator("#form-submit"))
    expect(writer.locator("textarea")).to_have_count(0)
    expect(writer.locator("main")).to_contain_text("Thanh tra Sở đã làm: targets.")

    # The Office sees it, compiles from the divisions' text and downloads the .docx.
    leader.locator(".site-nav summary", has_text="Báo cáo").click()  # the menu's group
    follow(leader.locator('.site-nav a[href$="/bao-cao-nam/"]'))
    follow(leader.locator(f'main a:text-is("{year}")'))
    expect(leader.locator("main details summary")).to_contain_text("Thanh tra Sở")
    expect(leader.locator('[name="targets"]')).to_have_value(
        "Thanh tra Sở: Thanh tra Sở đã làm: targets."
    )
    leader.locator('[name="document_number"]').fill("125")
    follow(leader.locator("#form-submit"))
    expect(leader.locator('[name="targets"]')).to_have_count(0)
    with leader.expect_download() as download:
        leader.locator('a[href$="/bao-cao.docx"]').click()
    body = Path(download.value.path()).read_bytes()

    document = Document(io.BytesIO(body))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for t in document.tables for row in t.rows for cell in row.cells]
    assert "BÁO CÁO" in paragraphs
    assert f"Kết quả thực hiện công tác dân vận chính quyền năm {year}" in paragraphs
    assert "Thanh tra Sở: Thanh tra Sở đã làm: targets." in paragraphs
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in "\n".join(cells)
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["1", "Số đơn tiếp nhận", "3"] in rows
    assert any(row[1] == "Thanh tra Sở" and row[4] == "3" for row in rows if len(row) == 6)
