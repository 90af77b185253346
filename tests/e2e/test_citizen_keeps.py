"""In Chromium: the language switch keeps a half-filled form (with and without JavaScript),
and the receipt still shows the code after Back and reload in the same browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_submissions import _fill
from tests.integration.submission_helpers import BY_KIND, COMMON


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_switching_language_keeps_what_was_typed(javascript, new_context, visit, follow) -> None:
    page = new_context(java_script_enabled=javascript).new_page()
    visit("/gui-don/phan-anh", on=page)
    page.locator('[name="subject"]').fill(COMMON["subject"])
    page.locator('[name="content"]').fill(BY_KIND["phan-anh"]["content"])
    page.locator('[name="name"]').fill(COMMON["name"])
    follow(page.get_by_role("button", name="English"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Send a submission")
    expect(page.locator('[name="subject"]')).to_have_value(COMMON["subject"])
    expect(page.locator('[name="content"]')).to_have_value(BY_KIND["phan-anh"]["content"])
    expect(page.locator('[name="name"]')).to_have_value(COMMON["name"])
    expect(page.locator(".error-summary")).to_have_count(0)
    follow(page.get_by_role("button", name="Tiếng Việt"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator('[name="subject"]')).to_have_value(COMMON["subject"])


def test_the_receipt_survives_back_and_reload(page, visit, follow, axe_check) -> None:
    visit("/gui-don/phan-anh")
    _fill(page, "phan-anh")
    follow(page.locator("#form-submit"))
    code = page.locator(".access-code").inner_text().strip()
    assert code
    page.reload()
    axe_check(page)
    expect(page.locator(".access-code")).to_have_text(code)
    visit("/tra-cuu/")
    page.go_back()
    axe_check(page)
    expect(page.locator(".access-code")).to_have_text(code)
