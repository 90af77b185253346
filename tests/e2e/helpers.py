"""What several browser journeys do the same way: an official signs in."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.factories import PASSWORD


def sign_in(page: Page, visit: Any, follow: Any, email: str) -> None:
    """Sign in on the officials' page with the test password (`visit` and `follow` are the
    fixtures that check each page on the way)."""
    visit("/quan-tri/dang-nhap", on=page)
    page.locator('[name="email"]').fill(email)
    page.locator('[name="password"]').fill(PASSWORD)
    follow(page.locator("#form-submit"))
