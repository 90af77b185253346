"""The officials' day in Chromium, counted in clicks: a citizen files a petition; the leader
(accepts and assigns), the handler (drafts), the leader (approves) and the reception clerk
(closes) each find it in "Việc của tôi" on their own dashboard, with no search and no filter,
and take their step; the handler also finds it by typing its number in the queue's search;
the citizen sees the date the answer is due, then reads the answer, on "Tra cứu".

Each official works at their own desk (a browser context of their own) and signs in once.
What counts as a click: each link, button, checkbox or option a person picks with the
pointer (a choice in a drop-down list counts as one); typing text does not. axe-core checks
every page on the way (the `visit` and `follow` fixtures)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, Page, expect

from portal.extensions import db
from tests.factories import PASSWORD, make_user
from tests.integration.submission_helpers import BY_KIND, COMMON

MOST_CLICKS = 24


class Clicks:
    """Every click or submit the test does as a person would, counted."""

    def __init__(self, follow: Callable[..., Any]) -> None:
        self.follow = follow
        self.count = 0

    def go(self, target: Locator) -> None:
        """A click that loads a page (a link, a submit button)."""
        self.count += 1
        self.follow(target)

    def pick(self, target: Locator, value: str | None = None) -> None:
        """A click that stays on the page: a checkbox, or an option in a list."""
        self.count += 1
        if value is None:
            target.check()
        else:
            target.select_option(value)


def _official(roles: tuple[str, ...], name: str) -> str:
    email = make_user(roles=roles, name=name).email
    db.session.rollback()
    return email


def _desk(new_context, visit, clicks: Clicks, email: str) -> Page:  # type: ignore[no-untyped-def]
    """An official's own browser, signed in: they land on their dashboard."""
    page = new_context().new_page()
    visit("/quan-tri/dang-nhap", on=page)
    page.locator('[name="email"]').fill(email)
    page.locator('[name="password"]').fill(PASSWORD)
    clicks.go(page.locator("#form-submit"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bảng điều khiển")
    return page


def _open_from_my_work(page: Page, clicks: Clicks, number: str, waiting: str) -> None:
    """Find the case in "Việc của tôi", see what it waits for, and open it."""
    work = page.locator("section.my-work")
    row = work.locator("tr", has=page.get_by_role("link", name=number))
    expect(row).to_contain_text(waiting)
    clicks.go(row.get_by_role("link", name=number))
    expect(page.locator(".next-step")).to_contain_text(waiting)


def _step(page: Page) -> Locator:
    """The step's form the case page opens with (unfolded, first)."""
    return page.locator(".next-step details.action[open] form").first


def test_filing_to_answer_in_at_most_20_clicks(new_context, visit, follow) -> None:
    leader = _official(("leader",), "Phạm Quốc Hưng")
    clerk = _official(("clerk",), "Trần Thị Thu")
    _official(("handler",), "Lê Minh Tâm")
    handler = _official(("handler",), "Lê Minh Tâm (2)")
    clicks = Clicks(follow)

    # the citizen files a petition
    citizen = new_context().new_page()
    visit("/gui-don/kien-nghi", on=citizen)
    values = {**COMMON, **BY_KIND["kien-nghi"]}
    for name, value in values.items():
        control = citizen.locator(
            f'input[name="{name}"]:not([type=checkbox]), textarea[name="{name}"]'
        )
        if value and control.count():
            control.fill(value)
    clicks.pick(citizen.locator('[name="field"]'), values["field"])
    clicks.pick(citizen.locator('[name="province"]'), values["province"])
    clicks.pick(citizen.locator('[name="consent"]'))
    clicks.go(citizen.locator("#form-submit"))
    code = citizen.locator(".access-code").inner_text().strip()
    number = re.search(r"\d{4}/\d{4}", citizen.locator(".receipt").inner_text()).group(0)

    # the leader accepts it and assigns it in one form
    leader_page = _desk(new_context, visit, clicks, leader)
    _open_from_my_work(leader_page, clicks, number, "Chờ lãnh đạo thụ lý")
    form = _step(leader_page)
    option = form.locator('[name="accept_assign-assignee"] option', has_text="Lê Minh Tâm (2)")
    clicks.pick(form.locator('[name="accept_assign-assignee"]'), option.get_attribute("value"))
    clicks.go(form.get_by_role("button", name="Thụ lý và giao xử lý"))
    expect(leader_page.locator(".next-step")).to_contain_text(
        "Việc tiếp theo thuộc về: Chuyên viên xử lý"
    )

    # the citizen sees by when the answer is due (the department's answer clock)
    visit("/tra-cuu/", on=citizen)
    citizen.locator('[name="access_code"]').fill(code)
    clicks.go(citizen.locator("#form-submit"))
    expect(citizen.locator("dl")).to_contain_text("Hạn trả lời")

    # the handler sees it in "Việc của tôi", and finds it by typing its number too
    handler_page = _desk(new_context, visit, clicks, handler)
    expect(handler_page.locator("section.my-work")).to_contain_text(number)
    visit("/quan-tri/don/", on=handler_page)  # the queue, as a handler keeps it open
    handler_page.locator('[name="q"]').fill(number.split("/")[1].lstrip("0"))
    clicks.go(handler_page.get_by_role("button", name="Lọc"))
    expect(handler_page.get_by_role("heading", level=1)).to_contain_text(number)
    clicks.go(handler_page.get_by_role("link", name="Bảng điều khiển"))
    _open_from_my_work(handler_page, clicks, number, "Đang chờ chuyên viên dự thảo trả lời")
    form = _step(handler_page)
    form.locator('[name="draft_answer-answer"]').fill(
        "Sở đã đề nghị doanh nghiệp viễn thông lắp trạm phát sóng trong quý I/2027."
    )
    clicks.go(form.get_by_role("button", name="Soạn dự thảo trả lời"))

    # the leader, back on the dashboard, approves it
    clicks.go(leader_page.get_by_role("link", name="Bảng điều khiển"))
    _open_from_my_work(leader_page, clicks, number, "Chờ lãnh đạo duyệt dự thảo")
    clicks.go(_step(leader_page).locator('button[type="submit"]'))
    expect(leader_page.locator(".answer")).to_contain_text("lắp trạm phát sóng")

    # the reception clerk closes the answered case
    clerk_page = _desk(new_context, visit, clicks, clerk)
    _open_from_my_work(clerk_page, clicks, number, "Đã trả lời: chờ văn thư kết thúc hồ sơ")
    clicks.go(_step(clerk_page).locator('button[type="submit"]'))
    expect(clerk_page.locator(".next-step")).to_contain_text("hồ sơ đã kết thúc")

    # the citizen reads the answer
    visit("/tra-cuu/", on=citizen)
    citizen.locator('[name="access_code"]').fill(code)
    clicks.go(citizen.locator("#form-submit"))
    expect(citizen.locator(".answer")).to_contain_text("lắp trạm phát sóng")

    print(f"\nFiling to answer, with the two extra looks: {clicks.count} clicks")
    assert clicks.count <= MOST_CLICKS
