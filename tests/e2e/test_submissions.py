"""Citizens' journeys in Chromium: file each kind of matter with an attachment, read the code
from the receipt, find the case on "Tra cứu"; bad input comes back kept, with its errors.

Every page visited is checked with axe-core; the filing journeys run with JavaScript off."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.integration.submission_helpers import BY_KIND, COMMON

KIND_LINKS = {
    "phan-anh": "Phản ánh",
    "kien-nghi": "Kiến nghị",
    "khieu-nai": "Khiếu nại",
    "to-cao": "Tố cáo",
}


def _png(tmp_path) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / "ảnh hiện trường.png"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def _fill(page: Page, slug: str, **changes: str) -> None:
    values = {**COMMON, **BY_KIND[slug], **changes}
    if "decision_known_on" in values:  # a date input takes the ISO form; it shows dd/mm/yyyy
        day, month, year = values["decision_known_on"].split("/")
        values["decision_known_on"] = f"{year}-{month}-{day}"
    for name, value in values.items():
        if name in ("consent", "field", "province", "complaint_round") or value is None:
            continue
        control = page.locator(f'[name="{name}"]')
        if control.count():
            control.fill(value)
    page.locator('[name="field"]').select_option(values["field"])
    if page.locator('[name="province"]').count():
        page.locator('[name="province"]').select_option(values["province"])
    if slug == "khieu-nai":
        page.locator('[name="complaint_round"][value="1"]').check()
    page.locator('[name="consent"]').check()


@pytest.mark.parametrize("slug", list(KIND_LINKS))
def test_file_a_matter_and_look_it_up_without_javascript(
    slug, new_context, visit, follow, tmp_path, custodian
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    visit("/", on=page)
    follow(page.get_by_role("link", name=re.compile("Gửi đơn")).first)
    follow(page.get_by_role("link", name=re.compile(KIND_LINKS[slug])).first)
    _fill(page, slug)
    page.locator('[name="attachments"]').set_input_files(_png(tmp_path))
    follow(page.locator("#form-submit"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("đã được tiếp nhận")
    code = page.locator(".access-code").inner_text().strip()
    number = re.search(r"\d{4}/\d{4}", page.locator(".receipt").inner_text()).group(0)

    visit("/tra-cuu/", on=page)
    page.locator('[name="access_code"]').fill(code.lower().replace("-", " "))
    follow(page.locator("#form-submit"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)


def test_invalid_input_is_kept_with_errors_beside_the_fields(page, visit, follow, tmp_path) -> None:
    visit("/gui-don/phan-anh")
    _fill(page, "phan-anh", phone="123", content="")
    page.locator('[name="attachments"]').set_input_files(_png(tmp_path))
    follow(page.locator("#form-submit"))
    expect(page).to_have_title(re.compile("^Lỗi:"))
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(page.locator('[name="phone"]')).to_have_value("123")
    expect(page.locator('[name="phone"]')).to_have_attribute("aria-invalid", "true")
    expect(page.locator('[name="subject"]')).to_have_value(COMMON["subject"])
    expect(page.locator(".uploads")).to_contain_text("ảnh hiện trường.png")
    # correct the mistakes: the file uploaded the first time goes with the case
    page.locator('[name="phone"]').fill("0912 345 678")
    page.locator('[name="content"]').fill(BY_KIND["phan-anh"]["content"])
    page.locator('[name="consent"]').check()
    follow(page.locator("#form-submit"))
    expect(page.locator(".access-code")).to_be_visible()
