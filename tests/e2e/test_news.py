"""News in Chromium: an editor writes an article with a cover image in the rich-text editor,
submits it, a leader publishes it, a citizen finds it without accents and opens it.
axe checks every page visited, the editor page included."""

from __future__ import annotations

import io

from PIL import Image
from playwright.sync_api import Page, expect

from portal.extensions import db
from tests.e2e.helpers import sign_in
from tests.factories import make_user


def _official(roles: tuple[str, ...]) -> str:
    email = make_user(roles=roles).email
    db.session.rollback()
    return email


def test_write_publish_find_read(page: Page, visit, follow, tmp_path) -> None:
    editor = _official(("editor",))
    leader = _official(("leader",))
    cover = tmp_path / "anh-bia.png"
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 600), "darkgreen").save(buffer, "PNG")
    cover.write_bytes(buffer.getvalue())

    sign_in(page, visit, follow, editor)
    visit("/quan-tri/bai-viet/moi", on=page)
    page.locator('[name="title"]').fill("Mô hình Dân vận khéo ở Hòa Thành")
    page.locator('[name="summary"]').fill("Người dân góp công làm đường nông thôn.")
    body = page.locator(".ql-editor")
    expect(body).to_be_visible()
    body.click()
    page.keyboard.type("Nhờ mô hình dân vận khéo, 3 km đường được bê tông hóa.")
    page.locator('input[name="categories"]').first.check()
    page.locator('[name="cover"]').set_input_files(str(cover))
    page.locator('[name="cover_alt"]').fill("Người dân cùng làm đường")
    follow(page.locator("#form-submit"))
    follow(page.get_by_role("button", name="Gửi duyệt"))
    edit_url = page.url
    follow(page.get_by_role("button", name="Đăng xuất"))

    sign_in(page, visit, follow, leader)
    visit("/" + edit_url.split("/", 3)[3], on=page)
    follow(page.get_by_role("button", name="Đăng bài"))
    follow(page.get_by_role("button", name="Đăng xuất"))

    visit("/tin-tuc/?q=dan+van+kheo+hoa+thanh", on=page)
    follow(page.get_by_role("link", name="Mô hình Dân vận khéo ở Hòa Thành"))
    expect(page.locator("h1")).to_have_text("Mô hình Dân vận khéo ở Hòa Thành")
    expect(page.locator(".article-body")).to_contain_text("bê tông hóa")
    expect(page.locator("figure img")).to_have_attribute("alt", "Người dân cùng làm đường")
