"""Statistics in Chromium: a leader opens February 2026, follows a figure to its cases,
downloads the figures and the list as .xlsx; the public page with its charts. axe checks
every page, the SVG charts included."""

from __future__ import annotations

import io
from pathlib import Path

from flask import Flask
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from portal.extensions import db
from portal.services import statistics
from tests import statistics_helpers as history
from tests.factories import PASSWORD, make_user


def _sheet_rows(body: bytes) -> list[tuple[object, ...]]:
    sheet = load_workbook(io.BytesIO(body)).active
    return [tuple(row) for row in sheet.iter_rows(min_row=4, values_only=True)]


def test_statistics_to_cases_and_exports(app: Flask, page: Page, visit, follow) -> None:  # type: ignore[no-untyped-def]
    data = history.build()
    leader = make_user(roles=("leader",), name="Trần Văn Giám")
    email = leader.email
    numbers = {data.cases[name].number for name in "EFGHIKL"}
    db.session.rollback()

    visit("/quan-tri/dang-nhap", on=page)
    page.locator('[name="email"]').fill(email)
    page.locator('[name="password"]').fill(PASSWORD)
    follow(page.locator("#form-submit"))

    visit("/quan-tri/thong-ke?ky=month&nam=2026&thang=2", on=page)
    expect(page.locator("svg[role=img]")).to_have_count(5)
    received = page.locator(
        'main a[href*="received_from=2026-02-01"][href*="received_to=2026-02-28"]'
    ).first
    expect(received).to_have_text("7")

    # the figure's cases: the seven received in February
    follow(received)
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(7)
    shown = {rows.nth(i).locator("td").first.inner_text() for i in range(7)}
    assert shown == numbers

    with page.expect_download() as download:
        page.locator('main a[href*="/don.xlsx"]').click()
    listed = _sheet_rows(Path(download.value.path()).read_bytes())
    assert {row[0] for row in listed} == numbers

    page.go_back()
    page.wait_for_load_state("load")
    with page.expect_download() as download:
        page.locator('main a[href*="/thong-ke.xlsx"]').click()
    figures = _sheet_rows(Path(download.value.path()).read_bytes())
    with app.test_request_context("/"):
        stats = statistics.compute(
            db.session,
            start=history.FEBRUARY[0],
            end=history.FEBRUARY[1],
            division_id=None,
            today=_today(),
        )
        from portal.admin.statistics_views import figure_rows

        expected = [tuple(row) for row in figure_rows(stats)]
    assert figures == expected
    assert figures[0][2] == 7  # received

    visit("/thong-ke?nam=2026", on=page)
    expect(page.locator("svg[role=img] title")).to_have_count(2)
    expect(page.locator("main table caption")).to_have_count(1)


def _today():  # type: ignore[no-untyped-def]
    from portal.web.security import today_local

    return today_local()
