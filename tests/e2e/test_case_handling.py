"""An official's day in Chromium: a clerk registers a walk-in, a leader accepts, a handler
drafts the answer, the leader approves, and the citizen reads it on "Tra cứu".
axe checks every admin and public page visited."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from portal.extensions import db
from tests.e2e.helpers import sign_in
from tests.factories import make_user

SHOTS = os.environ.get("PORTAL_SCREENSHOTS")  # a folder: the officials' guide pictures


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _official(roles: tuple[str, ...], name: str) -> str:
    user = make_user(roles=roles, name=name)
    email = user.email
    db.session.rollback()
    return email


def _sign_out(page: Page, follow) -> None:  # type: ignore[no-untyped-def]
    follow(page.get_by_role("button", name="Đăng xuất"))


def _do(page: Page, follow, action: str, **fields: str) -> None:  # type: ignore[no-untyped-def]
    details = page.locator("details.action", has=page.locator(f'[name^="{action}-"]'))
    if details.get_attribute("open") is None:  # the next step's form is open already
        details.locator("summary").click()
    for name, value in fields.items():
        control = details.locator(f'[name="{action}-{name}"]')
        if control.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)
    follow(details.locator('button[type="submit"]'))


def test_walk_in_to_published_answer(page: Page, visit, follow) -> None:
    clerk = _official(("clerk",), "Trần Thị Thu")
    leader = _official(("leader",), "Phạm Quốc Hưng")
    handler = _official(("handler",), "Lê Minh Tâm")

    sign_in(page, visit, follow, clerk)
    visit("/quan-tri/don/moi", on=page)
    _shot(page, "1-register")
    page.locator('[name="channel"]').select_option("in_person")
    page.locator('[name="kind"]').select_option("petition")
    page.locator('[name="subject"]').fill("Đề nghị mở rộng sóng di động ở ấp Bàu Sen")
    page.locator('[name="content"]').fill("Ấp Bàu Sen không có sóng điện thoại ổn định.")
    page.locator('[name="name"]').fill("Nguyễn Thị Hoa")
    page.locator('[name="phone"]').fill("0912 345 678")
    follow(page.locator("#form-submit"))
    flash = page.locator(".flash--success").inner_text()
    code = re.search(r"[2-9A-Z]{4}(?:-[2-9A-Z]{1,4}){4}", flash).group(0)
    case_url = page.url
    _sign_out(page, follow)

    sign_in(page, visit, follow, leader)
    visit("/" + case_url.split("/", 3)[3], on=page)
    _shot(page, "2-case-actions")
    _do(page, follow, "accept")
    _sign_out(page, follow)

    sign_in(page, visit, follow, clerk)
    visit("/" + case_url.split("/", 3)[3], on=page)
    option = page.locator('[name="assign-assignee"] option', has_text="Lê Minh Tâm")
    _do(page, follow, "assign", assignee=option.get_attribute("value"))
    _sign_out(page, follow)

    sign_in(page, visit, follow, handler)
    visit("/" + case_url.split("/", 3)[3], on=page)
    _do(
        page,
        follow,
        "draft_answer",
        answer="Sở đã đề nghị doanh nghiệp viễn thông lắp trạm phát sóng trong quý I/2027.",
    )
    _sign_out(page, follow)

    sign_in(page, visit, follow, leader)
    visit("/" + case_url.split("/", 3)[3], on=page)
    _do(page, follow, "approve_answer")
    expect(page.locator(".answer")).to_contain_text("lắp trạm phát sóng")
    visit("/quan-tri/don/", on=page)
    _shot(page, "4-queue")
    visit("/quan-tri/", on=page)
    _shot(page, "5-dashboard")
    _sign_out(page, follow)

    visit("/tra-cuu/", on=page)
    page.locator('[name="access_code"]').fill(code)
    follow(page.locator("#form-submit"))
    expect(page.locator(".answer")).to_contain_text("lắp trạm phát sóng")
    expect(page.locator("main")).to_contain_text("Đã trả lời")
    _shot(page, "6-citizen-status")
