"""The deadline calculator and the working-day calendar in Chromium, checked with axe."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from portal.extensions import db
from portal.services import deadlines as deadline_service
from portal.web.security import now_utc
from tests.factories import PASSWORD, make_user


def test_calculator_and_calendar(page: Page, visit, follow) -> None:
    deadline_service.sync_builtin_corrections(db.session, now=now_utc())
    email = make_user(roles=("admin",)).email
    db.session.rollback()
    visit("/quan-tri/dang-nhap", on=page)
    page.locator('[name="email"]').fill(email)
    page.locator('[name="password"]').fill(PASSWORD)
    follow(page.locator("#form-submit"))

    visit("/quan-tri/tinh-thoi-han", on=page)
    page.locator('[name="rule"]').select_option("letter.process")
    page.locator('[name="start"]').fill("2026-02-12")
    follow(page.locator("#form-submit"))
    expect(page.locator(".due")).to_contain_text("05/03/2026")
    expect(page.locator(".explanation")).to_contain_text("Tết Nguyên Đán")

    page.locator('[name="start"]').fill("")
    follow(page.locator("#form-submit"))
    expect(page).to_have_title(re.compile("^Lỗi:"))

    visit("/quan-tri/lich-lam-viec?nam=2026", on=page)
    expect(page.locator("main")).to_contain_text("02/01/2026")
    page.locator('[name="day"]').fill("2026-06-03")
    page.locator('[name="kind"]').select_option("day_off")
    page.locator('[name="note"]').fill("Nghỉ đột xuất")
    page.locator('[name="source"]').fill("QĐ 1/UBND")
    follow(page.locator("#form-submit"))
    expect(page.locator(".flash--success")).to_be_visible()
