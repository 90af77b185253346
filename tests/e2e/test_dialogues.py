"""The reception schedule in Chromium: a citizen registers without JavaScript, an official
sees the registration and the monthly compliance page. axe checks every page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from portal.extensions import db
from tests.factories import PASSWORD, make_user
from tests.integration.test_dialogues import make_dialogue


def test_register_for_a_session_and_see_it_as_an_official(new_context, visit, follow) -> None:
    dialogue_id = make_dialogue().id
    email = make_user(roles=("clerk",)).email
    db.session.rollback()

    citizen: Page = new_context(java_script_enabled=False).new_page()
    visit("/lich-tiep-cong-dan/", on=citizen)
    visit(f"/lich-tiep-cong-dan/{dialogue_id}", on=citizen)
    citizen.locator('[name="name"]').fill("Trần Văn Bình")
    citizen.locator('[name="phone"]').fill("0912 345 678")
    citizen.locator('[name="matter"]').fill("Sóng di động yếu ở ấp 3")
    citizen.locator('[name="consent"]').check()
    follow(citizen.locator("#form-submit"))
    expect(citizen.locator(".access-code")).to_be_visible()

    official: Page = new_context().new_page()
    visit("/quan-tri/dang-nhap", on=official)
    official.locator('[name="email"]').fill(email)
    official.locator('[name="password"]').fill(PASSWORD)
    follow(official.locator("#form-submit"))
    visit(f"/quan-tri/lich-tiep/{dialogue_id}", on=official)
    expect(official.locator("main")).to_contain_text("Trần Văn Bình")
    visit("/quan-tri/lich-tiep/", on=official)
    visit("/quan-tri/lich-tiep/tuan-thu", on=official)
    visit("/quan-tri/lich-tiep/moi", on=official)
