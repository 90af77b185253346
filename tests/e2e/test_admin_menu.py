"""The officials' menu in a real browser: five groups on one line at 1280 px, opened with the
keyboard; stacked and collapsed on a 375 px phone; axe-core passes, open or closed."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from portal.extensions import db
from tests.e2e.helpers import sign_in
from tests.factories import make_user

GROUPS = ["Đơn thư", "Tiếp công dân", "Tin tức", "Báo cáo", "Quản trị"]


def _everything_official() -> str:
    """An official with every role, so that every entry of the menu shows."""
    user = make_user(
        roles=("admin", "clerk", "handler", "leader", "editor"), name="Nguyễn Thị Phương Thảo"
    )
    email = user.email
    db.session.rollback()
    return email


def _top_items(page: Page) -> list[dict[str, float]]:
    return page.locator(".site-nav > ul > li").evaluate_all(
        "items => items.map(item => item.getBoundingClientRect().toJSON())"
    )


def test_the_menu_fits_one_line_on_a_desktop(page: Page, visit, follow, axe_check) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, visit, follow, _everything_official())
    nav = page.get_by_role("navigation", name="Menu chính")
    summaries = nav.locator("summary")
    expect(summaries).to_have_text(GROUPS)
    items = _top_items(page)
    assert len(items) == 1 + len(GROUPS) + 2  # dashboard, the groups, public site, the user
    tops = {round(item["y"]) for item in items}
    assert max(tops) - min(tops) <= 4, f"menu items on more than one line: {items}"
    line = max(item["height"] for item in items)
    assert nav.bounding_box()["height"] < 2 * line, "the menu bar is taller than one line"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    # The keyboard opens a group; its entries drop down over the page and can be followed.
    cases = nav.locator("details", has=page.locator("summary", has_text="Đơn thư"))
    expect(cases.get_by_role("link", name="Danh sách đơn thư")).to_be_hidden()
    cases.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(cases).to_have_attribute("open", "")
    entry = cases.get_by_role("link", name="Danh sách đơn thư")
    expect(entry).to_be_visible()
    axe_check(page)  # open, over the page
    page.keyboard.press("Tab")
    expect(entry).to_be_focused()
    # Opening another group closes this one.
    nav.locator("summary", has_text="Báo cáo").click()
    expect(cases).not_to_have_attribute("open", "")
    follow(nav.get_by_role("link", name="Thống kê"))
    # On the new page the menu is closed again; it marks where the official is.
    expect(nav.locator('a[aria-current="page"]')).to_have_text("Thống kê")
    expect(nav.locator("summary.menu-current")).to_have_text("Báo cáo")


def test_the_menu_collapses_on_a_phone(page: Page, visit, follow, axe_check) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, visit, follow, _everything_official())
    nav = page.get_by_role("navigation", name="Menu chính")
    items = _top_items(page)
    lefts = {round(item["x"]) for item in items}
    assert len(lefts) == 1, f"menu items side by side on a phone: {items}"
    assert [item["y"] for item in items] == sorted(item["y"] for item in items)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # Collapsed: the groups' headings only, no entry shown.
    expect(nav.locator("details[open]")).to_have_count(0)
    for link in nav.locator("details a").all():
        expect(link).to_be_hidden()
    closed_height = nav.bounding_box()["height"]

    reception = nav.locator("details", has=page.locator("summary", has_text="Tiếp công dân"))
    reception.locator("summary").click()
    entries = reception.get_by_role("link")
    expect(entries).to_have_count(3)
    for link in entries.all():
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert nav.bounding_box()["height"] > closed_height  # opens in place, pushing the page down
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe_check(page)
