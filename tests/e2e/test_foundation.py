"""The foundation in a real browser: Vietnamese first, the language switch, officials' login
with its one-time password, the error page, and everything working without JavaScript.

Every page these journeys land on is checked with axe-core (see conftest.py)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from portal.extensions import db
from portal.models import User
from tests.factories import PASSWORD, make_user

LOGIN = "/quan-tri/dang-nhap"
CHANGE_PASSWORD = "/quan-tri/doi-mat-khau"
DASHBOARD = "/quan-tri/"
GOOD_PASSWORD = "đồng lúa xanh bên sông Vàm Cỏ 2026"
COMMON_PASSWORD = "password1234"


def _official(**fields: object) -> tuple[int, str, str]:
    """Create an official; return (id, email, name) and end the test's own transaction so the
    browser's requests are the only ones touching the row."""
    user = make_user(roles=("clerk",), **fields)  # type: ignore[arg-type]
    found = (user.id, user.email, user.name)
    db.session.rollback()
    return found


def _path(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def _expect_field_error(page: Page, label: str, message: str) -> None:
    """The error is beside its field and is read out with it."""
    control = page.get_by_label(label, exact=True)
    expect(control).to_have_attribute("aria-invalid", "true")
    expect(control).to_have_accessible_description(re.compile(re.escape(message)))
    field = page.locator(".field", has=control)
    expect(field.locator(".field-error")).to_contain_text(message)


def test_home_page_is_vietnamese_and_starts_with_the_skip_link(page: Page, visit) -> None:
    visit("/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dân vận chính quyền")
    expect(page).to_have_title(re.compile(r"^Dân vận chính quyền"))

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # hidden until focused, then on screen

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main")).to_be_focused()


def test_language_switch_is_remembered(page: Page, visit, follow) -> None:
    visit("/")
    follow(page.get_by_role("button", name="English"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Government mass mobilisation")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_attached()

    visit(LOGIN)  # the next page is English too: the choice is remembered
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Officials' sign in")
    expect(page.get_by_label("Password", exact=True)).to_be_visible()

    follow(page.get_by_role("button", name="Tiếng Việt"))
    assert _path(page) == LOGIN  # back on the same page
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cán bộ đăng nhập")

    visit("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dân vận chính quyền")
    expect(page.get_by_role("button", name="English")).to_be_visible()


def test_official_signs_in_changes_the_one_time_password_and_signs_out(
    page: Page, visit, follow
) -> None:
    user_id, email, name = _official(must_change_password=True)
    sign_in = page.get_by_role("button", name="Đăng nhập")

    # An empty form: a summary at the top that links to each field, and each error beside it.
    visit(LOGIN)
    follow(sign_in)
    expect(page).to_have_title(re.compile(r"^Lỗi: Cán bộ đăng nhập"))
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading")).to_have_text("Vui lòng sửa các lỗi sau")
    expect(summary.get_by_role("link", name="Hãy nhập địa chỉ email.")).to_have_attribute(
        "href", "#email"
    )
    expect(summary.get_by_role("link", name="Hãy nhập mật khẩu.")).to_have_attribute(
        "href", "#password"
    )
    assert page.locator("#email").get_attribute("type") == "email"
    assert page.locator("#password").get_attribute("type") == "password"
    summary_box = summary.bounding_box()
    form_box = page.locator("form.narrow").bounding_box()
    assert summary_box and form_box and summary_box["y"] < form_box["y"], "summary not on top"
    _expect_field_error(page, "Email", "Hãy nhập địa chỉ email.")
    _expect_field_error(page, "Mật khẩu", "Hãy nhập mật khẩu.")

    # The one-time password works once: the official must choose their own.
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    follow(sign_in)
    assert _path(page) == CHANGE_PASSWORD
    expect(page.get_by_role("heading", level=1)).to_have_text("Đổi mật khẩu")
    expect(page.get_by_role("main")).to_contain_text("mật khẩu dùng một lần")

    # Nothing else is reachable until then.
    visit(DASHBOARD)
    assert _path(page) == CHANGE_PASSWORD

    # A too-common password is refused, with the reason beside the field.
    change = page.get_by_role("button", name="Đổi mật khẩu")
    page.get_by_label("Mật khẩu hiện tại", exact=True).fill(PASSWORD)
    page.get_by_label("Mật khẩu mới", exact=True).fill(COMMON_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu mới", exact=True).fill(COMMON_PASSWORD)
    follow(change)
    assert _path(page) == CHANGE_PASSWORD
    expect(page).to_have_title(re.compile(r"^Lỗi: Đổi mật khẩu"))
    _expect_field_error(page, "Mật khẩu mới", "Mật khẩu này quá phổ biến")
    expect(page.get_by_role("alert").get_by_role("link")).to_have_attribute("href", "#new_password")

    # A long sentence is accepted and leads to the dashboard.
    page.get_by_label("Mật khẩu hiện tại", exact=True).fill(PASSWORD)
    page.get_by_label("Mật khẩu mới", exact=True).fill(GOOD_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu mới", exact=True).fill(GOOD_PASSWORD)
    follow(change)
    assert _path(page) == DASHBOARD
    expect(page.get_by_role("status")).to_contain_text("Mật khẩu của bạn đã được đổi.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bảng điều khiển")
    expect(page.get_by_role("main")).to_contain_text(f"Đang đăng nhập: {name} ({email}).")
    expect(page.get_by_role("navigation")).to_contain_text(name)
    assert db.session.get(User, user_id).must_change_password is False
    db.session.rollback()

    # Signing out (a POST form) returns to the login page, and the area is closed again.
    follow(page.get_by_role("button", name="Đăng xuất"))
    assert _path(page) == LOGIN
    expect(page.get_by_role("status")).to_contain_text("Bạn đã đăng xuất.")
    visit(DASHBOARD)
    assert _path(page).startswith(LOGIN)
    expect(page.get_by_role("heading", level=1)).to_have_text("Cán bộ đăng nhập")
    expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)


def test_not_found_page_is_vietnamese(page: Page, visit) -> None:
    visit("/khong-co-trang-nay", expect_status=404)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    expect(page).to_have_title(re.compile(r"^Không tìm thấy trang"))
    expect(page.get_by_role("link", name="Về trang chủ")).to_have_attribute("href", "/")


def test_login_works_without_javascript(new_context, visit, follow) -> None:
    _, email, name = _official()
    page = new_context(java_script_enabled=False).new_page()

    visit(LOGIN, on=page)
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    follow(page.get_by_role("button", name="Đăng nhập"))
    assert _path(page) == DASHBOARD
    expect(page.get_by_role("main")).to_contain_text(name)

    follow(page.get_by_role("button", name="Đăng xuất"))
    assert _path(page) == LOGIN
    expect(page.get_by_role("status")).to_contain_text("Bạn đã đăng xuất.")
